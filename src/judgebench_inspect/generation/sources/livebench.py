"""LiveBench questions for the reasoning and math categories of the generation pipeline.

JudgeBench used LiveBench's reasoning tasks (web_of_lies_v2, zebra_puzzle,
spatial) and math tasks (AMPS_Hard, math_comp). The prompt is the question's
first turn and the ground truth its `ground_truth` field. Questions come from a
local folder laid out as LiveBench's repository keeps them
(`<root>/<category>/<task>/question.jsonl`) or from the Hugging Face hub.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from judgebench_inspect.generation.sources import (
    SourceDataError,
    SourceQuestion,
    load_hub_split,
    read_jsonl,
)

LiveBenchCategory = Literal["reasoning", "math"]

LIVEBENCH_TASKS: dict[str, tuple[str, ...]] = {
    "reasoning": ("web_of_lies_v2", "zebra_puzzle", "spatial"),
    "math": ("AMPS_Hard", "math_comp"),
}
"""The LiveBench tasks JudgeBench drew from, per category."""

UNSUPPORTED_TASKS: dict[str, str] = {
    "olympiad": (
        "LiveBench's 'olympiad' task is graded with partial credit (how close the "
        "ordering of the filled-in expressions is), so a response is never simply "
        "right or wrong and cannot make a JudgeBench pair. JudgeBench left it out."
    ),
}

LIVEBENCH_HF_PATHS: dict[str, str] = {
    "reasoning": "livebench/reasoning",
    "math": "livebench/math",
}

LIVEBENCH_HF_REVISIONS: dict[str, str] = {
    # A commit of livebench/math pinned by a public evaluation project; not
    # verified offline.
    "math": "bb66571c8ccf32d3df9e6f48b920d3770ff4aacb",
    # No verifiable commit of livebench/reasoning was available offline, so the
    # default follows the main branch: pass `revision=` to pin one.
    "reasoning": "main",
}
"""Default hub revision per category."""

_REQUIRED: tuple[tuple[str, type], ...] = (
    ("question_id", str),
    ("task", str),
    ("turns", list),
    ("ground_truth", str),
)


def load_livebench(
    category: LiveBenchCategory,
    path: str | Path | None = None,
    *,
    tasks: Sequence[str] | None = None,
    released_on_or_before: str | None = None,
    n_per_task: int | None = None,
    seed: int = 0,
    revision: str | None = None,
) -> list[SourceQuestion]:
    """Load LiveBench reasoning or math questions as `SourceQuestion`s.

    Args:
        category: "reasoning" or "math".
        path: Root folder holding `<category>/<task>/question.jsonl` (or the
            category folder itself). None loads `livebench/<category>` (test
            split) from the Hugging Face hub.
        tasks: Tasks to load; None loads every supported task of the category.
            "olympiad" is refused (partial credit only).
        released_on_or_before: Keep questions whose `livebench_release_date`
            (YYYY-MM-DD) is on or before this date. JudgeBench's questions date
            from 2024-06-24 (spatial: 2024-07-26), so "2024-07-26" gives the
            question pool it drew from.
        n_per_task: Draw this many random questions per task; None keeps all.
        seed: Seed of the per-task draw.
        revision: Hub revision (only when `path` is None); defaults to
            `LIVEBENCH_HF_REVISIONS[category]`.

    Returns:
        Questions grouped by task (in `tasks` order), each in file order.
        `source` is "livebench-<category>", `prompt` is `turns[0]`.

    Raises:
        ValueError: Unknown category or task, or an unsupported task.
        SourceDataError: A file is missing or a row is malformed (names the
            file, line and field).
        SourceUnavailableError: The hub could not be reached (pass `path`).
    """
    if category not in LIVEBENCH_TASKS:
        raise ValueError(
            f"Unknown LiveBench category {category!r}; use one of {list(LIVEBENCH_TASKS)}"
        )
    chosen = list(tasks) if tasks is not None else list(LIVEBENCH_TASKS[category])
    for task in chosen:
        if task in UNSUPPORTED_TASKS:
            raise ValueError(UNSUPPORTED_TASKS[task])
        if task not in LIVEBENCH_TASKS[category]:
            raise ValueError(
                f"Unsupported LiveBench {category} task {task!r}; supported: "
                f"{list(LIVEBENCH_TASKS[category])}"
            )
    if n_per_task is not None and n_per_task < 0:
        raise ValueError(f"n_per_task must be >= 0, got {n_per_task}")

    by_task: dict[str, list[SourceQuestion]] = {}
    if path is None:
        rev = revision or LIVEBENCH_HF_REVISIONS[category]
        origin = f"{LIVEBENCH_HF_PATHS[category]}@{rev}"
        for i, record in enumerate(_load_from_hub(category, rev)):
            if isinstance(record, dict) and record.get("task") in chosen:
                q = record_to_question(record, category, origin, f"record {i}")
                by_task.setdefault(q.task, []).append(q)
    else:
        folder = _category_folder(Path(path), category)
        for task in chosen:
            file = folder / task / "question.jsonl"
            by_task[task] = [
                record_to_question(record, category, str(file), row, expected_task=task)
                for row, record in read_jsonl(file)
            ]

    selected: list[SourceQuestion] = []
    for task in chosen:
        pool = by_task.get(task, [])
        if released_on_or_before is not None:
            pool = [
                q
                for q in pool
                if str(q.metadata.get("livebench_release_date") or "")[:10] <= released_on_or_before
            ]
        if n_per_task is not None and n_per_task < len(pool):
            rng = random.Random(f"{seed}:{task}")
            keep = set(rng.sample(range(len(pool)), n_per_task))
            pool = [q for i, q in enumerate(pool) if i in keep]
        selected.extend(pool)
    return selected


def record_to_question(
    record: Any,
    category: str,
    origin: str,
    row: str | None = None,
    expected_task: str | None = None,
) -> SourceQuestion:
    """Validate one LiveBench question row and turn it into a `SourceQuestion`.

    Args:
        record: One parsed row of `question.jsonl` (or a hub record).
        category: "reasoning" or "math".
        origin: File or hub name, for error messages.
        row: Row position ("line 3"), for error messages.
        expected_task: Task the file belongs to; a row naming another task is
            an error.

    Returns:
        The question, with every further field of the row in `metadata`
        (dates as YYYY-MM-DD strings).

    Raises:
        SourceDataError: A required field is missing or has the wrong type.
    """
    if not isinstance(record, dict):
        raise SourceDataError(
            origin, row, None, f"expected a JSON object, got {type(record).__name__}"
        )
    for name, kind in _REQUIRED:
        if name not in record or record[name] is None:
            raise SourceDataError(origin, row, name, "missing")
        if not isinstance(record[name], kind):
            raise SourceDataError(
                origin, row, name, f"expected {kind.__name__}, got {type(record[name]).__name__}"
            )
    turns = record["turns"]
    if not turns or not isinstance(turns[0], str) or not turns[0].strip():
        raise SourceDataError(
            origin, row, "turns", "expected a non-empty list whose first item is the prompt text"
        )
    task = record["task"]
    if expected_task is not None and task != expected_task:
        raise SourceDataError(origin, row, "task", f"expected {expected_task!r}, got {task!r}")

    metadata = {
        key: _plain(value)
        for key, value in record.items()
        if key not in ("question_id", "turns", "ground_truth", "task")
    }
    metadata.setdefault("category", category)
    return SourceQuestion(
        source=f"livebench-{category}",
        question_id=record["question_id"],
        original_id=None,
        prompt=turns[0],
        ground_truth=record["ground_truth"],
        task=task,
        metadata=metadata,
    )


def _category_folder(root: Path, category: str) -> Path:
    """Accept either the root folder (holding <category>/) or the category folder."""
    if (root / category).is_dir():
        return root / category
    if root.is_dir() and root.name == category:
        return root
    raise SourceDataError(
        str(root),
        None,
        None,
        f"no '{category}' folder found (expected <root>/{category}/<task>/question.jsonl)",
    )


def _plain(value: Any) -> Any:
    """Make hub values (datetimes) JSON-friendly."""
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()[:10]
    return value


def _load_from_hub(category: str, revision: str) -> list[dict[str, Any]]:
    """Fetch one LiveBench category (test split) from the Hugging Face hub."""
    return load_hub_split(
        LIVEBENCH_HF_PATHS[category],
        revision,
        f"Pass a local folder instead, e.g. load_livebench({category!r}, path=...) with "
        f"<path>/{category}/<task>/question.jsonl.",
    )