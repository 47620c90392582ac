"""`nhsx report`: one self-contained HTML page of a run (corpus summary, sortable entity table, every document
with its mentions highlighted, glossary, co-occurrence network and timeline).

The page has no external references: CSS and JS are inline and pictures are inline SVG, so it opens offline
from an e-mail attachment. Documents are rendered as they stream past, in the style of spaCy's displaCy
``ent`` view (a ``<mark>`` holding the text and a small label tag, so colour is never the only cue); only
that HTML fragment is kept per document, with counters for the rest. displaCy itself is not used because
its template cannot give each mention the anchor the entity table links to.

Filters are keyboard-usable inputs; their state is also read from the address's fragment
(``report.html#label=PERSON&q=nhs``), so a filtered view can be linked to.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from nhsx.analyse.cooccur import Cooccurrence
from nhsx.analyse.entities import EntityTable, entity_key
from nhsx.analyse.glossary import DocumentAcronym, Glossary, Sense, document_acronyms
from nhsx.analyse.timeline import Timeline, word_count
from nhsx.nlp.abbreviations import Definition
from nhsx.read.dates import period_of
from nhsx.records import Mention
from nhsx.write.plot import OTHER_COLOUR, PALETTE

MAX_LINKS = 20  # mention links listed per entity in the table (the first ones, in reading order)
DOC_TOP = 5  # entities named in each document's summary
TIMELINE_ENTITIES = 8


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def colour(label: str) -> str:
    return PALETTE.get(label, OTHER_COLOUR)


def render_mentions(text: str, mentions: Iterable[Mention], anchor: str) -> str:
    """The text with each mention as ``<mark>`` (id ``{anchor}-{n}``) holding its text and a label tag;
    everything escaped. A mention overlapping the one before is left unmarked."""
    parts, position = [], 0
    for number, mention in enumerate(mentions):
        if mention.start < position or mention.end > len(text) or mention.start >= mention.end:
            continue
        parts.append(esc(text[position : mention.start]))
        parts.append(
            f'<mark class="entity" id="{anchor}-{number}" data-label="{esc(mention.label)}">'
            f"{esc(text[mention.start : mention.end])}"
            f'<span class="tag">{esc(mention.label)}</span></mark>'
        )
        position = mention.end
    parts.append(esc(text[position:]))
    return "".join(parts)


@dataclass(frozen=True)
class DocumentPart:
    """What the page keeps of one document: its rendered section and a few numbers."""

    html: str
    words: int
    date: str | None


class ReportBuilder:
    """Takes each document's results as they stream past; ``page()`` builds the HTML at the end."""

    def __init__(self, known: Mapping[str, Sequence[Sense]], top: int = 20) -> None:
        self.known, self.top = known, top
        self.entities = EntityTable()
        self.cooccur = Cooccurrence("sentence")
        self.glossary = Glossary(known)
        self.timeline = Timeline("year")
        self.parts: list[DocumentPart] = []
        self.labels: Counter[str] = Counter()
        self.links: dict[tuple[str, str], list[tuple[str, str]]] = {}  # entity -> (anchor, document name)

    def add_document(
        self,
        name: str,
        text: str,
        mentions: Sequence[Mention],
        definitions: Sequence[Definition] = (),
        date: str | None = None,
    ) -> None:
        anchor = f"d{len(self.parts)}"
        acronyms = document_acronyms(text, self.known, definitions)
        words = word_count(text)
        self.entities.add_document(mentions)
        self.cooccur.add_document(mentions)
        self.glossary.add_acronyms(name, acronyms)
        year = period_of(date, "year") if date else None
        if year:
            self.timeline.add_document(year, words, mentions)
        self.labels.update(m.label for m in mentions)
        for number, mention in enumerate(mentions):
            links = self.links.setdefault(entity_key(mention), [])
            if len(links) < MAX_LINKS:
                links.append((f"{anchor}-{number}", name))
        section = self._section(anchor, name, text, mentions, acronyms, words, date)
        self.parts.append(DocumentPart(section, words, date))

    def _section(
        self,
        anchor: str,
        name: str,
        text: str,
        mentions: Sequence[Mention],
        acronyms: Sequence[DocumentAcronym],
        words: int,
        date: str | None,
    ) -> str:
        named = Counter((m.canonical, m.label) for m in mentions).most_common(DOC_TOP)
        top = ", ".join(f"{esc(c)} <small>({esc(label)}, {n})</small>" for (c, label), n in named) or "none"
        used = (
            ", ".join(
                f'<abbr title="{esc(a.expansion)}">{esc(a.acronym)}</abbr>' if a.expansion else esc(a.acronym)
                for a in acronyms
            )
            or "none"
        )
        dated = f", dated {esc(date)}" if date else ""
        return (
            f'<section class="doc" id="{anchor}" aria-labelledby="{anchor}-h">'
            f'<h3 id="{anchor}-h">{esc(name)}</h3>'
            f'<p class="meta">{words:,} words, {len(mentions):,} mentions{dated}.</p>'
            f'<dl class="meta"><dt>Top entities</dt><dd>{top}</dd><dt>Acronyms used</dt><dd>{used}</dd></dl>'
            f'<div class="entities">{render_mentions(text, mentions, anchor)}</div></section>\n'
        )

    # --- the page ---------------------------------------------------------------------------------

    def page(self, title: str = "nhsx report") -> str:
        sections = [
            self._summary(),
            self._entity_table(),
            self._glossary(),
            self._network(),
            self._timeline(),
            self._documents(),
        ]
        nav = "".join(f'<li><a href="#{key}">{name}</a></li>' for key, name in NAV)
        return (
            f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{self._css()}</style></head>"
            f'<body><header><h1>{esc(title)}</h1><nav aria-label="Sections"><ul>{nav}</ul></nav></header>'
            f"<main>{''.join(sections)}</main><script>{SCRIPT}</script></body></html>\n"
        )

    def _css(self) -> str:
        labels = sorted(set(self.labels) | set(PALETTE))
        rules = "".join(
            f'mark[data-label="{label}"]{{background:{colour(label)}26;border-bottom:3px solid {colour(label)}}}'
            f'mark[data-label="{label}"] .tag{{border-color:{colour(label)}}}'
            f'.swatch[data-label="{label}"]{{background:{colour(label)}}}'
            for label in labels
            if re.fullmatch(r"[A-Z_]+", label)
        )
        return CSS + rules

    def _summary(self) -> str:
        dates = sorted(p.date for p in self.parts if p.date)
        words = sum(p.words for p in self.parts)
        rows = [
            ("Documents", f"{len(self.parts):,}"),
            ("Words", f"{words:,}"),
            ("Mentions", f"{sum(self.labels.values()):,}"),
            ("Entities", f"{len(self.entities.rows()):,}"),
        ]
        rows += [(f"{label} mentions", f"{count:,}") for label, count in sorted(self.labels.items())]
        if dates:
            undated = len(self.parts) - len(dates)
            rows.append(("Dates", f"{dates[0]} to {dates[-1]}" + (f" ({undated:,} undated)" if undated else "")))
        else:
            rows.append(("Dates", "none known"))
        body = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows)
        return f'<section id="summary"><h2>Corpus summary</h2><table class="summary">{body}</table></section>'

    def _entity_table(self) -> str:
        rows = []
        for row in self.entities.rows():
            key = (row.label, row.id or f"name:{row.canonical}")
            links = self.links.get(key, [])
            first = f'<a href="#{links[0][0]}">{esc(row.canonical)}</a>' if links else esc(row.canonical)
            more = " ".join(f'<a href="#{a}">{esc(doc)}</a>' for a, doc in links)
            forms = ", ".join(f"{esc(f)} ({n})" for f, n in row.forms.most_common())
            rows.append(
                f'<tr data-label="{esc(row.label)}"><td data-v="{esc(row.canonical)}">{first}'
                f"<details><summary>mentions</summary>{more}</details></td>"
                f'<td class="nw"><span class="swatch" data-label="{esc(row.label)}"></span>{esc(row.label)}</td>'
                f'<td class="n">{row.mentions}</td><td class="n">{row.documents}</td><td>{forms}</td>'
                f"<td><code>{esc(row.id or '')}</code></td></tr>"
            )
        boxes = "".join(
            f'<label><input type="checkbox" name="label" value="{esc(label)}" checked> {esc(label)}</label>'
            for label in sorted(self.labels)
        )
        heads = "".join(
            f'<th scope="col" aria-sort="none"><button type="button" data-col="{i}" data-kind="{kind}">{name}</button></th>'
            for i, (name, kind) in enumerate(ENTITY_HEADS)
        )
        return (
            '<section id="entities"><h2>Entities</h2>'
            '<form class="filters" role="search" onsubmit="return false"><fieldset><legend>Labels</legend>'
            f'{boxes}</fieldset><label>Name, form or id contains <input type="search" id="q"></label>'
            '<p id="shown" aria-live="polite"></p></form>'
            f'<table id="entity-table"><caption>Entities found, most mentioned first '
            f"(a column's button sorts by it)</caption><thead><tr>{heads}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>"
        )

    def _glossary(self) -> str:
        rows = "".join(
            f'<tr><th scope="row">{esc(e.acronym)}</th><td>{esc(e.expansion or "(not defined)")}</td>'
            f'<td>{esc(e.source)}</td><td class="n">{e.count}</td><td class="n">{e.docs}</td></tr>'
            for e in self.glossary.entries()
        )
        heads = "".join(f'<th scope="col">{h}</th>' for h in ("Acronym", "Meaning", "Source", "Uses", "Documents"))
        return (
            '<section id="glossary"><h2>Glossary</h2><table><caption>Acronyms used and what they stand for '
            f"(source: defined in the text, known to nhsx, or unknown)</caption><thead><tr>{heads}</tr></thead>"
            f"<tbody>{rows}</tbody></table></section>"
        )

    def _network(self) -> str:
        from nhsx.write.network import to_graph
        from nhsx.write.plot import PlotError, plot_network

        pairs = self.cooccur.pairs(sort="count")
        try:
            picture = svg_of(
                lambda path: plot_network(
                    to_graph(self.cooccur.nodes(), pairs),
                    path,
                    top=self.top,
                    title="Entities named in the same sentence",
                ),
                "net",
            )
            figure = f'<figure role="img" aria-label="Co-occurrence network of the {self.top} most connected entities">{picture}</figure>'
        except PlotError as exc:
            figure = f'<p class="note">No picture: {esc(exc)}.</p>'
        rows = "".join(
            f"<tr><td>{esc(r.a)} <small>({esc(r.a_label)})</small></td><td>{esc(r.b)} <small>({esc(r.b_label)})</small></td>"
            f'<td class="n">{r.count}</td><td class="n">{r.docs}</td><td class="n">{r.measures["npmi"]:.2f}</td></tr>'
            for r in pairs[: self.top]
        )
        heads = "".join(f'<th scope="col">{h}</th>' for h in ("Entity", "Entity", "Sentences", "Documents", "NPMI"))
        return (
            f'<section id="network"><h2>Co-occurrence</h2>{figure}<table><caption>The {self.top} pairs named together '
            f"in most sentences</caption><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table></section>"
        )

    def _timeline(self) -> str:
        periods = self.timeline.periods()
        if not periods:
            return (
                '<section id="timeline"><h2>Timeline</h2><p class="note">No document has a known date '
                "(give them with --dates FILE).</p></section>"
            )
        from nhsx.write.plot import PlotError, plot_timeline

        keys = self.timeline.top(TIMELINE_ENTITIES)
        try:
            picture = svg_of(
                lambda path: plot_timeline(*self.timeline.chart(keys), path, title="Mentions by year"), "tl"
            )
            figure = f'<figure role="img" aria-label="Mentions per 10,000 words by year">{picture}</figure>'
        except PlotError as exc:
            figure = f'<p class="note">No picture: {esc(exc)}.</p>'
        rows = self.timeline.rows(keys)
        table: dict[str, dict[str, Any]] = {}
        for row in rows:
            table.setdefault(row.period, {"docs": row.period_documents, "words": row.period_words})[row.canonical] = (
                row.mentions
            )
        names = [self.timeline.name(key) for key in keys]
        heads = "".join(f'<th scope="col">{esc(h)}</th>' for h in ["Year", "Documents", "Words", *names])
        body = "".join(
            f'<tr><th scope="row">{esc(period)}</th><td class="n">{cells["docs"]}</td><td class="n">{cells["words"]:,}</td>'
            + "".join(f'<td class="n">{cells.get(name, 0)}</td>' for name in names)
            + "</tr>"
            for period, cells in table.items()
        )
        return (
            f'<section id="timeline"><h2>Timeline</h2>{figure}<table><caption>Mentions of the most named entities '
            f"by year of the documents' dates</caption><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></section>"
        )

    def _documents(self) -> str:
        return f'<section id="documents"><h2>Documents</h2>{"".join(p.html for p in self.parts)}</section>'


def svg_of(draw: Any, prefix: str) -> str:
    """An SVG drawn by ``draw(path)`` (nhsx.write.plot writes files) as inline markup: no XML prolog nor
    metadata, and ids prefixed so that two pictures on one page cannot take each other's."""
    with tempfile.TemporaryDirectory(prefix="nhsx-report-") as folder:
        path = Path(folder) / "picture.svg"
        draw(path)
        svg = path.read_text(encoding="utf-8")
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = (
        svg.replace('id="', f'id="{prefix}-')
        .replace('href="#', f'href="#{prefix}-')
        .replace("url(#", f"url(#{prefix}-")
    )
    return svg


NAV = (
    ("summary", "Summary"),
    ("entities", "Entities"),
    ("glossary", "Glossary"),
    ("network", "Co-occurrence"),
    ("timeline", "Timeline"),
    ("documents", "Documents"),
)
ENTITY_HEADS = (
    ("Entity", "text"),
    ("Label", "text"),
    ("Mentions", "number"),
    ("Documents", "number"),
    ("Forms", "text"),
    ("Id", "text"),
)

CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a;margin:0 auto;
max-width:75rem;padding:0 1rem 3rem}
header{border-bottom:1px solid #ccc}nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
h2{margin-top:2rem;border-bottom:2px solid #005eb8}h3{margin:1.5rem 0 .25rem;font-size:1.1rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}caption{text-align:left;color:#444;padding:.25rem 0}
th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
table.summary{width:auto}td.nw{white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}
th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
button:focus-visible,input:focus-visible,a:focus-visible,summary:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}.filters fieldset{border:1px solid #ccc}
.filters label{margin-right:.75rem}#shown{margin:0;color:#444}
details{display:inline;margin-left:.5rem}details summary{display:inline;cursor:pointer;color:#005eb8;font-size:.85em}
details[open] a{display:inline-block;margin-right:.5rem;font-size:.85em}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.35em;border-radius:2px}
figure{margin:0;overflow-x:auto}figure svg{max-width:100%;height:auto}.note{color:#8a4b00}
.doc{content-visibility:auto;contain-intrinsic-size:auto 40rem;border-top:1px solid #eee}
.meta{margin:.25rem 0;color:#444;font-size:.9rem}dl.meta dt{font-weight:bold;float:left;clear:left;margin-right:.5rem}
dl.meta dd{margin:0}
.entities{white-space:pre-wrap;line-height:2.1;background:#fafafa;padding:.5rem 1rem;border-radius:4px}
mark.entity{color:inherit;padding:.15em .2em;border-radius:.3em;line-height:1}
mark.entity .tag{font-size:.7em;font-weight:bold;margin-left:.4em;padding:0 .3em;border-radius:.25em;
vertical-align:middle;background:#fff;color:#1a1a1a;border:2px solid #999}
:target{outline:3px solid #ffbf47}
"""

# Sorting and filtering of the entity table; the filter state lives in the fragment (#label=A,B&q=text).
SCRIPT = r"""
(function(){
var table=document.getElementById('entity-table');if(!table)return;
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows),q=document.getElementById('q');
var boxes=Array.prototype.slice.call(document.querySelectorAll('input[name=label]'));
var shown=document.getElementById('shown');
rows.forEach(function(r){r._text=r.textContent.toLowerCase();});
function value(cell){return cell.getAttribute('data-v')||cell.textContent;}
function apply(write){
  var on={},text=q.value.trim().toLowerCase(),n=0;
  boxes.forEach(function(b){on[b.value]=b.checked;});
  rows.forEach(function(r){var ok=on[r.getAttribute('data-label')]&&(!text||r._text.indexOf(text)>=0);
    r.hidden=!ok;if(ok)n++;});
  shown.textContent=n+' of '+rows.length+' entities shown';
  if(write){var labels=boxes.filter(function(b){return b.checked;}).map(function(b){return b.value;});
    var parts=[];if(labels.length<boxes.length)parts.push('label='+labels.join(','));
    if(text)parts.push('q='+encodeURIComponent(text));
    try{history.replaceState(null,'',parts.length?'#'+parts.join('&'):location.pathname);}catch(e){}}
}
function fromHash(){
  var h=location.hash.slice(1);if(h.indexOf('=')<0)return false;
  h.split('&').forEach(function(p){var i=p.indexOf('='),k=p.slice(0,i),v=decodeURIComponent(p.slice(i+1));
    if(k==='label'){var want=v.toUpperCase().split(',');boxes.forEach(function(b){b.checked=want.indexOf(b.value)>=0;});}
    if(k==='q')q.value=v;});
  return true;
}
boxes.forEach(function(b){b.addEventListener('change',function(){apply(true);});});
q.addEventListener('input',function(){apply(true);});
window.addEventListener('hashchange',function(){if(fromHash())apply(false);});
fromHash();apply(false);
Array.prototype.forEach.call(table.tHead.querySelectorAll('button'),function(button){
  button.addEventListener('click',function(){
    var col=+button.getAttribute('data-col'),num=button.getAttribute('data-kind')==='number',th=button.parentNode;
    var dir=th.getAttribute('aria-sort')===(num?'descending':'ascending')?(num?'ascending':'descending'):(num?'descending':'ascending');
    Array.prototype.forEach.call(table.tHead.querySelectorAll('th'),function(h){h.setAttribute('aria-sort','none');});
    th.setAttribute('aria-sort',dir);var sign=dir==='ascending'?1:-1;
    rows.sort(function(a,b){var x=value(a.cells[col]),y=value(b.cells[col]);
      return sign*(num?(+x)-(+y):x.localeCompare(y));});
    var frag=document.createDocumentFragment();rows.forEach(function(r){frag.appendChild(r);});body.appendChild(frag);
  });
});
})();
"""
