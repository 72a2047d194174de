"""Bootstrap intervals and the paired test, against cases worked out by hand."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from judgebench_inspect.stats import (
    bootstrap_ci,
    bootstrap_means,
    compare_paired,
    mcnemar_exact,
    paired_bootstrap_ci,
)


@pytest.mark.parametrize(
    "b,c,expected",
    [
        (0, 0, Fraction(1)),  # no discordant pairs: no evidence at all
        (0, 5, Fraction(2, 32)),  # 2 * P(X <= 0), X ~ Bin(5, 1/2)
        (1, 6, Fraction(2 * (1 + 7), 128)),  # 2 * (C(7,0) + C(7,1)) / 2^7 = 0.125
        (6, 1, Fraction(2 * (1 + 7), 128)),  # symmetric in b and c
        (2, 10, Fraction(2 * (1 + 12 + 66), 4096)),  # = 0.03857421875
        (3, 3, Fraction(1)),  # 2 * 42/64 > 1: capped at 1
        (10, 0, Fraction(2, 1024)),
    ],
)
def test_mcnemar_exact_by_hand(b: int, c: int, expected: Fraction) -> None:
    assert mcnemar_exact(b, c) == pytest.approx(float(expected), rel=1e-12)


def test_mcnemar_large_counts_are_exact_and_small() -> None:
    # 300 vs 200 discordant pairs: normal approximation z = 100/sqrt(500) ~ 4.47, p ~ 8e-6
    p = mcnemar_exact(300, 200)
    assert 1e-6 < p < 2e-5
    with pytest.raises(ValueError):
        mcnemar_exact(-1, 3)


def test_bootstrap_all_correct_and_all_wrong() -> None:
    assert bootstrap_ci([1.0] * 50) == (1.0, 1.0)
    assert bootstrap_ci([0.0] * 50) == (0.0, 0.0)
    assert bootstrap_ci([1.0]) == (1.0, 1.0)


def test_bootstrap_empty_is_nan() -> None:
    lo, hi = bootstrap_ci([])
    assert math.isnan(lo) and math.isnan(hi)


def test_bootstrap_matches_normal_approximation_for_large_n() -> None:
    n, k = 5000, 3000  # p = 0.6; also exercises the chunked resampling (5000 > chunk rows)
    values = [1.0] * k + [0.0] * (n - k)
    lo, hi = bootstrap_ci(values, resamples=4000, seed=1)
    half = 1.959964 * math.sqrt(0.6 * 0.4 / n)
    assert lo == pytest.approx(0.6 - half, abs=0.003)
    assert hi == pytest.approx(0.6 + half, abs=0.003)
    assert lo < 0.6 < hi


def test_bootstrap_is_seeded_and_level_sets_width() -> None:
    values = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0] * 5
    a = bootstrap_ci(values, seed=7)
    assert bootstrap_ci(values, seed=7) == a
    m7 = bootstrap_means(values, resamples=200, seed=7)
    assert np.array_equal(m7, bootstrap_means(values, resamples=200, seed=7))
    assert not np.array_equal(m7, bootstrap_means(values, resamples=200, seed=8))  # the seed is used
    narrow = bootstrap_ci(values, level=0.5, seed=7)
    assert a[0] < narrow[0] <= narrow[1] < a[1]
    means = bootstrap_means(values, resamples=123, seed=3)
    assert means.shape == (123,) and np.all((means >= 0) & (means <= 1))


def test_bootstrap_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="level"):
        bootstrap_ci([1.0, 0.0], level=95)
    with pytest.raises(ValueError, match="resamples"):
        bootstrap_ci([1.0, 0.0], resamples=0)
    with pytest.raises(ValueError, match="finite"):
        bootstrap_ci([1.0, float("nan")])


def test_paired_bootstrap_identical_judges_is_zero() -> None:
    x = [1.0, 0.0, 1.0, 1.0, 0.0] * 10
    assert paired_bootstrap_ci(x, x) == (0.0, 0.0)
    with pytest.raises(ValueError, match="length"):
        paired_bootstrap_ci(x, x[:-1])


def test_compare_paired_counts_discordant_pairs() -> None:
    # 40 pairs: both right 20, only A 10, only B 2, both wrong 8
    a = [1] * 20 + [1] * 10 + [0] * 2 + [0] * 8
    b = [1] * 20 + [0] * 10 + [1] * 2 + [0] * 8
    c = compare_paired(a, b, resamples=2000, seed=0)
    assert (c.n, c.a_only, c.b_only) == (40, 10, 2)
    assert c.accuracy_a == pytest.approx(30 / 40) and c.accuracy_b == pytest.approx(22 / 40)
    assert c.difference == pytest.approx(8 / 40)
    # 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12
    assert c.p_value == pytest.approx(2 * 79 / 4096)
    assert c.ci[0] < c.difference < c.ci[1]
    assert c.ci[0] > 0  # A is clearly better on these pairs
    with pytest.raises(ValueError, match="0 or 1"):
        compare_paired([0.5], [1.0])
