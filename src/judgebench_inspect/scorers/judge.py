"""Scoring a judge run: the pair scorer, the metrics over pair scores, and the run's verdict checks.

- :func:`pair_scorer` applies JudgeBench's rule to the games the judge solver stored.
- The metrics are in percent, as the paper reports them. Each sample's score
  value is a dict made by :func:`pair_scorer` (keys ``correct``,
  ``inconsistent``, ``games``, ``ties``, ``no_verdict``, ``decisive``,
  ``first_chosen``, ``unreadable``, ``upstream_correct``, ``games_right``). A rate with an empty
  denominator is ``nan``.
- The verdict checks (:func:`verdict_checks`, :class:`VerdictCheckHook`).

A prompt or parser that does not fit the model (or a server answering something
else) makes most games end without a verdict, and the accuracy then looks like
a bad judge rather than a broken run. At the end of a judge run this module
checks the share of games without a verdict and the share of ties; past
:data:`NO_VERDICT_WARN` or :data:`TIE_WARN` it writes a warning naming the
share and one such reply.

Where the warning goes, with what Inspect 0.3.285 offers:

- The log: a task's metadata cannot change once the run has started, and a
  metric's value must be a number. A scorer's registry metadata, though, is
  copied into the log's results (``results.scores[i].metadata``) when the run
  ends. The judge task gives its scorer a :class:`RunNotes` there, which the
  :func:`verdict_checks` metric fills as it computes; the notes object is
  shared, not copied, so what the final computation writes is what the log
  keeps: ``results.scores[0].metadata["checks"]["warnings"]``. The metric's own
  value, ``verdict_warnings``, counts the warnings (0 for a healthy run).
- The terminal: a hook prints each warning when the task ends.
"""

from __future__ import annotations

import logging
import math
from typing import Any, Sequence

from inspect_ai.hooks import Hooks, TaskEnd, hooks
from inspect_ai.scorer import Metric, SampleScore, Score, Scorer, Target, Value, metric, scorer
from inspect_ai.solver import TaskState
from inspect_ai.util import registry_info

from ..categories import CATEGORIES
from ..pair_rule import score_pair
from ..records import GAMES_KEY, SCORE_FIELDS, game_line
from ..verdicts import TIE
from ..stats import percent

# --------------------------------------------------------------------------- metrics

def _values(scores: list[SampleScore], key: str) -> list[float]:
    out: list[float] = []
    for s in scores:
        value = s.score.value
        if not isinstance(value, dict) or key not in value:
            raise ValueError(f"sample {s.sample_id}: score has no '{key}' (not a pair score)")
        out.append(float(value[key]))  # type: ignore[arg-type]
    return out



@metric
def pair_accuracy() -> Metric:
    """Share of pairs judged correctly (micro-average over pairs), in percent."""

    def compute(scores: list[SampleScore]) -> Value:
        v = _values(scores, "correct")
        return percent(sum(v), len(v))

    return compute


@metric
def game_accuracy() -> Metric:
    """Share of games (pooled over the run) whose verdict names the better response, in percent.

    LLMBar's headline metric (the mean of both orders' accuracies when every pair
    has two games); ties and games without a verdict count as not naming it.
    """

    def compute(scores: list[SampleScore]) -> Value:
        return percent(sum(_values(scores, "games_right")), sum(_values(scores, "games")))

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
            result[cat] = percent(sum(v), len(v))
        return result  # type: ignore[return-value]

    return compute


@metric
def inconsistency() -> Metric:
    """Share of two-game pairs whose two decisive verdicts disagree, in percent."""

    def compute(scores: list[SampleScore]) -> Value:
        two = [s for s, g in zip(scores, _values(scores, "games")) if g == 2]
        return percent(sum(_values(two, "inconsistent")), len(two))

    return compute


def _game_rate(key: str, of: str = "games") -> Metric:
    def compute(scores: list[SampleScore]) -> Value:
        return percent(sum(_values(scores, key)), sum(_values(scores, of)))

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
        return percent(sum(unreadable), sum(_values(scores, "games")))

    return compute


@metric
def position_bias() -> Metric:
    """Share of decisive games that chose the response shown first, in percent (fair: 50)."""
    return _game_rate("first_chosen", of="decisive")


# --------------------------------------------------------------------------- verdict checks

logger = logging.getLogger(__name__)

#: Warn when more than this share of games has no verdict.
NO_VERDICT_WARN = 0.5
#: Warn when more than this share of games is a tie (JudgeBench's o1-mini run: about 6%).
TIE_WARN = 0.5
#: Key of the notes in the scorer's metadata (and so in the log's results).
CHECKS_KEY = "checks"
#: Characters of a reply quoted in a warning.
EXCERPT = 200


class RunNotes(dict[str, Any]):
    """Notes a metric writes at the end of a run, for the scorer's metadata in the log.

    Inspect deep-copies a scorer's metadata into the results before it computes
    the metrics; this dict survives the copy as itself, so the notes the metric
    writes afterwards reach the log.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> "RunNotes":
        return self


def excerpt(text: str | None) -> str:
    """The start of a reply, on one line, for a warning.

    Args:
      text: The judge's reply.
    """
    flat = " ".join((text or "").split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT] + "..."


def verdict_warnings(scores: list[SampleScore]) -> list[str]:
    """Warnings about a run where most games have no verdict or are ties.

    Args:
      scores: The pair scores of the run (values as :func:`pair_scorer` makes them;
        metadata ``replies``: a reply without a verdict and a tie reply, where any).
    """
    games = no_verdict = ties = 0
    examples: dict[str, str] = {}
    for s in scores:
        value = s.score.value
        if not isinstance(value, dict):
            continue
        games += int(value.get("games", 0))
        no_verdict += int(value.get("no_verdict", 0))
        ties += int(value.get("ties", 0))
        for kind, text in ((s.score.metadata or {}).get("replies") or {}).items():
            examples.setdefault(kind, f"pair {s.sample_id}: {text!r}")
    warnings = []
    if games and no_verdict / games > NO_VERDICT_WARN:
        warnings.append(
            f"{100 * no_verdict / games:.0f}% of games ({no_verdict} of {games}) have no verdict: the "
            "judge's replies do not fit the strategy's parser (wrong prompt, parser or model, or a "
            f"server answering something else). A reply: {examples.get('no_verdict', '(none kept)')}"
        )
    if games and ties / games > TIE_WARN:
        warnings.append(
            f"{100 * ties / games:.0f}% of games ({ties} of {games}) are ties, unusually many. "
            f"A reply: {examples.get('tie', '(none kept)')}"
        )
    return warnings


def verdict_checks(notes: RunNotes) -> Metric:
    """A metric ``verdict_warnings``: how many warnings the run earned; the text goes to ``notes``.

    Args:
      notes: Filled with ``warnings`` (a list of strings) at every computation.
    """

    @metric(name="verdict_warnings")
    def verdict_warnings_metric() -> Metric:
        def compute(scores: list[SampleScore]) -> Value:
            found = verdict_warnings(scores)
            notes["warnings"] = found
            return float(len(found))

        return compute

    return verdict_warnings_metric()


@hooks(name="judgebench_verdict_checks", description="Warns when most games of a JudgeBench run have no verdict")
class VerdictCheckHook(Hooks):
    """Prints the warnings a judge run left in its log when the task ends."""

    async def on_task_end(self, data: TaskEnd) -> None:
        """Print the run's verdict warnings to the terminal.

        Args:
          data: The finished task's event data.
        """
        results = data.log.results
        for score in results.scores if results else []:
            for warning in ((score.metadata or {}).get(CHECKS_KEY) or {}).get("warnings") or []:
                logger.warning("JudgeBench run %s: %s", data.log.eval.task, warning)


# --------------------------------------------------------------------------- the pair scorer

def explain(games: list[dict], label: str, correct: bool, points: int) -> str:
    """A one-line account of a pair's games for the log viewer.

    Args:
      games: The game records (dicts).
      label: The pair's label.
      correct: Whether the pair counted as correct.
      points: The sum of the games' points.
    """
    parts = [game_line(g) for g in games]
    verdict = "correct" if correct else "incorrect"
    rule = f"sum {points:+d}" if len(games) == 2 else "single game"
    return f"label {label}; " + "; ".join(parts) + f"; {rule} -> {verdict}"


def pair_answer(games: list[dict]) -> str:
    """The sample's answer in the viewer: each game's verdict in the pair's frame.

    For example ``pair verdicts: game 1 A>B, game 2 A>B`` (game 2 showed B
    first; its verdict is mapped back to the pair's order).

    Args:
      games: The game records (dicts).
    """
    return "pair verdicts: " + ", ".join(f"game {g['game']} {g['verdict'] or 'none'}" for g in games)


def pair_metrics(categories: Sequence[str] = CATEGORIES) -> list[Metric]:
    """The metrics of a judge run: accuracy (overall, per category), inconsistency,
    position bias, game accuracy, the accuracy's standard error, tie rate, no-verdict rate and
    unreadable rate.

    The order is what ``inspect view`` shows: its title bar holds the first five
    metrics of a scorer (the overall and per-category accuracies of the four
    JudgeBench categories), and its scoring dialog the rest in this order.

    Args:
      categories: Categories to report per-category accuracy for.
    """
    return [
        pair_accuracy(),
        category_accuracy(list(categories)),
        inconsistency(),
        position_bias(),
        game_accuracy(),
        pair_stderr(),
        tie_rate(),
        no_verdict_rate(),
        unreadable_rate(),
    ]


@scorer(metrics=pair_metrics())
def pair_scorer() -> Scorer:
    """Score a pair with JudgeBench's rule (both games net out for the right answer).

    Reads the games that :func:`judgebench_inspect.solvers.judge` stored.
    The score value is a dict: ``correct`` (1/0), ``inconsistent`` (1/0),
    ``games``, ``ties``, ``no_verdict``, ``decisive``, ``first_chosen``,
    ``unreadable`` (counts), and ``upstream_correct`` (1/0: the pair as
    JudgeBench's own parsers would have counted the same replies).
    The answer names each game's verdict in the pair's frame (:func:`pair_answer`), the explanation a one-line account,
    and the metadata the judge model, the points, each game's order, verdicts and note, and
    ``replies``: the start of one reply without a verdict and of one tie, if any (the
    raw judge text and judge-specific details are in the sample's store under
    ``GAMES_KEY`` and in the transcript).
    """

    async def score(state: TaskState, target: Target) -> Score:
        games = state.store.get(GAMES_KEY)
        if not games:
            raise RuntimeError(
                f"sample {state.sample_id}: no judge games found; run the judge_pair solver first"
            )
        label = target.text
        outcome = score_pair([g["verdict"] for g in games], label, seen=[g["seen"] for g in games])
        # as JudgeBench's own parsers would have counted the same replies
        upstream = score_pair([g.get("upstream", g["verdict"]) for g in games], label)
        replies: dict[str, str] = {}  # one reply of each kind, for the run's verdict checks
        for g in games:
            kind = "no_verdict" if g["verdict"] is None else "tie" if g["verdict"] == TIE else None
            if kind is not None:
                replies.setdefault(kind, excerpt(g.get("raw")))
        return Score(
            value={
                "correct": float(outcome.correct),
                "inconsistent": float(outcome.inconsistent),
                "games": float(outcome.games),
                "ties": float(outcome.ties),
                "no_verdict": float(outcome.no_verdict),
                "decisive": float(outcome.decisive),
                "first_chosen": float(outcome.first_chosen),
                "unreadable": float(sum(bool(g.get("unreadable")) for g in games)),
                "upstream_correct": float(upstream.correct),
                "games_right": float(sum(g["verdict"] == label for g in games)),
            },
            answer=pair_answer(games),
            explanation=explain(games, label, outcome.correct, outcome.points),
            metadata={
                # the model that judged (the one bound to the role "judge", or the evaluated model)
                "judge_model": state.output.model or None,
                "points": outcome.points,
                "games": [{k: g.get(k) for k in SCORE_FIELDS} for g in games],
                **({"replies": replies} if replies else {}),
            },
        )

    return score


def checked_scorer(notes: RunNotes) -> Scorer:
    """The pair scorer, carrying ``notes`` into the log's results (see :func:`verdict_checks`).

    Args:
      notes: Filled by the :func:`verdict_checks` metric of the same task.
    """
    scorer = pair_scorer()
    info = registry_info(scorer)
    info.metadata = {**info.metadata, CHECKS_KEY: notes}  # this scorer's own copy
    return scorer
