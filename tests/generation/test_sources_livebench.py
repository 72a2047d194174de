"""LiveBench source loader: local folders, pair coverage, filters, bad input, hub fallback."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from judgebench_inspect.generation.sources import SourceDataError, SourceUnavailableError
from judgebench_inspect.generation.sources.livebench import (
    LIVEBENCH_HF_PATHS,
    LIVEBENCH_HF_REVISIONS,
    load_livebench,
)

from support import DATA

LIVEBENCH = DATA / "sources" / "livebench"
PAIR_FILES = [DATA / "judgebench" / "pairs-gpt.jsonl", DATA / "judgebench" / "pairs-claude.jsonl"]


def _row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "question_id": "abc",
        "category": "reasoning",
        "task": "spatial",
        "turns": ["How many pieces? Put the answer in **bold**."],
        "ground_truth": "3",
        "livebench_release_date": "2024-07-26",
    }
    row.update(overrides)
    return row


def _write_task(root: Path, category: str, task: str, lines: list[str]) -> Path:
    file = root / category / task / "question.jsonl"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file


def test_loads_local_reasoning_and_math() -> None:
    assert LIVEBENCH.is_dir(), f"shared LiveBench data missing: {LIVEBENCH}"
    reasoning = load_livebench("reasoning", LIVEBENCH)
    math = load_livebench("math", LIVEBENCH)
    tasks = Counter(q.task for q in reasoning + math)
    assert tasks == {
        "web_of_lies_v2": 50,
        "zebra_puzzle": 100,
        "spatial": 50,
        "AMPS_Hard": 150,
        "math_comp": 146,
    }
    assert {q.source for q in reasoning} == {"livebench-reasoning"}
    assert {q.source for q in math} == {"livebench-math"}
    first = json.loads(
        (LIVEBENCH / "math" / "AMPS_Hard" / "question.jsonl").read_text().splitlines()[0]
    )
    q = next(q for q in math if q.question_id == first["question_id"])
    assert q.prompt == first["turns"][0]
    assert q.ground_truth == first["ground_truth"]
    assert q.original_id is None
    assert q.metadata["subtask"] == first["subtask"]
    # The category folder itself is accepted too.
    assert len(load_livebench("math", LIVEBENCH / "math", tasks=["math_comp"])) == 146


def test_every_published_livebench_pair_matches_a_question() -> None:
    by_prompt = {
        q.prompt: q
        for category in ("reasoning", "math")
        for q in load_livebench(category, LIVEBENCH)
    }
    matched = 0
    for file in PAIR_FILES:
        for line in file.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            if pair["source"].startswith("livebench-"):
                assert by_prompt[pair["question"]].source == pair["source"]
                matched += 1
    assert matched == 239


def test_release_date_filter_and_sampling() -> None:
    old = load_livebench("math", LIVEBENCH, released_on_or_before="2024-07-26")
    assert old and all(q.metadata["livebench_release_date"] <= "2024-07-26" for q in old)
    assert len(old) < len(load_livebench("math", LIVEBENCH))
    a = load_livebench("reasoning", LIVEBENCH, n_per_task=5, seed=3)
    b = load_livebench("reasoning", LIVEBENCH, n_per_task=5, seed=3)
    c = load_livebench("reasoning", LIVEBENCH, n_per_task=5, seed=4)
    assert len(a) == 15
    assert [q.question_id for q in a] == [q.question_id for q in b]
    assert [q.question_id for q in a] != [q.question_id for q in c]


def test_olympiad_and_unknown_tasks_are_refused() -> None:
    with pytest.raises(ValueError, match="partial credit"):
        load_livebench("math", LIVEBENCH, tasks=["olympiad"])
    with pytest.raises(ValueError, match="Unsupported LiveBench reasoning task 'AMPS_Hard'"):
        load_livebench("reasoning", LIVEBENCH, tasks=["AMPS_Hard"])
    with pytest.raises(ValueError, match="Unknown LiveBench category"):
        load_livebench("coding", LIVEBENCH)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("row", "field", "problem"),
    [
        ({k: v for k, v in _row().items() if k != "ground_truth"}, "ground_truth", "missing"),
        (_row(turns="text"), "turns", "expected list"),
        (_row(turns=[]), "turns", "non-empty list"),
        (_row(question_id=7), "question_id", "expected str"),
        (_row(task="zebra_puzzle"), "task", "expected 'spatial'"),
    ],
)
def test_bad_row_names_file_line_and_field(
    tmp_path: Path, row: dict[str, Any], field: str, problem: str
) -> None:
    file = _write_task(tmp_path, "reasoning", "spatial", [json.dumps(_row()), json.dumps(row)])
    with pytest.raises(SourceDataError) as info:
        load_livebench("reasoning", tmp_path, tasks=["spatial"])
    assert (info.value.file, info.value.row, info.value.field) == (str(file), "line 2", field)
    assert problem in str(info.value)
    assert str(file) in str(info.value) and "line 2" in str(info.value)


def test_malformed_json_and_missing_files(tmp_path: Path) -> None:
    _write_task(tmp_path, "reasoning", "spatial", [json.dumps(_row()), "{broken"])
    with pytest.raises(SourceDataError, match=r"spatial/question\.jsonl, line 2: malformed JSON"):
        load_livebench("reasoning", tmp_path, tasks=["spatial"])
    with pytest.raises(SourceDataError, match=r"web_of_lies_v2/question\.jsonl: file not found"):
        load_livebench("reasoning", tmp_path, tasks=["web_of_lies_v2"])
    with pytest.raises(SourceDataError, match="no 'math' folder"):
        load_livebench("math", tmp_path)


def test_hub_rows_are_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    import datasets

    calls: list[tuple[Any, ...]] = []

    def fake(path: str, split: str, revision: str) -> list[dict[str, Any]]:
        calls.append((path, split, revision))
        return [
            _row(livebench_release_date=dt.datetime(2024, 7, 26)),
            _row(question_id="other", task="house_traversal"),
        ]

    monkeypatch.setattr(datasets, "load_dataset", fake)
    questions = load_livebench("reasoning", tasks=["spatial"], revision="abc123")
    assert calls == [(LIVEBENCH_HF_PATHS["reasoning"], "test", "abc123")]
    assert [(q.question_id, q.metadata["livebench_release_date"]) for q in questions] == [
        ("abc", "2024-07-26")
    ]
    load_livebench("math")
    assert calls[-1] == (LIVEBENCH_HF_PATHS["math"], "test", LIVEBENCH_HF_REVISIONS["math"])


def test_hub_failure_asks_for_a_local_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import datasets

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("offline")

    monkeypatch.setattr(datasets, "load_dataset", unreachable)
    with pytest.raises(SourceUnavailableError, match=r"livebench/math .*path=") as info:
        load_livebench("math")
    assert "offline" in str(info.value)
