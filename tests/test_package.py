"""Packaging: a wheel built from a clean clone carries the gazetteers and finds them when installed elsewhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    work = tmp_path_factory.mktemp("wheel")
    clone = work / "clone"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{REPO}", str(clone)], check=True)
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(clone)],
        check=True,
        capture_output=True,
    )
    (built,) = (work / "dist").glob("nhsx-*.whl")
    return built


def test_wheel_contains_gazetteers_and_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for required in ("nhsx/gazetteers/bodies.yaml", "nhsx/gazetteers/people.yaml", "nhsx/data/person_cues.yaml"):
        assert required in names


def test_installed_wheel_finds_its_gazetteers(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
    )
    script = (
        "import nhsx.knowledge.gazetteer as g\n"
        "d = g.builtin_dir()\n"
        f"assert str(d).startswith({str(target)!r}), d\n"
        "gaz = g.Gazetteer.load()\n"
        "assert not gaz.problems and len(gaz) > 1000, (gaz.problems[:3], len(gaz))\n"
        "import nhsx\n"
        "print(sorted({m.canonical for m in nhsx.extract(text='The CQC and NHS England.')}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['Care Quality Commission', 'NHS England']"
