"""Source questions with ground truth for the JudgeBench generation pipeline.

A loader turns one upstream benchmark (MMLU-Pro, LiveBench, ...) into a list of
`SourceQuestion` records: the exact prompt a response model is asked, the
answer a checker grades against, and where the question came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceQuestion:
    """One question of a source benchmark, ready to be sent to a response model.

    Args:
        source: JudgeBench source string, e.g. "mmlu-pro-computer science",
            "livebench-reasoning", "livebench-math", "livecodebench".
        question_id: Identifier of the question in its source (as a string).
        original_id: MMLU-Pro `question_id` (JudgeBench's `original_id`); None
            for sources without an integer id.
        prompt: The exact text the response model is asked.
        ground_truth: The reference answer the checker compares with.
        task: Finer-grained task name, e.g. the MMLU-Pro subject,
            "web_of_lies_v2" or "AMPS_Hard".
        metadata: Any further source fields (options, subtask, dates, ...).
    """

    source: str
    question_id: str
    original_id: int | None
    prompt: str
    ground_truth: str
    task: str
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)


class SourceDataError(ValueError):
    """A source file or record is malformed.

    The message names the file, the row (line of a JSONL file or index of a
    JSON list) and the field, so the user can find and fix the bad record.

    Args:
        file: Path (or hub name) of the data that was read.
        row: Human-readable row position, e.g. "line 12" or "record 3".
        field: The field that is missing or wrong (None for a whole row).
        problem: What is wrong with it.
    """

    def __init__(self, file: str, row: str | None, field: str | None, problem: str) -> None:
        self.file = file
        self.row = row
        self.field = field
        self.problem = problem
        where = ", ".join(
            part
            for part in (
                str(file),
                row,
                f"field '{field}'" if field is not None else None,
            )
            if part
        )
        super().__init__(f"{where}: {problem}")


class SourceUnavailableError(RuntimeError):
    """A source could not be fetched (e.g. the Hugging Face hub is unreachable)."""


# Loaders (imported last: they import the classes above).
from judgebench_inspect.sources.livebench import load_livebench  # noqa: E402
from judgebench_inspect.sources.mmlu_pro import load_mmlu_pro  # noqa: E402

__all__ = [
    "SourceQuestion",
    "SourceDataError",
    "SourceUnavailableError",
    "load_mmlu_pro",
    "load_livebench",
]
