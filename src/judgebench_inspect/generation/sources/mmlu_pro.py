"""MMLU-Pro questions for the knowledge category of the generation pipeline.

JudgeBench drew 100 random questions per MMLU-Pro subject (14 subjects) from
the test split and asked the response model to end its answer with the chosen
letter written five times. This module loads the test split (a local file or
the Hugging Face hub) and builds those prompts.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ...errors import did_you_mean

from judgebench_inspect.generation.sources import (
    SourceDataError,
    SourceQuestion,
    load_hub_split,
    parse_jsonl_lines,
)

MMLU_PRO_HF_PATH = "TIGER-Lab/MMLU-Pro"
"""Hugging Face dataset holding MMLU-Pro."""

MMLU_PRO_HF_REVISION = "3373e0b32277875b8db2aa555a333b78a08477ea"
"""Pinned hub revision (a late-2024 commit that public evaluation suites pin).

Not verified offline against the October-2024 copy in the official repository's
model-output zip (the copy JudgeBench's pairs match). Later hub revisions changed
answer options (e.g. a 2026 fix of leading spaces), so keep a pin."""

MMLU_PRO_SUBJECTS: tuple[str, ...] = (
    "biology",
    "business",
    "chemistry",
    "computer science",
    "economics",
    "engineering",
    "health",
    "history",
    "law",
    "math",
    "other",
    "philosophy",
    "physics",
    "psychology",
)
"""The 14 MMLU-Pro subjects (the `category` field); note the space in "computer science"."""

# JudgeBench's published MMLU-Pro questions have this layout: the question, one
# "(A) option" line per option, then a line with the instruction (guess if unsure;
# write the chosen letter five times, with a "KKKKK" example), then a last line
# asking for step-by-step reasoning. We keep that structure but use our own
# sentences: the published line speaks of "duplicating" the letter "in a single
# string" and ends with a "think step by step" phrase; ours says "five times in a
# row with nothing in between" and "work through it step by step".
MMLU_PRO_INSTRUCTION = (
    "If you are not sure which option is right, make your best guess. When you "
    "have settled on an option, write its letter five times in a row with nothing "
    "in between; for example, for option K you would write KKKKK.\n"
    "Work through the problem step by step."
)
"""The closing instruction appended after the options (our own wording)."""

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def format_mmlu_pro_prompt(
    question: str, options: Sequence[str], instruction: str = MMLU_PRO_INSTRUCTION
) -> str:
    """Build the prompt in JudgeBench's layout.

    Args:
        question: The question text.
        options: Answer options, in order (lettered A, B, C, ...).
        instruction: Text placed after the options.

    Returns:
        The question, one `(X) option` line per option, then the instruction.
    """
    option_lines = [f"({_LETTERS[i]}) {option}" for i, option in enumerate(options)]
    return "\n".join([question, *option_lines, instruction])


def load_mmlu_pro(
    path: str | Path | None = None,
    *,
    subjects: Sequence[str] | None = None,
    n_per_subject: int | None = None,
    seed: int = 0,
    question_ids: Iterable[int] | None = None,
    instruction: str = MMLU_PRO_INSTRUCTION,
    revision: str = MMLU_PRO_HF_REVISION,
) -> list[SourceQuestion]:
    """Load MMLU-Pro test questions as `SourceQuestion`s.

    Args:
        path: Local copy of the test split: the official model-output zip (one
            JSON list inside), a JSON file holding a list of records, or a JSONL
            file. None loads `TIGER-Lab/MMLU-Pro` (test split) from the Hugging
            Face hub at `revision`.
        subjects: Keep only these subjects (MMLU-Pro `category` values); None
            keeps all 14.
        n_per_subject: Draw this many random questions per subject (JudgeBench
            used 100); None keeps every question. A subject with fewer questions
            keeps all of them.
        seed: Seed of the per-subject draw (the same seed gives the same draw).
        question_ids: Keep only these MMLU-Pro question ids (applied before the
            per-subject draw), e.g. the `original_id`s of published pairs. An id
            that is not in the data raises ValueError.
        instruction: Closing instruction of the prompt.
        revision: Hub revision, used only when `path` is None.

    Returns:
        Questions ordered by subject (in `subjects` order, else alphabetical)
        and then by question id. Ground truth is the dataset's `answer` letter.

    Raises:
        SourceDataError: A record is malformed (names file, row and field).
        SourceUnavailableError: The hub could not be reached (pass `path`).
        ValueError: An unknown subject was asked for.
    """
    if subjects is not None:
        unknown = [s for s in subjects if s not in MMLU_PRO_SUBJECTS]
        if unknown:
            raise ValueError(
                f"Unknown MMLU-Pro subject(s) {unknown}"
                f"{''.join(did_you_mean(s, MMLU_PRO_SUBJECTS) for s in unknown)}; known subjects: {list(MMLU_PRO_SUBJECTS)}"
            )
    if n_per_subject is not None and n_per_subject < 0:
        raise ValueError(f"n_per_subject must be >= 0, got {n_per_subject}")

    if path is None:
        origin = f"{MMLU_PRO_HF_PATH}@{revision}"
        rows = [(f"record {i}", r) for i, r in enumerate(_load_from_hub(revision))]
    else:
        origin = str(path)
        rows = read_mmlu_pro_rows(path)

    questions = [record_to_question(record, origin, row, instruction) for row, record in rows]

    if question_ids is not None:
        wanted = {int(q) for q in question_ids}
        questions = [q for q in questions if q.original_id in wanted]
        missing = sorted(wanted - {q.original_id for q in questions})
        if missing:
            raise ValueError(f"MMLU-Pro question id(s) not found in {origin}: {missing}")

    by_subject: dict[str, list[SourceQuestion]] = {}
    for q in questions:
        by_subject.setdefault(q.task, []).append(q)

    order = list(subjects) if subjects is not None else sorted(by_subject)
    selected: list[SourceQuestion] = []
    for subject in order:
        pool = sorted(by_subject.get(subject, []), key=lambda q: q.original_id or 0)
        if n_per_subject is not None and n_per_subject < len(pool):
            # A string seed makes the draw independent of other subjects.
            rng = random.Random(f"{seed}:{subject}")
            pool = sorted(rng.sample(pool, n_per_subject), key=lambda q: q.original_id or 0)
        selected.extend(pool)
    return selected


def record_to_question(
    record: dict[str, Any],
    origin: str,
    row: str | None = None,
    instruction: str = MMLU_PRO_INSTRUCTION,
) -> SourceQuestion:
    """Validate one MMLU-Pro record and turn it into a `SourceQuestion`.

    Trailing "N/A" padding options (present in some hub revisions) are dropped,
    as the official MMLU-Pro evaluation does.

    Args:
        record: One test-split record.
        origin: File or hub name, for error messages.
        row: Row position ("line 3", "record 7"), for error messages.
        instruction: Closing instruction of the prompt.

    Returns:
        The question; `ground_truth` is the `answer` letter (not `answer_index`,
        which disagrees with it for question 3983).

    Raises:
        SourceDataError: A field is missing or has the wrong type or value.
    """
    if not isinstance(record, dict):
        raise SourceDataError(
            origin, row, None, f"expected a JSON object, got {type(record).__name__}"
        )

    def need(name: str, kind: type | tuple[type, ...]) -> Any:
        if name not in record:
            raise SourceDataError(origin, row, name, "missing")
        value = record[name]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise SourceDataError(
                origin, row, name, f"expected {_kind_name(kind)}, got {type(value).__name__}"
            )
        return value

    qid = need("question_id", int)
    question = need("question", str)
    options = need("options", list)
    answer = need("answer", str)
    category = need("category", str)

    if not all(isinstance(o, str) for o in options):
        raise SourceDataError(origin, row, "options", "every option must be a string")
    while options and options[-1].strip() == "N/A":
        options = options[:-1]
    if not options or len(options) > len(_LETTERS):
        raise SourceDataError(
            origin, row, "options", f"expected 1 to 26 options, got {len(options)}"
        )
    letters = _LETTERS[: len(options)]
    if len(answer) != 1 or answer not in letters:
        raise SourceDataError(
            origin, row, "answer", f"expected one letter among {letters}, got {answer!r}"
        )

    answer_index = record.get("answer_index")
    metadata: dict[str, Any] = {
        "options": list(options),
        "answer_index": answer_index,
        "src": record.get("src"),
        "category": category,
    }
    if isinstance(answer_index, int) and letters.find(answer) != answer_index:
        metadata["answer_index_disagrees"] = True

    return SourceQuestion(
        source=f"mmlu-pro-{category}",
        question_id=str(qid),
        original_id=qid,
        prompt=format_mmlu_pro_prompt(question, options, instruction),
        ground_truth=answer,
        task=category,
        metadata=metadata,
    )


def read_mmlu_pro_rows(path: str | Path) -> list[tuple[str, Any]]:
    """Read raw MMLU-Pro records from a zip, JSON list or JSONL file.

    Args:
        path: The file to read.

    Returns:
        (row label, record) pairs; the label is "line N" (JSONL, 1-based) or
        "record N" (JSON list, 0-based index).

    Raises:
        SourceDataError: The file is missing, malformed, or a zip without
            exactly one JSON/JSONL member.
    """
    p = Path(path)
    if not p.is_file():
        raise SourceDataError(str(p), None, None, "file not found")
    if p.suffix.lower() == ".zip":
        with zipfile.ZipFile(p) as archive:
            members = [
                m
                for m in archive.namelist()
                if m.lower().endswith((".json", ".jsonl"))
                and not m.startswith("__MACOSX/")
                and not m.endswith("/")
            ]
            if len(members) != 1:
                raise SourceDataError(
                    str(p),
                    None,
                    None,
                    f"expected one .json/.jsonl file in the zip, found {members}",
                )
            text = archive.read(members[0]).decode("utf-8")
            return _parse_text(text, f"{p}!{members[0]}", members[0].lower().endswith(".jsonl"))
    text = p.read_text(encoding="utf-8")
    return _parse_text(text, str(p), p.suffix.lower() == ".jsonl")


def _parse_text(text: str, origin: str, is_jsonl: bool) -> list[tuple[str, Any]]:
    """Parse JSON-list or JSONL text into labelled rows."""
    if not is_jsonl:
        stripped = text.lstrip()
        if stripped.startswith("["):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as ex:
                raise SourceDataError(
                    origin, f"line {ex.lineno}", None, f"malformed JSON: {ex.msg}"
                ) from ex
            return [(f"record {i}", r) for i, r in enumerate(data)]
        # Not a JSON list: fall back to one object per line.
    return parse_jsonl_lines(io.StringIO(text), origin)


def _load_from_hub(revision: str) -> list[dict[str, Any]]:
    """Fetch the MMLU-Pro test split from the Hugging Face hub."""
    return load_hub_split(
        MMLU_PRO_HF_PATH,
        revision,
        "Pass a local copy instead, e.g. load_mmlu_pro(path=...) with the official "
        "model-output zip, a JSON list or a JSONL file of the test split.",
    )


def _kind_name(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return " or ".join(k.__name__ for k in kind)
    return kind.__name__
