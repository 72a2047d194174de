"""PPE correctness in its published schema: best-of-K rows as conflict pairs, domains from the
file names or hub ids, and PPE's pairwise accuracy (its score-based metrics n/a)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.model import ChatMessage

from judgebench_inspect.benchmarks import benchmark_of, ppe
from judgebench_inspect.dataset import PairDataError

from support import bad_row_message, judged_run, stub_hub

K = 4


def _row(qid: str, mode: str, scores: list[bool], sampled: list[list[int]] | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "question_id": qid,
        "question": f"Question {qid}?",  # the domain's own fields (MMLU-Pro's here) are not read
        "options": ["A", "B"],
        "answer": "A",
        "answer_index": 0,
        "category": "law",
        "model_name": "gpt-4o-mini-2024-07-18",
        "parsed_outputs": ["A" if s else "B" for s in scores],
        "scores": scores,
        "mean_score": sum(scores) / len(scores),
        "prompt": f"{mode} prompt {qid}",
        **{f"response_{k + 1}": f"response {k + 1} of {qid} [{'right' if s else 'wrong'}]" for k, s in enumerate(scores)},
        "conflict_pairs": [[i, j] for i in range(K) for j in range(i + 1, K) if scores[i] != scores[j]],
    }
    if sampled is not None:
        row["sampled_conflict_pairs"] = sampled
    return row


def _rows() -> list[dict[str, Any]]:
    return [
        _row("q1", "RIGHT", [True, False, False, True], [[0, 1], [2, 3], [1, 0]]),  # 2 pairs, one listed twice
        _row("q2", "WRONG", [False, True, False, False], [[1, 0]]),  # 1 pair
        _row("q3", "RIGHT", [True, True, False, False], None),  # no sample: all 4 pairs
    ]


def _reply(messages: list[ChatMessage]) -> str:
    text = "\n".join(m.text for m in messages)
    mode = text.split("# Instruction:\n", 1)[1].split(" ", 1)[0]
    a = text.split("# Output (a):", 1)[1].split("# Output (b):", 1)[0]
    right_is_a = "[right]" in a
    return "Output (a)" if right_is_a == (mode == "RIGHT") else "Output (b)"


def test_rows_become_conflict_pairs(tmp_path: Path) -> None:
    path = tmp_path / "PPE-MMLU-Pro-Best-of-K.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()))
    assert benchmark_of(str(path)) is ppe
    pairs = ppe.load(str(path))
    assert [p.pair_id for p in pairs] == [
        "ppe-mmlu-pro-q1-c1-r2", "ppe-mmlu-pro-q1-c4-r3", "ppe-mmlu-pro-q2-c2-r1",
        "ppe-mmlu-pro-q3-c1-r3", "ppe-mmlu-pro-q3-c1-r4", "ppe-mmlu-pro-q3-c2-r3", "ppe-mmlu-pro-q3-c2-r4",
    ]  # fmt: skip
    for p in pairs:
        right = p.response_A if p.label == "A>B" else p.response_B
        assert "[right]" in right and p.category == "mmlu-pro" and p.response_model == "gpt-4o-mini-2024-07-18"
    assert {p.label for p in pairs} == {"A>B", "B>A"}
    assert [p.tags for p in pairs[:2]] == [{"listed": 2}, None]  # played once, its listings counted


def test_a_pair_id_given_twice_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever an adapter gives, one pair is one sample: a repeated id is an error, not a silent overwrite."""
    from judgebench_inspect.dataset import PairDataError, load_benchmark_pairs

    path = tmp_path / "PPE-MATH-Best-of-K.jsonl"
    path.write_text(json.dumps(_rows()[0]) + "\n")
    real = ppe.load
    monkeypatch.setattr(ppe, "load", lambda dataset: real(dataset) * 2)
    with pytest.raises(PairDataError, match=r"ppe gave the pair id 'ppe-math-q1-c1-r2' twice \(pairs 1 and 3\)"):
        load_benchmark_pairs(str(path))


def test_pairwise_accuracy_per_domain(tmp_path: Path) -> None:
    folder = tmp_path / "ppe"
    (folder / "PPE-MATH-Best-of-K" / "data").mkdir(parents=True)
    (folder / "PPE-MATH-Best-of-K" / "data" / "train.json").write_text(json.dumps(_rows()))
    (folder / "gpqa_best_of_k.jsonl").write_text(json.dumps(_rows()[1]) + "\n")
    assert benchmark_of(str(folder)) is ppe
    log, run = judged_run(folder, _reply, tmp_path / "logs")
    assert set(ppe.CATEGORIES) <= set(log.results.scores[0].metrics)
    native = ppe.native(run.pairs)
    assert native["accuracy"] == {"math": pytest.approx(100 * 6 / 7), "gpqa": 0.0}
    assert native["pairs"] == {"math": 7, "gpqa": 1}
    assert native["overall_pooled"] == pytest.approx(100 * 6 / 8)
    assert native["overall_mean_of_domains"] == pytest.approx(50 * 6 / 7)
    assert native["not_applicable"] == list(ppe.SCORE_ONLY_METRICS)
    assert native["listed_more_than_once"] == 1


def test_hub_ids_with_loader_stubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = stub_hub(monkeypatch, _rows())
    assert benchmark_of("lmarena-ai/PPE-IFEval-Best-of-K@abc123") is ppe
    pairs = ppe.load("lmarena-ai/PPE-IFEval-Best-of-K@abc123")
    assert calls == [("lmarena-ai/PPE-IFEval-Best-of-K", "train", "abc123")]
    assert len(pairs) == 7 and {p.category for p in pairs} == {"ifeval"}


def test_a_file_must_name_its_domain(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(_rows()[0]) + "\n")
    assert benchmark_of(str(path)) is ppe
    with pytest.raises(PairDataError, match="cannot tell PPE's domain"):
        ppe.load(str(path))


@pytest.mark.parametrize(
    "change, message",
    [
        ({"scores": [1, 0, 0, 1]}, "row 2, field 'scores': expected a non-empty list of booleans"),
        ({"response_3": None}, "row 2, field 'response_3': missing"),
        ({"prompt": 7}, "row 2, field 'prompt': expected a string"),
        (
            {"sampled_conflict_pairs": [[0, 2]]},
            "row 2, field 'sampled_conflict_pairs': [0, 2] is not two indices (0 to 3) of responses with different scores",
        ),
        (
            {"sampled_conflict_pairs": [[1, 4]]},
            "row 2, field 'sampled_conflict_pairs': [1, 4] is not two indices (0 to 3) of responses with different scores",
        ),
    ],
)
def test_bad_rows_name_file_row_and_field(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    path = tmp_path / "math.jsonl"
    assert bad_row_message(ppe.load, path, _rows()[:2], change) == f"{path}, {message}"
