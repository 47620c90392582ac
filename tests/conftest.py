"""Shared fixtures: one default pipeline per test session, paths to the repo and to ../shared."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# The compiled-gazetteer cache of this test session (shared with the CLI subprocesses it starts),
# removed when the session ends.
if "NHSX_CACHE_DIR" not in os.environ:
    _SESSION_CACHE = tempfile.TemporaryDirectory(prefix="nhsx-test-cache-")
    os.environ["NHSX_CACHE_DIR"] = _SESSION_CACHE.name


@pytest.fixture(scope="session")
def nlp():
    from nhsx.nlp.pipeline import build_pipeline

    return build_pipeline()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared is there for developers and CI only: tests that need it skip cleanly without it."""
    if not (SHARED / "eval").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


def spans(nlp, text: str) -> list[tuple[str, str, str]]:
    """(text, label, canonical) of every output mention."""
    doc = nlp(text)
    return [(s.text, s.label_, s.id_) for s in doc.spans["nhsx"]]


def run_nhsx(
    *args: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    limits: tuple[int, int] | None = None,
) -> subprocess.CompletedProcess:
    """The real CLI in a subprocess, as an analyst runs it. ``limits`` = (address-space bytes, CPU seconds)
    runs it under those resource limits, so a blow-up fails loudly instead of swapping."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "OPENBLAS_NUM_THREADS": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "nhsx", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or REPO,
        env=env,
        timeout=300,
        preexec_fn=None if limits is None else (lambda: _limit(*limits)),
    )


HOSTILE_LIMITS = (2 * 2**30, 120)  # 2 GB of address space, two minutes of CPU: what a hostile-input run may use


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
