"""The pipeline a spaCy user would write instead of nhsx (issue 18's peer), as a whole process:

    python bench/peer.py FOLDER OUT.jsonl

spaCy's blank English, the sentencizer, and two EntityRulers holding every name, alias and acronym of
nhsx's installed gazetteers as phrase patterns (names on LOWER, acronyms on ORTH); every file of FOLDER
read as UTF-8, its entities written as JSON Lines. About twenty lines, as a user would write them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import spacy

from nhsx.knowledge.gazetteer import Gazetteer


def peer_pipeline() -> spacy.language.Language:
    entries = list(Gazetteer.load())
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    names = nlp.add_pipe("entity_ruler", name="names", config={"phrase_matcher_attr": "LOWER"})
    acronyms = nlp.add_pipe("entity_ruler", name="acronyms", config={"phrase_matcher_attr": "ORTH"})
    names.add_patterns(  # type: ignore[attr-defined]
        [{"label": e.label, "pattern": name, "id": e.id} for e in entries for name in (e.canonical, *e.aliases)]
    )
    acronyms.add_patterns([{"label": e.label, "pattern": a, "id": e.id} for e in entries for a in e.acronyms])  # type: ignore[attr-defined]
    return nlp


def main(folder: str, out: str) -> None:
    nlp = peer_pipeline()
    files = sorted(Path(folder).glob("*.txt"))
    texts = (f.read_text(encoding="utf-8") for f in files)
    with open(out, "w", encoding="utf-8") as stream:
        for file, doc in zip(files, nlp.pipe(texts, batch_size=64)):
            for ent in doc.ents:
                row = {"doc": file.name, "start": ent.start_char, "end": ent.end_char, "text": ent.text}
                stream.write(json.dumps({**row, "label": ent.label_, "id": ent.ent_id_}) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
