"""The pair scorer: JudgeBench's rule over the games the solver played."""

from __future__ import annotations

from typing import Sequence

from inspect_ai.scorer import Metric, Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState

from ..categories import CATEGORIES
from ..pair_rule import score_pair
from ..records import GAMES_KEY, SCORE_FIELDS, game_line
from ..verdicts import TIE
from .checks import excerpt
from .metrics import (
    category_accuracy,
    inconsistency,
    no_verdict_rate,
    pair_accuracy,
    pair_stderr,
    position_bias,
    tie_rate,
    unreadable_rate,
)


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
    position bias, the accuracy's standard error, tie rate, no-verdict rate and
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
        pair_stderr(),
        tie_rate(),
        no_verdict_rate(),
        unreadable_rate(),
    ]


@scorer(metrics=pair_metrics())
def pair_scorer() -> Scorer:
    """Score a pair with JudgeBench's rule (both games net out for the right answer).

    Reads the games that :func:`judgebench_inspect.solvers.judge_pair` stored.
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
