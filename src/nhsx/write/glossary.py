"""Glossaries as a ready-to-paste Markdown table, or as a gazetteer file to review and feed back."""

from __future__ import annotations

import re
from typing import IO, Sequence

from nhsx.analyse.glossary import GlossaryEntry


def slug(acronym: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", acronym.lower()).strip("-") or "x"


def write_gazetteer_yaml(entries: Sequence[GlossaryEntry], stream: IO[str]) -> None:
    """The glossary as a gazetteer file (label TERM) to review and feed back with --gazetteer."""
    import yaml

    known = [e for e in entries if e.expansion]
    body = {
        "label": "TERM",
        "entries": [
            {
                "id": f"term:{slug(e.acronym)}",
                "canonical": e.expansion,
                "acronyms": [e.acronym],
                "expansion": e.expansion,
                "notes": f"{e.source}: used {e.count} times in {e.docs} documents",
            }
            for e in known
        ],
    }
    unknown = sorted({e.acronym for e in entries if not e.expansion})
    header = "# Glossary written by `nhsx glossary -f yaml`: review the expansions before using it as a gazetteer.\n"
    if unknown:
        header += f"# Used but not defined anywhere (add them by hand): {', '.join(unknown)}\n"
    stream.write(header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=120))


def write_markdown(entries: Sequence[GlossaryEntry], stream: IO[str]) -> None:
    """A ready-to-paste two-column glossary, alphabetical."""
    lines = ["| Acronym | Meaning |", "| --- | --- |"]
    for entry in entries:
        meaning = (entry.expansion or "(not defined)").replace("|", "\\|")
        lines.append(f"| {entry.acronym} | {meaning} |")
    stream.write("\n".join(lines) + "\n")
