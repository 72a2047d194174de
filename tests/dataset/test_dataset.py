"""Loading pairs: the published files, and every kind of bad input."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from judgebench_inspect.dataset import (
    PairDataError,
    categories_in,
    load_pairs,
    pair_texts,
    pair_to_sample,
    read_pairs_file,
    select_categories,
)

from support import PAIRS_CLAUDE, PAIRS_GPT

GOOD = {
    "pair_id": "p1",
    "original_id": 7,
    "source": "mmlu-pro-law",
    "question": "Q?",
    "response_model": "m",
    "response_A": "a",
    "response_B": "b",
    "label": "A>B",
}


def write(tmp_path: Path, lines: list[str], name: str = "pairs.jsonl") -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    return p


def row(**changes: object) -> str:
    r = dict(GOOD)
    for k, v in changes.items():
        if v is ...:
            r.pop(k, None)
        else:
            r[k] = v
    return json.dumps(r)


def test_published_splits() -> None:
    gpt = read_pairs_file(PAIRS_GPT)
    claude = read_pairs_file(PAIRS_CLAUDE)
    assert len(gpt) == 350 and len(claude) == 270
    counts = {c: sum(p.category == c for p in gpt) for c in categories_in(gpt)}
    assert counts == {"knowledge": 154, "reasoning": 98, "math": 56, "coding": 42}
    counts = {c: sum(p.category == c for p in claude) for c in categories_in(claude)}
    assert counts == {"knowledge": 154, "reasoning": 51, "math": 34, "coding": 31}


def test_identical_responses_warned_not_dropped(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        pairs = read_pairs_file(PAIRS_CLAUDE)
    assert any(p.pair_id == "a28a8dae-78a7-51a7-a46f-84a6e502068d" for p in pairs)
    assert "a28a8dae-78a7-51a7-a46f-84a6e502068d" in caplog.text and "identical" in caplog.text


def test_sample_shape() -> None:
    pair = read_pairs_file(PAIRS_GPT)[0]
    s = pair_to_sample(pair)
    assert s.id == pair.pair_id and s.target == pair.label and s.input == pair.question
    assert s.metadata and s.metadata["category"] == "knowledge" and s.metadata["label"] == pair.label
    # the long texts are nested under one key, so Inspect's sample summaries drop them whole
    assert s.metadata["texts"] == {"question": pair.question, "response_A": pair.response_A, "response_B": pair.response_B}
    assert not {"question", "response_A", "response_B"} & set(s.metadata)
    assert pair_texts(s.metadata) == s.metadata["texts"]


def test_pair_texts_reads_flat_metadata_and_names_what_is_missing() -> None:
    flat = {"question": "q", "response_A": "a", "response_B": "b", "label": "A>B"}
    assert pair_texts(flat) == {"question": "q", "response_A": "a", "response_B": "b"}
    with pytest.raises(KeyError, match="response_B"):
        pair_texts({"question": "q", "response_A": "a"})
    with pytest.raises(KeyError, match="question"):
        pair_texts({"texts": {"question": 3, "response_A": "a", "response_B": "b"}})


def test_sample_summary_keeps_no_response_text() -> None:
    """Inspect's per-sample summary (kept in memory for the whole run) holds no response text."""
    from inspect_ai.log import EvalSampleSummary

    pair = read_pairs_file(PAIRS_GPT)[0]
    s = pair_to_sample(pair)
    summary = EvalSampleSummary(id=s.id, epoch=1, input=s.input, target=s.target, metadata=s.metadata or {})
    assert summary.metadata["category"] == "knowledge" and summary.metadata["pair_id"] == pair.pair_id
    kept = json.dumps(summary.metadata)
    assert pair.response_A[:200] not in kept and pair.response_B[:200] not in kept


@pytest.mark.parametrize(
    "lines,match",
    [
        ([row(), row(pair_id="p2", label=...)], r"line 2, field 'label': missing"),
        ([row(response_B=...)], r"line 1, field 'response_B': missing"),
        ([row(question=3)], r"line 1, field 'question': expected a string"),
        ([row(label="A=B")], r"line 1, field 'label': expected 'A>B' or 'B>A', got 'A=B'"),
        ([row(label="C")], r"field 'label'"),
        ([row(), '{"pair_id": "x", '], r"line 2: not valid JSON"),
        ([row(), row()], r"line 2, field 'pair_id': duplicate id 'p1' \(first seen on line 1\)"),
        ([], r"no pairs"),
        (["", "  "], r"no pairs"),
        ([row(source="wikipedia")], r"line 1, field 'source': unknown source 'wikipedia'"),
        ([row(pair_id=..., source=...), row(pair_id=..., source=...)], r"line 2, field 'pair_id': duplicate id"),
        ([row(pair_id=5)], r"field 'pair_id': expected a string"),
        (["[1, 2]"], r"line 1: expected a JSON object"),
        ([row(pair_id="")], r"field 'pair_id': empty"),
        ([row(original_id=[1])], r"field 'original_id'"),
    ],
)
def test_bad_input(tmp_path: Path, lines: list[str], match: str) -> None:
    path = write(tmp_path, lines)
    with pytest.raises(PairDataError, match=match) as info:
        read_pairs_file(path)
    assert str(path) in str(info.value)


def test_blank_lines_skipped_and_numbers_kept(tmp_path: Path) -> None:
    path = write(tmp_path, [row(), "", row(pair_id="p2", label="X")])
    with pytest.raises(PairDataError, match="line 3"):
        read_pairs_file(path)


def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_bytes(b"\xff\xfe\x00garbage\n")
    with pytest.raises(PairDataError, match="bad.jsonl"):
        read_pairs_file(p)
    with pytest.raises(PairDataError, match="no such file"):
        load_pairs(str(tmp_path / "missing.jsonl"))


def test_custom_categories(tmp_path: Path) -> None:
    path = write(tmp_path, [row(source=..., category="poetry"), row(pair_id="p2", category="law")])
    pairs = read_pairs_file(path)
    assert [p.category for p in pairs] == ["poetry", "law"]
    assert categories_in(pairs)[:4] == ["knowledge", "reasoning", "math", "coding"]
    assert set(categories_in(pairs)) >= {"poetry", "law"}
    assert [p.pair_id for p in select_categories(pairs, "poetry")] == ["p1"]


def test_own_rows_without_id_or_category(tmp_path: Path) -> None:
    path = write(tmp_path, [row(pair_id=..., source=...), row(pair_id=..., source=..., question="Q2")])
    first, second = read_pairs_file(path)
    assert first.category == second.category == "uncategorized"
    assert first.pair_id != second.pair_id
    # the derived id is stable across reads, so runs on the same file can be compared
    assert read_pairs_file(path)[0].pair_id == first.pair_id


def test_select_categories() -> None:
    pairs = read_pairs_file(PAIRS_GPT)
    assert len(select_categories(pairs, "math,coding")) == 98
    assert len(select_categories(pairs, ["reasoning"])) == 98
    with pytest.raises(PairDataError, match=r"unknown categories \['maths'\] \(did you mean math\?\); valid: knowledge"):
        select_categories(pairs, "maths")


def test_hub_failure_says_how_to_pass_a_local_file() -> None:
    # tests run with HF_HUB_OFFLINE=1 / HF_DATASETS_OFFLINE=1: the hub cannot be reached
    with pytest.raises(PairDataError, match=r"-T dataset=path/to/pairs\.jsonl"):
        load_pairs(None, "gpt")
    with pytest.raises(PairDataError, match="unknown split"):
        load_pairs(None, "llama")
