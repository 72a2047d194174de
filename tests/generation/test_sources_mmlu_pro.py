"""MMLU-Pro source loader: local files, prompt layout, sampling, bad input, hub fallback."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from judgebench_inspect.generation.sources import (
    SourceDataError,
    SourceQuestion,
    SourceUnavailableError,
    mmlu_pro,
)
from judgebench_inspect.generation.sources.mmlu_pro import (
    MMLU_PRO_HF_PATH,
    MMLU_PRO_HF_REVISION,
    MMLU_PRO_INSTRUCTION,
    MMLU_PRO_SUBJECTS,
    load_mmlu_pro,
)

from support import DATA

ZIP = DATA / "sources" / "mmlu-pro" / "model_outputs_jamba-1.5-large_5shots.zip"
PAIR_FILES = [DATA / "judgebench" / "pairs-gpt.jsonl", DATA / "judgebench" / "pairs-claude.jsonl"]


@pytest.fixture(scope="module")
def all_questions() -> list[SourceQuestion]:
    assert ZIP.is_file(), f"shared MMLU-Pro data missing: {ZIP}"
    return load_mmlu_pro(ZIP)


@pytest.fixture(scope="module")
def subset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSONL copy of 150 questions per subject (plus 1420 and 3983): quicker to reload."""
    with zipfile.ZipFile(ZIP) as archive:
        raw = json.loads(archive.read(archive.namelist()[0]))
    kept: list[dict[str, Any]] = []
    per_subject: dict[str, int] = {}
    for record in raw:
        n = per_subject.get(record["category"], 0)
        if n < 150 or record["question_id"] in (1420, 3983):
            kept.append(record)
            per_subject[record["category"]] = n + 1
    file = tmp_path_factory.mktemp("mmlu") / "subset.jsonl"
    file.write_text("\n".join(json.dumps(r) for r in kept), encoding="utf-8")
    return file


def _record(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "question_id": 1,
        "question": "Which is largest?",
        "options": ["1", "2", "3", "N/A", "N/A"],
        "answer": "C",
        "answer_index": 2,
        "category": "math",
        "src": "test",
    }
    record.update(overrides)
    return record


def test_loads_the_official_zip(all_questions: list[SourceQuestion]) -> None:
    assert len(all_questions) == 12032
    assert {q.task for q in all_questions} == set(MMLU_PRO_SUBJECTS)
    assert {q.source for q in all_questions} == {f"mmlu-pro-{s}" for s in MMLU_PRO_SUBJECTS}
    assert "mmlu-pro-computer science" in {q.source for q in all_questions}
    q = all_questions[0]
    assert q.question_id == str(q.original_id)
    assert q.ground_truth in "ABCDEFGHIJ"
    assert q.metadata["options"]


def test_ground_truth_is_the_answer_letter_even_when_index_disagrees(
    all_questions: list[SourceQuestion],
) -> None:
    q = next(q for q in all_questions if q.original_id == 3983)
    assert q.metadata.get("answer_index_disagrees") is True
    assert "ABCDEFGHIJ"[q.metadata["answer_index"]] != q.ground_truth
    with zipfile.ZipFile(ZIP) as archive:
        raw = json.loads(archive.read(archive.namelist()[0]))
    assert q.ground_truth == next(r["answer"] for r in raw if r["question_id"] == 3983)


def test_prompt_has_the_published_layout(all_questions: list[SourceQuestion]) -> None:
    """Every published MMLU-Pro pair question has our prompt's structure line by line.

    Question and option lines are identical; the two closing lines (instruction
    and step-by-step line) are in our own words, so they differ in text.
    """
    by_id = {q.original_id: q for q in all_questions}
    checked = 0
    for file in PAIR_FILES:
        for line in file.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            if not pair["source"].startswith("mmlu-pro-"):
                continue
            ours = by_id[pair["original_id"]]
            assert ours.source == pair["source"]
            published = pair["question"].split("\n")
            mine = ours.prompt.split("\n")
            assert len(mine) == len(published)
            assert mine[:-2] == published[:-2]
            assert mine[-2:] != published[-2:]
            checked += 1
    assert checked == 308
    assert ours.prompt.endswith(MMLU_PRO_INSTRUCTION)
    assert "KKKKK" in MMLU_PRO_INSTRUCTION


def test_sampling_per_subject_is_seeded(subset: Path) -> None:
    first = load_mmlu_pro(subset, n_per_subject=100, seed=7)
    again = load_mmlu_pro(subset, n_per_subject=100, seed=7)
    other = load_mmlu_pro(subset, n_per_subject=100, seed=8)
    assert len(first) == 1400
    assert [q.question_id for q in first] == [q.question_id for q in again]
    assert [q.question_id for q in first] != [q.question_id for q in other]
    counts: dict[str, int] = {}
    for q in first:
        counts[q.task] = counts.get(q.task, 0) + 1
    assert counts == {s: 100 for s in MMLU_PRO_SUBJECTS}


def test_subject_and_id_filters(subset: Path) -> None:
    picked = load_mmlu_pro(subset, subjects=["law", "computer science"], n_per_subject=3, seed=1)
    assert [q.task for q in picked] == ["law"] * 3 + ["computer science"] * 3
    by_id = load_mmlu_pro(subset, question_ids=[1420, 3983])
    assert sorted(q.original_id or 0 for q in by_id) == [1420, 3983]
    with pytest.raises(ValueError, match="not found"):
        load_mmlu_pro(subset, question_ids=[10**9])
    with pytest.raises(ValueError, match="Unknown MMLU-Pro subject"):
        load_mmlu_pro(subset, subjects=["computer_science"])


def test_json_list_and_jsonl_files(tmp_path: Path) -> None:
    records = [_record(), _record(question_id=2, category="computer science", answer="A")]
    as_list = tmp_path / "test.json"
    as_list.write_text(json.dumps(records), encoding="utf-8")
    as_lines = tmp_path / "test.jsonl"
    as_lines.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    from_list = load_mmlu_pro(as_list)
    from_lines = load_mmlu_pro(as_lines)
    assert from_list == from_lines
    q = next(q for q in from_list if q.original_id == 1)
    # Trailing "N/A" padding is dropped.
    assert q.metadata["options"] == ["1", "2", "3"]
    assert q.prompt == "Which is largest?\n(A) 1\n(B) 2\n(C) 3\n" + MMLU_PRO_INSTRUCTION
    assert q.ground_truth == "C"
    assert {q.source for q in from_list} == {"mmlu-pro-math", "mmlu-pro-computer science"}


@pytest.mark.parametrize(
    ("record", "field", "problem"),
    [
        ({k: v for k, v in _record().items() if k != "answer"}, "answer", "missing"),
        (_record(question_id="1"), "question_id", "expected int"),
        (_record(options="A,B"), "options", "expected list"),
        (_record(answer="Z"), "answer", "expected one letter"),
        (_record(options=[]), "options", "expected 1 to 26 options"),
    ],
)
def test_bad_record_names_file_line_and_field(
    tmp_path: Path, record: dict[str, Any], field: str, problem: str
) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_text(json.dumps(_record()) + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(SourceDataError) as info:
        load_mmlu_pro(file)
    assert info.value.file == str(file)
    assert info.value.row == "line 2"
    assert info.value.field == field
    message = str(info.value)
    assert str(file) in message and "line 2" in message and f"'{field}'" in message
    assert problem in message


def test_hostile_lines_name_file_line_and_field(tmp_path: Path) -> None:
    """Deep nesting, an over-long integer and a lone surrogate: each a SourceDataError."""
    cases = [
        ('{"question_id": 1, "options": ' + "[" * 50_000 + "]" * 50_000 + "}", "field 'options': nested too deeply"),
        ('{"question_id": ' + "9" * 5000 + "}", "field 'question_id': an integer of 5,000 digits"),
        ('{"question_id": 1, "question": "x \\ud800"}', "field 'question': text that is not valid Unicode"),
    ]
    for i, (line, message) in enumerate(cases):
        file = tmp_path / f"hostile-{i}.jsonl"
        file.write_text(json.dumps(_record()) + "\n" + line + "\n", encoding="utf-8")
        with pytest.raises(SourceDataError, match=rf"hostile-{i}\.jsonl, line 2, {re.escape(message)}"):
            load_mmlu_pro(file)


def test_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_text(json.dumps(_record()) + "\n\n{not json\n", encoding="utf-8")
    with pytest.raises(SourceDataError, match=r"bad\.jsonl, line 3: malformed JSON"):
        load_mmlu_pro(file)
    listing = tmp_path / "bad.json"
    listing.write_text('[{"question_id": 1,\n  oops]', encoding="utf-8")
    with pytest.raises(SourceDataError, match=r"bad\.json, line 2: malformed JSON"):
        load_mmlu_pro(listing)
    with pytest.raises(SourceDataError, match="file not found"):
        load_mmlu_pro(tmp_path / "missing.jsonl")


def test_json_list_errors_name_the_record(tmp_path: Path) -> None:
    file = tmp_path / "list.json"
    file.write_text(json.dumps([_record(), _record(category=None)]), encoding="utf-8")
    with pytest.raises(SourceDataError, match=r"record 1, field 'category': expected str"):
        load_mmlu_pro(file)


def test_zip_must_hold_exactly_one_data_file(tmp_path: Path) -> None:
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.json", json.dumps([_record()]))
        z.writestr("b.json", json.dumps([_record()]))
    with pytest.raises(SourceDataError, match="expected one .json/.jsonl file"):
        load_mmlu_pro(archive)


def test_hub_failure_asks_for_a_local_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import datasets

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("offline")

    monkeypatch.setattr(datasets, "load_dataset", unreachable)
    with pytest.raises(SourceUnavailableError) as info:
        load_mmlu_pro()
    message = str(info.value)
    assert MMLU_PRO_HF_PATH in message and MMLU_PRO_HF_REVISION in message
    assert "path=" in message and "offline" in message


def test_hub_records_use_the_pinned_revision(monkeypatch: pytest.MonkeyPatch) -> None:
    import datasets

    calls: list[tuple[Any, ...]] = []

    def fake(path: str, split: str, revision: str) -> list[dict[str, Any]]:
        calls.append((path, split, revision))
        return [_record(), _record(question_id=5, category="law", answer="B")]

    monkeypatch.setattr(datasets, "load_dataset", fake)
    questions = mmlu_pro.load_mmlu_pro(subjects=["law"])
    assert calls == [(MMLU_PRO_HF_PATH, "test", MMLU_PRO_HF_REVISION)]
    assert [(q.source, q.original_id, q.ground_truth) for q in questions] == [
        ("mmlu-pro-law", 5, "B")
    ]
