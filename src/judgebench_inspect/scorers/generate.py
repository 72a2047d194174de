"""Scorer and metrics of the generate task.

One score per question with the candidates' counts; metrics are the solve rate
(correct candidates / usable candidates) and the pair yield (share of questions
with both a correct and an incorrect usable candidate), overall and per
``source``. Rates are in percent (``nan`` for an empty denominator).
"""

from __future__ import annotations

from typing import Any, Sequence

from inspect_ai.scorer import Metric, SampleScore, Score, Scorer, Target, Value, grouped, metric, scorer
from inspect_ai.solver import TaskState

from ..generation.pairs import QuestionResult, pair_choice
from ..records import CANDIDATES_KEY, MODEL_KEY, Candidate
from ..stats import percent



def value_sum(scores: list[SampleScore], key: str) -> float:
    """The sum of one key of the scores' dict values.

    Args:
      scores: The sample scores.
      key: The key of the score value to add up.

    Raises:
      ValueError: A score without the key (names the sample).
    """
    total = 0.0
    for s in scores:
        value = s.score.value
        if not isinstance(value, dict) or key not in value:
            raise ValueError(f"sample {s.sample_id}: score has no '{key}'")
        total += float(value[key])  # type: ignore[arg-type]
    return total


@metric
def solve_rate() -> Metric:
    """Correct candidates / usable (correct or incorrect) candidates, in percent."""

    def compute(scores: list[SampleScore]) -> Value:
        right = value_sum(scores, "correct")
        return percent(right, right + value_sum(scores, "incorrect"))

    return compute


@metric
def pair_yield() -> Metric:
    """Share of questions that give a pair, in percent."""

    def compute(scores: list[SampleScore]) -> Value:
        return percent(value_sum(scores, "pair"), len(scores))

    return compute


@metric
def excluded_candidates() -> Metric:
    """Candidates kept out of pairs (unverified, truncated, empty, grader disagreement)."""

    def compute(scores: list[SampleScore]) -> Value:
        return value_sum(scores, "excluded")

    return compute


def generation_metrics() -> list[Any]:
    """Metrics of the generate task: overall and per ``source``."""
    return [
        grouped(solve_rate(), "source", all_label="solve_rate", name_template="solve_rate/{group_name}"),
        grouped(pair_yield(), "source", all_label="pair_yield", name_template="pair_yield/{group_name}"),
        excluded_candidates(),
    ]


def explain(candidates: Sequence[Candidate]) -> str:
    """A Markdown table of the candidates for the viewer.

    Args:
      candidates: The question's candidates.
    """
    lines = ["| # | answer | status | checker | second grader |", "|---|---|---|---|---|"]
    for c in candidates:
        grader = "" if c.grader is None else {True: "correct", False: "incorrect", None: "no verdict"}[c.grader.get("correct")]
        answer = (c.answer or "-").replace("|", "\\|").replace("\n", " ")
        if len(answer) > 80:
            answer = answer[:77] + "..."
        detail = c.detail.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {c.index} | {answer} | {c.status} | {detail} | {grader} |")
    return "\n".join(lines)


@scorer(metrics=generation_metrics())
def generation_scorer(pair_seed: int = 0) -> Scorer:
    """Count a question's candidates by status and show which pair it gives.

    Score value: ``correct``, ``incorrect``, ``excluded``, ``candidates`` and
    ``pair`` (1 if the question gives a pair). The explanation lists every
    candidate's extracted answer and verdicts; metadata holds the same per
    candidate and the chosen pair (indices and label).

    Args:
      pair_seed: The seed that places pairs (as in the export).
    """

    async def score(state: TaskState, target: Target) -> Score:
        stored = state.store.get(CANDIDATES_KEY)
        if not isinstance(stored, list):
            raise ValueError(f"sample {state.sample_id}: no candidates in the store")
        candidates = [Candidate.from_dict(c) for c in stored]
        md = state.metadata
        result = QuestionResult(
            source=md["source"],
            question_id=md["question_id"],
            original_id=md.get("original_id"),
            question=md["question"],
            response_model=str(state.store.get(MODEL_KEY)),
            candidates=tuple(candidates),
        )
        choice = pair_choice(result, pair_seed)
        right = sum(c.status == "correct" for c in candidates)
        wrong = sum(c.status == "incorrect" for c in candidates)
        pair_text = (
            f"pair: candidate {choice.correct} (correct) vs {choice.incorrect} (incorrect), label {choice.label}"
            if choice
            else "no pair (needs one correct and one incorrect usable candidate)"
        )
        return Score(
            value={
                "correct": right,
                "incorrect": wrong,
                "excluded": len(candidates) - right - wrong,
                "candidates": len(candidates),
                "pair": int(choice is not None),
            },
            answer=", ".join(c.answer or "-" for c in candidates),
            explanation=f"{pair_text}\n\n{explain(candidates)}",
            metadata={
                "candidates": [
                    {k: v for k, v in c.__dict__.items() if k != "text"} for c in candidates
                ],
                "pair": None if choice is None else choice.__dict__,
            },
        )

    return score
