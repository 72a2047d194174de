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
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

#: Resamples used unless the caller says otherwise.
DEFAULT_RESAMPLES = 10_000
#: Seed used unless the caller says otherwise.
DEFAULT_SEED = 20241016
#: Confidence level used unless the caller says otherwise.
DEFAULT_LEVEL = 0.95

# Largest index matrix built at once (elements); larger jobs run in chunks.
_CHUNK_ELEMENTS = 2_000_000


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
