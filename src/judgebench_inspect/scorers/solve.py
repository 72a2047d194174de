"""Scorer and metrics of the solve task.

One score per JudgeBench question; accuracy over the questions that could be
checked, overall and per category, plus the number that could not. Accuracy is
in percent (``nan`` for an empty denominator).
"""

from __future__ import annotations

from typing import Any

from inspect_ai.scorer import Metric, SampleScore, Score, Scorer, Target, Value, grouped, metric, scorer
from inspect_ai.solver import TaskState

from ..records import SOLVE_KEY, Candidate
from ..stats import percent
from .generate import value_sum


@metric
def solve_accuracy() -> Metric:
    """Correct answers / checkable questions, in percent."""

    def compute(scores: list[SampleScore]) -> Value:
        return percent(value_sum(scores, "correct"), value_sum(scores, "verified"))

    return compute


@metric
def unverifiable() -> Metric:
    """Questions whose answer could not be checked (no ground truth or tests)."""

    def compute(scores: list[SampleScore]) -> Value:
        return len(scores) - value_sum(scores, "verified")

    return compute


def solve_metrics() -> list[Any]:
    """Metrics of the solve task: accuracy overall and per category."""
    return [grouped(solve_accuracy(), "category", all_label="accuracy"), unverifiable()]


@scorer(metrics=solve_metrics())
def solve_scorer() -> Scorer:
    """Score the model's own answer to a JudgeBench question with its checker.

    Score value: ``correct`` (0/1) and ``verified`` (0 when the answer could
    not be checked: no ground truth found, or the checker could not decide).
    """

    async def score(state: TaskState, target: Target) -> Score:
        md = state.metadata
        if not md.get("verifiable", True):
            return Score(
                value={"correct": 0, "verified": 0},
                explanation=f"unverifiable: {md.get('unverifiable_reason', 'no ground truth')}",
            )
        stored = state.store.get(SOLVE_KEY)
        if not isinstance(stored, dict):
            raise ValueError(f"sample {state.sample_id}: no answer in the store")
        c = Candidate.from_dict(stored)
        # An empty reply is a wrong answer; only an undecided checker is not counted.
        verified = c.status != "unverified"
        return Score(
            value={"correct": int(bool(c.correct)), "verified": int(verified)},
            answer=c.answer,
            explanation=f"{c.status}: {c.detail}" + ("" if verified else " (not counted)"),
            metadata={"status": c.status, "detail": c.detail, "stop_reason": c.stop_reason},
        )

    return score
