"""Acronyms in a document and their expansions."""

from __future__ import annotations

import io
import json

import pytest

from conftest import HOSTILE_LIMITS, run_nhsx
from nhsx.analyse.glossary import (
    Sense,
    acronym_index,
    acronym_shape,
    choose_sense,
    document_acronyms,
    document_glossary,
    find_acronyms,
    known_senses,
)
from nhsx.knowledge.gazetteer import Entry

KNOWN = {
    "NHS": "National Health Service",
    "NHS CC": "NHS Clinical Commissioners",
    "ICS": "integrated care system",
    "PbR": "payment by results",
}


def found(text: str, known: dict[str, str] = KNOWN) -> list[tuple[str, int]]:
    return [(use.acronym, use.start) for use in find_acronyms(text, known)]


def acronyms(text: str, known: dict[str, str] = KNOWN) -> list[str]:
    return [acronym for acronym, _ in found(text, known)]


@pytest.mark.parametrize(
    "word, shape",
    [
        ("ICSs", "ICS"),
        ("CCGs", "CCG"),
        ("PbR", "PbR"),
        ("PbRs", "PbR"),
        ("A&E", "A&E"),
        ("5YFV", "5YFV"),
        ("DoH", "DoH"),
        ("PACS", "PACS"),
        ("NHS", "NHS"),
        ("Nhs", None),
        ("I", None),
        ("eRS", None),
        ("Sa", None),
    ],
)
def test_acronym_shape(word, shape):
    assert acronym_shape(word) == shape


def test_find_acronyms_reports_each_use_with_its_offset():
    assert found("The ICS and ICSs, with PbR.") == [("ICS", 4), ("ICS", 12), ("PbR", 23)]


def test_find_acronyms_skips_roman_numerals_and_common_capitals():
    assert acronyms("Phase II and Part IV of Henry VIII, OK on TV at 9 PM, said CQC.") == ["CQC"]


def test_headline_capitals_are_not_acronyms_unless_known():
    text = "NHS CONFEDERATION CALLS FOR ICS REFORM\nThe MDT met."
    assert acronyms(text) == ["NHS", "ICS", "MDT"]


def test_two_word_capitals_line_is_a_headline():
    assert acronyms("KEY POINTS\nThe ICB met.") == ["ICB"]


def test_single_unknown_capitals_word_is_kept():
    assert acronyms("The XYZ met.") == ["XYZ"]


def test_multiword_acronym_is_one_use_and_its_parts_are_not_repeated():
    assert found("The NHS CC said, and NHS CCs agreed. NHS alone.") == [("NHS CC", 4), ("NHS CC", 21), ("NHS", 37)]


def test_acronym_inside_a_longer_word_or_ampersand_run_is_not_split():
    assert acronyms("A&E and R&D, not xICS or ICS_x.") == ["A&E", "R&D"]


def test_document_glossary_first_use_order_and_none_for_unknown():
    glossary = document_glossary("PbR in ICSs and the CQC; the ICS again.", known_senses(KNOWN))
    assert list(glossary.items()) == [("PbR", "payment by results"), ("ICS", "integrated care system"), ("CQC", None)]


def test_document_glossary_of_text_without_acronyms_is_empty():
    assert document_glossary("Nothing here but words.", known_senses(KNOWN)) == {}


def test_acronym_index_first_entry_keeps_an_acronym_and_expansion_defaults_to_canonical():
    entries = [
        Entry("body:cqc", "BODY", "Care Quality Commission", acronyms=("CQC",)),
        Entry("term:it", "TERM", "IT", acronyms=("IT", "CQC"), expansion="information technology"),
    ]
    assert acronym_index(entries) == {
        "CQC": (Sense("Care Quality Commission"),),
        "IT": (Sense("information technology"),),
    }


def test_acronyms_that_are_not_valid_roman_numerals_are_kept():
    assert acronyms("Support for LD patients from a CIC.") == ["LD", "CIC"]


# --- the glossary over documents ---------------------------------------------------------------

from nhsx.analyse.glossary import Glossary  # noqa: E402
from nhsx.nlp.abbreviations import Definition  # noqa: E402
from nhsx.write.glossary import write_gazetteer_yaml, write_markdown  # noqa: E402


def rendered(write, entries) -> str:
    stream = io.StringIO()
    write(entries, stream)
    return stream.getvalue()


KNOWN_NHS = {"ICB": "integrated care board", "NHS": "National Health Service", "PACS": "primary and acute care system"}


def defined(short: str, long: str) -> Definition:
    return Definition(short, long, 0, len(short), 0, len(long))


def built(docs: list[tuple[str, str, list[Definition]]], per_doc: bool = False) -> dict:
    glossary = Glossary(known_senses(KNOWN_NHS), per_doc=per_doc)
    for name, text, found in docs:
        glossary.add_document(name, text, found)
    return {(e.doc, e.acronym): e for e in glossary.entries()}


def test_text_definition_beats_the_gazetteer_and_unknowns_are_listed():
    entries = built([("a.txt", "The ICB and the XYZ met. The ICBs agreed.", [defined("ICB", "imaginary care body")])])
    icb, xyz = entries[(None, "ICB")], entries[(None, "XYZ")]
    assert (icb.expansion, icb.source, icb.count, icb.docs, icb.first_seen) == (
        "imaginary care body",
        "text",
        2,
        1,
        {"doc": "a.txt", "offset": 4},
    )
    assert (xyz.expansion, xyz.source) == (None, "unknown")


def test_conflicting_definitions_are_listed_not_hidden():
    entries = built(
        [
            ("a.txt", "The ICB met.", [defined("ICB", "integrated care board")]),
            ("b.txt", "The ICB met.", [defined("ICB", "Integrated Care Board")]),  # same, case aside
            ("c.txt", "The ICB met.", [defined("ICB", "internal control board")]),
        ]
    )
    assert entries[(None, "ICB")].to_dict()["definitions"] == [
        {"expansion": "integrated care board", "count": 2},
        {"expansion": "internal control board", "count": 1},
    ]


def test_per_doc_entries_and_gazetteer_meaning():
    entries = built([("a.txt", "NHS and NHS.", []), ("b.txt", "The NHS.", [])], per_doc=True)
    assert {(doc, e.count, e.source) for (doc, _), e in entries.items()} == {
        ("a.txt", 2, "gazetteer"),
        ("b.txt", 1, "gazetteer"),
    }


def test_text_expansion_in_another_number_takes_the_gazetteer_spelling():
    entries = built([("a.txt", "PACS sites.", [defined("PACS", "primary and acute care systems")])])
    assert entries[(None, "PACS")].expansion == "primary and acute care system"


def test_markdown_is_alphabetical_and_yaml_is_a_gazetteer(tmp_path):
    entries = list(built([("a.txt", "The XYZ, NHS and ICB.", [])]).values())
    assert rendered(write_markdown, entries).splitlines() == [
        "| Acronym | Meaning |",
        "| --- | --- |",
        "| ICB | integrated care board |",
        "| NHS | National Health Service |",
        "| XYZ | (not defined) |",
    ]
    path = tmp_path / "glossary.yaml"
    path.write_text(rendered(write_gazetteer_yaml, entries), encoding="utf-8")
    from nhsx.knowledge.gazetteer import load_file

    loaded, problems = load_file(path)
    assert (
        problems == [] and {e.acronyms[0] for e in loaded} == {"ICB", "NHS"} and all(e.label == "TERM" for e in loaded)
    )


# --- capitals that are not acronyms ---------------------------------------------------------------


def test_web_addresses_handles_and_hashtags_are_never_acronyms_even_with_a_known_one_inside():
    text = (
        "Follow @NHSEngland and #NHS75, read https://www.example.org/ICS/XYZ or GOV.UK, "
        "write to press@ABC.example.org; the ICS met."
    )
    assert acronyms(text) == ["ICS"]


def test_byline_names_in_capitals_are_not_acronyms():
    assert acronyms("By JANE SMITH, NHS correspondent\nThe MDT met.") == ["NHS", "MDT"]


def test_a_line_opening_with_by_and_a_year_is_not_a_byline():
    assert acronyms("By 2025 the XYZ will merge.") == ["XYZ"]


def test_field_labels_and_time_zones_are_not_acronyms():
    text = "POSTED: 12 May 2023\nLAST UPDATED: 14 May 2023, 10:30 GMT\nMeet at 9.30am (BST) or 3pm UTC; the MDT met."
    assert acronyms(text) == ["MDT"]


def test_capitals_after_a_number_that_is_no_time_zone_are_kept():
    assert acronyms("See section 4.10 XYZ and 10:30 XYZ reports.") == ["XYZ", "XYZ"]


def test_a_label_the_rest_of_its_line_spells_out_is_an_acronym():
    assert acronyms("PALS: Patient Advice and Liaison Service\nWrite to PALS.") == ["PALS", "PALS"]


def test_numbered_variants_fold_into_their_acronym_when_both_are_used():
    known = known_senses({"ICS": "integrated care system", "ABC1": "a known first tier"})
    text = "The XYZ, XYZ1 and XYZ2 levels; ABC and ABC1; the ICS2 alone; QRS3 alone."
    found = {a.acronym: a.count for a in document_acronyms(text, known)}
    assert found == {"XYZ": 3, "ABC": 1, "ABC1": 1, "ICS2": 1, "QRS3": 1}


# --- several senses of one acronym ------------------------------------------------------------------


def sense_entry(id_: str, acronym: str, expansion: str, context: tuple[str, ...] = ()) -> Entry:
    return Entry(id_, "TERM", expansion, acronyms=(acronym,), expansion=expansion, context=context)


def test_entries_with_context_are_senses_in_the_order_listed():
    index = acronym_index(
        [
            sense_entry("term:ed", "ED", "emergency department", ("ambulance", "waiting times")),
            sense_entry("term:ed-eating", "ED", "eating disorder", ("anorexia", "bulimia")),
            sense_entry("term:pas", "PAS", "patient administration system"),
            sense_entry("term:pas-other", "PAS", "another thing", ("other",)),  # the first has no context
        ]
    )
    assert [s.expansion for s in index["ED"]] == ["emergency department", "eating disorder"]
    assert {"ambulance", "waiting times", "emergency", "department"} <= index["ED"][0].cues
    assert [s.expansion for s in index["PAS"]] == ["patient administration system"]


def test_cues_every_sense_shares_tell_nothing_apart():
    index = acronym_index(
        [
            sense_entry("term:chc", "CHC", "continuing healthcare", ("funding",)),
            sense_entry("term:chc-council", "CHC", "community healthcare council", ("funding", "council")),
        ]
    )
    assert [s.cues for s in index["CHC"]] == [frozenset({"continuing"}), frozenset({"community", "council"})]


def test_the_sense_with_most_cues_wins_and_a_tie_goes_to_the_first():
    senses = (Sense("first", frozenset({"a", "b"})), Sense("second", frozenset({"c", "d", "e f"})))
    assert choose_sense(senses, {"c", "e f", "a"}).expansion == "second"
    assert choose_sense(senses, {"a", "c"}).expansion == "first"
    assert choose_sense(senses, set()).expansion == "first"


SENSES_YAML = """\
label: TERM
entries:
  - id: term:ed
    canonical: Emergency Department
    acronyms: [ED]
    expansion: emergency department
    context: [ambulance, ambulances, waiting times, trolley, majors]
    source: test
  - id: term:ed-eating-disorder
    canonical: Eating Disorder
    acronyms: [ED]
    expansion: eating disorder
    context: [anorexia, bulimia, binge]
    source: test
  - id: term:chc
    canonical: NHS Continuing Healthcare
    acronyms: [CHC, NHS CHC]
    expansion: NHS continuing healthcare
    context: [eligibility, checklist, care package]
    source: test
  - id: term:chc-council
    canonical: Community Health Council
    acronyms: [CHC]
    expansion: community health council
    context: [council, watchdog, lay members]
    source: test
  - id: term:od
    canonical: Organisational Development
    acronyms: [OD]
    expansion: organisational development
    context: [leadership, culture]
    source: test
  - id: term:od-overdose
    canonical: Overdose
    acronyms: [OD]
    expansion: overdose
    context: [naloxone, opioid, poisoning]
    source: test
"""

SENSE_DOCS = {
    "a_eating.txt": "The ED service saw more anorexia and bulimia referrals. Binge eating is rising. ED waits grew.",
    "b_emergency.txt": "Ambulances queued outside the ED. Patients waited on a trolley in majors for hours.",
    "c_neutral.txt": "The ED was busy.",
    "d_defined.txt": "Executive directors (EDs) met. The ED for finance spoke about anorexia.",
    "e_council.txt": "The CHC, a patients' watchdog with lay members, wrote to the council. An OD of an opioid was reversed with naloxone.",
    "f_chc.txt": "The CHC checklist decides eligibility for a care package. Staff OD covers leadership and culture.",
}


def senses_run(tmp_path, *options: str) -> list[dict]:
    gazetteer = tmp_path / "senses.yaml"
    gazetteer.write_text(SENSES_YAML, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for name, text in SENSE_DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    assert run_nhsx("gazetteer", "validate", str(gazetteer)).returncode == 0
    result = run_nhsx("glossary", str(docs), "--gazetteer", str(gazetteer), "-f", "json", *options)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_each_document_gets_the_sense_its_words_show_or_its_own_definition(tmp_path):
    meaning = {(e["doc"], e["acronym"]): (e["expansion"], e["source"]) for e in senses_run(tmp_path, "--per-doc")}
    assert meaning == {
        ("a_eating.txt", "ED"): ("eating disorder", "gazetteer"),
        ("b_emergency.txt", "ED"): ("emergency department", "gazetteer"),
        ("c_neutral.txt", "ED"): ("emergency department", "gazetteer"),  # no clue: the dominant sense
        ("d_defined.txt", "ED"): ("executive director", "text"),  # written as the built-in sense it matches
        ("e_council.txt", "CHC"): ("community health council", "gazetteer"),
        ("e_council.txt", "OD"): ("overdose", "gazetteer"),
        ("f_chc.txt", "CHC"): ("NHS continuing healthcare", "gazetteer"),
        ("f_chc.txt", "OD"): ("organisational development", "gazetteer"),
    }


def test_the_corpus_glossary_lists_every_sense_used(tmp_path):
    entries = senses_run(tmp_path)
    (ed,) = [e for e in entries if e["acronym"] == "ED"]
    assert (ed["expansion"], ed["source"]) == ("executive director", "text")
    (od,) = [e for e in entries if e["acronym"] == "OD"]
    assert od["definitions"] == [
        {"expansion": "overdose", "count": 1},
        {"expansion": "organisational development", "count": 1},
    ]


# --- definitions in the CLI -------------------------------------------------------------------------


def test_paired_definitions_win_over_knowledge(tmp_path):
    doc = tmp_path / "paired.txt"
    doc.write_text(
        "Inspectors from the Care Quality Council and the Health and Safety Executive (CQC/HSE) visited.\n"
        "Later the Patient Safety Office and the Quality Inspection Board (PSO and QIB) agreed. The CQC, HSE, PSO and QIB met.\n",
        encoding="utf-8",
    )
    result = run_nhsx("glossary", str(doc), "-f", "json")
    assert result.returncode == 0, result.stderr.decode()
    assert {e["acronym"]: (e["expansion"], e["source"]) for e in json.loads(result.stdout)} == {
        "CQC": ("Care Quality Council", "text"),
        "HSE": ("Health and Safety Executive", "text"),
        "PSO": ("Patient Safety Office", "text"),
        "QIB": ("Quality Inspection Board", "text"),
    }


WORDS = [
    "integrated",
    "care",
    "board",
    "system",
    "partnership",
    "trust",
    "fund",
    "primary",
    "acute",
    "community",
    "mental",
    "health",
    "service",
    "network",
    "provider",
    "commissioning",
    "group",
    "council",
    "authority",
    "regional",
    "quality",
    "safety",
    "workforce",
    "digital",
    "finance",
    "capital",
]


def generated_terms(count: int) -> list[tuple[str, str]]:
    """(long form, acronym) pairs of two to four words, every term different."""
    terms = []
    for k in range(count):
        words = [WORDS[k % len(WORDS)], WORDS[k // len(WORDS) % len(WORDS)], WORDS[k // len(WORDS) ** 2 % len(WORDS)]]
        words = words[: 2 + k % 2] if k % 3 else words + [WORDS[k % 7]]
        terms.append((" ".join(w.title() for w in words), "".join(w[0] for w in words).upper()))
    return terms


@pytest.mark.parametrize("shape", ["lines", "one sentence", "capitals"])
def test_half_a_megabyte_of_definitions_runs_within_hostile_limits(tmp_path, shape):
    """Linear in the input: before, each bracket re-read its sentence from the start and each word was
    checked against every headline line (a 248 KB list took over half a minute, in capitals over two);
    under HOSTILE_LIMITS' two CPU minutes a quadratic run dies here."""
    terms = generated_terms(25000)
    if shape != "one sentence":
        text = "\n".join(f"{long} ({short})" for long, short in terms)
    else:
        text = "The plan names " + ", ".join(f"the {long.lower()} ({short})" for long, short in terms) + " and more."
    if shape == "capitals":
        text = text.upper()  # every line a headline, every word acronym-shaped
    text = text[: 500 * 1024].rsplit("\n" if shape != "one sentence" else "), ", 1)[0] + (
        "\n" if shape != "one sentence" else ")."
    )
    doc = tmp_path / "many.txt"
    doc.write_text(text, encoding="utf-8")
    assert len(text) > 480 * 1024
    result = run_nhsx("glossary", str(doc), "-f", "json", limits=HOSTILE_LIMITS)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    defined = {e["acronym"]: e for e in json.loads(result.stdout) if e["source"] == "text"}
    last = text.rstrip("\n.)").rsplit("(", 1)[1]
    assert last in defined and len(defined) > 50


def test_postcodes_are_addresses_not_acronyms():
    text = "Write to the ICB at 1 Main Street, Leeds LS1 4RQ, or to Kendal LA9 4DT; the ED is open."
    assert [u.acronym for u in find_acronyms(text, {"ICB", "ED"})] == ["ICB", "ED"]


@pytest.mark.parametrize(
    "text",
    [
        "MINUTES OF A MEETING OF THE TRUST BOARD HELD ON WEDNESDAY 30 MAY 2007 AT 9.30am AT THE TOWN HALL\nThe ICB met.",
        "Apologies were received from Ms McIntyre and SarahJane Smith. The ICB met.",
        "Papers WL867 and LPB05 were noted. The ICB met.",
        "The ICB met at 5:00 PM and again at 9.30 a.m. on Friday.",
    ],
)
def test_headings_names_codes_and_clock_times_are_not_acronyms(text):
    assert {u.acronym for u in find_acronyms(text, {"ICB", "PM"})} == {"ICB"}


def test_a_known_code_or_the_prime_minister_is_still_listed():
    assert [u.acronym for u in find_acronyms("The PM met NHS leaders; DM01 waits rose.", {"PM", "DM01"})] == [
        "PM",
        "NHS",
        "DM01",
    ]
