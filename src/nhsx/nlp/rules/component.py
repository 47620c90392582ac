"""The rule matcher component: people, organisations and policies the gazetteers do not know.

Writes ``doc.spans["nhsx_rules"]``; the rules themselves are in ``people`` and ``organisations``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import srsly
from spacy.attrs import LOWER, ORTH, SHAPE
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from nhsx.nlp.abbreviations import Definition
from nhsx.nlp.gazetteer_matcher import gazetteer_entries
from nhsx.nlp.phrase_index import member
from nhsx.nlp.rules.cues import POLICY_RULES, POSSESSIVES, Cues
from nhsx.nlp.rules.organisations import (
    HeadedName,
    HeadedNames,
    council_places,
)
from nhsx.nlp.rules.people import (
    KnownPerson,
    KnownRoles,
    ListedNames,
    dangling_hyphen,
    initialled_line,
    initials_fit,
    is_initial,
    person_rules,
    role_phrases,
    role_used_as_adjective,
    split_run_on_names,
    starts_with_job_title,
    trim_cues,
)
from nhsx.nlp.rules.token_patterns import PatternSet
from nhsx.nlp.spans import (
    TITLED_KEY,
    capitalised,
    line_breaks,
    named_span,
    tokenizer_of,
)

NAME_FIRST_RULES = ("says", "appointed", "appositive")  # person rules whose match starts with the name


# person rules whose match ends where the name ends, so that a second name may run on after it
RUN_ON_RULES = ("honorific", "first_name", "role")


LIST_RULES = ("listed", "initialled")  # a name in a list stands on one line: the line above is not part of it


class _KeptTokens(Sequence[Token]):
    """A doc's tokens without its line breaks, made one at a time where a rule looks: building every
    Token object of a long document cost more than the rules themselves."""

    def __init__(self, doc: Doc, kept: list[int]) -> None:
        self.doc, self.kept = doc, kept

    def __len__(self) -> int:
        return len(self.kept)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self.doc[k] for k in self.kept[i]]
        return self.doc[self.kept[i]]


class _LowerWords(Sequence[str]):
    """A doc's lower-case words, read one at a time where needed."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    def __len__(self) -> int:
        return len(self.doc)

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        return self.doc[i].lower_


def _bracketed_long_forms(doc: Doc, definitions: Sequence[Definition] | None) -> dict[int, int]:
    """The closing bracket of each one-token acronym defined right after its long form -> where the long form
    starts: "North East and North Cumbria (NENC)" (so a head after the bracket may close the whole name)."""
    found = {}
    for d in definitions or ():
        short, long = doc.char_span(d.start, d.end), doc.char_span(d.long_start, d.long_end)
        if short is None or long is None or len(short) != 1 or short.end >= len(doc) or long.end != short.start - 1:
            continue
        if doc[short.start - 1].text == "(" and doc[short.end].text == ")":
            found[short.end] = long.start
    return found


def _text_without(doc: Doc, start: int, end: int, skipped: tuple[int, int]) -> str:
    """A name's words with the tokens ``skipped`` left out."""
    return " ".join([*doc[start : skipped[0]].text.split(), *doc[skipped[1] : end].text.split()])


class RuleMatcher:
    """People, organisations and policies nhsx does not know, found by rules: honorific + name, role +
    name, name + "said" (token patterns over word classes), and capitalised runs ending in a head word
    such as "County Council" or "Programme" (a walk back from each head). Also a listed person's
    surname alone where a role they held says who ("Health Secretary Hunt"), and committee-type names
    ("... Task Force", left in doc.user_data for the resolver to judge against the gazetteer's matches).

    Both only look where a rule can match: person patterns are tried from their trigger words
    (honorifics, first names, role words, speech verbs), the walk starts from head words.
    """

    def __init__(self, nlp: Language, name: str, spans_key: str) -> None:
        self.nlp, self.name, self.spans_key = nlp, name, spans_key
        self.cues = Cues.builtin()
        self._reset()

    def _reset(self) -> None:
        self.first_names = frozenset(self.cues.first_names)
        self.named_place_heads = frozenset(self.cues.named_place_heads)
        self.role_cues = frozenset({w.lower() for w in self.cues.role_words} | set(self.cues.role_acronyms))
        self._people: PatternSet | None = None
        self._places: dict[int, list[tuple[int, ...]]] | None = None
        self._heads: np.ndarray | None = None
        self._headed: HeadedNames | None = None
        self.listed = ListedNames.of(self.cues)
        self._known_roles: KnownRoles | None = None
        self._surnames: np.ndarray | None = None
        self.speech_verbs = frozenset(w.lower() for w in self.cues.speech_verbs)

    @property
    def known_roles(self) -> KnownRoles:
        if self._known_roles is None:
            self._known_roles = KnownRoles.of(gazetteer_entries(self.nlp), self.cues)
        return self._known_roles

    def _surname_hashes(self) -> np.ndarray:
        if self._surnames is None:
            self._surnames = self._sorted_hashes(self.known_roles.by_surname)
        return self._surnames

    def _sorted_hashes(self, words: Iterable[str]) -> np.ndarray:
        """The words' string ids, sorted: what ``member`` looks a document's ORTH array up in."""
        strings = self.nlp.vocab.strings
        return np.array(sorted(strings.add(w) for w in words), dtype="uint64")

    def _listed_surnames(self, doc: Doc, orth: np.ndarray, taken: set[int]) -> list[Span]:
        """A listed person's surname standing alone: after a role they held ("Health Secretary Hunt"),
        or used as a name ("Hunt said", "Hunt's plan") in a document that names one of their roles
        ("the health secretary"). Never inside another name ("Jeremy Hunt said", "Hunt Review")."""
        known, found = self.known_roles, []
        used_as_name = []
        for i in np.flatnonzero(member(self._surname_hashes(), orth)).tolist():
            if i in taken or capitalised(doc, i + 1):
                continue
            surname = doc[i].text
            if i > 0 and doc[i - 1].lower_ in self.role_cues:
                person = known.person(surname, [t.text for t in doc[max(0, i - 5) : i] if not t.is_space])
                if person is not None:
                    found.append((i, person))
            elif (
                not capitalised(doc, i - 1)
                and i + 1 < len(doc)
                and (doc[i + 1].lower_ in self.speech_verbs or doc[i + 1].text in POSSESSIVES)
            ):
                used_as_name.append(i)
        if used_as_name:
            found += self._named_by_role(doc, used_as_name)
        strings = self.nlp.vocab.strings
        return [
            Span(doc, i, i + 1, label="PERSON", kb_id=strings.add(p.entry_id), span_id=strings.add(p.canonical))
            for i, p in found
        ]

    def _named_by_role(self, doc: Doc, positions: list[int]) -> list[tuple[int, KnownPerson]]:
        known, strings = self.known_roles, self.nlp.vocab.strings
        roles = {w.lower() for w in self.cues.role_words} & known.role_vocabulary
        hashes = np.array(sorted(strings.add(w) for w in roles), dtype="uint64")
        at = np.flatnonzero(member(hashes, doc.to_array(LOWER))).tolist()
        phrases = role_phrases(_LowerWords(doc), at, known.role_vocabulary)
        found = [(i, known.named_by_role(doc[i].text, phrases)) for i in positions]
        return [(i, p) for i, p in found if p is not None]

    @property
    def headed(self) -> HeadedNames:
        if self._headed is None:
            self._headed = HeadedNames(self.cues)
        return self._headed

    @property
    def people(self) -> PatternSet:
        if self._people is None:
            self._people = person_rules(self.cues)
        return self._people

    def _head_hashes(self) -> np.ndarray:
        if self._heads is None:
            self._heads = self._sorted_hashes(self.headed.last_words)
        return self._heads

    def _people_in(self, doc: Doc, rule: str, start: int, end: int) -> list[Span]:
        """The names in a person-rule match: cue words trimmed, cut at a spaced dash, split where names run on."""
        tokens = [t for t in doc[start:end] if not t.is_space]  # a line break inside a name is stepped over
        texts = [t.text for t in tokens]
        cut = dangling_hyphen(texts, [t.whitespace_ for t in tokens])
        if cut is not None:
            tokens, texts = tokens[:cut], texts[:cut]
        cut = self._job_title_line(doc, tokens)
        if cut is not None:
            tokens, texts = tokens[:cut], texts[:cut]
        cut_start, cut_end = trim_cues(rule, texts, self.cues)
        tokens, texts = tokens[cut_start : len(tokens) - cut_end], texts[cut_start : len(texts) - cut_end]
        if rule in LIST_RULES:
            broken = max((j for j in range(1, len(tokens)) if tokens[j].i > tokens[j - 1].i + 1), default=0)
            tokens, texts = tokens[broken:], texts[broken:]
            if rule == "initialled" and not initials_fit(texts, doc[end - 2].text):
                return []
        elif rule in NAME_FIRST_RULES and texts and texts[0] not in self.first_names:
            # "Finance / John Smith said": with no cue before the name, a line above may be a heading
            broken = next((j for j in range(1, len(tokens)) if tokens[j].i > tokens[j - 1].i + 1), 0)
            tokens, texts = tokens[broken:], texts[broken:]
        if rule in RUN_ON_RULES and self._run_on_surname(doc, tokens, texts):
            tokens, texts = [*tokens, doc[tokens[-1].i + 1]], [*texts, doc[tokens[-1].i + 1].text]
        found = [
            named_span(doc, tokens[a].i, tokens[b - 1].i + 1, "PERSON")
            for a, b in split_run_on_names(texts, self.first_names)
            if b > a
        ]
        if rule == "listed" and found and any("." in t for t in texts):
            if any(t.whitespace_ for t in tokens[:-1]) or len(texts) > 3:
                return []  # "Smith. Jones": a sentence's end, not one dotted name
            found[0].id_ = " ".join(found[0].text.replace(".", " ").split())  # "Jo.Bloggs" is Jo Bloggs
        if rule == "peer" and len(texts) >= 3:  # "Carlile of Berriew": the person is known by the surname
            found[0].id_ = texts[0]
        return found

    def _listed_beside(self, doc: Doc, people: list[Span], taken: set[int]) -> list[Span]:
        """The names listed with a person found by a rule ("from Jo Bloggs, Ann Other and ...")."""
        found: list[Span] = []
        for person in people:
            if len(person) < 2:
                continue
            for start, end in self.listed.beside(doc, person.start, person.end):
                if not taken.intersection(range(start, end)):
                    taken.update(range(start, end))
                    found.append(named_span(doc, start, end, "PERSON"))
        return found

    def _whole_line(self, doc: Doc, start: int, end: int) -> bool:
        return (start == 0 or "\n" in doc[start - 1].text) and (end == len(doc) or "\n" in doc[end].text)

    def _between_listed_lines(self, doc: Doc, people: list[Span], taken: set[int]) -> list[Span]:
        """A list of names, one a line: a line of two or three name words between two lines that are each
        a person found is a person too ("Samih Kalakeche", whose given name nhsx does not know)."""
        whole = {p.start: p for p in people if p.label_ == "PERSON" and self._whole_line(doc, p.start, p.end)}
        classes, found = self.people.classes, []
        for person in list(whole.values()):
            start = person.end + 1  # the next line, after one line break
            if person.end >= len(doc) or doc[person.end].text != "\n":
                continue
            end = next((k for k in range(start, min(start + 4, len(doc))) if "\n" in doc[k].text), len(doc))
            if (
                2 <= end - start <= 3
                and end < len(doc)
                and doc[end].text == "\n"
                and end + 1 in whole
                and not taken.intersection(range(start, end))
                and all(classes.has(doc, t.orth, "name") for t in doc[start : end - 1])
                and all(classes.has(doc, t.orth, "surname") for t in doc[start:end])  # no heading word
            ):
                taken.update(range(start, end))
                found.append(named_span(doc, start, end, "PERSON"))
        return found

    def _names_a_place(self, doc: Doc, span: Span) -> bool:
        """ "Francis Crick House", "George Eliot Hospital": a name of two words or more right before a building
        or institution word names that place, not a person."""
        return (
            span.label_ == "PERSON"
            and len(span) >= 2
            and span.end < len(doc)
            and doc[span.end - 1].whitespace_ == " "
            and doc[span.end].text in self.named_place_heads
        )

    def _stood_in_for(self, doc: Doc, people: list[Span], taken: set[int]) -> list[Span]:
        """ "Dave Carr for Edwina Grant OBE, ...": on a line opening with an attendee's name, the two or three
        name words after "for" are the person the attendee stands in for (post-nominals may follow)."""
        found = []
        for person in people:
            k = person.end + 1
            if person.label_ != "PERSON" or k >= len(doc) or doc[person.end].lower_ != "for":
                continue
            if not (person.start == 0 or "\n" in doc[person.start - 1].text):
                continue
            end = k
            while end < len(doc) and end - k < 4 and self.listed.is_name_word(doc[end]):
                end += 1
            beyond = doc[end] if end < len(doc) else None
            run_on = beyond is not None and beyond.is_alpha and beyond.is_title  # "Fenby City Council"
            if 2 <= end - k <= 3 and not run_on and not taken.intersection(range(k, end)):
                taken.update(range(k, end))
                found.append(named_span(doc, k, end, "PERSON"))
        return found

    def _run_on_surname(self, doc: Doc, tokens: list[Token], texts: list[str]) -> bool:
        """ "Dr Catriona McMahon Louise Barnett": a match that ends in a second person's given name, with a
        surname right after it, runs on into that person's name."""
        after = tokens[-1].i + 1 if tokens else len(doc)
        return (
            len(texts) >= 3
            and texts[-1] in self.first_names
            and after < len(doc)
            and self.people.classes.has(doc, doc[after].orth, "surname")
            and not capitalised(doc, after + 1)
        )

    def _with_leading_initials(self, doc: Doc, span: Span, taken: set[int]) -> Span:
        """ "S R Proctor" where a rule found "R Proctor": initials right before a name that opens with one."""
        if span.label_ != "PERSON" or not is_initial(doc[span.start].text):
            return span
        start = span.start
        while start > 0 and start - 1 not in taken and is_initial(doc[start - 1].text):
            start -= 1
        if start == span.start:
            return span
        taken.update(range(start, span.start))
        return named_span(doc, start, span.end, "PERSON")

    def _initialled_lines(self, doc: Doc, taken: set[int]) -> list[Span]:
        """Author lines of names with initials only ("L J Patterson, C Lilburne"), read from the lines that
        open with an initial."""
        strings, classes = self.nlp.vocab.strings, self.people.classes
        shapes = np.array([strings.add("X"), strings.add("X.")], dtype="uint64")
        found: list[Span] = []
        for i in np.flatnonzero(np.isin(doc.to_array(SHAPE), shapes)).tolist():
            if i in taken or not (i == 0 or "\n" in doc[i - 1].text):
                continue
            end = i
            while end < len(doc) and "\n" not in doc[end].text:
                end += 1
            line = doc[i:end]
            surname = [classes.has(doc, t.orth, "surname") for t in line]
            for a, b in initialled_line([t.text for t in line], surname):
                if not taken.intersection(range(i + a, i + b)):
                    taken.update(range(i + a, i + b))
                    found.append(named_span(doc, i + a, i + b, "PERSON"))
        return found

    def _job_title_line(self, doc: Doc, tokens: list[Token]) -> int | None:
        """Where a name runs over a line break into a job title on the next line ("Jane Okonjo /
        Interim Chief Executive"): the index of the token that starts that line."""
        for j in range(1, len(tokens)):
            if tokens[j].i > tokens[j - 1].i + 1:  # a line break was stepped over
                words = [t.text for t in doc[tokens[j].i : tokens[j].i + 3]]
                if starts_with_job_title(words, self.role_cues):
                    return j
        return None

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        if len(doc):
            taken: set[int] = set()  # tokens of person matches: "Jeremy Hunt said" is not "Hunt"
            for rule, start, end in self.people(doc):
                if rule == "appositive" and role_used_as_adjective(doc, end):
                    continue
                if rule == "byline" and start > 0 and not doc[start - 1].is_space:
                    continue  # a byline stands on its own line
                if rule == "comma_byline" and end < len(doc) and "\n" not in doc[end].text:
                    continue  # "..., by Jo Bloggs" ends its line ("agreed, by Greater Manchester" is no byline)
                taken.update(range(start, end))
                spans += self._people_in(doc, rule, start, end)
            spans = [
                self._with_leading_initials(doc, span, taken) for span in spans if not self._names_a_place(doc, span)
            ]
            spans += self._initialled_lines(doc, taken)
            spans += self._listed_beside(doc, spans, taken)
            spans += self._between_listed_lines(doc, spans, taken)
            spans += self._stood_in_for(doc, spans, taken)
            orth = doc.to_array(ORTH)
            spans += self._listed_surnames(doc, orth, taken)
            titled = []
            for name in self._headed_names(doc, orth):
                if name.rule == "titled_body":  # kept or not by the resolver, which knows the gazetteer's matches
                    titled.append((name.start, name.end, name.head_start))
                else:
                    label = "POLICY" if name.rule in POLICY_RULES else "BODY"
                    span = named_span(doc, name.start, name.end, label)
                    if name.rule == "org_prefix":
                        span.id_ = self.headed.canonical_prefixed(span.id_)
                    if name.skipped:  # "North East and North Cumbria (NENC) Integrated Care System"
                        span.id_ = _text_without(doc, name.start, name.end, name.skipped)
                    spans.append(span)
            user_data: dict[Any, Any] = doc.user_data  # keyed by a tuple, like spaCy's extension values
            user_data[TITLED_KEY] = titled
            spans += [named_span(doc, start, end, "BODY") for start, end in self._nhs_places(orth)]
        doc.spans[self.spans_key] = spans
        return doc

    def _headed_names(self, doc: Doc, orth: np.ndarray) -> list[HeadedName]:
        """The names ending in a head word, in doc token offsets. A head split over two lines
        ("Frimley NHS / Trust") still closes a name; the rest of the name stays on the head's line."""
        breaks = line_breaks(doc)
        bracketed = _bracketed_long_forms(doc, doc._.nhsx_definitions)
        if not breaks.any():
            heads = np.flatnonzero(member(self._head_hashes(), orth)).tolist()
            return self.headed.find(doc, heads, bracketed=bracketed)
        kept_at = np.flatnonzero(~breaks)
        kept = _KeptTokens(doc, kept_at.tolist())
        after_break = np.zeros(len(kept_at), dtype=bool)
        after_break[kept_at > 0] = breaks[kept_at[kept_at > 0] - 1]
        line_starts = set(np.flatnonzero(after_break).tolist())
        heads = np.flatnonzero(member(self._head_hashes(), orth[~breaks])).tolist()
        at = np.cumsum(~breaks) - 1  # doc token -> its place among the kept tokens
        kept_bracketed = {int(at[close]): int(at[start]) for close, start in bracketed.items()}
        return [
            HeadedName(
                kept.kept[f.start],
                kept.kept[f.end - 1] + 1,
                f.rule,
                kept.kept[f.head_start] if f.head_start >= 0 else -1,
                (kept.kept[f.skipped[0]], kept.kept[f.skipped[1] - 1] + 1) if f.skipped else None,
            )
            for f in self.headed.find(kept, heads, line_starts, kept_bracketed)
        ]

    def _place_index(self) -> dict[int, list[tuple[int, ...]]]:
        """First token -> the token sequences of the places councils are named after, longest first
        (from the gazetteer's councils; none without it)."""
        if self._places is None:
            entries = gazetteer_entries(self.nlp)
            places = sorted(council_places(e.canonical for e in entries if e.kind == "council"))
            self._places = {}
            for tokens in tokenizer_of(self.nlp).pipe(places):
                self._places.setdefault(tokens[0].orth, []).append(tuple(t.orth for t in tokens))
            for found in self._places.values():
                found.sort(key=len, reverse=True)
        return self._places

    def _nhs_places(self, orth: np.ndarray) -> list[tuple[int, int]]:
        """ "NHS Salford", "NHS Surrey": "NHS" right before a council's place names a local NHS body
        (a primary care trust, or an ICB by its brand); known ones are in the gazetteer and win."""
        places, found = self._place_index(), []
        for i in np.flatnonzero(orth[:-1] == self.nlp.vocab.strings["NHS"]).tolist():
            for place in places.get(int(orth[i + 1]), ()):
                if tuple(orth[i + 1 : i + 1 + len(place)].tolist()) == place:
                    found.append((i, i + 1 + len(place)))
                    break
        return found

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cues.json", self.cues.to_dict())

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> RuleMatcher:
        self.cues = Cues.from_dict(srsly.read_json(Path(path) / "cues.json"))
        self._reset()
        return self
