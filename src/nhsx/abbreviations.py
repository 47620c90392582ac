"""Short forms and long forms: the alignment at the heart of Schwartz and Hearst (2003).

The letters of a short form are matched right to left inside the candidate long form; its first
letter must start a word. "BHRUT" fits "Barking, Havering and Redbridge University Hospitals NHS Trust".
"""

from __future__ import annotations

import re

_SHORT = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z0-9][A-Za-z0-9&]*$")


def short_form(token: str) -> str | None:
    """The acronym a token is (two or more capitals, plural s dropped: "ICSs" -> "ICS"), or None."""
    if token.endswith("s") and len(token) > 2 and token[-2].isupper():
        token = token[:-1]
    return token if _SHORT.match(token) else None


def matches_long_form(short: str, long: str) -> bool:
    """Whether every letter or digit of ``short`` can be found, right to left, in ``long``,
    the first one at the start of a word."""
    chars = [c.lower() for c in short if c.isalnum()]
    text = long.lower()
    position = len(text) - 1
    for index in range(len(chars) - 1, -1, -1):
        wanted = chars[index]
        while position >= 0 and (
            text[position] != wanted or (index == 0 and position > 0 and text[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return False
        position -= 1
    return True
