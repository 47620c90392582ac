"""A run that no file, name, output path, signal or cache can crash, hang or blow up: each case ends with
one line on stderr and its exit code, never a traceback, and the good files' mentions are all there.

Real subprocess runs of the CLI under HOSTILE_LIMITS (2 GB, two minutes of CPU)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import HOSTILE_LIMITS, REPO, _limit, run_nhsx
from nhsx.knowledge import cache

SEED = REPO / "seeds" / "07-regulation.txt"
NUL_FILE = b"not text \x00\x00"  # a file nhsx reports (one line) and skips


def hostile(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return run_nhsx(*args, limits=HOSTILE_LIMITS, **kwargs)


def one_line_error(result: subprocess.CompletedProcess, code: int, *fragments: str) -> str:
    """The run ended with exit ``code`` and exactly one line on stderr, holding every fragment."""
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert result.returncode == code, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for fragment in fragments:
        assert fragment in lines[0], stderr
    return lines[0]


def mention_rows(stdout: bytes) -> list[tuple]:
    return [(r["doc"], r["start"], r["end"], r["id"]) for r in map(json.loads, stdout.decode().splitlines())]


@pytest.fixture(scope="module")
def seed_mentions() -> list[tuple]:
    """The mentions of one seed file from a clean run: what every hostile variant must still find."""
    result = run_nhsx("extract", str(SEED), "--mentions", "-f", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = mention_rows(result.stdout)
    assert len(rows) > 20
    return rows


def corpus(folder: Path, copies: int = 1) -> Path:
    """``copies`` of the seed articles and one unreadable file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for seed in sorted((REPO / "seeds").iterdir()):
            shutil.copy(seed, folder / f"{i:04d}-{seed.name}")
    (folder / "broken.txt").write_bytes(NUL_FILE)
    return folder


# --- 1. output paths -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["extract", "glossary", "cooccur"])
@pytest.mark.parametrize("where", ["missing-folder", "proc", "file-as-folder"])
def test_an_output_that_cannot_be_written_fails_before_any_document_is_read(tmp_path, command, where):
    docs = corpus(tmp_path / "docs")
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    target = {
        "missing-folder": tmp_path / "no" / "such" / "out.json",
        "proc": Path("/proc/nhsx-out.json"),
        "file-as-folder": tmp_path / "plain" / "out.json",
    }[where]
    result = hostile(command, str(docs), "-f", "json", "-o", str(target))
    # one line naming the output, and not the broken document's: nothing was read
    one_line_error(result, 2, str(target))
    assert result.stdout == b""


def test_a_plot_that_cannot_be_written_fails_first(tmp_path):
    target = tmp_path / "missing" / "net.png"
    one_line_error(hostile("cooccur", str(SEED), "--plot", str(target)), 2, str(target), "does not exist")


def test_a_read_only_folder_is_refused_up_front(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    with read_only(folder):
        result = hostile("extract", str(SEED), "-o", str(folder / "out.json"))
        assert list(folder.iterdir()) == []
    one_line_error(result, 2, str(folder / "out.json"), "cannot write")


@contextlib.contextmanager
def read_only(folder: Path):
    """A folder nobody may write in: mode 555 for a normal user; root ignores modes, so a read-only tmpfs."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], capture_output=True
    ).returncode:
        pytest.skip("running as root and cannot mount a read-only tmpfs")
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_device_output_is_written_in_place_never_replaced(tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to("/dev/null")
    assert hostile("extract", str(SEED), "-f", "json", "-o", str(link)).returncode == 0
    assert link.is_symlink() and link.is_char_device()  # the rename of an atomic write would have replaced it
    stdout = tmp_path / "stdout"  # a link to it, not /dev/stdout itself: a broken nhsx replaces only the link
    stdout.symlink_to("/dev/stdout")
    result = hostile("extract", str(SEED), "-f", "json", "-o", str(stdout))
    assert result.returncode == 0 and json.loads(result.stdout)[0]["id"] == "body:care-quality-commission"


# --- 4. an output that is an input ---------------------------------------------------------------


def test_an_output_that_is_an_input_file_is_refused_and_the_input_kept(tmp_path):
    doc = tmp_path / "note.txt"
    doc.write_text("The CQC inspected the trust.", encoding="utf-8")
    for command in ("extract", "glossary", "cooccur"):
        one_line_error(hostile(command, str(doc), "-o", str(doc)), 2, str(doc), "is also an input")
        assert doc.read_text(encoding="utf-8") == "The CQC inspected the trust."


def test_an_output_in_an_input_folder_is_refused_only_where_it_would_be_read(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.txt").write_text("The CQC inspected the trust.", encoding="utf-8")
    # an existing document, or a new file the next run (or this one) would read: refused
    for name in ("note.txt", "summary.txt"):
        one_line_error(hostile("extract", str(docs), "-o", str(docs / name)), 2, "input folder")
    one_line_error(hostile("extract", str(docs), "--glob", "*", "-o", str(docs / "out.json")), 2, "input folder")
    assert sorted(p.name for p in docs.iterdir()) == ["note.txt"]
    # a name the globs do not read is a normal output
    result = hostile("extract", str(docs), "-f", "json", "-o", str(docs / "entities.json"))
    assert result.returncode == 0, result.stderr
    assert json.loads((docs / "entities.json").read_text(encoding="utf-8"))[0]["id"] == "body:care-quality-commission"


def test_cooccur_output_over_its_saved_mentions_is_refused(tmp_path):
    saved = tmp_path / "mentions.jsonl"
    saved.write_bytes(hostile("extract", str(SEED), "--mentions", "-f", "jsonl").stdout)
    before = saved.read_bytes()
    one_line_error(hostile("cooccur", "--from-mentions", str(saved), "-o", str(saved)), 2, "is also an input")
    assert saved.read_bytes() == before


def test_saved_text_never_lands_where_it_is_read_or_over_its_source(tmp_path):
    docs = corpus(tmp_path / "docs")
    one_line_error(hostile("extract", str(docs), "--save-text", str(docs / "text")), 2, "input folder")
    assert not (docs / "text").exists()
    note = tmp_path / "note.md"
    note.write_text("# Notes\n\nThe CQC inspected the trust.\n", encoding="utf-8")
    result = hostile("extract", "note.md", "--save-text", ".", cwd=tmp_path)
    one_line_error(result, 2, "over note.md itself")
    assert note.read_text(encoding="utf-8").startswith("# Notes")
    # a name climbing out of the folder is kept inside it
    (tmp_path / "sub").mkdir()
    result = hostile("extract", "../note.md", "--save-text", "saved", "-f", "json", cwd=tmp_path / "sub")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "sub" / "saved").iterdir()] == ["note.md"]


def test_saved_mentions_of_the_wrong_shape_are_reported_line_by_line(tmp_path):
    saved = tmp_path / "mentions.jsonl"
    good = hostile("extract", str(SEED), "--mentions", "-f", "jsonl").stdout
    saved.write_bytes(
        b'[1, 2]\n"text"\n\xff\xfe not UTF-8\n'
        b'{"doc": "a", "label": "BODY", "canonical": "X", "sentence": [1], "paragraph": 0}\n' + good
    )
    result = hostile("cooccur", "--from-mentions", str(saved), "-f", "json")
    assert result.returncode == 1 and "Traceback" not in result.stderr.decode()
    assert [line.split(":")[1] for line in result.stderr.decode().splitlines()] == ["1", "2", "3", "4"]
    (tmp_path / "good.jsonl").write_bytes(good)
    assert json.loads(result.stdout) == json.loads(
        hostile("cooccur", "--from-mentions", str(tmp_path / "good.jsonl"), "-f", "json").stdout
    )


# --- 5. a full disk ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KB tmpfs (root only; skipped where it cannot be mounted)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_under_the_output_keeps_the_old_file(tmp_path, small_disk):
    docs = corpus(tmp_path / "docs", copies=3)
    target = small_disk / "mentions.jsonl"
    target.write_text("old\n", encoding="utf-8")
    result = hostile("extract", str(docs), "--mentions", "-f", "jsonl", "-o", str(target))
    one_line_error(result, 1, f"{target}: No space left on device")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in small_disk.iterdir()] == ["mentions.jsonl"]


def test_a_full_disk_under_saved_text_is_one_line(tmp_path, small_disk):
    docs = corpus(tmp_path / "docs", copies=3)
    result = hostile("extract", str(docs), "-f", "json", "--save-text", str(small_disk / "text"))
    line = one_line_error(result, 1, "No space left on device")
    assert line.startswith(f"Error: {small_disk / 'text'}/")
    assert not [p for p in (small_disk / "text").iterdir() if p.name.startswith(".")]  # no temporary file left


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_full_standard_output_is_one_line(fmt):
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "nhsx", "extract", "seeds", "-f", fmt],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=REPO,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            timeout=300,
            preexec_fn=lambda: _limit(*HOSTILE_LIMITS),
        )
    one_line_error(result, 1, "standard output: No space left on device")


# --- 6. a closed pipe ----------------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("bash"), reason="needs bash")
def test_a_closed_pipe_ends_quietly_with_0():
    command = f"set -o pipefail; {sys.executable} -m nhsx extract seeds --mentions -f jsonl | head -1"
    result = subprocess.run(["bash", "-c", command], capture_output=True, cwd=REPO, timeout=300)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 1
    assert result.stderr == b""


# --- 3. file names -------------------------------------------------------------------------------


@pytest.fixture
def odd_names(tmp_path) -> Path:
    """Good documents whose names are not UTF-8 or hold a newline, one good name, and an unreadable
    file whose name holds a newline and a would-be second error line."""
    folder = tmp_path / "names"
    folder.mkdir()
    text = SEED.read_bytes()
    for name in (b"bad\xffname.txt", b"two\nlines.txt", b"good.txt"):
        (folder / os.fsdecode(name)).write_bytes(text)
    (folder / os.fsdecode(b"x\nError: forged.txt")).write_bytes(NUL_FILE)
    return folder


ODD = [os.fsdecode(b"bad\xffname.txt"), "two\nlines.txt", "good.txt"]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_odd_file_names_are_written_safely_in_every_mentions_format(odd_names, fmt, seed_mentions):
    result = hostile("extract", str(odd_names), "--mentions", "-f", fmt)
    one_line_error(result, 1, "x\\nError: forged.txt: binary file")  # the newline escaped: no forged line
    out = result.stdout.decode("utf-8")
    if fmt == "table":
        assert "\\udcff" in out and "good.txt" in out and out.count("CQC") >= 3  # narrow columns fold long names
        return
    if fmt == "json":
        rows = json.loads(out)
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
    # JSON keeps the exact name ('\udcff' reads back as the file's byte 0xff); CSV shows it escaped
    names = ODD if fmt != "csv" else ["bad\\udcffname.txt", *ODD[1:]]
    found = [(str(r["start"]), str(r["end"]), r["id"] or None) for r in rows]  # CSV writes None as ""
    for name in names:
        assert sorted(found[i] for i, r in enumerate(rows) if r["doc"] == name) == sorted(
            (str(start), str(end), id_) for _, start, end, id_ in seed_mentions
        )


def test_odd_file_names_in_a_per_document_glossary(odd_names):
    for fmt in ("csv", "json", "markdown", "table"):
        result = hostile("glossary", str(odd_names), "--per-doc", "-f", fmt)
        one_line_error(result, 1, "x\\nError: forged.txt")
    docs = {entry["doc"] for entry in json.loads(hostile("glossary", str(odd_names), "--per-doc", "-f", "json").stdout)}
    assert docs == set(ODD)


def test_a_strict_stop_names_the_file_on_one_line(odd_names):
    result = hostile("extract", str(odd_names), "--strict", "-f", "json")
    one_line_error(result, 1, "x\\nError: forged.txt", "--strict")


# --- 7. two runs, one output ---------------------------------------------------------------------


def test_two_runs_writing_one_output_leave_one_whole_output(tmp_path):
    docs = corpus(tmp_path / "docs", copies=20)
    target = tmp_path / "mentions.jsonl"
    args = ["extract", str(docs), "--mentions", "-f", "jsonl", "--workers", "1", "-o", str(target)]
    runs = [start(*args) for _ in range(2)]
    for run in runs:
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 1 and stderr.decode().strip() == "broken.txt: binary file (contains NUL bytes)"
    expected = hostile(*args[:-2]).stdout
    assert target.read_bytes() == expected and len(expected.splitlines()) > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mentions.jsonl"]


def start(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
    """The CLI started in the background (for what run_nhsx cannot do: signals, runs at once)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "OPENBLAS_NUM_THREADS": "1", **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "nhsx", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=env,
        preexec_fn=lambda: _limit(*HOSTILE_LIMITS),
        **kwargs,
    )


# --- 2. Ctrl-C and SIGTERM -----------------------------------------------------------------------


def children(pid: int) -> list[int]:
    with contextlib.suppress(OSError):
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return []


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_a_parallel_run_ends_it_quietly_and_keeps_the_old_output(tmp_path, signum):
    docs = corpus(tmp_path / "docs", copies=300)
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")
    run = start("extract", str(docs), "--workers", "2", "-f", "json", "-o", str(target), start_new_session=True)
    deadline = time.monotonic() + 120
    while len(workers := children(run.pid)) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers never started"
    time.sleep(1)  # well inside the run: 2100 documents take several seconds
    assert run.poll() is None, "the run ended before the signal"
    if signum == signal.SIGINT:
        os.killpg(run.pid, signum)  # Ctrl-C: the terminal signals the whole process group
    else:
        run.send_signal(signum)  # `kill`: the parent alone, which must stop its workers
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 128 + signum
    assert stderr.decode() == ("nhsx: interrupted\n" if signum == signal.SIGINT else "nhsx: terminated\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "out.json"]
    time.sleep(0.5)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "a worker outlived the run"


# --- 8. the compiled-gazetteer cache -------------------------------------------------------------


def cache_files(folder: Path) -> dict[str, Path]:
    return {kind: path for kind in ("gazetteer", "cues") for path in folder.glob(f"{kind}-*.json")}


def sound(path: Path) -> bool:
    header, _, body = path.read_bytes().partition(b"\n")
    fields = json.loads(header)
    return fields["format"] == cache.FORMAT and fields["sha256"] == hashlib.sha256(body).hexdigest()


def rebuilt_header(path: Path, body: bytes, **changes) -> bytes:
    fields = {
        **json.loads(path.read_bytes().partition(b"\n")[0]),
        "sha256": hashlib.sha256(body).hexdigest(),
        **changes,
    }
    return json.dumps(fields).encode() + b"\n" + body


EMPTY_GAZETTEER = b'{"entries":[],"problems":[],"names":[],"exact":[]}'  # valid JSON, no names: no matches
CORRUPTIONS = {  # (kind, path, content) -> new content, or None to leave that file alone
    "truncated": lambda kind, path, data: data[: len(data) // 2],
    "empty": lambda kind, path, data: b"",
    "plain JSON without names": lambda kind, path, data: EMPTY_GAZETTEER if kind == "gazetteer" else None,
    "edited body": lambda kind, path, data: data.partition(b"\n")[0] + b'\n{"entries":5}',
    "other version": lambda kind, path, data: rebuilt_header(path, data.partition(b"\n")[2], format=cache.FORMAT - 1),
    "checked but not a mapping": lambda kind, path, data: rebuilt_header(path, b"[]"),
    "another key's file": lambda kind, path, data: rebuilt_header(path, data.partition(b"\n")[2], key="0" * 32),
}


@pytest.mark.parametrize("how", list(CORRUPTIONS))
def test_a_corrupt_cache_is_rebuilt_and_the_mentions_stay(tmp_path, how, seed_mentions):
    env = {"NHSX_CACHE_DIR": str(tmp_path / "cache")}
    args = ("extract", str(SEED), "--mentions", "-f", "jsonl")
    assert mention_rows(hostile(*args, env=env).stdout) == seed_mentions
    files = cache_files(tmp_path / "cache")
    assert set(files) == {"gazetteer", "cues"}
    for kind, path in files.items():
        corrupted = CORRUPTIONS[how](kind, path, path.read_bytes())
        if corrupted is not None:
            path.write_bytes(corrupted)
    result = hostile(*args, env=env)
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    assert mention_rows(result.stdout) == seed_mentions
    assert all(sound(path) for path in files.values())  # rebuilt whole


def test_two_runs_building_the_cache_at_once(tmp_path, seed_mentions):
    env = {"NHSX_CACHE_DIR": str(tmp_path / "cache")}
    runs = [start("extract", str(SEED), "--mentions", "-f", "jsonl", env=env) for _ in range(3)]
    for run in runs:
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr
        assert mention_rows(stdout) == seed_mentions
    files = cache_files(tmp_path / "cache")
    assert set(files) == {"gazetteer", "cues"} and all(sound(p) for p in files.values())
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")] == []


# --- 9. hostile gazetteers -----------------------------------------------------------------------


def alias_bomb(levels: int = 9) -> str:
    """A few hundred bytes that stand for 9**9 (387 million) strings once the aliases are expanded."""
    lines = ['- &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"- &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


HOSTILE_GAZETTEERS = {
    "alias bomb": (alias_bomb(), "values with aliases expanded"),
    "alias bomb in a field": (
        "x: " + alias_bomb().replace("\n- ", ", ").replace("- ", "[", 1).rstrip() + "]\n"
        "entries:\n  - id: body:x\n    label: BODY\n    canonical: X\n    notes: *a9\n",
        "values with aliases expanded",
    ),
    "recursive alias": ("- &a [*a]\n", "inside the node it names"),
    "deep nesting": ("entries: " + "[" * 100 + "]" * 100 + "\n", "levels deep"),
    "python object": ("- !!python/object/apply:os.system ['echo owned']\n", "could not determine a constructor"),
}


@pytest.mark.parametrize("kind", list(HOSTILE_GAZETTEERS))
def test_a_hostile_gazetteer_is_one_problem_line(tmp_path, kind, seed_mentions):
    text, fragment = HOSTILE_GAZETTEERS[kind]
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    validated = hostile("gazetteer", "validate", str(path))
    assert validated.returncode == 1 and "Traceback" not in validated.stderr.decode()
    assert validated.stderr.decode().splitlines()[0].startswith(f"{path}:")
    assert fragment in validated.stderr.decode().splitlines()[0]
    result = hostile("extract", str(SEED), "--gazetteer", str(path), "--mentions", "-f", "jsonl")
    one_line_error(result, 1, f"{path}:", fragment)
    assert mention_rows(result.stdout) == seed_mentions  # the built-ins still work


def test_an_oversized_gazetteer_is_refused_unread(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as stream:
        for i in range(11 * 2**20 // 64):
            stream.write(f"# {i:060d}\n")
    for args in (("gazetteer", "validate", str(path)), ("extract", str(SEED), "--gazetteer", str(path))):
        one_line_error(hostile(*args), 1, str(path), "too large")


def test_a_few_aliases_are_still_fine(tmp_path):
    path = tmp_path / "shared.yaml"
    path.write_text(
        "label: PERSON\nentries:\n"
        "  - id: person:ann-example\n    canonical: Ann Example\n    roles: &board [{role: chair, org: body:nhs-england}]\n"
        "  - id: person:bob-example\n    canonical: Bob Example\n    roles: *board\n",
        encoding="utf-8",
    )
    result = hostile("gazetteer", "validate", str(path))
    assert result.returncode == 0 and result.stderr.decode().strip() == "2 entries, 0 problems"


def test_an_endless_device_as_a_path_is_read_only_up_to_the_size_limit(seed_mentions):
    """/dev/zero never ends: it is read to --max-size and refused, and the good file is still processed."""
    result = hostile("extract", "/dev/zero", str(SEED), "--mentions", "-f", "jsonl", "--max-size", "1")
    one_line_error(result, 1, "/dev/zero: larger than the size limit")
    assert mention_rows(result.stdout) == seed_mentions
