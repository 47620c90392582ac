"""Speed and memory benchmark for nhsx (a script, not a test): prints a table, writes JSON.

    python bench/bench.py [--words 2000000] [--repeats 3] [--out bench/results.json] [--baseline PYTHON]

The corpus is built by sampling and recombining paragraphs of seeds/, so it reads like the real thing.
It measures, in one run: (a) spaCy's blank English tokenizer alone, (b) nhsx with one worker, (c) with
two workers, one worker plus sentence co-occurrence, one worker without the ODS organisations, and the
whole command (`nhsx extract DIR --mentions -f jsonl -o FILE`, reading and writing files included) with
one and two workers, (d) peak resident memory of `nhsx extract` on 200 and on 2,000 documents,
(e) start-up of `nhsx --help` and of `nhsx extract` on one small file, (f) `nhsx report` of 1,000
documents against `nhsx extract` of the same folder, and the page's opening in headless Chromium
(`--report-only` runs just this), and (g) the pipeline a spaCy user would write instead (bench/peer.py: the
sentencizer and two EntityRulers of nhsx's names) as a whole process on the same files. A floor is measured too: the
tokenizer plus only building one spaCy Span and one Mention record per mention nhsx finds, the least
any Python pipeline returning these records must do on this corpus.
Every figure is the median of the repeats; ratios compare figures measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import spacy
from spacy.tokens import Span

from nhsx.analyse.cooccur import Cooccurrence
from nhsx.knowledge.gazetteer import builtin_dir, gazetteer_files
from nhsx.nlp.pipeline import build_pipeline
from nhsx.records import Document, Mention
from nhsx.run.parallel import process_parallel

ROOT = Path(__file__).resolve().parents[1]
PARAGRAPHS_PER_DOC = 12


def build_corpus(words: int, seed: int = 7) -> list[str]:
    paragraphs = [
        p.strip()
        for f in sorted((ROOT / "seeds").glob("*.*"))
        if f.suffix in (".txt", ".md")  # not seeds/dates.csv
        for p in f.read_text(encoding="utf-8").split("\n\n")
    ]
    paragraphs = [p for p in paragraphs if len(p.split()) > 5]
    rng = random.Random(seed)
    docs, total = [], 0
    while total < words:
        doc = "\n\n".join(rng.choice(paragraphs) for _ in range(PARAGRAPHS_PER_DOC))
        docs.append(doc)
        total += len(doc.split())
    return docs


def build_corpus_docs(count: int, seed: int = 11) -> list[str]:
    """Exactly ``count`` recombined documents (for the memory runs)."""
    docs = build_corpus(count * 700, seed)
    while len(docs) < count:
        docs += build_corpus(700, seed + len(docs))
    return docs[:count]


def median_seconds(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def consume(nlp, docs: list[str]) -> None:
    for _ in nlp.pipe(docs, batch_size=64):
        pass


def consume_workers(nlp, docs: list[str], workers: int, cooccurrence: bool = False) -> None:
    items = (Document(f"{i}.txt", text) for i, text in enumerate(docs))
    table = Cooccurrence("sentence")
    for result in process_parallel(nlp, items, workers):
        if cooccurrence:
            table.add_document(result.mentions)
    if cooccurrence:
        table.pairs()


def found_spans(nlp, docs: list[str]) -> list[list[tuple[int, int, str]]]:
    """(token start, token end, label) of each document's mentions, for the floor run."""
    return [[(s.start, s.end, s.label_) for s in doc.spans["nhsx"]] for doc in nlp.pipe(docs, batch_size=64)]


def floor_run(tokenizer_nlp, docs: list[str], spans: list[list[tuple[int, int, str]]]) -> None:
    """Tokenise, then build one Span and one Mention per known mention: no matching at all."""
    for number, (doc, found) in enumerate(zip(tokenizer_nlp.pipe(docs, batch_size=64), spans)):
        for start, end, label in found:
            span = Span(doc, start, end, label=label)
            Mention(
                str(number), span.start_char, span.end_char, span.text, label, span.text, None, False, 0, 0, "gazetteer"
            )


def command_seconds(args: list[str], repeats: int) -> float:
    return median_seconds(lambda: subprocess.run(args, check=True, capture_output=True), repeats)


# The peak of this process alone: VmHWM belongs to the address space exec created. (ru_maxrss would
# also count the copy of the benchmark process the child was forked from, before exec.)
PEAK_MEMORY = """
import re, resource, sys
from nhsx.cli import main
sys.argv = ["nhsx", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
try:
    with open("/proc/self/status") as status:
        kib = int(re.search(r"VmHWM:\\s*(\\d+) kB", status.read()).group(1))
except OSError:
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(kib, file=sys.stderr)
"""


def peak_memory_mib(folder: Path) -> float:
    """Peak resident memory of one `nhsx extract` run over ``folder`` (one worker, output discarded)."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, "extract", str(folder), "--mentions", "-f", "jsonl", "--workers", "1"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stderr.strip().splitlines()[-1]) / 1024


def write_corpus(docs: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(docs):
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
    return folder


WHOLE_COMMAND = "nhsx extract (whole command, files in and out), 1 worker"
BASELINE = "baseline build: nhsx extract (whole command, files in and out), 1 worker"
PEER = "peer: blank English + sentencizer + two EntityRulers of nhsx's names (whole process, files in and out)"


def extract_command(python: str, corpus_dir: Path, workers: int) -> list[str]:
    return [
        python,
        "-m",
        "nhsx",
        "extract",
        str(corpus_dir),
        "--mentions",
        "-f",
        "jsonl",
        "-o",
        str(corpus_dir.parent / "out.jsonl"),
        "--workers",
        str(workers),
    ]


def throughput_runs(
    docs: list[str], corpus_dir: Path, baseline: str | None = None
) -> tuple[dict[str, Callable[[], object]], int]:
    """The timed runs, by name (the tokenizer first: every ratio is to it), and the mentions found."""
    tokenizer = spacy.blank("en")
    nlp = build_pipeline()
    without_ods = build_pipeline([p for p in gazetteer_files([builtin_dir()]) if "ods" not in p.parts], builtins=False)
    for pipeline in (tokenizer, nlp, without_ods):
        pipeline("warm up")
    spans = found_spans(nlp, docs)
    runs: dict[str, Callable[[], object]] = {
        "tokenizer only (blank English)": lambda: consume(tokenizer, docs),
        "nhsx, one worker": lambda: consume_workers(nlp, docs, 1),
        "nhsx, two workers": lambda: consume_workers(nlp, docs, 2),
        "nhsx, one worker, plus sentence co-occurrence": lambda: consume_workers(nlp, docs, 1, cooccurrence=True),
        "nhsx, one worker, without the ODS organisations": lambda: consume_workers(without_ods, docs, 1),
        "floor: tokenizer + one Span and one Mention per mention": lambda: floor_run(tokenizer, docs, spans),
    }
    for workers in (1, 2):
        command = extract_command(sys.executable, corpus_dir, workers)
        name = f"nhsx extract (whole command, files in and out), {workers} worker{'s' if workers > 1 else ''}"
        runs[name] = lambda command=command: subprocess.run(command, check=True, capture_output=True)
    peer = [sys.executable, str(ROOT / "bench" / "peer.py"), str(corpus_dir), str(corpus_dir.parent / "peer.jsonl")]
    runs[PEER] = lambda: subprocess.run(peer, check=True, capture_output=True)
    if baseline:  # another build's Python (a venv of an earlier commit), timed in the same run
        command = extract_command(baseline, corpus_dir, 1)
        runs[BASELINE] = lambda: subprocess.run(command, check=True, capture_output=True)
    return runs, sum(map(len, spans))


def measure_throughput(runs: dict[str, Callable[[], object]], words: int, repeats: int) -> list[dict]:
    rows = []
    for name, run in runs.items():
        seconds = median_seconds(run, repeats)
        rows.append({"what": name, "seconds": round(seconds, 3), "words_per_second": round(words / seconds)})
    for row in rows:
        row["ratio_to_tokenizer"] = round(row["words_per_second"] / rows[0]["words_per_second"], 3)
    return rows


def measure_memory(tmp: Path) -> dict[str, float]:
    return {
        f"{n} documents": round(peak_memory_mib(write_corpus(build_corpus_docs(n), tmp / str(n))), 1)
        for n in (200, 2000)
    }


def measure_startup(repeats: int) -> dict[str, float]:
    small = ROOT / "seeds" / "07-regulation.txt"
    startup = {
        "nhsx --help": command_seconds([sys.executable, "-m", "nhsx", "--help"], repeats),
        "nhsx extract one small file": command_seconds(
            [sys.executable, "-m", "nhsx", "extract", str(small), "-f", "json"], repeats
        ),
    }
    return {k: round(v, 3) for k, v in startup.items()}


CHROMIUM = (
    "chromium",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def measure_report(tmp: Path, repeats: int) -> dict[str, float]:
    """`nhsx report` of 1,000 documents against `nhsx extract` of the same folder, and the page's opening
    in headless Chromium (when it is installed)."""
    folder = write_corpus(build_corpus_docs(1000), tmp / "report-corpus")
    page = tmp / "report.html"
    figures = {
        "nhsx extract, 1,000 documents": command_seconds(
            [sys.executable, "-m", "nhsx", "extract", str(folder), "-o", str(tmp / "entities.json")], repeats
        ),
        "nhsx report, 1,000 documents": command_seconds(
            [sys.executable, "-m", "nhsx", "report", str(folder), "-o", str(page)], repeats
        ),
    }
    if shutil.which("chromium"):
        profile = tmp / "chromium-profile"
        figures["the report opened in headless Chromium (--dump-dom)"] = command_seconds(
            [*CHROMIUM, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()], repeats
        )
    figures = {k: round(v, 3) for k, v in figures.items()}
    figures["report / extract"] = round(
        figures["nhsx report, 1,000 documents"] / figures["nhsx extract, 1,000 documents"], 2
    )
    return figures


def words_per_second(rows: list[dict], what: str) -> int:
    return next(r for r in rows if r["what"] == what)["words_per_second"]


def print_result(result: dict) -> None:
    print(
        f"{result['documents']} documents, {result['words']:,} words, {result['mentions_per_1000_words']} mentions"
        f" per 1,000 words, median of {result['repeats']} runs ({result['machine']})"
    )
    print(f"{'what':<72} {'words/s':>12} {'ratio':>7}")
    for row in result["throughput"]:
        print(f"{row['what']:<72} {row['words_per_second']:>12,} {row['ratio_to_tokenizer']:>7.3f}")
    print(f"{'two workers / one worker':<72} {result['two_workers_speed_up']:>12.2f}")
    print(f"{'nhsx extract / the EntityRuler peer (whole process, 1 worker)':<72} {result['speed_to_peer']:>12.3f}")
    if "speed_to_baseline" in result:
        print(f"{'this build / baseline build (whole command, 1 worker)':<72} {result['speed_to_baseline']:>12.3f}")
    for name, mib in result["peak_memory_mib"].items():
        print(f"{'peak memory, ' + name:<72} {mib:>10.1f} MiB")
    for name, seconds in result["startup_seconds"].items():
        print(f"{name:<72} {seconds:>11.3f}s")
    for name, figure in result["report_seconds"].items():
        print(f"{name:<72} {figure:>12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument(
        "--baseline",
        metavar="PYTHON",
        help="also time the whole command with another build's Python (e.g. a venv of an earlier commit)",
    )
    parser.add_argument("--report-only", action="store_true", help="only time `nhsx report` against `nhsx extract`")
    args = parser.parse_args()
    if args.report_only:
        with tempfile.TemporaryDirectory(prefix="nhsx-bench-") as tmp:
            for name, figure in measure_report(Path(tmp), args.repeats).items():
                print(f"{name:<72} {figure:>10}")
        return

    docs = build_corpus(args.words)
    words = sum(len(d.split()) for d in docs)
    with tempfile.TemporaryDirectory(prefix="nhsx-bench-") as tmp:
        runs, mentions = throughput_runs(docs, write_corpus(docs, Path(tmp) / "corpus"), args.baseline)
        rows = measure_throughput(runs, words, args.repeats)
        memory = measure_memory(Path(tmp))
        report = measure_report(Path(tmp), args.repeats)
    one, two = words_per_second(rows, "nhsx, one worker"), words_per_second(rows, "nhsx, two workers")
    result = {
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}, "
        f"spaCy {spacy.__version__}, {os.cpu_count()} cores",
        "documents": len(docs),
        "words": words,
        "mentions_per_1000_words": round(1000 * mentions / words, 1),
        "repeats": args.repeats,
        "throughput": rows,
        "two_workers_speed_up": round(two / one, 2),
        "speed_to_peer": round(words_per_second(rows, WHOLE_COMMAND) / words_per_second(rows, PEER), 3),
        "peak_memory_mib": memory,
        "startup_seconds": measure_startup(args.repeats),
        "report_seconds": report,
    }
    if args.baseline:
        result["speed_to_baseline"] = round(words_per_second(rows, WHOLE_COMMAND) / words_per_second(rows, BASELINE), 3)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print_result(result)


if __name__ == "__main__":
    main()
