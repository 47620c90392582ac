"""CI runs the README's set-up lines exactly as written: .ci/run holds them, and this keeps the two equal."""

from __future__ import annotations

import runpy

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


def test_ci_runs_the_readme_lines_exactly_and_installs_nothing_else(setup_lines):
    """Each README line stands in .ci/run as written, and .ci/run has no other pip install."""
    script = (CI / "run").read_text("utf-8").splitlines()
    assert all(line in script for line in setup_lines)
    others = [line for line in script if line not in setup_lines]
    assert not any("pip install" in line or "--upgrade" in line for line in others)


def test_a_readme_without_quick_start_is_an_error():
    module = runpy.run_path(str(CI / "readme_commands.py"))
    with pytest.raises(SystemExit, match="Quick start"):
        module["setup_lines"]("# nhsx\n\nno set-up here\n")
