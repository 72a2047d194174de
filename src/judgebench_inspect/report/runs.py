"""What the report works on: judged pairs grouped into runs (one judge, one model, one split)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..categories import CATEGORIES
from ..dataset import RESPONSE_MODEL_OF_SPLIT, SPLIT_OF_RESPONSE_MODEL, infer_split
from ..pair_rule import PairOutcome
from ..verdicts import Verdict

__all__ = [
    "OVERALL",
    "RESPONSE_MODEL_OF_SPLIT",
    "SPLIT_OF_RESPONSE_MODEL",
    "PairResult",
    "ReportError",
    "Run",
    "SolveResult",
    "SolveRun",
    "infer_split",
    "order_categories",
    "response_lengths",
]


#: The name of the all-pairs group beside the categories.
OVERALL = "overall"


class ReportError(ValueError):
    """A result file that cannot be read as it is (the message names file, line/sample, field)."""


class SolveLogError(ReportError):
    """An Inspect log of the solve task met where a judge log was expected."""


class MissingRecordError(ReportError):
    """A judge log whose scores are there but some game's judge text cannot be found in it."""


@dataclass(frozen=True)
class PairResult:
    """One pair as a judge saw it, scored with the pair rule.

    Attributes:
      pair_id: The pair's id.
      category: The pair's category.
      label: ``A>B`` or ``B>A``.
      verdicts: One verdict per game in the pair's frame (game 2 swapped back).
      seen: The same verdicts in the frame the judge saw.
      outcome: What :func:`judgebench_inspect.pair_rule.score_pair` says.
      record: Everything else known about the pair (question, responses,
        source, ...) and its games, for exports.
    """

    pair_id: str
    category: str
    label: str
    verdicts: tuple[Verdict, ...]
    seen: tuple[Verdict, ...]
    outcome: PairOutcome
    record: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Run:
    """The scored pairs of one judge run (one log, or one epoch of a log, or one judged file).

    Attributes:
      path: The file the run was read from.
      kind: ``inspect`` (an Inspect log) or ``judgebench`` (a judged-*.jsonl file).
      judge: Judge strategy name (``arena_hard``, ``reward_model``, ...), if known.
      model: Judge model name, if known.
      split: ``gpt`` / ``claude`` for the published pairs, else the dataset's name.
      pairs: The scored pairs.
      errored: Ids of samples that errored or have no pair score (not scored).
      complete: The log finished successfully (``False`` only with ``--include-incomplete``).
      dataset_pairs: Pairs in the dataset the run was drawn from, if known.
      epoch: The epoch, when the log has several.
      options: The judge's options from the task arguments (e.g. a custom template).
      notes: Remarks shown under the report.
      inspect_model: ``model`` is an Inspect model name (``provider/model``).
      generation: Generation settings of the run (task and command line) that
        change what a judge is asked (``temperature``, ``top_p``, ...).
      user_label: The user's label of the run (``inspect eval --tags`` or
        ``--metadata``), if any.
      benchmark: The benchmark the pairs come from (``judgebench``, or a module
        of :mod:`judgebench_inspect.benchmarks`: ``llmbar``, ``rewardbench``, ...).
      usage: Tokens the scored pairs used, per model as Inspect names it
        (``input_tokens``, ``output_tokens``, ``total_tokens``, ...); empty when
        the source does not record usage (JudgeBench's files).
    """

    path: str
    kind: str
    judge: str | None
    model: str | None
    split: str
    pairs: list[PairResult] = field(default_factory=list)
    errored: list[str] = field(default_factory=list)
    complete: bool = True
    dataset_pairs: int | None = None
    epoch: int | None = None
    options: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    inspect_model: bool = False
    generation: dict[str, Any] = field(default_factory=dict)
    user_label: str | None = None
    usage: dict[str, dict[str, int]] = field(default_factory=dict)
    benchmark: str = "judgebench"

    @property
    def name(self) -> str:
        """The run's name in reports: judge model, strategy and the user's label.

        For example ``openai/gpt-4o · arena_hard [baseline]``.
        """
        label = f" [{self.user_label}]" if self.user_label else ""
        return f"{self.model or '?'} · {self.judge or '?'}{label}"

    @property
    def games(self) -> int | None:
        """Games per pair (``None`` if it varies or there are no pairs)."""
        counts = {p.outcome.games for p in self.pairs}
        return counts.pop() if len(counts) == 1 else None

    @property
    def categories(self) -> list[str]:
        """Categories present, the paper's four first."""
        present = {p.category for p in self.pairs}
        return order_categories(present)

    @property
    def label(self) -> str:
        """A short name: judge / model / split."""
        epoch = f" epoch {self.epoch}" if self.epoch is not None else ""
        return f"{self.judge or '?'} / {self.model or '?'} / {self.split}{epoch}"


def order_categories(names: set[str] | list[str]) -> list[str]:
    """Category names in report order: the paper's four, then others alphabetically."""
    names = set(names)
    std = [c for c in CATEGORIES if c in names]
    return std + sorted(names - set(CATEGORIES))


def response_lengths(pair: PairResult) -> tuple[int, int] | None:
    """The lengths in characters of a pair's two responses (A, B), if the record has both texts.

    Args:
      pair: The pair.
    """
    a, b = pair.record.get("response_A"), pair.record.get("response_B")
    if not isinstance(a, str) or not isinstance(b, str):
        return None
    return len(a), len(b)


@dataclass(frozen=True)
class SolveResult:
    """One question as the model answered it itself (a sample of the solve task).

    Attributes:
      pair_id: The pair the question belongs to.
      category: The pair's category.
      source: The pair's JudgeBench source, if known.
      original_id: The source question's id (MMLU-Pro ``question_id``), if any.
      correct: Whether the model's own answer was right; ``None`` when it
        could not be checked (not counted).
    """

    pair_id: str
    category: str
    source: str | None
    original_id: Any
    correct: bool | None


@dataclass
class SolveRun:
    """A model answering JudgeBench's questions itself (an Inspect log of ``judgebench/solve``).

    Attributes:
      path: The log file.
      model: The model that answered.
      split: The split or dataset name.
      results: One result per scored question.
      errored: Ids of samples that errored.
      complete: The log finished successfully.
    """

    path: str
    model: str
    split: str
    results: list[SolveResult] = field(default_factory=list)
    errored: list[str] = field(default_factory=list)
    complete: bool = True
