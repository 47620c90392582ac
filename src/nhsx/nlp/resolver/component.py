"""The resolver component: chooses the output mentions and links them within the document.

Reads the candidate span groups, writes ``doc.spans["nhsx"]``; the logic is in ``selection``, ``people``
and ``links``.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from nhsx.nlp.gazetteer_matcher import gazetteer_entries
from nhsx.nlp.resolver.links import (
    BareKindHeads,
    TrustNames,
    area_abbreviations,
    drop_coordinated_parts,
    drop_prefixed_titles,
    extend_nhs_prefix,
    extend_trust_names,
    keep_area_documents,
    kinds_named_by_place,
    known_body_names,
    link_bare_kind_heads,
    link_bare_prefixes,
    link_defined_acronyms,
    link_informal_trust_names,
    link_known_names,
    link_short_body_names,
    link_short_policy_names,
    link_title_case_acronyms,
    listed_with_bodies,
    qualified_unknown_bodies,
    title_case_forms,
)
from nhsx.nlp.resolver.people import (
    drop_people_in_defined_terms,
    given_name_variants,
    initials_definitions,
    resolve_people,
    with_entry_ids,
)
from nhsx.nlp.resolver.selection import Candidate, select
from nhsx.nlp.rules.cues import Cues
from nhsx.nlp.rules.organisations import (
    HeadedName,
    HeadedNames,
    area_places,
    council_places,
    joint_area,
    titled_body_start,
)
from nhsx.nlp.spans import (
    GAZETTEER_KEY,
    TITLED_KEY,
    WEAK_KEY,
    named_span,
    output_span,
    set_span_meta,
    to_candidate,
    used_as_name,
)


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
        self.org_heads = cues.org_heads
        self.policy_short_heads = frozenset(cues.policy_short_heads)
        self.committee_kinds = frozenset(cues.committee_kinds)
        self.stop_words = frozenset(cues.not_name_words)
        self.prefixes = frozenset(cues.org_prefixes)
        self.title_words = frozenset(cues.title_words) | set(cues.policy_heads) | set(cues.governance_heads)
        self.place_qualifiers = frozenset(cues.place_qualifiers)
        self.bare_kind_heads = BareKindHeads.of(cues.bare_kind_heads, cues.bare_kind_blockers)
        self.policy_words = HeadedNames(cues).policy_words
        self.first_names = frozenset(cues.first_names)
        self.name_variants = given_name_variants()
        # words after which a sentence's first word is used as a name ("Nice said", "Nice's")
        self.name_followers = frozenset({w.lower() for w in cues.speech_verbs} | {"'s", "\u2019s"})
        self._title_case_forms: dict[str, dict[str, str]] | None = None
        self._ids_by_person: dict[str, str] | None = None
        self._acronyms: frozenset[str] | None = None
        self._trusts: TrustNames | None = None
        self._known_names: dict[str, tuple[str, str]] | None = None
        self._areas: dict[str, str] | None = None
        self._parents_by_id: dict[str, str] | None = None
        self._places: set[str] | None = None

    def _candidates(self, doc: Doc) -> list[Candidate]:
        cands: list[Candidate] = []
        for key in self.candidate_keys:
            source = "gazetteer" if key == GAZETTEER_KEY else "rule"
            cands.extend(to_candidate(span, source) for span in doc.spans.get(key, []))
        # "Monitor ..." at a sentence start counts only if the document names Monitor elsewhere too, or
        # another body of its family ("One Devon" after NHS Devon, the board its system belongs to), or
        # the word is used as a name there ("Monitor's licence", "Monitor, created in 2004")
        weak = doc.spans.get(WEAK_KEY, [])
        if weak:
            cands.extend(to_candidate(s, "gazetteer") for s in self._confirmed(doc, weak, cands))
        cands.extend(self._titled_bodies(doc, cands))
        cands.extend(self._model_candidates(doc))
        return cands

    def _confirmed(self, doc: Doc, weak: Iterable[Span], cands: list[Candidate]) -> list[Span]:
        """The weak matches the document confirms: by the entry or its family named, by use as a name, or
        by standing in a list of bodies (a line of its own beside a known body's line)."""
        confirmed = {c.entry_id for c in cands if c.entry_id}
        parents = self._parents()
        confirmed |= {parents[e] for e in confirmed if e in parents}
        lines = {(c.start, c.end) for c in cands if c.label == "BODY" and c.source == "gazetteer"}
        return [
            s
            for s in weak
            if s.kb_id_ in confirmed
            or parents.get(s.kb_id_) in confirmed
            or used_as_name(doc, s.end)
            or listed_with_bodies(doc, s.start, s.end, lines)
        ]

    def _titled_bodies(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """The committees, boards and groups named after a policy, a known body or areas joined ("Better Care
        Fund Task Force", "Lancashire and Cumbria Sexual Health Networking Board"), judged here where the
        gazetteer's matches are candidates."""
        user_data: dict[Any, Any] = doc.user_data  # keyed by a tuple, like spaCy's extension values
        titled = user_data.get(TITLED_KEY)
        if not titled:
            return []
        known: dict[int, list[int]] = {}
        for c in cands:
            if c.source == "gazetteer" and c.label in ("BODY", "POLICY"):  # not a kind ("Integrated Care Board")
                known.setdefault(c.start, []).append(c.end)
        found, places = [], self._area_places()
        for start, end, head_start in titled:
            for k in range(start + 1, head_start):
                # areas joined open a joint body ("Leicester, Leicestershire and Rutland Joint Health Scrutiny
                # Committee"); one area's committee is most often its council's own ("North Somerset Health
                # Scrutiny Committee")
                if joint_area(" ".join(doc[start:k].text.split()).lower(), places):
                    known.setdefault(start, []).append(k)
            name = HeadedName(start, end, "titled_body", head_start)
            begin = titled_body_start(name, doc, self.policy_words, known, self.committee_kinds)
            if begin is not None:
                found.append(to_candidate(named_span(doc, begin, end, "BODY"), "rule"))
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

    def _trust_names(self) -> TrustNames:
        if self._trusts is None:
            self._trusts = TrustNames.of(gazetteer_entries(self.nlp))
        return self._trusts

    def _area_places(self) -> set[str]:
        if self._places is None:
            entries = gazetteer_entries(self.nlp)
            named = [(e.kind, (e.canonical, *e.aliases)) for e in entries if e.label == "BODY"]
            councils = council_places(e.canonical for e in entries if e.kind == "council")
            self._places = area_places(named, self.org_heads) | {p.lower() for p in councils}
        return self._places

    def _parents(self) -> dict[str, str]:
        """Entry id -> its parent's, for the entries that have one."""
        if self._parents_by_id is None:
            self._parents_by_id = {e.id: e.parent for e in gazetteer_entries(self.nlp) if e.parent}
        return self._parents_by_id

    def _area_abbreviations(self) -> dict[str, str]:
        if self._areas is None:
            self._areas = area_abbreviations(gazetteer_entries(self.nlp))
        return self._areas

    def _body_names(self) -> dict[str, tuple[str, str]]:
        if self._known_names is None:
            self._known_names = known_body_names(gazetteer_entries(self.nlp))
        return self._known_names

    def _acronym_forms(self) -> dict[str, dict[str, str]]:
        if self._title_case_forms is None:
            entries = gazetteer_entries(self.nlp)
            self._title_case_forms = title_case_forms({e.id: e.acronyms for e in entries if e.acronyms})
        return self._title_case_forms

    def _known_acronyms(self) -> frozenset[str]:
        """Every acronym nhsx knows: a person's initials never stand in for one."""
        if self._acronyms is None:
            self._acronyms = frozenset(a for e in gazetteer_entries(self.nlp) for a in e.acronyms)
        return self._acronyms

    def _person_ids(self) -> dict[str, str]:
        """Canonical person name -> gazetteer id, so resolved mentions carry the id too."""
        if self._ids_by_person is None:
            self._ids_by_person = {e.canonical: e.id for e in gazetteer_entries(self.nlp) if e.label == "PERSON"}
        return self._ids_by_person

    def __call__(self, doc: Doc) -> Doc:
        cands = kinds_named_by_place(extend_trust_names(doc, self._candidates(doc)))
        cands = qualified_unknown_bodies(doc, extend_nhs_prefix(doc, cands), self.place_qualifiers)
        cands = keep_area_documents(doc, cands, self._area_places())
        cands = drop_prefixed_titles(doc, cands, self.prefixes, self.title_words)
        chosen = select(drop_coordinated_parts(doc, cands))
        # first: the later links copy the names these give
        chosen = link_known_names(chosen, self._body_names(), self._area_abbreviations())
        chosen = link_informal_trust_names(doc, chosen, self._trust_names())
        chosen = link_defined_acronyms(doc, chosen, doc._.nhsx_definitions)
        chosen = link_bare_prefixes(doc, chosen, self.prefixes, self.title_words)
        chosen = link_bare_kind_heads(doc, chosen, self.bare_kind_heads)
        chosen = link_short_body_names(doc, chosen)
        chosen = link_short_policy_names(doc, chosen, self.policy_short_heads)
        chosen = link_title_case_acronyms(doc, chosen, self._acronym_forms(), self.name_followers)
        chosen = drop_people_in_defined_terms(doc, chosen, doc._.nhsx_definitions or [])
        people = resolve_people(doc, chosen, self.stop_words, self.first_names, self.name_variants)
        resolved = with_entry_ids(people, self._person_ids())
        defined = doc._.nhsx_definitions or []
        doc._.nhsx_definitions = [*defined, *initials_definitions(doc, resolved, defined, self._known_acronyms())]
        spans = []
        for cand in resolved:
            span = output_span(doc, cand.start, cand.end, cand.label, cand.canonical, cand.entry_id)
            set_span_meta(span, cand.acronym, cand.source)
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc
