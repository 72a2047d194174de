"""From checked candidates to JudgeBench pairs: pure functions.

A question gives a pair when at least one of its usable candidates is correct
and one is incorrect. Which correct and which incorrect candidate are paired,
and whether the correct one goes to A or B, is drawn from
``random.Random(f"{pair_seed}:{source}:{question_id}")``: the same seed gives
the same pairs, whatever order the questions are processed in. The pair id is
a uuid5 of (source, question id, response model) in this project's namespace.

The draw (:func:`draw_pair`), the row (:func:`pair_row`) and the id (:func:`pair_uuid`)
also serve pairs from other evals' multi-epoch logs. Reading logs and writing pairs files is the
dataset layer's (:mod:`judgebench_inspect.dataset.generate_log`,
:mod:`judgebench_inspect.dataset.eval_log`, :mod:`judgebench_inspect.dataset.io`).
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence, TypeVar

from ..records import VERIFIED, Candidate

#: Namespace of the uuid5 pair ids of pairs built by this project.
PAIR_NAMESPACE = uuid.UUID("5b0f3c8e-2d1a-4e57-9c63-8a4f1e2b7d90")


def final_status(checker_status: str, grader_correct: bool | None, graded: bool) -> str:
    """Combine the checker's status with the second grader's verdict.

    Args:
      checker_status: ``correct``, ``incorrect`` or another status.
      grader_correct: The grader's verdict (``None`` = none readable).
      graded: Whether a second grader ran for this candidate.
    """
    if not graded or checker_status not in VERIFIED:
        return checker_status
    if grader_correct is None:
        return "grader_no_verdict"
    if grader_correct != (checker_status == "correct"):
        return "grader_disagrees"
    return checker_status


def pair_uuid(*parts: str | int) -> str:
    """Deterministic uuid5 of a pair built by this project, from the parts that identify it.

    Args:
      parts: What identifies the pair (joined by newlines in :data:`PAIR_NAMESPACE`).
    """
    return str(uuid.uuid5(PAIR_NAMESPACE, "\n".join(str(p) for p in parts)))


def make_pair_id(source: str, question_id: str | int, response_model: str) -> str:
    """Deterministic uuid5 of a generated pair.

    Args:
      source: JudgeBench source, e.g. ``mmlu-pro-law``.
      question_id: The question's id in its source.
      response_model: Name of the model that wrote the responses.
    """
    return pair_uuid(source, question_id, response_model)


def pair_rng(pair_seed: int | str, source: str, question_id: str | int) -> random.Random:
    """The random generator that places one question's pair.

    Args:
      pair_seed: The run's pair seed.
      source: JudgeBench source.
      question_id: The question's id.
    """
    return random.Random(f"{pair_seed}:{source}:{question_id}")


@dataclass(frozen=True)
class QuestionResult:
    """A question with all its candidates (from one sample, or merged epochs).

    Attributes:
      source: JudgeBench source (``mmlu-pro-<subject>``, ...).
      question_id: Id in the source.
      original_id: MMLU-Pro question id (``None`` for other sources).
      question: The text of the pair's ``question`` field.
      response_model: Model that wrote the candidates.
      candidates: The candidates.
    """

    source: str
    question_id: str
    original_id: int | None
    question: str
    response_model: str
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PairChoice:
    """Which candidates form a question's pair, and where the correct one sits.

    Attributes:
      correct: Index (``Candidate.index``/epoch) of the correct candidate.
      incorrect: Index of the incorrect candidate.
      correct_epoch: Epoch of the correct candidate.
      incorrect_epoch: Epoch of the incorrect candidate.
      label: ``A>B`` when the correct one is response A, else ``B>A``.
    """

    correct: int
    incorrect: int
    correct_epoch: int
    incorrect_epoch: int
    label: str


T = TypeVar("T")


def draw_pair(
    right: Sequence[T], wrong: Sequence[T], pair_seed: int | str, source: str, question_id: str | int
) -> tuple[T, T, str] | None:
    """Draw one right and one wrong answer and the label, seeded by :func:`pair_rng`.

    Args:
      right: The question's correct answers.
      wrong: Its incorrect answers.
      pair_seed: The pair seed.
      source: Where the question comes from (part of the seed).
      question_id: The question's id (part of the seed).

    Returns:
      ``(right answer, wrong answer, label)``, or ``None`` when one side is empty.
    """
    if not right or not wrong:
        return None
    rng = pair_rng(pair_seed, source, question_id)
    good = rng.choice(right)
    bad = rng.choice(wrong)
    label = "A>B" if rng.random() < 0.5 else "B>A"
    return good, bad, label


def pair_row(
    *,
    pair_id: str,
    original_id: int | str | None,
    source: str,
    question: str,
    response_model: str,
    correct: str,
    incorrect: str,
    label: str,
) -> dict[str, Any]:
    """A JudgeBench row: the correct response at A for ``A>B``, at B for ``B>A``.

    Args:
      pair_id: The pair's id.
      original_id: The question's id in its source dataset.
      source: Where the question comes from.
      question: The question.
      response_model: The model that wrote both responses.
      correct: The correct response.
      incorrect: The incorrect response.
      label: ``A>B`` or ``B>A``.

    Returns:
      A dict with exactly :data:`judgebench_inspect.dataset.PAIR_FIELDS`, in that order.
    """
    first, second = (correct, incorrect) if label == "A>B" else (incorrect, correct)
    return {
        "pair_id": pair_id,
        "original_id": original_id,
        "source": source,
        "question": question,
        "response_model": response_model,
        "response_A": first,
        "response_B": second,
        "label": label,
    }


def choose_pair(
    candidates: Sequence[Candidate], pair_seed: int | str, source: str, question_id: str | int
) -> tuple[Candidate, Candidate, str] | None:
    """Pick one correct and one incorrect candidate and the label, seeded.

    Args:
      candidates: The question's candidates.
      pair_seed: The run's pair seed.
      source: JudgeBench source.
      question_id: The question's id.

    Returns:
      ``(correct, incorrect, label)``, or ``None`` without both kinds.
    """
    right = [c for c in candidates if c.status == "correct"]
    wrong = [c for c in candidates if c.status == "incorrect"]
    return draw_pair(right, wrong, pair_seed, source, question_id)


def pair_choice(result: QuestionResult, pair_seed: int | str) -> PairChoice | None:
    """The pair of a question, as indices (for the viewer).

    Args:
      result: The question and its candidates.
      pair_seed: The run's pair seed.
    """
    chosen = choose_pair(result.candidates, pair_seed, result.source, result.question_id)
    if chosen is None:
        return None
    good, bad, label = chosen
    return PairChoice(good.index, bad.index, good.epoch, bad.epoch, label)


def build_pair(result: QuestionResult, pair_seed: int | str) -> dict[str, Any] | None:
    """The JudgeBench row of a question, or ``None`` if it gives no pair.

    Args:
      result: The question and its candidates.
      pair_seed: The run's pair seed.

    Returns:
      A dict with exactly :data:`judgebench_inspect.dataset.PAIR_FIELDS`, in that order.
    """
    chosen = choose_pair(result.candidates, pair_seed, result.source, result.question_id)
    if chosen is None:
        return None
    good, bad, label = chosen
    return pair_row(
        pair_id=make_pair_id(result.source, result.question_id, result.response_model),
        original_id=result.original_id,
        source=result.source,
        question=result.question,
        response_model=result.response_model,
        correct=good.text,
        incorrect=bad.text,
        label=label,
    )


def check_quota(pair_quota: int | None) -> int | None:
    """Validate a per-source pair quota.

    Args:
      pair_quota: ``None`` (keep all) or a positive number.
    """
    if pair_quota is None:
        return None
    if isinstance(pair_quota, bool) or not isinstance(pair_quota, int) or pair_quota < 1:
        raise ValueError(f"pair_quota must be a positive integer or None, got {pair_quota!r}")
    return pair_quota


def apply_quota(
    pairs: Sequence[Mapping[str, Any]], pair_quota: int | None, pair_seed: int | str
) -> tuple[list[dict[str, Any]], dict[str, tuple[int, int]]]:
    """Keep at most ``pair_quota`` pairs per source, chosen at random (seeded).

    Args:
      pairs: Pair rows.
      pair_quota: Pairs to keep per source (``None`` = all).
      pair_seed: The run's pair seed (the draw per source uses
        ``random.Random(f"{pair_seed}:quota:{source}")``).

    Returns:
      ``(kept rows in their input order, {source: (available, kept)})``.
    """
    check_quota(pair_quota)
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_source[str(p["source"])].append(i)
    keep: set[int] = set()
    counts: dict[str, tuple[int, int]] = {}
    for source, idx in by_source.items():
        if pair_quota is None or len(idx) <= pair_quota:
            chosen = idx
        else:
            chosen = random.Random(f"{pair_seed}:quota:{source}").sample(idx, pair_quota)
        keep.update(chosen)
        counts[source] = (len(idx), len(chosen))
    return [dict(p) for i, p in enumerate(pairs) if i in keep], counts


def _sort_key(result: QuestionResult) -> tuple[str, int, str]:
    return (result.source, result.original_id if result.original_id is not None else -1, result.question_id)


def build_pairs(
    results: Iterable[QuestionResult], pair_seed: int | str, pair_quota: int | None = None
) -> tuple[list[dict[str, Any]], dict[str, tuple[int, int]]]:
    """Pairs of many questions, with an optional per-source quota.

    Args:
      results: Questions with their candidates.
      pair_seed: The run's pair seed.
      pair_quota: Pairs to keep per source (``None`` = all).

    Returns:
      ``(rows sorted by source then question id, {source: (available, kept)})``.
    """
    rows = [p for r in sorted(results, key=_sort_key) if (p := build_pair(r, pair_seed)) is not None]
    return apply_quota(rows, pair_quota, pair_seed)


__all__ = [
    "PAIR_NAMESPACE",
    "PairChoice",
    "QuestionResult",
    "apply_quota",
    "build_pair",
    "build_pairs",
    "check_quota",
    "choose_pair",
    "draw_pair",
    "final_status",
    "make_pair_id",
    "pair_choice",
    "pair_rng",
    "pair_row",
    "pair_uuid",
]
