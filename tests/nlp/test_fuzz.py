"""Random input never crashes the loader, the reader or the pipeline, and offsets stay valid."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from nhsx.knowledge.gazetteer import load_file
from nhsx.read.files import read_documents
from nhsx.run.process import mentions_from_doc

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
entry_like = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=12),
        "label": st.sampled_from(["BODY", "POLICY", "TERM", "X", ""]),
        "canonical": st.text(max_size=12),
        "aliases": yaml_values,
        "acronyms": yaml_values,
        "valid_from": st.text(max_size=12),
        "roles": yaml_values,
        "plural": yaml_values,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    document=st.one_of(
        yaml_values, st.fixed_dictionaries({"label": yaml_values, "entries": st.lists(entry_like, max_size=4)})
    )
)
def test_any_yaml_loads_as_entries_or_problems(tmp_path, document):
    path = tmp_path / "g.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    entries, problems = load_file(path)
    assert all(p.file == str(path) and p.message for p in problems)
    assert all(e.id and e.canonical and e.label for e in entries)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_are_a_document_or_one_read_error(tmp_path, data):
    (tmp_path / "f.txt").write_bytes(data)
    (item,) = read_documents([str(tmp_path / "f.txt")])
    assert hasattr(item, "text") or ("\n" not in str(item) and str(item).startswith(str(tmp_path / "f.txt")))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_any_text_gives_valid_offsets(nlp, text):
    for m in mentions_from_doc(nlp(text), "d"):
        assert text[m.start : m.end] == m.text


def test_ctrl_c_exits_130_without_a_traceback(tmp_path):
    for i in range(400):
        (tmp_path / f"{i}.txt").write_text("NHS England met the CQC. " * 400, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "nhsx", "extract", str(tmp_path), "--workers", "1", "-f", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    time.sleep(2.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"Traceback" not in stderr and stderr.decode().strip().endswith("nhsx: interrupted")
