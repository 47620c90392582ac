"""The spaCy components: factories, serialisation round-trips, and a statistical model filling gaps."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import spacy

from nhsx.nlp.pipeline import add_nhsx_components

TEXT = "Sir Chris Ham told NHS England’s board that ICSs need the Better Care Fund. Zara Quillfeather agreed."


def outputs(doc):
    return [(s.start_char, s.end_char, s.label_, s.id_, s.kb_id_, s._.nhsx_source) for s in doc.spans["nhsx"]]


def test_factories_work_in_a_users_own_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    for name in ("nhsx_gazetteer", "nhsx_rules", "nhsx_resolver"):
        nlp.add_pipe(name)
    doc = nlp(TEXT)
    labels = {s.text: s.label_ for s in doc.spans["nhsx"]}
    assert labels["NHS England"] == "BODY" and labels["Better Care Fund"] == "POLICY"


def test_factories_are_entry_points():
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="spacy_factories")}
    assert {"nhsx_gazetteer", "nhsx_rules", "nhsx_resolver"} <= names


def test_to_disk_and_spacy_load_round_trip(nlp, tmp_path):
    """Saved pipelines load in a fresh process that never imports nhsx itself (entry points do it)."""
    path = tmp_path / "pipeline"
    nlp.to_disk(path)
    script = (
        "import json, sys, spacy\n"
        f"nlp = spacy.load({str(path)!r})\n"
        f"doc = nlp({TEXT!r})\n"
        "print(json.dumps([(s.start_char, s.end_char, s.label_, s.id_, s.kb_id_, s._.nhsx_source)"
        " for s in doc.spans['nhsx']]))\n"
        "print('nhsx' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert [tuple(x) for x in json.loads(result.stdout)] == outputs(nlp(TEXT))


def test_restored_gazetteer_does_not_need_the_yaml(nlp, tmp_path):
    nlp.to_disk(tmp_path / "p")
    restored = spacy.load(tmp_path / "p")
    matcher = restored.get_pipe("nhsx_gazetteer")
    assert matcher._entries is not None and len(matcher.entries) == len(nlp.get_pipe("nhsx_gazetteer").entries)


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    """A small 'statistical' pipeline stand-in: an entity ruler saved to disk like any spaCy model."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Zara Quillfeather"},
            {"label": "ORG", "pattern": "Brightwater Health Partners"},
            {"label": "PERSON", "pattern": "NHS England"},  # a wrong model guess the gazetteer must win over
            {"label": "GPE", "pattern": "Luton"},
        ]
    )
    path = tmp_path_factory.mktemp("model") / "tiny_model"
    nlp.to_disk(path)
    return path


def test_model_entities_fill_gaps_but_never_override_the_gazetteer(model_path):
    nlp = add_nhsx_components(spacy.load(model_path))
    text = "NHS England met Brightwater Health Partners in Luton. The ICS chair, Zara Quillfeather, spoke."
    doc = nlp(text)
    found = {(s.text, s.label_, s._.nhsx_source) for s in doc.spans["nhsx"]}
    assert ("NHS England", "BODY", "gazetteer") in found
    assert ("Brightwater Health Partners", "BODY", "model") in found
    assert not any(t == "Luton" for t, _, _ in found)  # GPE is not mapped


def test_cli_model_option(model_path, tmp_path):
    from conftest import run_nhsx

    doc = tmp_path / "note.txt"
    doc.write_text("Brightwater Health Partners wrote to NHS England.", encoding="utf-8")
    result = run_nhsx("extract", str(doc), "--mentions", "-f", "json", "--model", str(model_path))
    assert result.returncode == 0, result.stderr
    rows = {(r["text"], r["label"], r["source"]) for r in json.loads(result.stdout)}
    assert rows == {("Brightwater Health Partners", "BODY", "model"), ("NHS England", "BODY", "gazetteer")}


def test_cli_unknown_model_is_a_usage_error():
    from conftest import run_nhsx

    result = run_nhsx("extract", "seeds", "--model", "no_such_model_xyz")
    assert result.returncode == 2
    assert "no_such_model_xyz" in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_how_spans_were_found_survives_docbin(nlp):
    from spacy.tokens import DocBin

    doc = nlp("NHS England and the ICB met. The BCF grew.")
    stored = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    restored = next(DocBin().from_bytes(stored).get_docs(nlp.vocab))
    found = [(s.text, s._.nhsx_source, s._.nhsx_acronym) for s in restored.spans["nhsx"]]
    assert found == [("NHS England", "gazetteer", False), ("ICB", "gazetteer", True), ("BCF", "gazetteer", True)]


def test_span_flags_can_be_set_like_any_extension(nlp):
    doc = nlp("NHS England met.")
    span = doc.spans["nhsx"][0]
    span._.nhsx_source = "manual"
    span._.nhsx_acronym = True
    assert (doc.spans["nhsx"][0]._.nhsx_source, doc.spans["nhsx"][0]._.nhsx_acronym) == ("manual", True)


def test_footnote_splits_are_saved_with_the_tokenizer(nlp, tmp_path):
    import spacy

    nlp.to_disk(tmp_path / "pipeline")
    restored = spacy.load(tmp_path / "pipeline")
    assert [t.text for t in restored.make_doc("NHS England.[3]")] == ["NHS", "England", ".", "[", "3", "]"]


def test_a_role_and_a_surname_name_the_listed_person_who_held_the_role(nlp):
    doc = nlp("Former Health Secretary Hunt said trusts needed money. Hunt wrote to them later.")
    assert [(s.text, s.id_, s.kb_id_) for s in doc.spans["nhsx"]] == [("Hunt", "Jeremy Hunt", "person:jeremy-hunt")] * 2
    # a local role he never held links nobody
    assert list(nlp("The trust chair Hunt said the board would meet.").spans["nhsx"]) == []


def test_a_surname_alone_is_the_listed_person_when_the_document_names_their_role(nlp):
    doc = nlp("The health secretary announced the money. Hunt said it would cut waits. Hunt's plan was late.")
    assert [(s.text, s.id_) for s in doc.spans["nhsx"]] == [("Hunt", "Jeremy Hunt"), ("Hunt", "Jeremy Hunt")]
    assert list(nlp("The review went well. Hunt said it would cut waits.").spans["nhsx"]) == []  # no role named
    # somebody the document itself introduces with the surname comes first
    doc = nlp(
        "The trust chief executive, Anna Hunt, spoke. Hunt said the plan was late. The health secretary disagreed."
    )
    assert [(s.text, s.id_, s.kb_id_) for s in doc.spans["nhsx"]] == [
        ("Anna Hunt", "Anna Hunt", ""),
        ("Hunt", "Anna Hunt", ""),
    ]


def test_a_job_title_on_the_next_line_is_not_part_of_the_name(nlp):
    text = (
        "The report was signed by\nJane Okonjo\nInterim Chief Executive\nand by\nDr Priya Shah\nDirector of Finance\n"
    )
    assert [(s.text, s.id_) for s in spans_of(nlp, text)] == [
        ("Jane Okonjo", "Jane Okonjo"),
        ("Priya Shah", "Priya Shah"),
    ]
    # a name broken over two lines is still one name
    assert [s.id_ for s in spans_of(nlp, "Reform thinker Paul\nCorrigan wrote it.")] == ["Paul Corrigan"]


def test_bylines_and_time_stamps_name_only_the_author(nlp):
    text = (
        "Jane Smith, Evening Standard\nLast Updated: 14:03 GMT, 3 May 2021\n"
        "POSTED: 12 March 2019 | LAST UPDATED: 14:03 GMT\n\nBy Tom Okoro for The Times\nPublished 09:00 BST\n"
    )
    assert [(s.text, s.label_) for s in spans_of(nlp, text)] == [("Jane Smith", "PERSON"), ("Tom Okoro", "PERSON")]


def spans_of(nlp, text: str) -> list:
    doc = nlp(text)
    return list(doc.spans["nhsx"])  # the spans keep the doc alive


def test_the_longest_titled_name_wins_over_a_known_name_inside_it(nlp):
    text = (
        "The Better Care Fund Task Force met. Staff at Marie Curie Newcastle Hospice agreed. "
        "The House of Lords Public Services Committee reported. The NHS England Board met. "
        "The Monitor Risk Assessment Framework applies. The Integrated Care Board's Strategy Group met."
    )
    assert [(s.text, s.label_) for s in spans_of(nlp, text)] == [
        ("Better Care Fund Task Force", "BODY"),
        ("Marie Curie Newcastle Hospice", "BODY"),
        ("House of Lords Public Services Committee", "BODY"),
        ("NHS England", "BODY"),
        ("Monitor Risk Assessment Framework", "POLICY"),
        ("Integrated Care Board", "ORG_TYPE"),  # a kind, not a known body: its group is no named body
    ]


def test_a_column_gap_ends_a_name_in_an_attendance_list(nlp):
    text = (
        "Present\nTobias Quennell      Programme Lead, Estates\nOlwen Strachan Pryce  Capital Planning Unit\n"
        "Contact: Mirela Cotterill  Tel 0100 000000\nWords\tFinance Manager\n"
    )
    found = [(s.text, s.label_) for s in spans_of(nlp, text)]
    assert ("Tobias Quennell", "PERSON") in found and ("Olwen Strachan Pryce", "PERSON") in found
    assert ("Mirela Cotterill", "PERSON") in found
    assert not [t for t, label in found if label == "PERSON" and t.split()[-1] in ("Programme", "Capital", "Tel")]


def test_bracketed_initials_after_a_name_on_a_list_line_mark_a_person(nlp):
    text = "Lay Member for audit and governance\nZephan Fenwick (ZF) Director of Quality\nIlko Forde (QZ) Chair\n"
    people = [s.text for s in spans_of(nlp, text) if s.label_ == "PERSON"]
    # the previous line's last word is not taken; initials that do not fit the name are no evidence
    assert people == ["Zephan Fenwick"]  # neither given name is a known first name


def test_a_peer_by_title_and_surname_is_a_person_even_when_the_surname_is_an_ordinary_word(nlp):
    text = "Two peers, Lord Harbour and Baroness Quillfeather of Tenby, voted against. The Lord Chancellor did not."
    found = [(s.text, s.id_) for s in spans_of(nlp, text) if s.label_ == "PERSON"]
    # the territorial designation stays in the span; the canonical is the surname as written
    assert found == [("Harbour", "Harbour"), ("Quillfeather of Tenby", "Quillfeather")]


def test_a_peer_with_a_place_is_linked_to_the_full_name_the_document_gives(nlp):
    text = "Marek Quillfeather QC opened the debate. Later Lord Quillfeather of Tenby said he would vote against."
    found = [(s.text, s.id_) for s in spans_of(nlp, text) if s.label_ == "PERSON"]
    assert ("Quillfeather of Tenby", "Marek Quillfeather") in found


def test_a_bare_consortium_is_the_gp_kind_only_where_the_document_names_that_kind(nlp):
    text = "Ministers want GP commissioning consortia in every area. The consortia will hold budgets, "
    text += "but a LIFT consortium still owns the buildings and a research consortium studies the change."
    found = [(s.text, s.id_) for s in spans_of(nlp, text) if s.label_ == "ORG_TYPE"]
    assert found == [("GP commissioning consortia", "GP Consortium"), ("consortia", "GP Consortium")]
    # without the full form a bare consortium is no kind of NHS body
    assert not [s for s in spans_of(nlp, "The consortia will hold budgets.") if s.label_ == "ORG_TYPE"]


def test_a_place_before_the_2016_plan_name_makes_the_partnership_a_body(nlp):
    text = (
        "Members read the Upper Brackley Sustainability and Transformation Plan. Every Sustainability "
        "Transformation Partnership must publish one. She chairs the NHS Devon Integrated Care System."
    )
    found = [(s.text, s.label_) for s in spans_of(nlp, text)]
    assert ("Upper Brackley Sustainability and Transformation Plan", "BODY") in found
    assert ("Sustainability Transformation Partnership", "ORG_TYPE") in found
    assert ("NHS Devon Integrated Care System", "BODY") in found
    assert not [t for t, label in found if label == "POLICY"]


def test_a_healthwatch_name_runs_on_over_and_the_place_but_not_over_a_line_or_another_body(nlp):
    text = (
        "Healthwatch Quarrytown and the Moors asked patients. Health Watch Lowmere replied.\n"
        "Healthwatch Fenby\nInterim Chief Officer\nHealthwatch Fenby and NHS England met."
        " Healthwatch Lowmere and Anna Quennell met."
    )
    found = [(s.text, s.id_) for s in spans_of(nlp, text) if s.label_ == "BODY"]
    assert found == [
        ("Healthwatch Quarrytown and the Moors", "Healthwatch Quarrytown and the Moors"),
        ("Health Watch Lowmere", "Healthwatch Lowmere"),
        ("Healthwatch Fenby", "Healthwatch Fenby"),
        ("Healthwatch Fenby", "Healthwatch Fenby"),
        ("NHS England", "NHS England"),
        ("Healthwatch Lowmere", "Healthwatch Lowmere"),
    ]


def test_a_compass_word_before_a_known_body_names_another_body_reported_as_written(nlp):
    text = "East Norfolk PCT wrote to Norfolk PCT about the plan."
    found = [(s.text, s.id_, s.kb_id_) for s in spans_of(nlp, text) if s.label_ == "BODY"]
    assert found == [
        ("East Norfolk PCT", "East Norfolk Primary Care Trust", ""),  # the qualifier and the known full name
        ("Norfolk PCT", "Norfolk Primary Care Trust", "body:norfolk-primary-care-trust"),
    ]


def test_dotted_and_initialled_names_in_a_list_column_are_people(nlp):
    text = "Observers\nTobias.Quennell        -   Parish Council\nK.Fenwick              -   Residents\n"
    text += "R Quillfeather          -   Visitor\nThe meeting closed.Next          item\n"
    found = [(s.text, s.id_) for s in spans_of(nlp, text) if s.label_ == "PERSON"]
    assert found == [
        ("Tobias.Quennell", "Tobias Quennell"),
        ("K.Fenwick", "K Fenwick"),
        ("R Quillfeather", "R Quillfeather"),
    ]


def test_names_listed_with_a_person_are_people_but_not_roles_or_organisations(nlp):
    text = "Apologies were received from Zephan Britton, Ilko Housego and Anna Eastgate. "
    text += "Anna Eastgate, Chief Executive, and Leeds City Council replied. Anna Eastgate, Action Against NHS Cuts."
    found = [s.text for s in spans_of(nlp, text) if s.label_ == "PERSON"]
    assert found == ["Zephan Britton", "Ilko Housego", "Anna Eastgate", "Anna Eastgate", "Anna Eastgate"]
