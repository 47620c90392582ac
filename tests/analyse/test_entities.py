"""Entity counts over documents: mentions, documents, forms and a stable order."""

from __future__ import annotations

from nhsx.analyse.entities import EntityTable, entity_key
from nhsx.records import Mention


def mention(text: str, label: str = "BODY", canonical: str = "", entry_id: str | None = None) -> Mention:
    return Mention("d.txt", 0, len(text), text, label, canonical or text, entry_id, False, 0, 0, "gazetteer")


def table(*documents: list[Mention]) -> list[dict]:
    result = EntityTable()
    for mentions in documents:
        result.add_document(mentions)
    return [row.to_dict() for row in result.rows()]


NHSE = {"label": "BODY", "canonical": "NHS England", "entry_id": "body:nhs-england"}


def test_a_document_counts_once_however_often_it_mentions_an_entity():
    (row,) = table([mention("NHS England", **NHSE), mention("NHSE", **NHSE), mention("NHSE", **NHSE)])
    assert (row["mentions"], row["documents"]) == (3, 1)


def test_mentions_and_documents_add_up_over_documents():
    (row,) = table([mention("NHSE", **NHSE)] * 2, [], [mention("NHS England", **NHSE)])
    assert (row["mentions"], row["documents"]) == (3, 2)


def test_forms_are_listed_most_frequent_first():
    (row,) = table([mention("NHS England", **NHSE), mention("NHSE", **NHSE)], [mention("NHSE", **NHSE)])
    assert row["forms"] == ["NHSE", "NHS England"]


def test_same_id_groups_different_canonicals_under_the_first():
    (row,) = table(
        [mention("NHS England", **NHSE), mention("NHSCB", "BODY", "NHS Commissioning Board", "body:nhs-england")]
    )
    assert (row["canonical"], row["id"], row["mentions"]) == ("NHS England", "body:nhs-england", 2)


def test_without_an_id_mentions_group_by_label_and_canonical():
    rows = table([mention("Zara Quill", "PERSON"), mention("Zara Quill", "BODY"), mention("Zara Quill", "PERSON")])
    assert [(r["label"], r["canonical"], r["id"], r["mentions"]) for r in rows] == [
        ("PERSON", "Zara Quill", None, 2),
        ("BODY", "Zara Quill", None, 1),
    ]


def test_entity_key_uses_the_id_or_the_canonical_name():
    assert entity_key(mention("NHSE", **NHSE)) == ("BODY", "body:nhs-england")
    assert entity_key(mention("Quill", "PERSON", "Zara Quill")) == ("PERSON", "name:Zara Quill")


def test_rows_sort_by_mentions_then_documents_then_label_then_name():
    rows = table(
        [
            mention("Beta"),
            mention("Alpha"),
            mention("Aardvark", "POLICY"),
            mention("Delta"),
            mention("Delta"),
            mention("Epsilon"),
        ],
        [mention("Epsilon")],
    )
    assert [r["canonical"] for r in rows] == ["Epsilon", "Delta", "Alpha", "Beta", "Aardvark"]


def test_empty_table_has_no_rows():
    assert table() == [] and table([]) == []


def test_full_ties_keep_first_seen_order():
    rows = table([mention("Mind", entry_id="body:mind-b"), mention("Mind", entry_id="body:mind-a")])
    assert [r["id"] for r in rows] == ["body:mind-b", "body:mind-a"]
