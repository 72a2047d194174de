"""LiveCodeBench code-generation problems for the coding category of the pipeline.

JudgeBench's coding pairs come from LiveCodeBench: competitive-programming
problems from LeetCode, AtCoder and Codeforces, each with public and private
test cases. LeetCode problems are "functional" (a method of class `Solution`
is called with JSON arguments); the others are stdin/stdout programs.

Rows follow the layout of the Hugging Face dataset
`livecodebench/code_generation_lite`: `question_title`, `question_content`,
`platform`, `question_id`, `contest_id`, `contest_date`, `starter_code`,
`difficulty`, `public_test_cases` (a JSON string), `private_test_cases` (a
JSON string, or base64 of zlib of a pickled JSON string) and `metadata` (a
JSON string, e.g. `{"func_name": "maxSum"}`).

Private tests are never unpickled with the full pickle machinery: the loader
accepts only a pickle of one plain `str` and refuses every global or class.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import pickle
import random
import zlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from judgebench_inspect.generation.sources import (
    SourceDataError,
    SourceQuestion,
    SourceUnavailableError,
    read_jsonl,
)

LIVECODEBENCH_SOURCE = "livecodebench"
"""JudgeBench's `source` value for coding questions."""

LIVECODEBENCH_TASK = "code_generation"
"""`task` of every loaded question (LiveCodeBench's code-generation scenario)."""

LIVECODEBENCH_HF_PATH = "livecodebench/code_generation_lite"
"""Hugging Face dataset repository with the problems as JSONL files."""

LIVECODEBENCH_VERSION_FILES: dict[str, tuple[str, ...]] = {
    "release_v1": ("test.jsonl",),
    "release_v2": ("test.jsonl", "test2.jsonl"),
    "release_v3": ("test.jsonl", "test2.jsonl", "test3.jsonl"),
    "release_v4": ("test.jsonl", "test2.jsonl", "test3.jsonl", "test4.jsonl"),
    "release_v5": ("test.jsonl", "test2.jsonl", "test3.jsonl", "test4.jsonl", "test5.jsonl"),
    "release_v6": (
        "test.jsonl",
        "test2.jsonl",
        "test3.jsonl",
        "test4.jsonl",
        "test5.jsonl",
        "test6.jsonl",
    ),
}
"""Files of each cumulative release (each release adds one file)."""

DEFAULT_VERSION_TAG = "release_v4"
"""Default hub release: a choice of this project (a release from around the time
JudgeBench was built, autumn 2024), not a fact taken from the JudgeBench paper.
Pass `version_tag` and `revision` to pin what you evaluate."""

MAX_PRIVATE_TESTS_BYTES = 1024 * 1024 * 1024
"""Refuse private-test blobs that decompress to more than this (zip-bomb guard)."""

STDIN_INSTRUCTION = (
    "Write a complete Python 3 program that solves the problem below. The program "
    "must read its input from standard input and print its answer to standard "
    "output, exactly in the format the problem describes."
)
FUNCTIONAL_INSTRUCTION = (
    "Solve the problem below in Python 3 by completing the method of class "
    "`Solution` in the starter code. Keep the class name, the method name and its "
    "parameters as given; the method is called directly with the inputs and its "
    "return value is checked."
)
ANSWER_FORMAT = (
    "Put your complete solution in one fenced code block that starts with "
    "```python and ends with ```. Explanations may go outside the block."
)


def format_livecodebench_prompt(question_content: str, starter_code: str, functional: bool) -> str:
    """Build the prompt a response model is asked (our own wording).

    Args:
        question_content: The problem statement.
        starter_code: LeetCode starter code (class `Solution` with an empty
            method); empty for stdin problems.
        functional: True for LeetCode-style problems (complete a method), False
            for stdin/stdout programs.

    Returns:
        Instruction, problem statement, starter code (functional problems
        only) and the answer-format request.
    """
    parts = [FUNCTIONAL_INSTRUCTION if functional else STDIN_INSTRUCTION, "Problem:", question_content.strip()]
    if functional and starter_code.strip():
        parts += ["Starter code:", f"```python\n{starter_code.rstrip()}\n```"]
    parts.append(ANSWER_FORMAT)
    return "\n\n".join(parts)


def load_livecodebench(
    source_path: str | Path | None = None,
    *,
    start_date: str | date | None = None,
    end_date: str | date | None = None,
    platforms: str | Sequence[str] | None = None,
    difficulties: str | Sequence[str] | None = None,
    n: int | None = None,
    seed: int = 0,
    version_tag: str = DEFAULT_VERSION_TAG,
    revision: str | None = None,
) -> list[SourceQuestion]:
    """Load LiveCodeBench code-generation problems as `SourceQuestion`s.

    Args:
        source_path: A JSONL file of rows in `code_generation_lite` layout. None
            downloads the files of `version_tag` from the Hugging Face hub.
        start_date: Keep problems whose `contest_date` is on or after this day
            (ISO string or date).
        end_date: Keep problems whose `contest_date` is on or before this day.
        platforms: Keep only these platforms ("leetcode", "atcoder",
            "codeforces"; case-insensitive).
        difficulties: Keep only these difficulties ("easy", "medium", "hard").
        n: Draw this many problems at random after filtering (None keeps all;
            fewer available keeps all).
        seed: Seed of the draw.
        version_tag: Hub release (`release_v1` ... `release_v6`), used only when
            `source_path` is None.
        revision: Hub revision (commit) to pin, used only when `source_path` is
            None.

    Returns:
        Problems in file order. `ground_truth` is a JSON string
        `{"testtype", "func_name", "tests": [{"input", "output"}, ...]}` with the
        public tests first, then the private ones; `metadata` holds the row's
        other fields and where it came from.

    Raises:
        SourceDataError: A row is malformed (names file, line and field), or a
            private-test blob is not a plain pickled string.
        SourceUnavailableError: The hub could not be reached (pass `source_path`).
        ValueError: Bad filter arguments.
    """
    if n is not None and n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    start = _as_date(start_date, "start_date")
    end = _as_date(end_date, "end_date")
    wanted_platforms = _lower_set(platforms)
    wanted_difficulties = _lower_set(difficulties)

    if source_path is None:
        files = _download(version_tag, revision)
    else:
        files = [Path(source_path)]

    questions: list[SourceQuestion] = []
    for file in files:
        for row, record in read_livecodebench_rows(file):
            question = record_to_question(record, str(file), row)
            meta = question.metadata
            day = datetime.fromisoformat(meta["contest_date"]).date()
            if start is not None and day < start:
                continue
            if end is not None and day > end:
                continue
            if wanted_platforms is not None and meta["platform"].lower() not in wanted_platforms:
                continue
            if wanted_difficulties is not None and meta["difficulty"].lower() not in wanted_difficulties:
                continue
            questions.append(question)

    if n is not None and n < len(questions):
        chosen = set(random.Random(seed).sample(range(len(questions)), n))
        questions = [q for i, q in enumerate(questions) if i in chosen]
    return questions


def record_to_question(record: Any, origin: str, row: str | None = None) -> SourceQuestion:
    """Validate one LiveCodeBench row and turn it into a `SourceQuestion`.

    Args:
        record: One decoded JSONL row.
        origin: File or hub name, for error messages.
        row: Row position ("line 3"), for error messages.

    Returns:
        The question (see `load_livecodebench` for the fields).

    Raises:
        SourceDataError: A field is missing, has the wrong type, or its tests
            cannot be decoded.
    """
    if not isinstance(record, dict):
        raise SourceDataError(origin, row, None, f"expected a JSON object, got {type(record).__name__}")

    def text(name: str, allow_int: bool = False) -> str:
        if name not in record:
            raise SourceDataError(origin, row, name, "missing")
        value = record[name]
        if allow_int and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise SourceDataError(origin, row, name, f"expected a string, got {type(value).__name__}")
        return value

    title = text("question_title")
    content = text("question_content")
    platform = text("platform")
    question_id = text("question_id", allow_int=True)
    contest_id = text("contest_id", allow_int=True)
    contest_date = text("contest_date")
    starter_code = text("starter_code")
    difficulty = text("difficulty")
    try:
        day = datetime.fromisoformat(contest_date.replace("Z", "+00:00"))
    except ValueError as ex:
        raise SourceDataError(origin, row, "contest_date", f"not an ISO date: {contest_date!r}") from ex

    meta_raw = record.get("metadata", "{}")
    if isinstance(meta_raw, dict):
        row_meta = meta_raw
    elif isinstance(meta_raw, str):
        try:
            row_meta = json.loads(meta_raw) if meta_raw.strip() else {}
        except json.JSONDecodeError as ex:
            raise SourceDataError(origin, row, "metadata", f"malformed JSON: {ex.msg}") from ex
    else:
        raise SourceDataError(origin, row, "metadata", f"expected a JSON string, got {type(meta_raw).__name__}")
    if not isinstance(row_meta, dict):
        raise SourceDataError(origin, row, "metadata", "expected a JSON object")

    public = _parse_tests(text("public_test_cases"), origin, row, "public_test_cases")
    private_raw = text("private_test_cases")
    try:
        private_json = decode_private_tests(private_raw)
    except ValueError as ex:
        raise SourceDataError(origin, row, "private_test_cases", str(ex)) from ex
    private = _parse_tests(private_json, origin, row, "private_test_cases")

    tests = public + private
    if not tests:
        raise SourceDataError(origin, row, "public_test_cases", "the problem has no test cases")
    kinds = {t["testtype"] for t in tests}
    if len(kinds) != 1:
        raise SourceDataError(origin, row, "public_test_cases", f"mixed test types {sorted(kinds)}")
    testtype = kinds.pop()
    func_name = row_meta.get("func_name")
    if testtype == "functional" and not (isinstance(func_name, str) and func_name):
        raise SourceDataError(origin, row, "metadata", "functional tests need a 'func_name'")
    functional = testtype == "functional"

    ground_truth = json.dumps(
        {
            "testtype": testtype,
            "func_name": func_name if functional else None,
            "tests": [{"input": t["input"], "output": t["output"]} for t in tests],
        }
    )
    metadata: dict[str, Any] = {
        "question_title": title,
        "question_content": content,
        "platform": platform,
        "contest_id": contest_id,
        "contest_date": day.replace(tzinfo=None).isoformat(),
        "difficulty": difficulty,
        "starter_code": starter_code,
        "testtype": testtype,
        "func_name": func_name if functional else None,
        "n_public_tests": len(public),
        "n_private_tests": len(private),
        "lcb_metadata": row_meta,
        "origin": f"{origin}, {row}" if row else origin,
    }
    return SourceQuestion(
        source=LIVECODEBENCH_SOURCE,
        question_id=question_id,
        original_id=None,
        prompt=format_livecodebench_prompt(content, starter_code, functional),
        ground_truth=ground_truth,
        task=LIVECODEBENCH_TASK,
        metadata=metadata,
    )


class _PlainStringUnpickler(pickle.Unpickler):
    """An unpickler that builds only plain data and refuses every global."""

    def find_class(self, module: str, name: str) -> Any:  # noqa: D102
        raise pickle.UnpicklingError(f"refused to load global {module}.{name}")

    def persistent_load(self, pid: Any) -> Any:  # noqa: D102
        raise pickle.UnpicklingError("refused a persistent id")


def decode_private_tests(blob: str, max_bytes: int = MAX_PRIVATE_TESTS_BYTES) -> str:
    """Turn a `private_test_cases` value into the JSON text of the test list.

    A value that already is JSON is returned as is. Otherwise it must be
    base64 of zlib-compressed pickle data whose only content is one `str`
    (LiveCodeBench's encoding). The pickle is read with an unpickler that
    refuses every global, class and persistent id, so a crafted blob cannot run
    code; the result must be exactly a `str`.

    Args:
        blob: The field's value.
        max_bytes: Largest decompressed size accepted.

    Returns:
        JSON text (a list of test objects).

    Raises:
        ValueError: The blob is not valid JSON, base64, zlib, or a pickled
            plain string (the message says which).
    """
    stripped = blob.strip()
    if not stripped:
        return "[]"
    if stripped[0] in "[{":
        try:
            json.loads(stripped)
            return stripped
        except json.JSONDecodeError:
            pass  # not JSON after all: try the encoded form
    try:
        compressed = base64.b64decode(stripped, validate=True)
    except (binascii.Error, ValueError) as ex:
        raise ValueError(f"neither JSON nor base64: {ex}") from ex
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(compressed, max_bytes)
    except zlib.error as ex:
        raise ValueError(f"not zlib data: {ex}") from ex
    if inflater.unconsumed_tail:
        raise ValueError(f"decompresses to more than {max_bytes} bytes")
    try:
        value = _PlainStringUnpickler(io.BytesIO(raw)).load()
    except pickle.UnpicklingError as ex:
        raise ValueError(f"unsafe or malformed pickle: {ex}") from ex
    except Exception as ex:  # truncated data, bad opcodes, ...
        raise ValueError(f"malformed pickle: {type(ex).__name__}: {ex}") from ex
    if type(value) is not str:
        raise ValueError(f"pickle holds {type(value).__name__}, expected a JSON string")
    return value


def encode_private_tests(tests_json: str) -> str:
    """Encode JSON text the way LiveCodeBench stores private tests.

    Used to build fixtures; the inverse of `decode_private_tests`.

    Args:
        tests_json: JSON text of a test list.

    Returns:
        base64 of zlib of the pickled string.
    """
    return base64.b64encode(zlib.compress(pickle.dumps(tests_json))).decode("ascii")


def read_livecodebench_rows(path: str | Path) -> list[tuple[str, Any]]:
    """Read raw rows from a JSONL file: (row label "line N", record) pairs.

    Args:
        path: The file to read.
    """
    return read_jsonl(path)


def _parse_tests(text: str, origin: str, row: str | None, field: str) -> list[dict[str, str]]:
    """Parse and validate a JSON list of {input, output, testtype}."""
    try:
        data = json.loads(text) if text.strip() else []
    except json.JSONDecodeError as ex:
        raise SourceDataError(origin, row, field, f"malformed JSON: {ex.msg}") from ex
    if not isinstance(data, list):
        raise SourceDataError(origin, row, field, f"expected a JSON list, got {type(data).__name__}")
    tests: list[dict[str, str]] = []
    for index, test in enumerate(data):
        if not isinstance(test, dict):
            raise SourceDataError(origin, row, field, f"test {index} is not an object")
        for key in ("input", "output"):
            if not isinstance(test.get(key), str):
                raise SourceDataError(origin, row, field, f"test {index}: '{key}' must be a string")
        testtype = test.get("testtype", "stdin")
        if testtype not in ("stdin", "functional"):
            raise SourceDataError(origin, row, field, f"test {index}: unknown testtype {testtype!r}")
        tests.append({"input": test["input"], "output": test["output"], "testtype": testtype})
    return tests


def _download(version_tag: str, revision: str | None) -> list[Path]:
    """Fetch the JSONL files of one release from the Hugging Face hub."""
    if version_tag not in LIVECODEBENCH_VERSION_FILES:
        raise ValueError(f"Unknown version_tag {version_tag!r}; known: {sorted(LIVECODEBENCH_VERSION_FILES)}")
    try:
        from huggingface_hub import hf_hub_download

        return [
            Path(
                hf_hub_download(
                    repo_id=LIVECODEBENCH_HF_PATH,
                    filename=name,
                    repo_type="dataset",
                    revision=revision,
                )
            )
            for name in LIVECODEBENCH_VERSION_FILES[version_tag]
        ]
    except Exception as ex:  # network, auth, missing revision, ...
        raise SourceUnavailableError(
            f"Could not download {LIVECODEBENCH_HF_PATH} ({version_tag}) from the Hugging Face "
            f"hub: {type(ex).__name__}: {ex}. Pass a local JSONL file instead: "
            "load_livecodebench(source_path=...)."
        ) from ex


def _as_date(value: str | date | None, name: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError as ex:
        raise ValueError(f"{name} must be an ISO date such as 2024-05-01, got {value!r}") from ex


def _lower_set(values: str | Iterable[str] | None) -> set[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    return {v.lower() for v in values}


__all__ = [
    "LIVECODEBENCH_SOURCE",
    "LIVECODEBENCH_TASK",
    "LIVECODEBENCH_HF_PATH",
    "LIVECODEBENCH_VERSION_FILES",
    "DEFAULT_VERSION_TAG",
    "format_livecodebench_prompt",
    "load_livecodebench",
    "record_to_question",
    "decode_private_tests",
    "encode_private_tests",
    "read_livecodebench_rows",
]
