"""--as-of: mentions map forward along successors to the organisation that held the role on a date."""

from __future__ import annotations

import datetime as dt
import json

from conftest import run_nhsx

from nhsx.gazetteer import Entry
from nhsx.records import Mention
from nhsx.timeline import holder_on, map_as_of

ENTRIES = {
    e.id: e
    for e in [
        Entry("ods:A", "BODY", "NHS Old CCG", valid_from="2013-04-01", valid_to="2020-03-31", successor="ods:B"),
        Entry("ods:B", "BODY", "NHS Merged CCG", valid_from="2020-04-01", valid_to="2022-06-30", successor="ods:C"),
        Entry("ods:C", "BODY", "NHS Some Integrated Care Board", valid_from="2022-07-01"),
        Entry("body:loop1", "BODY", "Loop One", valid_to="2000", successor="body:loop2"),
        Entry("body:loop2", "BODY", "Loop Two", valid_to="2000", successor="body:loop1"),
        Entry("body:year", "BODY", "Year Body", valid_to="2016", successor="ods:C"),
    ]
}


def test_holder_follows_successors_forward():
    assert holder_on("ods:A", dt.date(2019, 1, 1), ENTRIES) == "ods:A"
    assert holder_on("ods:A", dt.date(2020, 4, 1), ENTRIES) == "ods:B"
    assert holder_on("ods:A", dt.date(2022, 7, 1), ENTRIES) == "ods:C"


def test_dates_before_an_organisation_existed_are_left_alone():
    assert holder_on("ods:C", dt.date(2010, 1, 1), ENTRIES) == "ods:C"


def test_a_year_end_date_covers_the_whole_year_and_loops_stop():
    assert holder_on("body:year", dt.date(2016, 12, 31), ENTRIES) == "body:year"
    assert holder_on("body:loop1", dt.date(2020, 1, 1), ENTRIES) in {"body:loop1", "body:loop2"}


def test_map_as_of_keeps_the_original_id():
    mention = Mention("d", 0, 11, "NHS Old CCG", "BODY", "NHS Old CCG", "ods:A", False, 0, 0, "gazetteer", "ods:B")
    (mapped,) = map_as_of([mention], dt.date(2023, 1, 1), ENTRIES)
    assert (mapped.id, mapped.canonical, mapped.mapped_from, mapped.successor, mapped.text) == (
        "ods:C", "NHS Some Integrated Care Board", "ods:A", None, "NHS Old CCG"
    )


def test_cli_as_of_rolls_ccgs_up_to_their_icb():
    text = b"Practices dealt with NHS Luton CCG until 2021. NHS Improvement agreed."
    before = json.loads(run_nhsx("extract", "-", "--mentions", "-f", "json", stdin=text).stdout)
    after = json.loads(run_nhsx("extract", "-", "--mentions", "-f", "json", "--as-of", "2023-01-01", stdin=text).stdout)
    assert [(m["canonical"], m["successor"]) for m in before] == [
        ("NHS Luton Clinical Commissioning Group", "ods:M1J4Y"), ("NHS Improvement", "body:nhs-england")
    ]
    assert [(m["canonical"], m["mapped_from"]) for m in after] == [
        ("NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board", "ods:06P"),
        ("NHS England", "body:nhs-improvement"),
    ]


def test_cli_as_of_rejects_a_bad_date():
    assert run_nhsx("extract", "seeds", "--as-of", "2023-13-01").returncode == 2
