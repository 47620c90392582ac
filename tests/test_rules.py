"""Rule helpers that work on token texts."""

from __future__ import annotations

import pytest

from nhsx.rules import split_run_on_names

FIRST_NAMES = frozenset({"Alan", "Julie", "Ian", "Jane", "Mary", "Anne"})


@pytest.mark.parametrize(
    "texts, expected",
    [
        (["Alan", "Yates", "Julie", "Dawes"], [(0, 2), (2, 4)]),
        (["Jane", "Hartley", "Ian", "Hartley"], [(0, 2), (2, 4)]),
        (["Mary", "Anne", "Smith"], [(0, 3)]),  # a second given name is not a second person
        (["Alan", "Yates", "Julie"], [(0, 2)]),  # a lone first name left over is dropped
        (["Yates"], [(0, 1)]),
        ([], [(0, 0)]),
    ],
)
def test_split_run_on_names(texts, expected):
    assert split_run_on_names(texts, FIRST_NAMES) == expected
