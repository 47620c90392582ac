"""Association measures of co-occurrence: the one registry (name -> measure) that the pair rows, the
network writers, the picture and the CLI's ``--sort`` all read. A new measure is one entry here.

Each is computed from c (windows naming both entities), ca and cb (windows naming each) and N (all windows).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable


def pmi(c: int, ca: int, cb: int, n: int) -> float:
    """Pointwise mutual information in bits: log2(c·N / (ca·cb)); 0 when the two are independent."""
    return math.log2(c * n / (ca * cb))


def npmi(c: int, ca: int, cb: int, n: int) -> float:
    """PMI / -log2(c/N), in [-1, 1]; 1 when the two are only ever named together (and when c == N)."""
    if c == n:
        return 1.0
    return pmi(c, ca, cb, n) / -math.log2(c / n)


def dice(c: int, ca: int, cb: int) -> float:
    """2c / (ca + cb): the share of the two entities' windows that they share, in [0, 1]."""
    return 2 * c / (ca + cb)


def g2(c: int, ca: int, cb: int, n: int) -> float:
    """Dunning's log-likelihood ratio 2·Σ O·ln(O/E) over the 2x2 table [[c, ca-c], [cb-c, N-ca-cb+c]].

    E = row total × column total / N; cells with O = 0 add nothing. The sign is that of c − E(c):
    negative when the pair is named together *less* often than chance, so that sorting by G2 puts
    attraction first rather than mixing it with avoidance.
    """
    observed = (c, ca - c, cb - c, n - ca - cb + c)
    rows = (ca, ca, n - ca, n - ca)
    columns = (cb, n - cb, cb, n - cb)
    total = 2 * sum(o * math.log(o * n / (r * k)) for o, r, k in zip(observed, rows, columns) if o > 0)
    total = max(total, 0.0)  # rounding can leave -1e-16 for independent pairs
    return -total if c * n < ca * cb else total


@dataclass(frozen=True)
class Measure:
    name: str
    compute: Callable[[int, int, int, int], float]  # (c, ca, cb, n) -> value
    sortable: bool = True  # offered by --sort (PMI is not: it favours rare pairs)
    plot_scale: Callable[[float], float] = float  # how the picture maps a value to an edge width


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("pmi", pmi, sortable=False),
        Measure("npmi", npmi),
        Measure("dice", lambda c, ca, cb, n: dice(c, ca, cb)),
        Measure("g2", g2, plot_scale=math.sqrt),  # G2 runs to the hundreds
    )
}
COUNT = "count"  # the pair count itself, sortable like a measure (an edge's ``weight``)
SORTS = (COUNT,) + tuple(name for name, m in MEASURES.items() if m.sortable)


def measure_values(c: int, ca: int, cb: int, n: int) -> dict[str, float]:
    return {name: m.compute(c, ca, cb, n) for name, m in MEASURES.items()}
