"""Acronyms defined in the text, found by short-form / long-form alignment (Schwartz and Hearst, 2003).

Candidates are the forms real documents use, within one sentence:

    integrated care boards (ICBs)        ICB (integrated care board)
    the Better Care Fund, or BCF,        ... partnerships, known as STPs
    integrated care board ('ICB')        integrated care board – ICB –
    the Care Quality Commission and the Health and Safety Executive (CQC/HSE), or (CQC and HSE)

A candidate is a definition when the letters of the short form can be matched right to left inside
the long form, the first one at the start of a word, within min(|SF| + 5, 2·|SF|) words (the limits of
the paper). Lower-case letters inside acronyms (PbR, DoH), digits (5YFV: "5" matches "five") and "&"
(A&E) work; a plural short form (ICBs) gives a singular entry (ICB: integrated care board).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from nhsx.nlp.spans import sentence_start_tokens

_SHORT = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z0-9][A-Za-z0-9&]*$")
_DIGIT_WORDS = {"1": "o", "2": "t", "3": "t", "4": "f", "5": "f", "6": "s", "7": "s", "8": "e", "9": "n", "10": "t"}
_QUOTES = {"'", '"', "\u2018", "\u2019", "\u201c", "\u201d"}
_DASHES = {"\u2013", "\u2014", "-", "--"}
_NAME_PREFIXES = {"NHS", "HM"}
_JOINERS = {"/", "and", "&", ",", "or"}  # between paired acronyms: "(CQC/HSE)", "(CQC and HSE)"
_ARTICLES = {"the", "a", "an", "our", "its", "their", "this", "these"}
_LEADING_WORDS = _ARTICLES | {"and", "or", "of"}


def short_form(token: str) -> str | None:
    """The acronym a token is (two or more capitals, plural s dropped: "ICBs" -> "ICB"), or None."""
    if token.endswith("s") and len(token) > 2 and token[-2].isupper():
        token = token[:-1]
    return token if _SHORT.match(token) else None


def _chars_match(short_char: str, long_char: str) -> bool:
    return long_char == short_char or _DIGIT_WORDS.get(short_char) == long_char


def _good_first_letter(text: str, position: int) -> bool:
    """The first letter of a short form starts a word, and not a joining word ("A&E" is not "and emergency")."""
    if position > 0 and text[position - 1].isalnum():
        return False
    word = re.match(r"\w+", text[position:])
    return word is None or word.group() not in _LEADING_WORDS


def long_form_start(short: str, long: str) -> int | None:
    """Schwartz and Hearst's alignment: where in ``long`` the shortest long form for ``short`` starts.

    Every letter or digit of ``short`` is matched right to left in ``long``; the first one must
    start a word. None when they cannot be aligned.
    """
    chars = [c.lower() for c in short if c.isalnum()]
    text = long.lower()
    position = len(text) - 1
    for index in range(len(chars) - 1, -1, -1):
        wanted = chars[index]
        while position >= 0 and (
            not _chars_match(wanted, text[position]) or (index == 0 and not _good_first_letter(text, position))
        ):
            position -= 1
        if position < 0:
            return None
        position -= 1
    # the word's start: after the last space, tab or line break before it ("Officer\nBrigid Stacey")
    return max(text.rfind(c, 0, position + 1) for c in " \n\t") + 1


def matches_long_form(short: str, long: str) -> bool:
    return long_form_start(short, long) is not None


@dataclass(frozen=True)
class Definition:
    short: str  # the acronym, singular ("ICB" for "ICBs")
    long: str  # its expansion as the text writes it, singular
    start: int  # character offsets of the short form in the text
    end: int
    long_start: int  # character offsets of the long form
    long_end: int


_POSSESSIVE_END = re.compile(r"\s*['\u2019]s?$")


def singular(long: str) -> str:
    head, _, last = long.rpartition(" ")
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    return f"{head} {last}".strip()


def max_words(short: str) -> int:
    letters = sum(c.isalnum() for c in short)
    return min(letters + 5, letters * 2)


def _words(span: Span) -> list[Token]:
    return [t for t in span if not t.is_punct and not t.is_space]


def _long_before(doc: Doc, sentence_start: int, end: int, short: str) -> tuple[int, int] | None:
    """Token range of the long form that ends just before token ``end`` (exclusive), or None.

    Walks back from ``end`` only as far as the long form may reach (never to the sentence start), so
    a sentence with many brackets costs time in proportion to its length, not its square."""
    limit, most_tokens = max_words(short), 3 * max_words(short)  # words, and tokens with punctuation
    window: list[Any] = []
    words = 0
    for i in range(end - 1, sentence_start - 1, -1):
        token = doc[i]
        if token.is_space or (
            i == end - 1 > sentence_start and token.text in ("'", "\u2019") and not doc[i - 1].whitespace_
        ):
            continue  # a possessive apostrophe before the bracket ("boards' (ICBs)") is not a quote
        if token.text in ("(", ")", ";", ":") or token.text in _QUOTES or len(window) >= most_tokens:
            break
        window.append(token)
        words += not token.is_punct
        if words >= limit:
            break
    if not window:
        return None
    window.reverse()
    text = doc[window[0].i : window[-1].i + 1].text  # doc.text would join every token of the document
    offset = long_form_start(short, text)
    if offset is None:
        return None
    first = next(t for t in window if t.idx - window[0].idx >= offset)
    while first.lower_ in _LEADING_WORDS and first.i < window[-1].i:
        first = doc[first.i + 1]
    if first.is_title and first.i > sentence_start and doc[first.i - 1].text in _NAME_PREFIXES:
        first = doc[first.i - 1]  # "NHS Trust Development Authority (TDA)": the prefix is part of the name
    return first.i, window[-1].i + 1


def _definition(doc: Doc, short_token: Token, long_range: tuple[int, int], plural: bool) -> Definition | None:
    short = short_form(short_token.text)
    start, end = long_range
    long = _POSSESSIVE_END.sub("", doc[start:end].text)  # "integrated care boards' (ICBs)": the name, not its 's
    if short is None or not long or long.replace(" ", "") == short or len(long) <= len(short):
        return None
    if any(t.is_upper and short_form(t.text) == short for t in doc[start:end]):
        return None  # the "long form" already contains the acronym
    return Definition(
        short,
        singular(long) if plural else long,
        short_token.idx,
        short_token.idx + len(short_token.text),
        doc[start].idx,
        doc[start].idx + len(long),
    )


def _is_plural(token: Token) -> bool:
    return token.text.endswith("s") and short_form(token.text) != token.text


def _inside(doc: Doc, open_i: int) -> tuple[int, int] | None:
    """Token range inside brackets opening at ``open_i``, quotes stripped; None if not closed nearby."""
    for close in range(open_i + 1, min(len(doc), open_i + 14)):
        if doc[close].text == ")":
            start, end = open_i + 1, close
            while start < end and doc[start].text in _QUOTES:
                start += 1
            while end > start and doc[end - 1].text in _QUOTES:
                end -= 1
            return (start, end) if start < end else None
    return None


def _short_then_long(doc: Doc, open_i: int, inside: tuple[int, int]) -> Definition | None:
    """ICB (integrated care board): the whole bracket must be the long form."""
    if open_i == 0 or short_form(doc[open_i - 1].text) is None:
        return None
    start, end = inside
    short = short_form(doc[open_i - 1].text) or ""
    text = doc[start:end].text
    if len(_words(doc[start:end])) > max_words(short) or long_form_start(short, text) != 0:
        return None
    return _definition(doc, doc[open_i - 1], inside, _is_plural(doc[open_i - 1]))


def _long_then_short(doc: Doc, sentence_start: int, open_i: int, inside: tuple[int, int]) -> list[Definition]:
    """integrated care boards (ICBs), with "(or ICBs)", "(known as ICBs)" and "(SNEE ICB)" too."""
    start, end = inside
    while start < end and doc[start].lower_ in ("or", "known", "as", "the") and not doc[start].is_upper:  # "(AS)"
        start += 1
    if end - start == 2 and all(short_form(t.text) for t in doc[start:end]):
        return _compound(doc, sentence_start, open_i, doc[start], doc[start + 1])
    if _is_list_of_shorts(doc[start:end]):
        return _paired(doc, sentence_start, open_i, [doc[k] for k in range(start, end, 2)])
    if end - start != 1 or short_form(doc[start].text) is None:
        return []
    long_end = _before_aside(doc, sentence_start, open_i)
    long_range = _long_before(doc, sentence_start, long_end, short_form(doc[start].text) or "")
    found = _definition(doc, doc[start], long_range, _is_plural(doc[start])) if long_range else None
    return [found] if found else []


def _before_aside(doc: Doc, sentence_start: int, open_i: int) -> int:
    """Where the long form ends: before a short bracketed aside right before the short form ("Jo Bloggs
    (representing Ann Other) (JB)"), else at the bracket."""
    if open_i > 0 and doc[open_i - 1].text == ")":
        for k in range(open_i - 2, max(sentence_start, open_i - 12) - 1, -1):
            if doc[k].text == "(":
                return k
            if doc[k].text == ")":
                break
    return open_i


def _is_list_of_shorts(span: Span) -> bool:
    """ "CQC/HSE", "CQC and HSE", "CQC, HSE and NICE": acronyms with a joiner between each two."""
    return (
        len(span) >= 3
        and len(span) % 2 == 1
        and all((short_form(t.text) is not None) if k % 2 == 0 else (t.lower_ in _JOINERS) for k, t in enumerate(span))
    )


def _joiner_before(doc: Doc, sentence_start: int, i: int) -> int | None:
    """Index of the joiner ("and", "/", ",") just before token ``i``, past "the" and the like; else None."""
    i -= 1
    while i > sentence_start and doc[i].lower_ in _ARTICLES:
        i -= 1
    if i <= sentence_start or doc[i].lower_ not in _JOINERS:
        return None
    while i - 1 > sentence_start and doc[i - 1].lower_ in _JOINERS:  # "X, and Y"
        i -= 1
    return i


def _paired(doc: Doc, sentence_start: int, open_i: int, shorts: list[Token]) -> list[Definition]:
    """ "the Care Quality Commission and the Health and Safety Executive (CQC/HSE)": the long forms come
    in the order of the acronyms, joined like them; read right to left, each must align or none counts."""
    found: list[Definition] = []
    end: int | None = open_i
    for position, token in enumerate(reversed(shorts)):
        long_range = _long_before(doc, sentence_start, end, short_form(token.text) or "") if end else None
        definition = _definition(doc, token, long_range, _is_plural(token)) if long_range else None
        if definition is None or long_range is None:
            return []
        found.append(definition)
        if position < len(shorts) - 1:
            end = _joiner_before(doc, sentence_start, long_range[0])
    return found[::-1]


def _compound(doc: Doc, sentence_start: int, open_i: int, first: Token, last: Token) -> list[Definition]:
    """ "(SNEE ICB)" after "NHS Suffolk and North East Essex Integrated Care Board": ICB is the last
    words' initials, SNEE the rest. "(NHS CC)" stays one acronym: its first part would define itself."""
    whole = f"{first.text} {last.text}"
    long_range = _long_before(doc, sentence_start, open_i, whole)
    if long_range is None:
        return []
    words = [t for t in doc[long_range[0] : long_range[1]] if t.is_alpha]
    tail = short_form(last.text) or ""
    head_words = words[: len(words) - len(tail)]
    if len(words) > len(tail) and "".join(w.text[0] for w in words[-len(tail) :]).upper() == tail.upper():
        head_end = head_words[-1].i + 1 if head_words else long_range[0]
        head_start = long_range[0] + (doc[long_range[0]].text in _NAME_PREFIXES)  # SNEE is the place, not "NHS"
        parts = [
            _definition(doc, first, (head_start, head_end), False),
            _definition(doc, last, (words[-len(tail)].i, long_range[1]), _is_plural(last)),
        ]
        if all(parts):
            return [p for p in parts if p]
    text = doc[long_range[0] : long_range[1]].text
    return [
        Definition(
            whole,
            text,
            first.idx,
            last.idx + len(last.text),
            doc[long_range[0]].idx,
            doc[long_range[1] - 1].idx + len(doc[long_range[1] - 1].text),
        )
    ]


def _cue_then_short(doc: Doc, sentence_start: int, i: int) -> Definition | None:
    """the Better Care Fund, or BCF, / partnerships, known as STPs / board – ICB –"""
    token = doc[i]
    if short_form(token.text) is None or i < 2:
        return None
    previous = doc[i - 1]
    if previous.lower_ == "or" and doc[i - 2].text == ",":
        cue_start = i - 2
    elif previous.lower_ == "as" and doc[i - 2].lower_ == "known":
        cue_start = i - 2 - (doc[i - 3].text == "," if i >= 3 else 0)
    elif previous.text in _DASHES and i + 1 < len(doc) and doc[i + 1].text in _DASHES | {")", ","}:
        cue_start = i - 1
    else:
        return None
    long_range = _long_before(doc, sentence_start, cue_start, short_form(token.text) or "")
    return _definition(doc, token, long_range, _is_plural(token)) if long_range else None


def _candidate_positions(doc: Doc) -> list[int]:
    """Opening brackets, and tokens right after "or", "as" or a dash: the only places a definition can be."""
    from spacy.attrs import ORTH

    strings = doc.vocab.strings
    orth = doc.to_array(ORTH)
    brackets = np.flatnonzero(orth == strings.add("(")).tolist()
    cues = np.array([strings.add(w) for w in ("or", "as", *_DASHES)], dtype="uint64")
    after_cue = (np.flatnonzero(np.isin(orth[:-1], cues)) + 1).tolist() if len(orth) > 1 else []
    return sorted(set(brackets) | set(after_cue))


def _sentence_start(starts: list[int], i: int) -> int:
    return starts[bisect_right(starts, i) - 1]


def find_definitions(doc: Doc) -> Iterator[Definition]:
    """Every acronym definition in a spaCy Doc (within sentences when the doc has them)."""
    candidates = _candidate_positions(doc)
    starts = sentence_start_tokens(doc) if candidates else [0]
    for i in candidates:
        token = doc[i]
        if token.text == "(":
            inside = _inside(doc, i)
            if inside:
                found = _long_then_short(doc, _sentence_start(starts, i), i, inside)
                yield from found or [d for d in [_short_then_long(doc, i, inside)] if d]
        elif short_form(token.text):
            found_one = _cue_then_short(doc, _sentence_start(starts, i), i)
            if found_one:
                yield found_one


def first_definitions(definitions: Iterable[Definition]) -> dict[str, Definition]:
    """The first definition of each acronym in a document."""
    found: dict[str, Definition] = {}
    for definition in definitions:
        found.setdefault(definition.short, definition)
    return found


Doc.set_extension("nhsx_definitions", default=None, force=True)


class AbbreviationDetector:
    """Finds acronyms the text defines ("integrated care boards (ICBs)", "the BCF, or ..."):
    ``doc._.nhsx_definitions`` is a list of ``nhsx.nlp.abbreviations.Definition``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp, self.name = nlp, name

    def __call__(self, doc: Doc) -> Doc:
        doc._.nhsx_definitions = list(find_definitions(doc))
        return doc
