"""CI runs the README's set-up lines exactly as written: .ci/run reads them from the README."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from conftest import REPO

CI = REPO / ".ci"


@pytest.fixture(scope="module")
def setup_lines() -> list[str]:
    if not (CI / "readme_commands.py").is_file():
        pytest.skip(".ci/ is not in this copy (an sdist)")
    module = runpy.run_path(str(CI / "readme_commands.py"))
    return module["setup_lines"]((REPO / "README.md").read_text("utf-8"))


def test_readme_quick_start_has_the_install_and_the_test_line(setup_lines):
    assert len(setup_lines) == 2
    install, test = setup_lines
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install . ")
    assert '.venv/bin/pip install ".[test,plot,dask]"' in test and test.endswith(".venv/bin/python -m pytest -q")


def test_ci_runs_the_readme_lines_and_installs_nothing_else(setup_lines):
    script = (CI / "run").read_text("utf-8")
    assert "readme_commands.py README.md" in script
    assert "pip install" not in script and "--upgrade" not in script


def test_a_readme_without_quick_start_is_an_error():
    module = runpy.run_path(str(CI / "readme_commands.py"))
    with pytest.raises(SystemExit, match="Quick start"):
        module["setup_lines"]("# nhsx\n\nno set-up here\n")
