"""Short-form / long-form alignment (Schwartz and Hearst)."""

from __future__ import annotations

import pytest

from nhsx.abbreviations import matches_long_form, short_form


@pytest.mark.parametrize(
    "short, long",
    [
        ("BHRUT", "Barking, Havering and Redbridge University Hospitals NHS Trust"),
        ("KGH", "King George Hospital"),
        ("PbR", "payment by results"),
        ("5YFV", "5 Year Forward View"),
        ("A&E", "accident and emergency"),
    ],
)
def test_matching_long_forms(short, long):
    assert matches_long_form(short, long)


@pytest.mark.parametrize(
    "short, long",
    [
        ("XYZ", "King George Hospital"),
        ("KGH", "big George Hospital"),  # the first letter must start a word
        ("HGK", "King George Hospital"),  # order matters
    ],
)
def test_non_matching_long_forms(short, long):
    assert not matches_long_form(short, long)


@pytest.mark.parametrize(
    "token, expected",
    [("ICSs", "ICS"), ("PbR", "PbR"), ("PACS", "PACS"), ("A&E", "A&E"), ("Nhs", None), ("I", None), ("5YFV", "5YFV")],
)
def test_short_form(token, expected):
    assert short_form(token) == expected
