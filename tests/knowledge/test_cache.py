"""The compiled-gazetteer cache: used on the second run, invalidated by any change, never required."""

from __future__ import annotations

import json

import pytest

from conftest import run_nhsx
from nhsx.knowledge import cache
from nhsx.nlp.pipeline import build_pipeline


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("NHSX_CACHE_DIR", str(folder))
    monkeypatch.delenv("NHSX_NO_CACHE", raising=False)
    return folder


def user_gazetteer(tmp_path, name: str):
    path = tmp_path / "local.yaml"
    path.write_text(f"label: BODY\nentries:\n  - id: body:local\n    canonical: {name}\n", encoding="utf-8")
    return path


def mentions(nlp, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(s.text, s.id_) for s in doc.spans["nhsx"]]


def test_second_pipeline_loads_from_the_cache_and_matches_the_same(cache_in, tmp_path):
    extra = user_gazetteer(tmp_path, "Brightwater Health")
    first = build_pipeline([extra])
    text = "Brightwater Health and NHS England met the ICB."
    expected = mentions(first, text)
    assert len(list(cache_in.glob("gazetteer-*.json"))) == 1
    second = build_pipeline([extra])
    assert mentions(second, text) == expected
    assert second.get_pipe("nhsx_gazetteer")._indexes is not None  # filled from the cache, not compiled


def test_a_changed_gazetteer_file_is_a_new_key(cache_in, tmp_path):
    extra = user_gazetteer(tmp_path, "Brightwater Health")
    assert mentions(build_pipeline([extra]), "Brightwater Health met.") == [
        ("Brightwater Health", "Brightwater Health")
    ]
    extra.write_text(extra.read_text(encoding="utf-8").replace("Brightwater", "Greywater"), encoding="utf-8")
    assert mentions(build_pipeline([extra]), "Greywater Health met.") == [("Greywater Health", "Greywater Health")]
    assert len(list(cache_in.glob("gazetteer-*.json"))) == 2


def test_a_corrupt_cache_file_is_rebuilt(cache_in, tmp_path):
    extra = user_gazetteer(tmp_path, "Brightwater Health")
    _ = build_pipeline([extra]).get_pipe("nhsx_gazetteer").entries
    (path,) = cache_in.glob("gazetteer-*.json")
    path.write_text("{not json", encoding="utf-8")
    assert mentions(build_pipeline([extra]), "Brightwater Health met.") == [
        ("Brightwater Health", "Brightwater Health")
    ]
    header, body = path.read_text(encoding="utf-8").split("\n", 1)  # the header line, then the data
    assert json.loads(header)["format"] == cache.FORMAT and json.loads(body)["entries"]


def test_cache_can_be_switched_off(monkeypatch, tmp_path):
    monkeypatch.setenv("NHSX_NO_CACHE", "1")
    assert cache.cache_dir() is None
    cache.save("k", {"x": 1})  # does nothing, raises nothing
    assert cache.load("k") is None


def test_unwritable_cache_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = run_nhsx("extract", "seeds/07-regulation.txt", "-f", "json", env={"NHSX_CACHE_DIR": str(blocker / "sub")})
    assert result.returncode == 0 and json.loads(result.stdout)
