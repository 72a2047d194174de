"""Agreement between judges: Cohen's kappa on the pairs two rows share (right/wrong per pair)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Sequence

from ..stats import cohen_kappa, kappa_bootstrap_ci
from .summary import StatsSettings, Summary

__all__ = ["Agreement", "agreement"]


@dataclass(frozen=True)
class Agreement:
    """Two rows' agreement on their common pairs.

    Attributes:
      a: First row.
      b: Second row.
      pairs: Common pairs (same id and label).
      agree: Common pairs both got right or both got wrong (percent).
      kappa: Cohen's kappa of the two right/wrong outcomes (``nan`` if undefined).
      low: Lower end of its paired bootstrap interval.
      high: Upper end.
    """

    a: int
    b: int
    pairs: int
    agree: float
    kappa: float
    low: float
    high: float


def agreement(summaries: Sequence[Summary], settings: StatsSettings) -> list[Agreement]:
    """Cohen's kappa for every two rows that share pairs (with the same labels).

    Args:
      summaries: The report rows.
      settings: Interval settings.
    """
    out = []
    for a, b in combinations(summaries, 2):
        pa = {p.pair_id: p for p in a.run.pairs}
        pb = {p.pair_id: p for p in b.run.pairs}
        common = sorted(i for i in set(pa) & set(pb) if pa[i].label == pb[i].label)
        if not common:
            continue
        x = [float(pa[i].outcome.correct) for i in common]
        y = [float(pb[i].outcome.correct) for i in common]
        lo, hi = kappa_bootstrap_ci(x, y, level=settings.level, resamples=settings.resamples, seed=settings.seed)
        agree = 100.0 * sum(u == v for u, v in zip(x, y)) / len(common)
        out.append(Agreement(a.index, b.index, len(common), agree, cohen_kappa(x, y), lo, hi))
    return out
