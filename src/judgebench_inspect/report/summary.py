"""From runs to numbers: accuracies with intervals, judge diagnostics, paper rows, paired comparisons."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Sequence

from ..pair_rule import score_pair
from ..published import PAPER_PAIRS, PAPER_SPLIT, PublishedResult, find_published
from ..stats import (
    DEFAULT_LEVEL,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    PairedComparison,
    bootstrap_ci,
    compare_paired,
    holm,
    percent,
)
from .bias import GameRates, LengthBias, game_rates, length_bias
from .cost import Cost, Price, run_cost
from .runs import OVERALL, Run, order_categories


@dataclass(frozen=True)
class StatsSettings:
    """How intervals and tests are computed.

    Attributes:
      level: Confidence level (0.95 = 95% intervals).
      resamples: Bootstrap resamples per interval.
      seed: Seed of the resampling.
    """

    level: float = DEFAULT_LEVEL
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED


@dataclass(frozen=True)
class Accuracy:
    """An accuracy in percent with its bootstrap interval.

    Attributes:
      value: Correct pairs / pairs, in percent (``nan`` for no pairs).
      low: Lower end of the interval (percent).
      high: Upper end of the interval (percent).
      correct: Pairs judged correctly.
      n: Pairs.
    """

    value: float
    low: float
    high: float
    correct: int
    n: int


@dataclass
class Summary:
    """One report row.

    Attributes:
      index: 1-based row number (used by comparisons and notes).
      run: The run summarised.
      accuracy: Per category and ``overall``.
      inconsistency: Two-game pairs whose decisive verdicts disagree (percent).
      position_bias: Decisive games that chose the response shown first (percent; fair = 50).
      no_verdict_rate: Games without a verdict (percent).
      tie_rate: Games judged a tie (percent).
      paper: The paper's row for this judge and model, when comparable.
      notes: Remarks (errored samples, subsets, why the paper is not compared ...).
      unreadable_rate: Games whose reply could not be read and counted as a
        tie by the judge's rule (percent), where there were any.
      judgebench_accuracy: Accuracy per category and overall as JudgeBench's
        own parsers would count the same replies, where that differs from ours.
      rates: Position bias, inconsistency, tie and no-verdict rates with
        intervals, per category and ``overall``.
      length_bias: Length bias per category and ``overall`` (``None`` without
        response texts).
      cost: Tokens (and dollars) used, when the run records model usage.
      game_accuracy: Games naming the better response (percent), per category and ``overall``.
      native: The run's benchmark's own score (``None`` for JudgeBench's pairs),
        see :mod:`judgebench_inspect.benchmarks`.
    """

    index: int
    run: Run
    accuracy: dict[str, Accuracy]
    inconsistency: float
    position_bias: float
    no_verdict_rate: float
    tie_rate: float
    paper: PublishedResult | None = None
    notes: list[str] = field(default_factory=list)
    unreadable_rate: float | None = None
    judgebench_accuracy: dict[str, Accuracy] | None = None
    rates: dict[str, GameRates] = field(default_factory=dict)
    length_bias: dict[str, LengthBias] | None = None
    cost: Cost | None = None
    game_accuracy: dict[str, Accuracy] = field(default_factory=dict)
    native: dict[str, Any] | None = None

    @property
    def pairs(self) -> int:
        """Pairs scored."""
        return len(self.run.pairs)

    @property
    def errored(self) -> int:
        """Samples that errored (not scored)."""
        return len(self.run.errored)

    def paper_difference(self, category: str) -> float | None:
        """Measured minus published accuracy in percentage points, at the paper's
        precision (the measured value is rounded to 2 decimals first), if the paper has it."""
        if self.paper is None or category not in self.accuracy:
            return None
        published = self.paper.accuracy(category)
        if published is None:
            return None
        return round(round(self.accuracy[category].value, 2) - published, 2)



def accuracy_of(outcomes: Sequence[bool], settings: StatsSettings) -> Accuracy:
    """Accuracy with its bootstrap interval.

    Args:
      outcomes: Per pair, whether it was judged correctly.
      settings: Interval settings.
    """
    values = [1.0 if o else 0.0 for o in outcomes]
    lo, hi = bootstrap_ci(values, level=settings.level, resamples=settings.resamples, seed=settings.seed)
    return Accuracy(
        value=percent(sum(values), len(values)),
        low=100.0 * lo,
        high=100.0 * hi,
        correct=int(sum(values)),
        n=len(values),
    )


def _games(run: Run) -> list[dict]:
    return [g for p in run.pairs for g in (p.record.get("games") or []) if isinstance(g, dict)]


def requests_not_judgebench(run: Run) -> str | None:
    """Why a run's requests were not exactly JudgeBench's (``None`` if they were).

    JudgeBench's own output files and reward models (no prompt) need no check;
    an Inspect run must have sent JudgeBench's exact requests in every game
    (for ChatEval, which JudgeBench published no code for: the requests of
    ChatEval's own pinned config).

    Args:
      run: The run.
    """
    if run.kind == "judgebench" or run.judge == "reward_model":
        return None
    changed = {k: v for k, v in run.generation.items() if not (k == "temperature" and v == 0)}
    if changed:
        shown = ", ".join(f"{k}={v}" for k, v in sorted(changed.items()))
        return f"generation settings changed ({shown}; JudgeBench decoded greedily with its own settings)"
    games = _games(run)
    if not games or all("exact" not in g for g in games):
        return "the log does not say which prompts were used (made before exact prompts; its prompts were paraphrases)"
    inexact = [g for g in games if g.get("exact") is not True]
    if not inexact:
        return None
    mode = run.options.get("prompts", "judgebench")
    if mode == "builtin":
        return "prompts=builtin (this project's wording, not JudgeBench's)"
    reasons = {w for g in inexact for w in (g.get("request") or {}).get("why") or []}
    detail = f": {'; '.join(sorted(reasons))}" if reasons else ""
    return f"{len(inexact)} of {len(games)} game(s) were not sent JudgeBench's exact request{detail}"


def _paper_row(run: Run) -> tuple[PublishedResult | None, str | None]:
    row = find_published(run.judge, run.model)
    if row is None or run.benchmark != "judgebench":  # the paper's numbers are on JudgeBench's pairs
        return None, None
    counts = {c: sum(p.category == c for p in run.pairs) for c in run.categories}
    why = None
    if run.split != PAPER_SPLIT:
        why = f"split '{run.split}' (the paper's numbers are on the '{PAPER_SPLIT}' split)"
    elif counts != PAPER_PAIRS:
        why = f"only {len(run.pairs)} of {sum(PAPER_PAIRS.values())} pairs scored"
    elif (inexact := requests_not_judgebench(run)) is not None:
        why = inexact
    elif run.judge == "reward_model" and str(run.options.get("ties", "b")).lower() != "b":
        why = f"ties={run.options['ties']} (the paper gave exact reward ties to the second response)"
    elif run.games != 2 and run.judge != "reward_model":
        why = f"{run.games or 'mixed'} game(s) per pair (the paper judged both orders)"
    if why:
        return None, f"paper row '{row.name}' not compared: {why}"
    return row, None


def summarise(
    run: Run, index: int = 1, settings: StatsSettings | None = None, prices: dict[str, Price] | None = None
) -> Summary:
    """Summarise one run as a report row.

    Args:
      run: The run.
      index: Its row number.
      settings: Interval settings.
      prices: Model name -> prices, for the cost in dollars.
    """
    settings = settings or StatsSettings()
    pairs = run.pairs
    accuracy = {
        c: accuracy_of([p.outcome.correct for p in pairs if p.category == c], settings)
        for c in run.categories
    }
    accuracy[OVERALL] = accuracy_of([p.outcome.correct for p in pairs], settings)
    two = [p for p in pairs if p.outcome.games == 2]
    games = sum(p.outcome.games for p in pairs)
    decisive = sum(p.outcome.decisive for p in pairs)
    summary = Summary(
        index=index,
        run=run,
        accuracy=accuracy,
        inconsistency=percent(sum(p.outcome.inconsistent for p in two), len(two)),
        position_bias=percent(sum(p.outcome.first_chosen for p in pairs), decisive),
        no_verdict_rate=percent(sum(p.outcome.no_verdict for p in pairs), games),
        tie_rate=percent(sum(p.outcome.ties for p in pairs), games),
        rates=game_rates(run, settings),
        length_bias=length_bias(run, settings),
        cost=run_cost(run, accuracy[OVERALL].correct, prices),
    )
    notes = list(run.notes)
    if run.errored:
        shown = ", ".join(run.errored[:5]) + (" ..." if len(run.errored) > 5 else "")
        notes.append(f"{len(run.errored)} sample(s) errored and are not scored: {shown}")
    if run.dataset_pairs is not None and len(pairs) + len(run.errored) < run.dataset_pairs:
        notes.append(f"subset: {len(pairs) + len(run.errored)} of the dataset's {run.dataset_pairs} pairs were run")
    if "template" in run.options:
        notes.append(f"custom prompt template: {run.options['template']}")
    from .benchmarks import game_accuracy, headline, native

    summary.game_accuracy = game_accuracy(run, settings)
    summary.native = native(run)
    line = headline(summary)
    if line:
        notes.append(line)
    summary.paper, why = _paper_row(run)
    if why:
        notes.append(why)
    quirks = _judgebench_quirks(run)
    if quirks:
        notes.append(f"JudgeBench's run of this judge departs from its authors: {quirks}")
    all_games = _games(run)
    if any(g.get("unreadable") for g in all_games):
        summary.unreadable_rate = percent(sum(bool(g.get("unreadable")) for g in all_games), games)
        notes.append(
            f"unreadable replies: {summary.unreadable_rate:.2f}% of games could not be read and count "
            "as ties by the judge's own rule"
        )
    judgebench = _as_judgebench_counts(run, settings)
    if judgebench is not None:
        summary.judgebench_accuracy = judgebench
        shown = ", ".join(f"{c} {a.value:.2f}" for c, a in judgebench.items())
        notes.append(f"as JudgeBench's own parsers count the same replies: {shown}")
    if summary.cost is not None and summary.cost.unpriced:
        notes.append(f"no price for {', '.join(summary.cost.unpriced)} in the prices file: cost in dollars not shown")
    summary.notes = notes
    return summary


def _judgebench_quirks(run: Run) -> str:
    """The judge's known departures in JudgeBench's run, for runs made JudgeBench's way."""
    if not run.judge or run.options.get("prompts") == "builtin":
        return ""
    from ..judges import JUDGES, judge_class

    if run.judge not in JUDGES:
        return ""
    try:
        return judge_class(run.judge).judgebench_quirks
    except ImportError:  # a judge whose optional dependencies are missing
        return ""


def _as_judgebench_counts(run: Run, settings: StatsSettings) -> dict[str, Accuracy] | None:
    """Accuracies with JudgeBench's own parsers' verdicts, where they differ from ours."""
    outcomes: list[tuple[str, bool]] = []
    differs = False
    for p in run.pairs:
        games = p.record.get("games") or []
        upstream = [g.get("upstream", g.get("verdict")) for g in games if isinstance(g, dict)]
        if len(upstream) != len(p.verdicts) or any("upstream" not in g for g in games):
            return None
        correct = score_pair(upstream, p.label).correct
        differs = differs or correct != p.outcome.correct
        outcomes.append((p.category, correct))
    if not differs or not outcomes:
        return None
    out = {c: accuracy_of([ok for cat, ok in outcomes if cat == c], settings) for c in run.categories}
    out[OVERALL] = accuracy_of([ok for _, ok in outcomes], settings)
    return out


def summarise_all(
    runs: Sequence[Run], settings: StatsSettings | None = None, prices: dict[str, Price] | None = None
) -> list[Summary]:
    """Summaries of several runs, best overall accuracy first, numbered from 1 in that order.

    Runs of equal accuracy keep the given order; a run without an overall
    accuracy comes last.

    Args:
      runs: The runs.
      settings: Interval settings.
      prices: Model name -> prices, for the cost in dollars.
    """
    summaries = [summarise(r, i, settings, prices) for i, r in enumerate(runs, start=1)]

    def best_first(s: Summary) -> float:
        overall = s.accuracy.get(OVERALL)
        value = overall.value if overall is not None else float("nan")
        return -value if value == value else float("inf")

    # grouped by benchmark (JudgeBench's pairs first), best first within each
    summaries.sort(key=lambda s: (s.run.benchmark != "judgebench", s.run.benchmark, best_first(s)))
    for i, s in enumerate(summaries, start=1):
        s.index = i
    return summaries


def report_categories(summaries: Sequence[Summary]) -> list[str]:
    """The category columns of a report: every category any row has, paper order first."""
    names: set[str] = set()
    for s in summaries:
        names.update(k for k in s.accuracy if k != OVERALL)
    return order_categories(names)


# --------------------------------------------------------------------------- comparisons


@dataclass
class Comparison:
    """Two rows compared on the pairs both were scored on.

    Attributes:
      a: Index of the first row.
      b: Index of the second row.
      overall: The paired comparison over all common pairs.
      categories: The same per category.
      only_a: Pairs only the first row has (not compared).
      only_b: Pairs only the second row has.
      p_holm: Holm-adjusted p-values (``overall`` and per category), set by
        :func:`compare_all` when more than two rows are compared.
    """

    a: int
    b: int
    overall: PairedComparison
    categories: dict[str, PairedComparison]
    only_a: int
    only_b: int
    p_holm: dict[str, float] = field(default_factory=dict)


class NotComparable(ValueError):
    """Two rows that cannot be compared pair by pair."""


def compare_summaries(a: Summary, b: Summary, settings: StatsSettings | None = None) -> Comparison:
    """Compare two rows on their common pairs: exact McNemar test and a paired bootstrap interval.

    Args:
      a: First row.
      b: Second row.
      settings: Interval settings.

    Raises:
      NotComparable: No common pairs, or the same pair id with different labels.
    """
    settings = settings or StatsSettings()
    pa = {p.pair_id: p for p in a.run.pairs}
    pb = {p.pair_id: p for p in b.run.pairs}
    common = sorted(set(pa) & set(pb))
    if not common:
        raise NotComparable(f"rows {a.index} and {b.index} share no pairs")
    clash = [i for i in common if pa[i].label != pb[i].label]
    if clash:
        raise NotComparable(
            f"rows {a.index} and {b.index} give pair {clash[0]} different labels (not the same data)"
        )

    def paired(ids: list[str]) -> PairedComparison:
        return compare_paired(
            [float(pa[i].outcome.correct) for i in ids],
            [float(pb[i].outcome.correct) for i in ids],
            level=settings.level,
            resamples=settings.resamples,
            seed=settings.seed,
        )

    cats = order_categories({pa[i].category for i in common})
    return Comparison(
        a=a.index,
        b=b.index,
        overall=paired(common),
        categories={c: paired([i for i in common if pa[i].category == c]) for c in cats},
        only_a=len(pa) - len(common),
        only_b=len(pb) - len(common),
    )


def compare_all(
    summaries: Sequence[Summary], settings: StatsSettings | None = None
) -> tuple[list[Comparison], list[str]]:
    """Compare every two rows that share pairs.

    With more than two rows, the p-values are also Holm-adjusted
    (:attr:`Comparison.p_holm`): over all comparisons for ``overall``, and per
    category over the comparisons that have that category.

    Args:
      summaries: The rows.
      settings: Interval settings.

    Returns:
      The comparisons, and one line per pair of rows that could not be compared.
    """
    out: list[Comparison] = []
    problems: list[str] = []
    for a, b in combinations(summaries, 2):
        try:
            out.append(compare_summaries(a, b, settings))
        except NotComparable as ex:
            problems.append(str(ex))
    if len(summaries) > 2:
        adjust_holm(out)
    return out, problems


def adjust_holm(comparisons: Sequence[Comparison]) -> None:
    """Set the Holm-adjusted p-values of comparisons, one family for ``overall`` and one per category.

    Args:
      comparisons: The comparisons (changed in place).
    """
    families: dict[str, list[tuple[Comparison, float]]] = {}
    for c in comparisons:
        families.setdefault(OVERALL, []).append((c, c.overall.p_value))
        for cat, pc in c.categories.items():
            families.setdefault(cat, []).append((c, pc.p_value))
    for name, members in families.items():
        for (c, _), adjusted in zip(members, holm([p for _, p in members])):
            c.p_holm[name] = adjusted
