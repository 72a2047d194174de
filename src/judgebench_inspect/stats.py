"""Statistics for judge results: bootstrap intervals and paired tests.

All functions work on per-pair outcomes (1 = the judge got the pair right,
0 = it did not) and return proportions (0..1); the report turns them into
percent. Resampling is vectorised with numpy (a dependency of inspect-ai) and
seeded, so the same inputs and seed always give the same interval.

* :func:`bootstrap_ci` - percentile bootstrap interval of an accuracy,
  resampling pairs with replacement.
* :func:`mcnemar_exact` - exact McNemar test of two judges on the same pairs
  (a two-sided binomial test on the discordant pairs). For 0/1 outcomes this
  is also the exact paired permutation (sign-flip) test.
* :func:`paired_bootstrap_ci` - percentile bootstrap interval of the
  difference in accuracy between two judges, resampling pairs jointly.
* :func:`compare_paired` - both of the above in one result.
* :func:`bootstrap_ratio_cis` - intervals of several ratios of per-pair sums
  (e.g. decisive games choosing the first response / decisive games), all
  from the same resamples of pairs.
* :func:`unpaired_bootstrap_ci` - interval of a difference of two means on
  samples that share no items (each resampled on its own).
* :func:`did_bootstrap_ci` - interval of a difference in differences of two
  judges on two samples (paired within a sample, independent across them).
* :func:`cohen_kappa` / :func:`kappa_bootstrap_ci` - chance-corrected
  agreement of two judges' right/wrong outcomes on the same pairs.
* :func:`holm` - Holm's step-down adjustment of p-values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator, Sequence

import numpy as np

#: Resamples used unless the caller says otherwise.
DEFAULT_RESAMPLES = 10_000
#: Seed used unless the caller says otherwise.
DEFAULT_SEED = 20241016
#: Confidence level used unless the caller says otherwise.
DEFAULT_LEVEL = 0.95

# Largest index matrix built at once (elements); larger jobs run in chunks.
_CHUNK_ELEMENTS = 2_000_000


def percent(num: float, den: float) -> float:
    """``num / den`` in percent; ``nan`` for an empty denominator (a rate of nothing).

    Args:
      num: The count (or sum) of what is counted.
      den: What it is a share of.
    """
    return 100.0 * num / den if den else math.nan


def _check(resamples: int, level: float) -> None:
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level}")


def _as_array(values: Sequence[float] | np.ndarray, name: str = "values") -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite numbers")
    return arr


def bootstrap_means(
    values: Sequence[float] | np.ndarray,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> np.ndarray:
    """Means of ``resamples`` bootstrap resamples of ``values``.

    Each resample draws ``len(values)`` items with replacement.

    Args:
      values: Per-item values (0/1 outcomes, or differences of them).
      resamples: Number of resamples.
      seed: Seed of the random generator.
    """
    arr = _as_array(values)
    n = len(arr)
    if n == 0:
        raise ValueError("cannot bootstrap an empty sample")
    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_ELEMENTS // n)
    out = np.empty(resamples, dtype=float)
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        idx = rng.integers(0, n, size=(size, n))
        out[start : start + size] = arr[idx].mean(axis=1)
    return out


def _percentiles(means: np.ndarray, level: float) -> tuple[float, float]:
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [alpha, 1.0 - alpha])
    return float(lo), float(hi)


def bootstrap_ci(
    values: Sequence[float] | np.ndarray,
    *,
    level: float = DEFAULT_LEVEL,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of the mean of ``values``.

    For per-pair 0/1 outcomes this is the interval of the accuracy (as a
    proportion). An empty sample gives ``(nan, nan)``.

    Args:
      values: Per-pair outcomes (1 correct, 0 not).
      level: Confidence level, e.g. 0.95.
      resamples: Number of bootstrap resamples.
      seed: Seed of the random generator.
    """
    _check(resamples, level)
    if len(values) == 0:
        return (math.nan, math.nan)
    return _percentiles(bootstrap_means(values, resamples=resamples, seed=seed), level)


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value from the discordant pair counts.

    Under the null hypothesis (both judges equally accurate) each discordant
    pair is equally likely to favour either judge, so ``b ~ Binomial(b + c, 1/2)``.
    The p-value is ``min(1, 2 * P(X <= min(b, c)))``, computed exactly.

    Args:
      b: Pairs only the first judge got right.
      c: Pairs only the second judge got right.
    """
    if b < 0 or c < 0:
        raise ValueError(f"counts must be non-negative, got b={b}, c={c}")
    n = b + c
    if n == 0:
        return 1.0
    k = min(b, c)
    tail = Fraction(sum(math.comb(n, i) for i in range(k + 1)), 2**n)
    return float(min(Fraction(1), 2 * tail))


def paired_bootstrap_ci(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    level: float = DEFAULT_LEVEL,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``mean(a) - mean(b)`` over paired items.

    Pairs are resampled jointly, so the interval accounts for the two judges
    being scored on the same pairs.

    Args:
      a: First judge's per-pair outcomes.
      b: Second judge's outcomes on the same pairs, in the same order.
      level: Confidence level.
      resamples: Number of bootstrap resamples.
      seed: Seed of the random generator.
    """
    _check(resamples, level)
    x, y = _as_array(a, "a"), _as_array(b, "b")
    if len(x) != len(y):
        raise ValueError(f"paired samples differ in length: {len(x)} and {len(y)}")
    if len(x) == 0:
        return (math.nan, math.nan)
    return _percentiles(bootstrap_means(x - y, resamples=resamples, seed=seed), level)


@dataclass(frozen=True)
class PairedComparison:
    """Two judges compared on the same pairs.

    Attributes:
      n: Pairs both judges were scored on.
      accuracy_a: First judge's accuracy on those pairs (proportion).
      accuracy_b: Second judge's accuracy on those pairs (proportion).
      difference: ``accuracy_a - accuracy_b``.
      ci: Paired bootstrap interval of the difference.
      a_only: Pairs only the first judge got right (McNemar ``b``).
      b_only: Pairs only the second judge got right (McNemar ``c``).
      p_value: Two-sided exact McNemar p-value.
    """

    n: int
    accuracy_a: float
    accuracy_b: float
    difference: float
    ci: tuple[float, float]
    a_only: int
    b_only: int
    p_value: float


def compare_paired(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    level: float = DEFAULT_LEVEL,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> PairedComparison:
    """Compare two judges' 0/1 outcomes on the same pairs.

    Args:
      a: First judge's per-pair outcomes (1 correct, 0 not).
      b: Second judge's outcomes on the same pairs, in the same order.
      level: Confidence level of the interval of the difference.
      resamples: Number of bootstrap resamples.
      seed: Seed of the random generator.
    """
    x, y = _as_array(a, "a"), _as_array(b, "b")
    if len(x) != len(y):
        raise ValueError(f"paired samples differ in length: {len(x)} and {len(y)}")
    if not (np.isin(x, (0.0, 1.0)).all() and np.isin(y, (0.0, 1.0)).all()):
        raise ValueError("paired outcomes must be 0 or 1")
    n = len(x)
    a_only = int(np.sum((x == 1) & (y == 0)))
    b_only = int(np.sum((x == 0) & (y == 1)))
    acc_a = float(x.mean()) if n else math.nan
    acc_b = float(y.mean()) if n else math.nan
    return PairedComparison(
        n=n,
        accuracy_a=acc_a,
        accuracy_b=acc_b,
        difference=acc_a - acc_b,
        ci=paired_bootstrap_ci(x, y, level=level, resamples=resamples, seed=seed),
        a_only=a_only,
        b_only=b_only,
        p_value=mcnemar_exact(a_only, b_only),
    )


def _index_chunks(n: int, resamples: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Bootstrap index matrices (resamples x n) in chunks that fit in memory."""
    chunk = max(1, _CHUNK_ELEMENTS // max(n, 1))
    for start in range(0, resamples, chunk):
        yield rng.integers(0, n, size=(min(chunk, resamples - start), n))


def _nan_percentiles(values: np.ndarray, level: float) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if len(finite) == 0:
        return (math.nan, math.nan)
    return _percentiles(finite, level)


def bootstrap_ratio_cis(
    numerators: Sequence[Sequence[float]] | np.ndarray,
    denominators: Sequence[Sequence[float]] | np.ndarray,
    *,
    level: float = DEFAULT_LEVEL,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> list[tuple[float, float]]:
    """Percentile bootstrap intervals of ratios of sums over the same items.

    Row ``k`` of ``numerators`` and ``denominators`` gives, per item (pair),
    the counts whose sums make ratio ``k`` (for example decisive games that
    chose the first response, and decisive games). Items are resampled with
    replacement; every ratio is recomputed on the same resamples. Resamples
    whose denominator is 0 are left out of that ratio's interval. A ratio with
    no items or a zero denominator gives ``(nan, nan)``.

    Args:
      numerators: One row of per-item counts per ratio.
      denominators: The matching rows of per-item denominators.
      level: Confidence level.
      resamples: Number of bootstrap resamples.
      seed: Seed of the random generator.
    """
    _check(resamples, level)
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    if num.ndim != 2 or num.shape != den.shape:
        raise ValueError(f"numerators and denominators must be matching 2-d arrays, got {num.shape} and {den.shape}")
    if not (np.all(np.isfinite(num)) and np.all(np.isfinite(den))):
        raise ValueError("counts must be finite numbers")
    k, n = num.shape
    if n == 0:
        return [(math.nan, math.nan)] * k
    rng = np.random.default_rng(seed)
    sums_num = np.empty((k, resamples))
    sums_den = np.empty((k, resamples))
    start = 0
    for idx in _index_chunks(n, resamples, rng):
        size = idx.shape[0]
        sums_num[:, start : start + size] = num[:, idx].sum(axis=2)
        sums_den[:, start : start + size] = den[:, idx].sum(axis=2)
        start += size
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(sums_den > 0, sums_num / np.where(sums_den > 0, sums_den, 1), np.nan)
    return [
        _nan_percentiles(ratios[i], level) if den[i].sum() > 0 else (math.nan, math.nan) for i in range(k)
    ]


def unpaired_bootstrap_ci(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    level: float = DEFAULT_LEVEL,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``mean(a) - mean(b)`` for samples sharing no items.

    Each sample is resampled on its own (``a`` with ``seed``, ``b`` with
    ``seed + 1``); either empty gives ``(nan, nan)``.

    Args:
      a: First sample's per-item values (e.g. 0/1 outcomes on one split).
      b: Second sample's values.
      level: Confidence level.
      resamples: Number of bootstrap resamples.
      seed: Seed of the random generator.
    """
    _check(resamples, level)
    x, y = _as_array(a, "a"), _as_array(b, "b")
    if len(x) == 0 or len(y) == 0:
        return (math.nan, math.nan)
    diff = bootstrap_means(x, resamples=resamples, seed=seed) - bootstrap_means(y, resamples=resamples, seed=seed + 1)
    return _percentiles(diff, level)


def did_bootstrap_ci(
    a1: Sequence[float] | np.ndarray,
    b1: Sequence[float] | np.ndarray,
    a2: Sequence[float] | np.ndarray,
    b2: Sequence[float] | np.ndarray,
    *,
    level: float = DEFAULT_LEVEL,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[float, float]:
    """Interval of ``(mean(a1) - mean(a2)) - (mean(b1) - mean(b2))``.

    Judges ``a`` and ``b`` scored on the same items of sample 1 (``a1``,
    ``b1``, in the same order) and of sample 2 (``a2``, ``b2``). Items are
    resampled jointly for both judges within a sample (``seed``, ``seed + 1``)
    and independently across the samples.

    Args:
      a1: Judge a's outcomes on sample 1.
      b1: Judge b's outcomes on the same items.
      a2: Judge a's outcomes on sample 2.
      b2: Judge b's outcomes on the same items.
      level: Confidence level.
      resamples: Number of bootstrap resamples.
      seed: Seed of the random generator.
    """
    _check(resamples, level)
    x1, y1, x2, y2 = (_as_array(v, name) for v, name in ((a1, "a1"), (b1, "b1"), (a2, "a2"), (b2, "b2")))
    if len(x1) != len(y1) or len(x2) != len(y2):
        raise ValueError("each sample's two judges must be scored on the same items")
    if len(x1) == 0 or len(x2) == 0:
        return (math.nan, math.nan)
    one = bootstrap_means(x1 - y1, resamples=resamples, seed=seed)
    two = bootstrap_means(x2 - y2, resamples=resamples, seed=seed + 1)
    return _percentiles(one - two, level)


def cohen_kappa(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """Cohen's kappa of two judges' 0/1 outcomes on the same items.

    ``(p_o - p_e) / (1 - p_e)`` with ``p_o`` the share of items where both
    agree and ``p_e = p_a p_b + (1 - p_a)(1 - p_b)`` the agreement expected by
    chance from each judge's own rate. ``nan`` when ``p_e = 1`` (both judges
    give one outcome throughout) or there are no items.

    Args:
      a: First judge's outcomes (1 correct, 0 not).
      b: Second judge's outcomes on the same items, in the same order.
    """
    x, y = _as_array(a, "a"), _as_array(b, "b")
    if len(x) != len(y):
        raise ValueError(f"paired samples differ in length: {len(x)} and {len(y)}")
    if len(x) == 0:
        return math.nan
    po = float(np.mean(x == y))
    pa, pb = float(x.mean()), float(y.mean())
    pe = pa * pb + (1 - pa) * (1 - pb)
    return math.nan if pe >= 1 else (po - pe) / (1 - pe)


def kappa_bootstrap_ci(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    level: float = DEFAULT_LEVEL,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[float, float]:
    """Percentile bootstrap interval of :func:`cohen_kappa`, resampling items jointly.

    Resamples where kappa is undefined are left out.

    Args:
      a: First judge's 0/1 outcomes.
      b: Second judge's outcomes on the same items.
      level: Confidence level.
      resamples: Number of bootstrap resamples.
      seed: Seed of the random generator.
    """
    _check(resamples, level)
    x, y = _as_array(a, "a"), _as_array(b, "b")
    if len(x) != len(y):
        raise ValueError(f"paired samples differ in length: {len(x)} and {len(y)}")
    n = len(x)
    if n == 0:
        return (math.nan, math.nan)
    rng = np.random.default_rng(seed)
    out = []
    for idx in _index_chunks(n, resamples, rng):
        xs, ys = x[idx], y[idx]
        po = (xs == ys).mean(axis=1)
        pa, pb = xs.mean(axis=1), ys.mean(axis=1)
        pe = pa * pb + (1 - pa) * (1 - pb)
        with np.errstate(divide="ignore", invalid="ignore"):
            out.append(np.where(pe < 1, (po - pe) / np.where(pe < 1, 1 - pe, 1), np.nan))
    return _nan_percentiles(np.concatenate(out), level)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of p-values (controls the family-wise error rate).

    Sorted ascending, the i-th smallest (from 0) is multiplied by ``m - i``,
    the running maximum is taken, and values are capped at 1; the result is in
    the input order.

    Args:
      p_values: The unadjusted p-values of one family of tests.
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * float(p_values[i])))
        adjusted[i] = running
    return adjusted
