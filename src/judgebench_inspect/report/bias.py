"""How a judge is biased, per run and per category: length bias, position bias, consistency, ties.

Every figure is a ratio of per-pair counts (games that chose the longer
response / decisive games, correct pairs / pairs, ...), given in percent with a
percentile bootstrap interval over pairs: the pairs of the group are resampled
with replacement and every ratio of the group is recomputed on the same
resamples (:func:`judgebench_inspect.stats.bootstrap_ratio_cis`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, Sequence

from ..stats import bootstrap_ratio_cis
from ..verdicts import LABELS
from .runs import OVERALL, PairResult, Run, response_lengths

__all__ = ["GameRates", "LengthBias", "Rate", "game_rates", "length_bias", "ratios"]


class StatsLike(Protocol):
    """What the intervals need of the report's settings (``StatsSettings``)."""

    @property
    def level(self) -> float: ...
    @property
    def resamples(self) -> int: ...
    @property
    def seed(self) -> int: ...


@dataclass(frozen=True)
class Rate:
    """A share in percent with its bootstrap interval.

    Attributes:
      value: ``count / n`` in percent (``nan`` when ``n`` is 0).
      low: Lower end of the interval (percent).
      high: Upper end of the interval (percent).
      count: The numerator (games or pairs).
      n: The denominator (games or pairs).
    """

    value: float
    low: float
    high: float
    count: int
    n: int


def ratios(
    columns: Sequence[tuple[Sequence[int], Sequence[int]]], settings: StatsLike
) -> list[Rate]:
    """Rates of per-pair counts with intervals from the same resamples of pairs.

    Args:
      columns: Per rate, the per-pair numerators and denominators.
      settings: Interval settings (``level``, ``resamples``, ``seed``).
    """
    if not columns:
        return []
    nums = [list(n) for n, _ in columns]
    dens = [list(d) for _, d in columns]
    cis = bootstrap_ratio_cis(nums, dens, level=settings.level, resamples=settings.resamples, seed=settings.seed)
    out = []
    for num, den, (lo, hi) in zip(nums, dens, cis):
        count, n = int(sum(num)), int(sum(den))
        out.append(Rate(100.0 * count / n if n else math.nan, 100.0 * lo, 100.0 * hi, count, n))
    return out


# --------------------------------------------------------------------------- length bias


@dataclass(frozen=True)
class LengthBias:
    """Whether a judge prefers the longer response (lengths in characters).

    Pairs whose two responses have the same length, and pairs without texts,
    are left out of every figure and counted.

    Attributes:
      longer_chosen: Decisive games that chose the longer response.
      correct_longer: Pairs whose correct response is the longer one (the
        base rate a judge blind to length would match in ``longer_chosen``
        if it were always right).
      accuracy_correct_longer: Pair accuracy on pairs whose correct response is the longer.
      accuracy_correct_shorter: Pair accuracy on pairs whose correct response is the shorter.
      equal_length: Pairs left out because both responses have the same length.
      no_text: Pairs left out because the run does not have their texts.
    """

    longer_chosen: Rate
    correct_longer: Rate
    accuracy_correct_longer: Rate
    accuracy_correct_shorter: Rate
    equal_length: int
    no_text: int


def _length_bias(pairs: Sequence[PairResult], settings: StatsLike) -> LengthBias | None:
    chose_longer: list[int] = []
    decisive: list[int] = []
    correct_longer: list[int] = []
    right: list[int] = []
    equal = no_text = 0
    for p in pairs:
        lengths = response_lengths(p)
        if lengths is None:
            no_text += 1
            continue
        if lengths[0] == lengths[1]:
            equal += 1
            continue
        longer = LABELS[0] if lengths[0] > lengths[1] else LABELS[1]
        chose_longer.append(sum(v == longer for v in p.verdicts))
        decisive.append(p.outcome.decisive)
        correct_longer.append(int(p.label == longer))
        right.append(int(p.outcome.correct))
    if not decisive:
        return None
    ones = [1] * len(decisive)
    shorter = [1 - c for c in correct_longer]
    rates = ratios(
        [
            (chose_longer, decisive),
            (correct_longer, ones),
            ([r * c for r, c in zip(right, correct_longer)], correct_longer),
            ([r * s for r, s in zip(right, shorter)], shorter),
        ],
        settings,
    )
    longer_chosen, base_rate, when_longer, when_shorter = rates
    return LengthBias(longer_chosen, base_rate, when_longer, when_shorter, equal_length=equal, no_text=no_text)


def _by_category(run: Run) -> dict[str, list[PairResult]]:
    groups = {c: [p for p in run.pairs if p.category == c] for c in run.categories}
    groups[OVERALL] = list(run.pairs)
    return groups


def length_bias(run: Run, settings: StatsLike) -> dict[str, LengthBias] | None:
    """Length bias per category and overall (``None`` when no pair has texts of different lengths).

    Args:
      run: The run.
      settings: Interval settings.
    """
    out = {}
    for name, pairs in _by_category(run).items():
        bias = _length_bias(pairs, settings)
        if bias is not None:
            out[name] = bias
    return out if OVERALL in out else None


# --------------------------------------------------------------------------- games


@dataclass(frozen=True)
class GameRates:
    """Position bias, inconsistency, ties and missing verdicts of a group of pairs.

    Attributes:
      position_bias: Decisive games that chose the response shown first (fair: 50).
      inconsistency: Two-game pairs whose two decisive verdicts disagree.
      tie_rate: Games judged a tie.
      no_verdict_rate: Games without a verdict.
    """

    position_bias: Rate
    inconsistency: Rate
    tie_rate: Rate
    no_verdict_rate: Rate


def game_rates(run: Run, settings: StatsLike) -> dict[str, GameRates]:
    """Position bias, inconsistency, tie and no-verdict rates per category and overall, with intervals.

    Args:
      run: The run.
      settings: Interval settings.
    """
    out = {}
    for name, pairs in _by_category(run).items():
        o = [p.outcome for p in pairs]
        games = [x.games for x in o]
        rates = ratios(
            [
                ([x.first_chosen for x in o], [x.decisive for x in o]),
                ([int(x.inconsistent) for x in o], [int(x.games == 2) for x in o]),
                ([x.ties for x in o], games),
                ([x.no_verdict for x in o], games),
            ],
            settings,
        )
        position, inconsistency, ties, none = rates
        out[name] = GameRates(position, inconsistency, ties, none)
    return out
