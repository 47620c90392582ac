"""nhsx's spaCy components, registered as factories so any spaCy pipeline can use them.

    nlp.add_pipe("sentencizer")
    nlp.add_pipe("nhsx_abbreviations")  # acronyms defined in the text -> doc._.nhsx_definitions
    nlp.add_pipe("nhsx_gazetteer")   # gazetteer matches  -> doc.spans["nhsx_gazetteer"]
    nlp.add_pipe("nhsx_rules")       # rule matches       -> doc.spans["nhsx_rules"]
    nlp.add_pipe("nhsx_resolver")    # final mentions     -> doc.spans["nhsx"]

Candidate spans carry the label, the gazetteer id as ``kb_id_`` and the canonical name as ``id_``;
``Span._.nhsx_acronym`` and ``Span._.nhsx_source`` say how each final mention was found.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
import srsly
from spacy.attrs import IS_SPACE, LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import ensure_path, minibatch

from nhsx.knowledge import cache
from nhsx.nlp.abbreviations import find_definitions
from nhsx.knowledge.gazetteer import Entry, Gazetteer, Problem
from nhsx.nlp.patterns import ACRONYM, COMMON, EXACT_FORMS, HONORIFIC, compile_patterns
from nhsx.nlp.phrase_index import PhraseIndex, member
from nhsx.nlp.resolve import (
    extend_trust_names,
    BareKindHeads,
    link_bare_kind_heads,
    extend_nhs_prefix,
    kinds_named_by_place,
    link_bare_prefixes,
    qualified_unknown_bodies,
    TrustNames,
    drop_coordinated_parts,
    given_name_variants,
    link_defined_acronyms,
    link_informal_trust_names,
    link_title_case_acronyms,
    title_case_forms,
    link_short_body_names,
    resolve_people,
    with_entry_ids,
)
from nhsx.nlp.rules import (
    POLICY_RULES,
    POSSESSIVES,
    Cues,
    HeadedName,
    HeadedNames,
    KnownPerson,
    KnownRoles,
    role_phrases,
    council_places,
    dangling_hyphen,
    ListedNames,
    initials_fit,
    person_rules,
    role_used_as_adjective,
    starts_with_job_title,
    titled_body_start,
    split_run_on_names,
    trim_cues,
)
from nhsx.nlp.selection import Candidate, select
from nhsx.nlp.token_patterns import PatternSet

GAZETTEER_KEY = "nhsx_gazetteer"
WEAK_KEY = "nhsx_gazetteer_weak"  # ordinary-word names at a sentence start: kept only if confirmed elsewhere
RULES_KEY = "nhsx_rules"
OUTPUT_KEY = "nhsx"
# (start, end, head start) of each committee-type name the rules found ("... Task Force"), in doc.user_data
TITLED_KEY = ("nhsx", "titled_bodies")
NAME_FIRST_RULES = ("says", "appointed", "appositive")  # person rules whose match starts with the name
LIST_RULES = ("listed", "initialled")  # a name in a list stands on one line: the line above is not part of it
_OPENING_QUOTES = {'"', "'", "\u201c", "\u2018", "(", "["}
# After these a word opens a heading, a list item or a clause, as at a sentence start ("\u2022 Reform: ...").
_LINE_OPENERS = {":", "\u2013", "\u2014", "-", "\u2022", "\u00b7", "*", "\u25aa", "\u25e6", "\u25cf", "\u2023"}

Doc.set_extension("nhsx_definitions", default=None, force=True)


# How each span was found lives in doc.user_data under plain keys, like spaCy's own extension values,
# but the components read and write it directly: an extension attribute costs a microsecond a call.
def _meta_key(span: Span) -> tuple[str, int, int, int, int]:
    return ("nhsx", span.start, span.end, span.label, span.kb_id)


def span_meta(span: Span) -> tuple[bool, str | None]:
    """(acronym?, source) of a candidate or output span."""
    return span.doc.user_data.get(_meta_key(span), (False, None))


def set_span_meta(span: Span, acronym: bool, source: str | None) -> None:
    span.doc.user_data[_meta_key(span)] = (acronym, source)


Span.set_extension(
    "nhsx_acronym",
    getter=lambda span: span_meta(span)[0],
    setter=lambda span, value: set_span_meta(span, bool(value), span_meta(span)[1]),
    force=True,
)
Span.set_extension(
    "nhsx_source",
    getter=lambda span: span_meta(span)[1],
    setter=lambda span, value: set_span_meta(span, span_meta(span)[0], value),
    force=True,
)


def _span(doc: Doc, start: int, end: int, label: str, canonical: str, entry_id: str | None) -> Span:
    return Span(doc, start, end, label=label, kb_id=entry_id or "", span_id=canonical)


def _named_span(doc: Doc, start: int, end: int, label: str) -> Span:
    """A rule match: its canonical name is its own text."""
    span = Span(doc, start, end, label=label)
    span.id_ = " ".join(span.text.split())  # "Simon\nStevens" across a line break is "Simon Stevens"
    return span


def _to_candidate(span: Span, source: str) -> Candidate:
    return Candidate(
        span.start, span.end, span.label_, span.id_ or span.text, span.kb_id_ or None, span_meta(span)[0], source
    )


class GazetteerMatcher:
    """Matches every gazetteer entry: names ignoring case, acronyms and marked names with exact case.

    The compiled form (entries plus token-id phrase indexes) is cached on disk, keyed by the
    gazetteer files' contents and the nhsx and spaCy versions, so only the first run compiles.
    """

    def __init__(
        self, nlp: Language, name: str, gazetteers: Sequence[str], builtins: bool, spans_key: str
    ) -> None:
        self.nlp, self.name, self.spans_key = nlp, name, spans_key
        self.gazetteers, self.builtins = list(gazetteers), builtins
        self.problems: list[Problem] = []
        self._entries: dict[str, Entry] | None = None
        self._indexes: tuple[PhraseIndex, PhraseIndex] | None = None
        self._honorifics: tuple[str, ...] = Cues.builtin().surname_honorifics
        self._by_key: dict[str, tuple[str, str, int, int, int]] = {}

    # loading is lazy: a pipeline restored with from_disk never reads the YAML files
    @property
    def entries(self) -> dict[str, Entry]:
        if self._entries is None:
            self._load()
        assert self._entries is not None
        return self._entries

    def _load(self) -> None:
        layers = Gazetteer.layers(self.gazetteers, self.builtins)
        # the tokenizer's rules too: the compiled phrases are token sequences
        tokenizer = hashlib.sha256(self.nlp.tokenizer.to_bytes(exclude=["vocab"])).hexdigest()
        key = cache.cache_key([f for files in layers for f in files], *self._honorifics, tokenizer)
        cached = cache.load(key)
        if cached is not None:
            self._entries = {d["id"]: Entry.from_dict(d) for d in cached["entries"]}
            self.problems = [Problem(*p) for p in cached["problems"]]
            self._indexes = (PhraseIndex.from_lists(cached["names"]), PhraseIndex.from_lists(cached["exact"]))
            return
        gazetteer = Gazetteer.from_layers(layers)
        self.problems, self._entries = gazetteer.problems, gazetteer.entries
        names, exact = self.indexes
        cache.save(
            key,
            {
                "entries": [e.to_dict() for e in self._entries.values()],
                "problems": [[p.file, p.line, p.message] for p in self.problems],
                "names": names.to_lists(),
                "exact": exact.to_lists(),
            },
        )

    def set_entries(self, entries: Iterable[Entry]) -> None:
        self._entries = {e.id: e for e in entries}
        self._indexes = None
        self._by_key = {}

    def _key_info(self, key: str) -> tuple[str, str, int, int, int]:
        """(form, entry id, and the string ids of label, canonical name and entry id) of a pattern key."""
        info = self._by_key.get(key)
        if info is None:
            form, entry_id = key.split("|", 1)
            entry, strings = self.entries[entry_id], self.nlp.vocab.strings
            info = (form, entry_id, strings.add(entry.label), strings.add(entry.canonical), strings.add(entry_id))
            self._by_key[key] = info
        return info

    @property
    def indexes(self) -> tuple[PhraseIndex, PhraseIndex]:
        """(names on lower-case token ids, exact forms on token ids)."""
        if self._indexes is None:
            self._indexes = self._compile()
        return self._indexes

    def _compile(self) -> tuple[PhraseIndex, PhraseIndex]:
        names, exact = PhraseIndex(), PhraseIndex()
        patterns = compile_patterns(self.entries.values(), self._honorifics)
        for pattern, doc in zip(patterns, self.nlp.tokenizer.pipe(p.text for p in patterns)):
            if pattern.form in EXACT_FORMS:
                exact.add(pattern.key, [t.orth for t in doc])
            else:
                names.add(pattern.key, [t.lower for t in doc])
        return names, exact

    def matches(self, docs: Sequence[Doc]) -> list[list[tuple[str, int, int]]]:
        """(key, start, end) of every phrase match, per doc. A line break inside a name ("Care Quality
        / Commission") is stepped over: the phrases are looked up in each doc without its line breaks."""
        names, exact = self.indexes
        kept = [np.flatnonzero(~line_breaks(doc)) for doc in docs]
        columns = [doc.to_array([LOWER, ORTH])[k] for doc, k in zip(docs, kept)]
        by_name = names.find_many([c[:, 0] for c in columns])
        by_exact = exact.find_many([c[:, 1] for c in columns])
        return [_in_doc_tokens(a + b, k, len(doc)) for a, b, k, doc in zip(by_name, by_exact, kept, docs)]

    def __call__(self, doc: Doc) -> Doc:
        return self._annotate(doc, self.matches([doc])[0])

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            nonempty = [doc for doc in batch if len(doc)]
            found = dict(zip(map(id, nonempty), self.matches(nonempty) if nonempty else []))
            for doc in batch:
                yield self._annotate(doc, found.get(id(doc), []))

    def _annotate(self, doc: Doc, matches: list[tuple[str, int, int]]) -> Doc:
        spans: dict[tuple[int, int, str], Span] = {}
        weak: list[Span] = []
        for key, start, end in matches:
            form, entry_id, label, canonical, kb_id = self._key_info(key)
            if form == HONORIFIC:  # the surname after the honorific (and after a line break, if any)
                start += 1
                while doc[start].is_space:
                    start += 1
            if form == COMMON and _inside_capitalised_run(doc, start, end):
                continue  # "Elective Reform Plan", "Reform UK": part of another name
            span = Span(doc, start, end, label=label, kb_id=kb_id, span_id=canonical)
            if form == ACRONYM:
                set_span_meta(span, True, None)
            if form == COMMON and _sentence_initial(doc, start):
                weak.append(span)
            else:
                spans.setdefault((start, end, entry_id), span)
        doc.spans[self.spans_key] = list(spans.values())
        doc.spans[WEAK_KEY] = weak
        return doc

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "entries.jsonl", (e.to_dict() for e in self.entries.values()))
        srsly.write_json(path / "cfg.json", {"honorifics": list(self._honorifics)})

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "GazetteerMatcher":
        path = ensure_path(path)
        self._honorifics = tuple(srsly.read_json(path / "cfg.json")["honorifics"])
        self.set_entries(Entry.from_dict(d) for d in srsly.read_jsonl(path / "entries.jsonl"))
        return self


def line_breaks(doc: Doc) -> np.ndarray:
    """Which tokens are whitespace that may fall inside a name: a line break or extra spaces, not a blank line."""
    space = doc.to_array(IS_SPACE).astype(bool)
    for i in np.flatnonzero(space).tolist():  # few: whitespace tokens are only line breaks and extra spaces
        if doc[i].text.count("\n") >= 2:
            space[i] = False
    return space


def _in_doc_tokens(found: list[tuple[str, int, int]], kept: np.ndarray, length: int) -> list[tuple[str, int, int]]:
    """Matches counted over the kept tokens, as doc token offsets."""
    if len(kept) == length:
        return found
    index = kept.tolist()
    return [(key, index[start], index[end - 1] + 1) for key, start, end in found]


def _capitalised(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and doc[i].is_alpha and doc[i].text[0].isupper()


def _inside_capitalised_run(doc: Doc, start: int, end: int) -> bool:
    return _capitalised(doc, end) or (_capitalised(doc, start - 1) and not doc[start].is_sent_start)


def _sentence_initial(doc: Doc, i: int) -> bool:
    if i == 0 or doc[i].is_sent_start:
        return True
    previous = doc[i - 1]
    return previous.text in _OPENING_QUOTES or previous.is_space or previous.text in _LINE_OPENERS


class _LowerWords(Sequence[str]):
    """A doc's lower-case words, read one at a time where needed."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    def __len__(self) -> int:
        return len(self.doc)

    def __getitem__(self, i):  # type: ignore[override]
        return self.doc[i].lower_


def _used_as_name(doc: Doc, end: int) -> bool:
    return end < len(doc) and doc[end].text in {"'s", "\u2019s", ","}


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
        self.role_cues = frozenset({w.lower() for w in self.cues.role_words} | set(self.cues.role_acronyms))
        self._people: PatternSet | None = None
        self._places: dict[int, list[tuple[int, ...]]] | None = None
        self._heads: np.ndarray | None = None
        self._headed: HeadedNames | None = None
        self.listed = ListedNames.of(self.cues)
        self._known_roles: KnownRoles | None = None
        self._surnames: np.ndarray | None = None
        self.speech_verbs = frozenset(w.lower() for w in self.cues.speech_verbs)

    def _gazetteer_entries(self) -> Iterable[Entry]:
        try:
            return self.nlp.get_pipe("nhsx_gazetteer").entries.values()
        except KeyError:  # used without nhsx_gazetteer
            return []

    @property
    def known_roles(self) -> KnownRoles:
        if self._known_roles is None:
            self._known_roles = KnownRoles.of(self._gazetteer_entries(), self.cues)
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
            if i in taken or _capitalised(doc, i + 1):
                continue
            surname = doc[i].text
            if i > 0 and doc[i - 1].lower_ in self.role_cues:
                person = known.person(surname, [t.text for t in doc[max(0, i - 5) : i] if not t.is_space])
                if person is not None:
                    found.append((i, person))
            elif not _capitalised(doc, i - 1) and i + 1 < len(doc) and (
                doc[i + 1].lower_ in self.speech_verbs or doc[i + 1].text in POSSESSIVES
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
        found = [
            _named_span(doc, tokens[a].i, tokens[b - 1].i + 1, "PERSON")
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
                    found.append(_named_span(doc, start, end, "PERSON"))
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
                taken.update(range(start, end))
                spans += self._people_in(doc, rule, start, end)
            spans += self._listed_beside(doc, spans, taken)
            orth = doc.to_array(ORTH)
            spans += self._listed_surnames(doc, orth, taken)
            titled = []
            for name in self._headed_names(doc, orth):
                if name.rule == "titled_body":  # kept or not by the resolver, which knows the gazetteer's matches
                    titled.append((name.start, name.end, name.head_start))
                else:
                    label = "POLICY" if name.rule in POLICY_RULES else "BODY"
                    span = _named_span(doc, name.start, name.end, label)
                    if name.rule == "org_prefix":
                        span.id_ = self.headed.canonical_prefixed(span.id_)
                    spans.append(span)
            doc.user_data[TITLED_KEY] = titled
            spans += [_named_span(doc, start, end, "BODY") for start, end in self._nhs_places(orth)]
        doc.spans[self.spans_key] = spans
        return doc

    def _headed_names(self, doc: Doc, orth: np.ndarray) -> list[HeadedName]:
        """The names ending in a head word, in doc token offsets. A head split over two lines
        ("Frimley NHS / Trust") still closes a name; the rest of the name stays on the head's line."""
        breaks = line_breaks(doc)
        if not breaks.any():
            heads = np.flatnonzero(member(self._head_hashes(), orth)).tolist()
            return self.headed.find(doc, heads)
        kept = [token for token, is_break in zip(doc, breaks.tolist()) if not is_break]
        line_starts = {j for j, token in enumerate(kept) if token.i > 0 and breaks[token.i - 1]}
        heads = np.flatnonzero(member(self._head_hashes(), orth[~breaks])).tolist()
        return [
            HeadedName(
                kept[f.start].i, kept[f.end - 1].i + 1, f.rule, kept[f.head_start].i if f.head_start >= 0 else -1
            )
            for f in self.headed.find(kept, heads, line_starts)
        ]

    def _place_index(self) -> dict[int, list[tuple[int, ...]]]:
        """First token -> the token sequences of the places councils are named after, longest first
        (from the gazetteer's councils; none without it)."""
        if self._places is None:
            entries = self._gazetteer_entries()
            places = sorted(council_places(e.canonical for e in entries if e.kind == "council"))
            self._places = {}
            for tokens in self.nlp.tokenizer.pipe(places):
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
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cues.json", self.cues.to_dict())

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "RuleMatcher":
        self.cues = Cues.from_dict(srsly.read_json(ensure_path(path) / "cues.json"))
        self._reset()
        return self


class Resolver:
    """Chooses the output mentions (selection policy), links people within the document, writes doc.spans."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        candidate_keys: Sequence[str],
        spans_key: str,
        model_labels: dict[str, str],
    ) -> None:
        self.nlp, self.name, self.spans_key = nlp, name, spans_key
        self.candidate_keys = list(candidate_keys)
        self.model_labels = dict(model_labels)
        cues = Cues.builtin()
        self.stop_words = frozenset(cues.not_name_words)
        self.prefixes = frozenset(cues.org_prefixes)
        self.place_qualifiers = frozenset(cues.place_qualifiers)
        self.bare_kind_heads = BareKindHeads.of(cues.bare_kind_heads, cues.bare_kind_blockers)
        self.policy_words = HeadedNames(cues).policy_words
        self.first_names = frozenset(cues.first_names)
        self.name_variants = given_name_variants()
        # words after which a sentence's first word is used as a name ("Nice said", "Nice's")
        self.name_followers = frozenset({w.lower() for w in cues.speech_verbs} | {"'s", "\u2019s"})
        self._title_case_forms: dict[str, dict[str, str]] | None = None
        self._ids_by_person: dict[str, str] | None = None
        self._trusts: TrustNames | None = None

    def _candidates(self, doc: Doc) -> list[Candidate]:
        cands = []
        for key in self.candidate_keys:
            source = "gazetteer" if key == GAZETTEER_KEY else "rule"
            cands.extend(_to_candidate(span, source) for span in doc.spans.get(key, []))
        # "Monitor ..." at a sentence start counts only if the document names Monitor elsewhere too,
        # or the word is used as a name there ("Monitor's licence", "Monitor, created in 2004")
        confirmed = {c.entry_id for c in cands if c.entry_id}
        cands.extend(
            _to_candidate(s, "gazetteer")
            for s in doc.spans.get(WEAK_KEY, [])
            if s.kb_id_ in confirmed or _used_as_name(doc, s.end)
        )
        cands.extend(self._titled_bodies(doc, cands))
        cands.extend(self._model_candidates(doc))
        return cands

    def _titled_bodies(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """The committees, boards and groups named after a policy or a known body ("Better Care Fund
        Task Force"), judged here where the gazetteer's matches are already candidates."""
        titled = doc.user_data.get(TITLED_KEY)
        if not titled:
            return []
        known: dict[int, list[int]] = {}
        for c in cands:
            if c.source == "gazetteer" and c.label in ("BODY", "POLICY"):  # not a kind ("Integrated Care Board")
                known.setdefault(c.start, []).append(c.end)
        found = []
        for start, end, head_start in titled:
            begin = titled_body_start(HeadedName(start, end, "titled_body", head_start), doc, self.policy_words, known)
            if begin is not None:
                found.append(_to_candidate(_named_span(doc, begin, end, "BODY"), "rule"))
        return found

    def _model_candidates(self, doc: Doc) -> list[Candidate]:
        found = []
        for ent in doc.ents:
            label = self.model_labels.get(ent.label_)
            if not label:
                continue
            start, end = ent.start, ent.end
            while start < end and doc[start].lower_ in ("the", "mr", "mrs", "ms", "dr", "sir", "dame", "professor"):
                start += 1
            while end > start and doc[end - 1].text in ("'s", "\u2019s", "'", "\u2019"):
                end -= 1
            if start < end:
                found.append(Candidate(start, end, label, doc[start:end].text, None, False, "model"))
        return found

    def _gazetteer_entries(self) -> Iterable[Entry]:
        try:
            return self.nlp.get_pipe("nhsx_gazetteer").entries.values()
        except KeyError:  # used without nhsx_gazetteer
            return []

    def _trust_names(self) -> TrustNames:
        if self._trusts is None:
            self._trusts = TrustNames.of(self._gazetteer_entries())
        return self._trusts

    def _acronym_forms(self) -> dict[str, dict[str, str]]:
        if self._title_case_forms is None:
            entries = self._gazetteer_entries()
            self._title_case_forms = title_case_forms({e.id: e.acronyms for e in entries if e.acronyms})
        return self._title_case_forms

    def _person_ids(self) -> dict[str, str]:
        """Canonical person name -> gazetteer id, so resolved mentions carry the id too."""
        if self._ids_by_person is None:
            self._ids_by_person = {e.canonical: e.id for e in self._gazetteer_entries() if e.label == "PERSON"}
        return self._ids_by_person

    def __call__(self, doc: Doc) -> Doc:
        cands = kinds_named_by_place(extend_trust_names(doc, self._candidates(doc)))
        cands = qualified_unknown_bodies(doc, extend_nhs_prefix(doc, cands), self.place_qualifiers)
        chosen = select(drop_coordinated_parts(doc, cands))
        chosen = link_informal_trust_names(doc, chosen, self._trust_names())  # first: later links copy names
        chosen = link_defined_acronyms(doc, chosen, doc._.nhsx_definitions)
        chosen = link_bare_prefixes(doc, chosen, self.prefixes)
        chosen = link_bare_kind_heads(doc, chosen, self.bare_kind_heads)
        chosen = link_short_body_names(doc, chosen)
        chosen = link_title_case_acronyms(doc, chosen, self._acronym_forms(), self.name_followers)
        people = resolve_people(doc, chosen, self.stop_words, self.first_names, self.name_variants)
        resolved = with_entry_ids(people, self._person_ids())
        spans = []
        for cand in resolved:
            span = _span(doc, cand.start, cand.end, cand.label, cand.canonical, cand.entry_id)
            set_span_meta(span, cand.acronym, cand.source)
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


class AbbreviationDetector:
    """Finds acronyms the text defines ("integrated care boards (ICBs)", "the BCF, or ..."):
    ``doc._.nhsx_definitions`` is a list of ``nhsx.nlp.abbreviations.Definition``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp, self.name = nlp, name

    def __call__(self, doc: Doc) -> Doc:
        doc._.nhsx_definitions = list(find_definitions(doc))
        return doc


@Language.factory("nhsx_abbreviations")
def make_abbreviations(nlp: Language, name: str) -> AbbreviationDetector:
    return AbbreviationDetector(nlp, name)


@Language.factory(
    "nhsx_gazetteer",
    default_config={"gazetteers": [], "builtins": True, "spans_key": GAZETTEER_KEY},
)
def make_gazetteer(
    nlp: Language, name: str, gazetteers: list[str], builtins: bool, spans_key: str
) -> GazetteerMatcher:
    return GazetteerMatcher(nlp, name, gazetteers, builtins, spans_key)


@Language.factory("nhsx_rules", default_config={"spans_key": RULES_KEY})
def make_rules(nlp: Language, name: str, spans_key: str) -> RuleMatcher:
    return RuleMatcher(nlp, name, spans_key)


@Language.factory(
    "nhsx_resolver",
    default_config={
        "candidate_keys": [GAZETTEER_KEY, RULES_KEY],
        "spans_key": OUTPUT_KEY,
        "model_labels": {"PERSON": "PERSON", "PER": "PERSON", "ORG": "BODY"},
    },
)
def make_resolver(
    nlp: Language, name: str, candidate_keys: list[str], spans_key: str, model_labels: dict[str, str]
) -> Resolver:
    return Resolver(nlp, name, candidate_keys, spans_key, model_labels)
