"""Mention records: the Python API, sentence and paragraph indices, and read errors passing through."""

from __future__ import annotations

import json

import pytest

import nhsx
from conftest import run_nhsx
from nhsx.records import Document, Mention, ReadError
from nhsx.run.process import mentions_from_doc, paragraph_starts, process


def test_api_gives_the_same_records_as_the_cli(nlp):
    api = [m.to_dict() for m in nhsx.extract("seeds", nlp=nlp)]
    cli = [json.loads(line) for line in run_nhsx("extract", "seeds", "--mentions", "-f", "jsonl").stdout.splitlines()]
    assert api == cli


def test_api_on_a_string(nlp):
    (mention,) = nhsx.extract(text="Funding for the BCF rose.", nlp=nlp)
    assert mention == Mention(
        "<text>", 16, 19, "BCF", "POLICY", "Better Care Fund", "policy:better-care-fund", True, 0, 0, "gazetteer"
    )


def test_api_warns_about_unreadable_files(nlp, tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.warns(UserWarning, match="empty.txt: empty file"):
        assert nhsx.extract(tmp_path, nlp=nlp) == []


def test_sentence_and_paragraph_indices(nlp):
    text = "The CQC rated it.\n\nHeading without a stop\n\nThen NHS England spoke. Later the ICB agreed."
    found = {m.text: (m.sentence, m.paragraph) for m in mentions_from_doc(nlp(text), "d")}
    assert found == {"CQC": (0, 0), "NHS England": (2, 2), "ICB": (3, 2)}


def test_paragraph_starts():
    assert paragraph_starts("a\n\nb\n \n\nc") == [0, 3, 8]


def test_process_keeps_order_and_passes_errors_through(nlp):
    items = [Document("a.txt", "The CQC."), ReadError("b.txt", "empty file"), Document("c.txt", "NHSE.")]
    results = list(process(nlp, items))
    assert [r.item for r in results] == items
    assert [[m.text for m in r.mentions] for r in results] == [["CQC"], [], ["NHSE"]]


def test_process_carries_the_definitions_in_the_text(nlp):
    (result,) = process(nlp, [Document("a.txt", "Funds flow through integrated care boards (ICBs).")])
    assert [(d.short, d.long) for d in result.definitions] == [("ICB", "integrated care board")]


def test_long_documents_go_through_in_pieces_with_whole_text_offsets(nlp, monkeypatch):
    import nhsx.run.process as mentions

    paragraph = "NHS England asked integrated care boards (ICBs) to plan. Simon Stevens agreed."
    text = "\n\n".join(f"{paragraph} Part {i}." for i in range(12))
    whole = list(process(nlp, [Document("long.txt", text)]))[0]
    monkeypatch.setattr(mentions, "PIECE_CHARS", 300)
    assert len(mentions.pieces(text, 300)) > 3
    cut = list(process(nlp, [Document("long.txt", text)]))[0]
    for m in cut.mentions:
        assert text[m.start : m.end] == m.text
    assert [(m.start, m.label, m.sentence, m.paragraph) for m in cut.mentions] == [
        (m.start, m.label, m.sentence, m.paragraph) for m in whole.mentions
    ]
    assert [(d.short, text[d.start : d.end]) for d in cut.definitions][:1] == [("ICB", "ICBs")]


def test_pieces_cut_at_paragraphs():
    from nhsx.run.process import pieces

    text = "aaaa\n\nbbbb\n\ncccc"
    assert pieces(text, 7) == [(0, "aaaa\n\n"), (6, "bbbb\n\n"), (12, "cccc")]
    assert "".join(p for _, p in pieces("x" * 25, 10)) == "x" * 25


@pytest.mark.parametrize("separator", [" ", "\n"])
def test_text_without_paragraph_breaks_is_cut_at_sentence_ends_keeping_indices(nlp, monkeypatch, separator):
    import nhsx.run.process as mentions

    sentence = "NHS England asked integrated care boards (ICBs) to plan. Dr. Simon Stevens agreed with the CQC."
    text = separator.join(f"{sentence} Part {i} followed." for i in range(12))
    whole = list(process(nlp, [Document("long.txt", text)]))[0]
    monkeypatch.setattr(mentions, "PIECE_CHARS", 400)
    cuts = mentions.pieces(text, 400)
    ends = {piece[-9:] for _, piece in cuts[:-1]}
    assert len(cuts) > 3 and all(end.endswith(("to plan.", "followed.")) for end in ends), ends
    cut = list(process(nlp, [Document("long.txt", text)]))[0]
    assert [(m.start, m.end, m.text, m.sentence, m.paragraph) for m in cut.mentions] == [
        (m.start, m.end, m.text, m.sentence, m.paragraph) for m in whole.mentions
    ]


def test_pieces_without_sentence_ends_cut_at_spaces_then_anywhere_and_are_at_least_half_the_limit():
    from nhsx.run.process import pieces

    words = "lower case words without any end mark " * 40
    cut = pieces(words, 100)
    assert "".join(p for _, p in cut) == words
    assert all(p.endswith(" ") and 50 <= len(p) <= 100 for _, p in cut[:-1])
    assert [len(p) for _, p in pieces("\n\n" + "x" * 250, 100)] == [100, 100, 52]  # a break too early is not used
