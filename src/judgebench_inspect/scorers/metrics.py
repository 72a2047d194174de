"""Metrics over pair scores (all in percent, as the paper reports them).

Each sample's score value is a dict made by :func:`pair_scorer` (keys
``correct``, ``inconsistent``, ``games``, ``ties``, ``no_verdict``,
``decisive``, ``first_chosen``). A rate with an empty denominator is ``nan``.
"""

from __future__ import annotations

import math
from typing import Sequence

from inspect_ai.scorer import Metric, SampleScore, Value, metric


def _values(scores: list[SampleScore], key: str) -> list[float]:
    out: list[float] = []
    for s in scores:
        value = s.score.value
        if not isinstance(value, dict) or key not in value:
            raise ValueError(f"sample {s.sample_id}: score has no '{key}' (not a pair score)")
        out.append(float(value[key]))  # type: ignore[arg-type]
    return out


def _percent(num: float, den: float) -> float:
    return 100.0 * num / den if den else float("nan")


@metric
def pair_accuracy() -> Metric:
    """Share of pairs judged correctly (micro-average over pairs), in percent."""

    def compute(scores: list[SampleScore]) -> Value:
        v = _values(scores, "correct")
        return _percent(sum(v), len(v))

    return compute


@metric
def pair_stderr() -> Metric:
    """Standard error of :func:`pair_accuracy`, in percentage points."""

    def compute(scores: list[SampleScore]) -> Value:
        v = _values(scores, "correct")
        n = len(v)
        if n < 2:
            return float("nan")
        mean = sum(v) / n
        var = sum((x - mean) ** 2 for x in v) / (n - 1)
        return 100.0 * math.sqrt(var / n)

    return compute


@metric
def category_accuracy(categories: Sequence[str]) -> Metric:
    """Accuracy per category, in percent; ``nan`` for a category with no pairs.

    Args:
      categories: Categories to report, in order (others present are added).
    """

    def compute(scores: list[SampleScore]) -> Value:
        groups: dict[str, list[SampleScore]] = {c: [] for c in categories}
        for s in scores:
            cat = str((s.sample_metadata or {}).get("category"))
            groups.setdefault(cat, []).append(s)
        result: dict[str, float] = {}
        for cat, group in groups.items():
            v = _values(group, "correct")
            result[cat] = _percent(sum(v), len(v))
        return result  # type: ignore[return-value]

    return compute


@metric
def inconsistency() -> Metric:
    """Share of two-game pairs whose two decisive verdicts disagree, in percent."""

    def compute(scores: list[SampleScore]) -> Value:
        two = [s for s, g in zip(scores, _values(scores, "games")) if g == 2]
        return _percent(sum(_values(two, "inconsistent")), len(two))

    return compute


def _game_rate(key: str, of: str = "games") -> Metric:
    def compute(scores: list[SampleScore]) -> Value:
        return _percent(sum(_values(scores, key)), sum(_values(scores, of)))

    return compute


@metric
def tie_rate() -> Metric:
    """Share of games whose verdict was a tie, in percent."""
    return _game_rate("ties")


@metric
def no_verdict_rate() -> Metric:
    """Share of games without a parseable verdict, in percent."""
    return _game_rate("no_verdict")


@metric
def unreadable_rate() -> Metric:
    """Share of games whose reply could not be read and counted as a tie by the
    judge's own rule (PandaLM, JudgeLM), in percent. These games are also in
    :func:`tie_rate`; a score without the count (an older log) counts none."""

    def compute(scores: list[SampleScore]) -> Value:
        unreadable = [
            float(s.score.value.get("unreadable", 0.0)) if isinstance(s.score.value, dict) else 0.0  # type: ignore[union-attr]
            for s in scores
        ]
        return _percent(sum(unreadable), sum(_values(scores, "games")))

    return compute


@metric
def position_bias() -> Metric:
    """Share of decisive games that chose the response shown first, in percent (fair: 50)."""
    return _game_rate("first_chosen", of="decisive")
