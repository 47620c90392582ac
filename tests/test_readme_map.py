"""The README's map of the packages ("Where things are") names modules and names that exist, so it
cannot drift from the code: every path it gives is a file or folder under src/, every ``*.py`` a row
names lies in that row's package, and every name a "Where to add" line gives is defined where it says."""

from __future__ import annotations

import importlib
import re

import pytest

from conftest import REPO

SRC = REPO / "src"


def section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("### Where things are")
    end = text.find("\n## ", start)
    return text[start : end if end > 0 else len(text)]


def code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def table_rows() -> list[tuple[str, str]]:
    rows = re.findall(r"^\| `(nhsx/[^`]+)` \| (.+) \|$", section(), re.M)
    assert len(rows) >= 8, "the map lists every package"
    return rows


def module_of(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/").replace("/", ".")


@pytest.mark.parametrize("package,job", table_rows(), ids=lambda value: value[:20])
def test_every_file_a_row_names_lies_in_its_package(package: str, job: str) -> None:
    root = SRC / package
    assert root.exists(), package
    where = root if root.is_dir() else root.parent
    for name in code_spans(job):
        if name.endswith(".py") or name.endswith("/"):
            found = list(where.rglob(name.rstrip("/"))) if "/" not in name.rstrip("/") else [where / name]
            assert found and all(f.exists() for f in found), f"{package}: {name} is not in the package"


def test_every_package_under_src_is_on_the_map() -> None:
    mapped = {package.rstrip("/") for package, _ in table_rows()}
    packages = {f"nhsx/{p.name}" for p in (SRC / "nhsx").iterdir() if (p / "__init__.py").exists()}
    assert packages <= mapped


def where_to_add() -> list[str]:
    text = section()
    lines = text[text.index("Where to add:") :].split("\n- ")[1:]
    assert len(lines) >= 4
    return [" ".join(line.split()) for line in lines]


@pytest.mark.parametrize("line", where_to_add(), ids=lambda line: line.split("**")[1])
def test_every_name_a_where_to_add_line_gives_is_defined_where_it_says(line: str) -> None:
    spans = code_spans(line)
    modules = [importlib.import_module(module_of(s)) for s in spans if s.startswith("nhsx/") and s.endswith(".py")]
    for span in spans:
        if span.startswith("nhsx.") and "/" not in span:  # a dotted name: module.attribute
            module, _, name = span.rpartition(".")
            assert hasattr(importlib.import_module(module), name), span
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", span):
            assert any(hasattr(m, span) for m in modules), f"{span} is not defined in {[m.__name__ for m in modules]}"
