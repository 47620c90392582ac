"""Surface-form generation: the guidelines' variant rules as pure string functions."""

from __future__ import annotations

import pytest

from nhsx.knowledge.gazetteer import Entry
from nhsx.nlp.patterns import (
    ACRONYM,
    COMMON,
    EXACT,
    HONORIFIC,
    NAME,
    SHORT,
    Pattern,
    acronym_variants,
    ampersand_variants,
    apostrophe_variants,
    compile_patterns,
    entry_patterns,
    hyphen_variants,
    make_key,
    name_variants,
    plural_form,
    policy_name_variants,
    strip_article,
    unclaimed_derived_names,
)

CURLY = "\u2019"


def patterns_by_form(entry: Entry, honorifics=()) -> dict[str, set[str]]:
    """form code -> texts, checking every key names the entry."""
    found: dict[str, set[str]] = {}
    for pattern in entry_patterns(entry, honorifics):
        assert pattern.entry_id == entry.id
        found.setdefault(pattern.form, set()).add(pattern.text)
    return found


@pytest.mark.parametrize(
    "name, stripped",
    [
        ("the Treasury", "Treasury"),
        ("The King's Fund", "King's Fund"),
        ("  THE  NHS", "NHS"),
        ("Theresa May", "Theresa May"),
    ],
)
def test_strip_article(name, stripped):
    assert strip_article(name) == stripped


def test_hyphen_variants_hyphenate_content_word_gaps():
    assert hyphen_variants("long term plan") == {"long term plan", "long-term plan", "long term-plan", "long-term-plan"}


def test_hyphen_variants_never_hyphenate_function_words():
    variants = hyphen_variants("Health and Care Act")
    assert variants == {"Health and Care Act", "Health and Care-Act"}
    assert not any("Health-and" in v or "and-Care" in v for v in variants)


def test_hyphen_variants_leave_digits_alone():
    assert hyphen_variants("Act 2012") == {"Act 2012"}


def test_a_number_before_a_word_may_be_hyphenated():
    assert hyphen_variants("10 Year Plan", spaces_may_hyphenate=False) == {"10 Year Plan"}
    assert {"10-Year Plan", "10 Year Plan"} <= hyphen_variants("10 Year Plan")


def test_an_original_hyphen_may_become_a_space():
    variants = hyphen_variants("Stoke-on-Trent")
    assert {"Stoke-on-Trent", "Stoke on Trent", "Stoke-on Trent"} <= variants
    assert len(variants) == 4


def test_many_free_gaps_are_not_hyphenated():
    assert hyphen_variants("a b c d e f") == {"a b c d e f"}


def test_apostrophe_variants_straight_and_curly():
    assert apostrophe_variants("King's Fund") == {"King's Fund", f"King{CURLY}s Fund"}
    assert apostrophe_variants(f"King{CURLY}s Fund") == {"King's Fund", f"King{CURLY}s Fund"}
    assert apostrophe_variants("NHS England") == {"NHS England"}


@pytest.mark.parametrize(
    "text, variants",
    [
        ("Health and Care Act", {"Health and Care Act", "Health & Care Act"}),
        ("A & E", {"A & E", "A and E"}),
        ("Sandwell Trust", {"Sandwell Trust"}),
    ],
)
def test_ampersand_variants(text, variants):
    assert ampersand_variants(text) == variants


@pytest.mark.parametrize(
    "name, plural",
    [
        ("control total", "control totals"),
        ("policy", "policies"),
        ("Integrated Care System", "Integrated Care Systems"),
        ("GP Federation", "GP Federations"),
        ("business", "businesses"),
        ("key", "keys"),
        ("Act 2012", None),
        ("Payment by Results", None),
        ("NHS at 70", None),
        ("PACS", None),
    ],
)
def test_plural_form(name, plural):
    assert plural_form(name) == plural


@pytest.mark.parametrize(
    "acronym, variants",
    [("ICS", {"ICS", "ICSs"}), ("PbR", {"PbR", "PbRs"}), ("5YFV", {"5YFV", "5YFVs"}), ("FY21", {"FY21"})],
)
def test_acronym_variants_add_a_plural_s(acronym, variants):
    assert acronym_variants(acronym) == variants


def test_name_variants_combine_article_plural_ampersand_and_hyphen():
    variants = name_variants("the control total", plural=True)
    assert variants == {"control total", "control-total", "control totals", "control-totals"}
    assert name_variants("The Health and Care Fund", plural=False) == {
        "Health and Care Fund",
        "Health & Care Fund",
        "Health and Care-Fund",
        "Health & Care-Fund",
    }


def test_term_entries_give_no_patterns():
    assert (
        list(entry_patterns(Entry("term:it", "TERM", "IT", acronyms=("IT",), expansion="information technology"))) == []
    )


def test_policy_patterns_include_plurals_and_acronyms():
    forms = patterns_by_form(Entry("policy:ct", "POLICY", "Control Total", acronyms=("CT",)))
    assert forms == {
        NAME: {"Control Total", "Control-Total", "Control Totals", "Control-Totals"},
        ACRONYM: {"CT", "CTs"},
    }


def test_plural_false_stops_plural_forms():
    forms = patterns_by_form(Entry("policy:pbr", "POLICY", "Payment by Result", plural=False))
    assert forms == {NAME: {"Payment by Result"}}


def test_body_names_drop_the_article_and_get_no_plural():
    forms = patterns_by_form(Entry("body:kf", "BODY", "The King's Fund", aliases=("Kings Fund",)))
    assert forms == {NAME: {"King's Fund", f"King{CURLY}s Fund", "Kings Fund"}}  # proper names are not hyphenated


def test_person_patterns_short_names_and_honorific_surname():
    person = Entry("person:chris-ham", "PERSON", "Chris Ham", short_names=("Ham",))
    forms = patterns_by_form(person, honorifics=("Sir", "Professor"))
    assert forms[NAME] == {"Chris Ham"}
    assert forms[SHORT] == {"Ham"}
    assert forms[HONORIFIC] == {"Sir Ham", "Professor Ham"}


def test_person_honorific_forms_get_apostrophe_variants():
    forms = patterns_by_form(Entry("person:o", "PERSON", "Mary O'Neill"), honorifics=("Ms",))
    assert forms[HONORIFIC] == {"Ms O'Neill", f"Ms O{CURLY}Neill"}
    assert SHORT not in forms


def test_common_word_and_case_sensitive_forms():
    assert patterns_by_form(Entry("body:reform", "BODY", "Reform", common_word=True)) == {COMMON: {"Reform"}}
    assert patterns_by_form(Entry("body:nhsp", "BODY", "NHS Providers", case_sensitive=True)) == {
        EXACT: {"NHS Providers"}
    }


def test_common_word_wins_over_case_sensitive():
    forms = patterns_by_form(Entry("body:mind", "BODY", "Mind", common_word=True, case_sensitive=True))
    assert set(forms) == {COMMON}


def test_key_carries_form_and_id():
    pattern = Pattern(make_key(ACRONYM, "body:nhs-england"), "NHSE")
    assert pattern.key == "A|body:nhs-england"
    assert (pattern.form, pattern.entry_id) == (ACRONYM, "body:nhs-england")


def test_compile_patterns_covers_every_entry():
    entries = [Entry("body:a", "BODY", "Alpha"), Entry("term:b", "TERM", "B", acronyms=("B",), expansion="b")]
    assert [(p.key, p.text) for p in compile_patterns(entries)] == [("N|body:a", "Alpha")]


@pytest.mark.parametrize(
    "name, plan_like, expected",
    [
        # numbers up to twenty as digits or words, the case following the next word
        ("10 Year Health Plan", False, {"Ten Year Health Plan"}),
        ("Five Year Forward View", False, {"5 Year Forward View"}),
        ("Four-Hour Target", False, {"4-Hour Target"}),
        ("18-week target", False, {"eighteen-week target"}),
        ("NHS at 70", False, {"National Health Service at 70"}),
        # "NHS" = "National Health Service"; four name words after "NHS" name the policy alone, three may not
        (
            "NHS Long Term Workforce Plan",
            False,
            {"Long Term Workforce Plan", "National Health Service Long Term Workforce Plan"},
        ),
        ("NHS Diabetes Prevention Programme", False, {"National Health Service Diabetes Prevention Programme"}),
        ("NHS Payment Scheme", False, {"National Health Service Payment Scheme"}),
        # plans, strategies and frameworks: "National" for "NHS", and "NHS" in front
        (
            "NHS Oversight Framework",
            True,
            {"National Oversight Framework", "National Health Service Oversight Framework"},
        ),
        ("Long Term Workforce Plan", True, {"NHS Long Term Workforce Plan"}),
        (
            "NHS Constitution for England",
            False,
            {
                "NHS Constitution",
                "National Health Service Constitution",
                "National Health Service Constitution for England",
            },
        ),
        # Acts keep their exact titles, apart from NHS = National Health Service and the year's place
        (
            "National Health Service Act 2006",
            True,
            {
                "NHS Act 2006",
                "NHS Act of 2006",
                "2006 NHS Act",
                "National Health Service Act of 2006",
                "2006 National Health Service Act",
            },
        ),
        (
            "NHS Redress Act 2006",
            False,
            {
                "National Health Service Redress Act 2006",
                "NHS Redress Act of 2006",
                "2006 NHS Redress Act",
                "National Health Service Redress Act of 2006",
                "2006 National Health Service Redress Act",
            },
        ),
        ("Care Act 2014", False, {"Care Act of 2014", "2014 Care Act"}),
        ("Mental Health Act", False, set()),
        # possessives with and without the apostrophe
        ("Patient's Charter", False, {"Patients' Charter", "Patients Charter"}),
        ("Saving Babies\u2019 Lives", False, {"Saving Babies Lives"}),
        # a subtitle that names the policy on its own; a generic one does not
        ("Equity and Excellence: Liberating Our Health Service", False, {"Liberating Our Health Service"}),
        ("Childhood Obesity: A Plan for Action", True, set()),
        ("Tariff", True, set()),
        # numbers only before a unit of time; "NHS" added only to a name ending in its kind's head word
        ("Tackling the COVID-19 Backlog Plan", False, set()),
        ("Private Finance 2", False, set()),
        ("Our Plan for Patients", True, set()),
        ("Delivering the NHS Plan", True, set()),
        # a body's name at the front is not the service's; irregular plurals keep their apostrophe
        ("NHS England mandate", True, set()),
        ("Children's Plan", False, set()),
    ],
)
def test_policy_name_variants(name, plan_like, expected):
    assert policy_name_variants(name, plan_like) == expected


def test_policy_name_variants_combine_rules():
    variants = policy_name_variants("Fit for the Future: 10 Year Health Plan for England", plan_like=True)
    assert {
        "10 Year Health Plan",
        "Ten Year Health Plan",
        "NHS Ten Year Health Plan",
        "Ten Year Health Plan for England",
    } <= variants
    assert "Fit for the Future" not in variants and "NHS Fit for the Future: 10 Year Health Plan" not in variants


def test_derived_names_are_policy_only():
    body = Entry("body:x", "BODY", "NHS Five Counties Partnership Trust")
    assert unclaimed_derived_names([body]) == {}
    assert patterns_by_form(body) == {NAME: {"NHS Five Counties Partnership Trust"}}


def test_derived_names_become_patterns():
    forms = patterns_by_form(Entry("policy:fyfv", "POLICY", "Five Year Forward View", plural=False, kind="plan"))
    assert {
        "Five Year Forward View",
        "5 Year Forward View",
        "5-Year Forward View",
        "NHS Five Year Forward View",
    } <= forms[NAME]


def test_a_derived_name_never_takes_another_entrys_name():
    national = Entry("policy:ncp", "POLICY", "National Cancer Plan", kind="plan", plural=False)
    nhs = Entry("policy:nhscp", "POLICY", "NHS Cancer Plan", kind="plan", plural=False)
    derived = unclaimed_derived_names([national, nhs])
    assert "NHS Cancer Plan" not in derived["policy:ncp"] and "National Cancer Plan" not in derived["policy:nhscp"]
    assert "National Health Service Cancer Plan" in derived["policy:nhscp"]
    texts = {(p.entry_id, p.text) for p in compile_patterns([national, nhs])}
    assert ("policy:ncp", "NHS Cancer Plan") not in texts and ("policy:nhscp", "National Cancer Plan") not in texts


def test_two_entries_deriving_the_same_name_both_lose_it():
    a = Entry("policy:a", "POLICY", "NHS Quality Standard Framework", kind="framework")
    b = Entry("policy:b", "POLICY", "National Quality Standard Framework", kind="framework")
    c = Entry("policy:c", "POLICY", "Quality Standard Framework")  # typed: keeps its own name
    derived = unclaimed_derived_names([a, b, c])
    assert all("Quality Standard Framework" not in names for names in derived.values())
    assert ("policy:c", "Quality Standard Framework") in {(p.entry_id, p.text) for p in compile_patterns([a, b, c])}
