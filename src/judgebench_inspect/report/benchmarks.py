"""Across benchmarks: game accuracy per category, each benchmark's own headline score, and the
rank agreement of judges between benchmarks.

Runs on other judge benchmarks (``-T dataset=`` in LLMBar's, RewardBench's or
RM-Bench's format; the log's task metadata ``benchmark``) keep the pair rule's
rows; beside them the report shows the benchmark's native score, computed from
the same games by the benchmark's module (:mod:`judgebench_inspect.benchmarks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any, Sequence

import numpy as np

from ..benchmarks import BENCHMARKS
from ..stats import bootstrap_ratio_cis, percent
from .runs import OVERALL, Run
from .summary import Accuracy, StatsSettings, Summary

#: Judges needed on each of two benchmarks before their rank agreement is shown.
MIN_JUDGES = 3


def game_accuracy(run: Run, settings: StatsSettings) -> dict[str, Accuracy]:
    """Per category and overall: the share of games whose verdict names the better response.

    The interval resamples pairs (a pair's games are not independent) and takes
    the pooled share of each resample.

    Args:
      run: The run.
      settings: Interval settings.
    """
    out: dict[str, Accuracy] = {}
    for group in [*run.categories, OVERALL]:
        pairs = [p for p in run.pairs if group == OVERALL or p.category == group]
        right = np.array([sum(v == p.label for v in p.verdicts) for p in pairs], dtype=float)
        games = np.array([len(p.verdicts) for p in pairs], dtype=float)
        if not games.sum():
            continue
        ((low, high),) = bootstrap_ratio_cis(
            np.array([right]), np.array([games]), level=settings.level, resamples=settings.resamples, seed=settings.seed
        )
        out[group] = Accuracy(
            value=percent(float(right.sum()), float(games.sum())),
            low=100 * low,
            high=100 * high,
            correct=int(right.sum()),
            n=int(games.sum()),
        )
    return out


def native(run: Run) -> dict[str, Any] | None:
    """The run's score as its benchmark defines it (``None`` for JudgeBench's own pairs).

    Args:
      run: The run.
    """
    module = BENCHMARKS.get(run.benchmark)
    if module is None:
        return None
    return {"benchmark": run.benchmark, **module.native(run.pairs)}


def headline(summary: Summary) -> str | None:
    """One line naming the benchmark's own headline score of a row, for the notes (the benchmark's
    module words it; ``None`` for JudgeBench's pairs).

    Args:
      summary: The row.
    """
    n = summary.native
    if not n:
        return None
    module = BENCHMARKS[n["benchmark"]]
    return module.headline(n) or f"{n['benchmark']}'s own score: {n.get('metric', '')}"  # type: ignore[no-any-return]


@dataclass
class RankAgreement:
    """Kendall's tau between two benchmarks' rankings of the same judges.

    Attributes:
      a: One benchmark.
      b: The other.
      judges: The judges (run names) ranked on both.
      tau: Kendall's tau-b of their overall pair accuracies.
      low: Lower end of the bootstrap interval (pairs resampled within each benchmark).
      high: Upper end.
    """

    a: str
    b: str
    judges: list[str]
    tau: float
    low: float
    high: float


def kendall_tau(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's tau-b of two equally long score lists (``nan`` when either is constant).

    Args:
      x: Scores of the judges on one benchmark.
      y: Their scores on the other, in the same order.
    """
    concordant = discordant = ties_x = ties_y = 0
    for i, j in combinations(range(len(x)), 2):
        dx, dy = np.sign(x[i] - x[j]), np.sign(y[i] - y[j])
        if dx == 0 and dy == 0:
            continue
        if dx == 0:
            ties_x += 1
        elif dy == 0:
            ties_y += 1
        elif dx == dy:
            concordant += 1
        else:
            discordant += 1
    denominator = np.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return float((concordant - discordant) / denominator) if denominator else float("nan")


def _outcomes(runs: Sequence[Run]) -> np.ndarray:
    """Judges x common pairs matrix of 0/1 pair outcomes."""
    common = set.intersection(*({p.pair_id for p in r.pairs} for r in runs))
    ids = sorted(common)
    return np.array([[float(p.outcome.correct) for p in sorted(r.pairs, key=lambda q: q.pair_id) if p.pair_id in common]
                     for r in runs]).reshape(len(runs), len(ids))  # fmt: skip


def _ranked_set(run: Run, summaries: Sequence[Summary]) -> str:
    """The set of pairs a run ranks its judge on: its benchmark, and its split (``judgebench (claude)``)
    when runs of that benchmark come from several splits or files (each is ranked on its own, so a
    judge run on both JudgeBench splits is ranked on each, not just on the first met)."""
    splits = {s.run.split for s in summaries if s.run.benchmark == run.benchmark}
    return run.benchmark if len(splits) == 1 else f"{run.benchmark} ({run.split})"


def rank_agreement(summaries: Sequence[Summary], settings: StatsSettings) -> list[RankAgreement]:
    """Kendall's tau of judges' overall pair accuracies between every two benchmarks with
    at least :data:`MIN_JUDGES` judges in common (a benchmark judged on several splits or files:
    each of them).

    The interval resamples each benchmark's common pairs (the same draw for every
    judge of that benchmark) and ranks the judges again.

    Args:
      summaries: The report rows.
      settings: Interval settings.
    """
    by_benchmark: dict[str, dict[str, Run]] = {}
    for s in summaries:
        by_benchmark.setdefault(_ranked_set(s.run, summaries), {}).setdefault(s.run.name, s.run)
    out = []
    rng = np.random.default_rng(settings.seed)
    for a, b in combinations(sorted(by_benchmark), 2):
        judges = sorted(set(by_benchmark[a]) & set(by_benchmark[b]))
        if len(judges) < MIN_JUDGES:
            continue
        ma = _outcomes([by_benchmark[a][j] for j in judges])
        mb = _outcomes([by_benchmark[b][j] for j in judges])
        if not ma.shape[1] or not mb.shape[1]:
            continue
        tau = kendall_tau(ma.mean(axis=1), mb.mean(axis=1))
        taus = []
        for _ in range(settings.resamples):
            ia = rng.integers(0, ma.shape[1], ma.shape[1])
            ib = rng.integers(0, mb.shape[1], mb.shape[1])
            taus.append(kendall_tau(ma[:, ia].mean(axis=1), mb[:, ib].mean(axis=1)))
        finite = np.array([t for t in taus if t == t])
        half = (1 - settings.level) / 2
        low, high = (float(np.quantile(finite, half)), float(np.quantile(finite, 1 - half))) if finite.size else (float("nan"),) * 2
        out.append(RankAgreement(a=a, b=b, judges=judges, tau=tau, low=low, high=high))
    return out
