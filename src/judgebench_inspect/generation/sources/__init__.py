"""Source questions with ground truth for the JudgeBench generation pipeline.

A loader turns one upstream benchmark (MMLU-Pro, LiveBench, ...) into a list of
`SourceQuestion` records: the exact prompt a response model is asked, the
answer a checker grades against, and where the question came from.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ...errors import ConfigError
from ...jsonline import JsonLineError, check_utf8, load_json_line

logger = logging.getLogger(__name__)


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


class SourceDataError(ConfigError):
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


class SourceUnavailableError(ConfigError, RuntimeError):
    """A source could not be fetched (e.g. the Hugging Face hub is unreachable)."""


def read_jsonl(path: str | Path) -> list[tuple[str, Any]]:
    """Read a JSONL file into (row label, parsed row) pairs.

    Args:
        path: The file to read.

    Returns:
        One pair per non-blank line; the label is "line N" (1-based).

    Raises:
        SourceDataError: The file is missing or a line is not valid JSON.
    """
    file = Path(path)
    if not file.is_file():
        raise SourceDataError(str(file), None, None, "file not found")
    with file.open(encoding="utf-8") as handle:
        return parse_jsonl_lines(handle, str(file))


def parse_jsonl_lines(lines: Iterable[str], origin: str) -> list[tuple[str, Any]]:
    """Parse JSONL lines into (row label, parsed row) pairs, skipping blank lines.

    Args:
        lines: The lines (an open file, ``io.StringIO``, ...).
        origin: The file the lines come from, for error messages.

    Raises:
        SourceDataError: A line is not valid JSON, nests too deeply, holds an
            integer too long or text that is not valid Unicode (names the line).
    """
    rows: list[tuple[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = load_json_line(line)
            check_utf8(row)
        except json.JSONDecodeError as ex:
            raise SourceDataError(origin, f"line {number}", None, f"malformed JSON: {ex.msg}") from ex
        except JsonLineError as ex:
            raise SourceDataError(origin, f"line {number}", ex.field, ex.problem) from None
        rows.append((f"line {number}", row))
    return rows


def hub_commit(repo_id: str, revision: str | None) -> str | None:
    """The commit a hub dataset revision (branch, tag or commit) resolves to.

    Recorded in the generate task's log so a run that read a branch (``main``)
    says exactly which data it saw and can be repeated with ``source_revision``.

    Args:
        repo_id: Hub dataset id.
        revision: Branch, tag or commit (``None`` = the default branch).

    Returns:
        The commit hash, or ``None`` (with a warning) if the hub cannot say.
    """
    try:
        from huggingface_hub import HfApi

        sha = HfApi().dataset_info(repo_id, revision=revision).sha
        return str(sha) if sha else None
    except Exception as ex:  # network, auth, unknown revision ...
        logger.warning("Could not resolve %s@%s to a commit: %s: %s", repo_id, revision, type(ex).__name__, ex)
        return None


def load_hub_split(name: str, revision: str | None, local_hint: str) -> list[dict[str, Any]]:
    """Fetch the test split of a source dataset from the Hugging Face hub.

    Args:
        name: Hub dataset id.
        revision: Commit or branch to read.
        local_hint: How to pass a local copy instead (ends the error message).

    Raises:
        SourceUnavailableError: The hub could not be reached or has no such data.
    """
    try:
        from datasets import load_dataset

        dataset = load_dataset(name, split="test", revision=revision)
        return [dict(record) for record in dataset]
    except Exception as ex:  # network, auth, missing revision, ...
        raise SourceUnavailableError(
            f"Could not load {name} (test split, revision {revision}) from the Hugging Face "
            f"hub: {type(ex).__name__}: {ex}. {local_hint}"
        ) from ex


# Loaders (imported last: they import the classes above).
from judgebench_inspect.generation.sources.livebench import load_livebench  # noqa: E402
from judgebench_inspect.generation.sources.mmlu_pro import load_mmlu_pro  # noqa: E402

__all__ = [
    "SourceQuestion",
    "SourceDataError",
    "SourceUnavailableError",
    "load_hub_split",
    "load_mmlu_pro",
    "read_jsonl",
    "load_livebench",
]
