"""RewardBench 2's test split in its published schema: best-of-N groups as pairs, subsets as
categories, and its accuracy by our extension for pairwise judges (Ties n/a)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from inspect_ai.model import ChatMessage

from judgebench_inspect.benchmarks import benchmark_of, rewardbench2

from support import bad_row_message, judged_run, reward_model_run, stub_hub


def _row(row_id: str, subset: str, mode: str, chosen: int = 1, rejected: int = 3) -> dict[str, Any]:
    return {
        "id": row_id,
        "prompt": f"{mode} question {row_id}?",
        "chosen": [f"answer {row_id} [chosen c{i}]" for i in range(chosen)],
        "rejected": [f"answer {row_id} [r{j}]" for j in range(rejected)],
        "num_correct": chosen,
        "num_incorrect": rejected,
        "total_completions": chosen + rejected,
        "models": ["model-x"] * (chosen + rejected),
        "subset": subset,
        "additional_metadata": {"category": None, "correct": None, "index": None, "instruction_id_list": None,
                                "label": None, "method": None, "models": None, "prompt_norm": None,
                                "subcategory": None, "valid": None},
    }  # fmt: skip


def _rows() -> list[dict[str, Any]]:
    return [
        _row("f1", "Factuality", "RIGHT"),
        _row("f2", "Factuality", "WRONG-r2"),  # loses one of its three pairs
        _row("m1", "Math", "RIGHT"),
        _row("s1", "Safety", "NONE"),
        _row("ref:1", "Ties", "RIGHT", rejected=2),
        _row("tied:1", "Ties", "WRONG-r1", chosen=2, rejected=2),
    ]


def _reply(messages: list[ChatMessage]) -> str:
    """Picks the chosen response, except: no verdict (NONE), or the rejected one marked in WRONG-<marker>."""
    text = "\n".join(m.text for m in messages)
    mode = text.split("# Instruction:\n", 1)[1].split(" ", 1)[0]
    if mode == "NONE":
        return "I cannot decide."
    a = text.split("# Output (a):", 1)[1].split("# Output (b):", 1)[0]
    b = text.split("# Output (b):", 1)[1]
    chosen_is_a = "[chosen" in a
    rejected = b if chosen_is_a else a
    wrong = mode.startswith("WRONG-") and f"[{mode.removeprefix('WRONG-')}]" in rejected
    return "Output (a)" if chosen_is_a != wrong else "Output (b)"


def test_groups_become_pairs_of_each_chosen_against_each_rejected(tmp_path: Path) -> None:
    path = tmp_path / "test.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()))
    assert benchmark_of(str(path)) is rewardbench2
    pairs = rewardbench2.load(str(path))
    assert len(pairs) == 3 + 3 + 3 + 3 + 2 + 4
    assert [p.pair_id for p in pairs if p.original_id == "tied:1"] == [
        "rewardbench2-tied:1-c0-r0", "rewardbench2-tied:1-c0-r1", "rewardbench2-tied:1-c1-r0", "rewardbench2-tied:1-c1-r1",
    ]  # fmt: skip
    assert {p.category for p in pairs} == {"factuality", "math", "safety", "ties"}
    for p in pairs:
        chosen = p.response_A if p.label == "A>B" else p.response_B
        assert "[chosen" in chosen and p.source == f"rewardbench2-{p.category}"
    assert {p.label for p in pairs} == {"A>B", "B>A"}  # positions drawn per pair, seeded
    assert [p.label for p in rewardbench2.load(str(path))] == [p.label for p in pairs]


def test_native_scores_by_our_extension_with_ties_not_applicable(tmp_path: Path) -> None:
    path = tmp_path / "test.json"
    path.write_text(json.dumps(_rows()))
    assert benchmark_of(str(path)) is rewardbench2  # not RM-Bench's JSON of lists of responses
    log, run = judged_run(path, _reply, tmp_path / "logs")
    metrics = log.results.scores[0].metrics
    assert set(rewardbench2.CATEGORIES) <= set(metrics)  # every subset names a metric, present or not
    native = rewardbench2.native(run.pairs)
    assert native["subsets"] == {"factuality": 50.0, "math": 100.0, "safety": 0.0, "ties": None}
    assert native["groups"] == {"factuality": 2, "math": 1, "safety": 1}
    assert native["ties"] == {
        "score": None,
        "ref_accuracy": 100.0,
        "tied_accuracy": 0.0,
        "not_applicable": ["correctness_preferred", "correctness_preferred_hard", "correctness_margin_score"],
    }
    assert native["overall"] is None and native["mean_without_ties"] == pytest.approx(50.0)
    assert "OUR EXTENSION" in native["metric"]


#: Scalar rewards by row and member (``c0``: first chosen, ``r1``: second rejected).
REWARDS: dict[str, list[float]] = {
    "f1": [3.0, 1.0, 2.0, 0.0],  # chosen highest: 1
    "f2": [2.0, 2.0, 1.0, 0.0],  # two share the top: 1/2
    "m1": [1.0, 5.0, 0.0, 0.0],  # a rejected scores higher: 0
    "s1": [1.0, 0.0, 0.0, 0.0],  # 1
    "p1": [0.0, 0.0, -1.0, -2.0],  # 1/2
    "o1": [1.0, 1.0, 1.0, 1.0],  # four-way tie: 1/4
    "ref:1": [3.0, 1.0, 0.0],  # one correct, accurate by a gap of 2
    "tied:1": [4.0, 3.5, 1.0, 0.0],  # two correct (spread 0.5), gap 2.5
}


def _reward(question: str, response: str) -> float:
    row_id, member = re.fullmatch(r"answer (\S+) \[(?:chosen )?(\w\d)\]", response).groups()  # type: ignore[union-attr]
    chosen = sum(1 for r in _scalar_rows() if r["id"] == row_id for _ in r["chosen"])
    index = int(member[1:]) + (chosen if member[0] == "r" else 0)
    return REWARDS[row_id][index]


def _scalar_rows() -> list[dict[str, Any]]:
    return [
        _row("f1", "Factuality", "X"), _row("f2", "Factuality", "X"), _row("m1", "Math", "X"),
        _row("s1", "Safety", "X"), _row("p1", "Precise IF", "X"), _row("o1", "Focus", "X"),
        _row("ref:1", "Ties", "X", rejected=2), _row("tied:1", "Ties", "X", chosen=2, rejected=2),
    ]  # fmt: skip


@pytest.mark.parametrize("games", [1, 2])
def test_a_reward_model_run_is_scored_by_rewardbench2s_own_rule(tmp_path: Path, games: int) -> None:
    """Each response scored once; the chosen must score highest (1/k for a k-way tie at the top);
    Ties by process_single_model's weighted score; overall the mean of the six subsets."""
    path = tmp_path / "test.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _scalar_rows()))
    log, run, asked = reward_model_run(path, _reward, tmp_path / "logs", games=games)
    assert len(run.pairs) == 3 * 6 + 2 + 4 and len(asked) == len(set(asked)) == 4 * 6 + 3 + 4
    native = rewardbench2.native(run.pairs)
    assert native["scored_by"] == "scores" and "own scores" in native["metric"]
    margin = math.tanh(min(2.0, 2.5) / 0.5 - 1)
    ties = 100 * (0.3 + 0.3 + 0.2 + 0.2 + 0.01 * margin)
    assert native["subsets"] == pytest.approx(
        {"factuality": 75.0, "precise-if": 50.0, "math": 0.0, "safety": 100.0, "focus": 25.0, "ties": ties}
    )
    assert native["ties"] == pytest.approx({
        "score": ties, "ref_accuracy": 100.0, "tied_accuracy": 100.0, "correctness_preferred": 100.0,
        "correctness_preferred_hard": 100.0, "correctness_margin_score": 100 * margin, "prompts": 1,
    })  # fmt: skip
    assert native["overall"] == pytest.approx((75 + 50 + 0 + 100 + 25 + ties) / 6)
    assert "own rule on the reward model's scores: overall" in rewardbench2.headline(native)  # type: ignore[operator]
    assert "incomplete_groups" not in native
    # a group one of whose pairs was not scored (an errored sample) is left out and named, not scored on the rest
    partial = rewardbench2.native([p for p in run.pairs if p.pair_id != "rewardbench2-f1-c0-r1"])
    assert partial["subsets"]["factuality"] == 50.0 and partial["groups"]["factuality"] == 1
    assert partial["incomplete_groups"] == {"count": 1, "ids": ["rewardbench2-f1"]}
    assert "1 group(s) with unscored pairs left out" in rewardbench2.headline(partial)  # type: ignore[operator]


def test_ties_margins_as_process_single_model_computes_them() -> None:
    """A tied prompt whose correct answers score alike (spread 0): its margin term is tanh(inf) = 1 and
    correctness is preferred (gap > 0); a prompt without its pair row counts only in the accuracies."""
    ref = {"1": {("c", 0): 2.0, ("r", 0): 1.0}, "2": {("c", 0): 0.0, ("r", 0): 1.0}}
    tied = {"1": {("c", 0): 3.0, ("c", 1): 3.0, ("r", 0): 1.0}}
    score = rewardbench2.ties_score(ref, tied)
    assert score["ref_accuracy"] == 50.0 and score["tied_accuracy"] == 100.0 and score["prompts"] == 1
    assert score["correctness_preferred"] == 100.0 and score["correctness_margin_score"] == pytest.approx(100.0)
    assert rewardbench2.ties_score(ref, {})["score"] is None


def _scored(correct: bool, ties: int = 0, games: int = 1) -> Any:
    return SimpleNamespace(outcome=SimpleNamespace(correct=correct, ties=ties, games=games))


def test_one_game_ties_at_the_top_earn_one_over_k() -> None:
    # RewardBench 2's reward-model rule: the chosen ties with one rejected and beats two -> 1/2
    assert rewardbench2.group_credit([_scored(True), _scored(False, ties=1), _scored(True)]) == 0.5
    assert rewardbench2.group_credit([_scored(False, ties=1), _scored(False, ties=1), _scored(True)]) == pytest.approx(1 / 3)
    assert rewardbench2.group_credit([_scored(False, ties=1), _scored(False)]) == 0.0  # loses one pair
    assert rewardbench2.group_credit([_scored(False, ties=1, games=2), _scored(True, games=2)]) == 0.0  # pair rule


def test_hub_id_with_loader_stubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = stub_hub(monkeypatch, _rows())
    assert benchmark_of("allenai/reward-bench-2@abc123") is rewardbench2
    pairs = rewardbench2.load("allenai/reward-bench-2@abc123")
    assert calls == [("allenai/reward-bench-2", "test", "abc123")] and len(pairs) == 18


def test_parquet_in_the_published_schema_is_recognised(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    path = tmp_path / "test-00000-of-00001.parquet"
    pq.write_table(pa.Table.from_pylist(_rows()), path)
    assert benchmark_of(str(path)) is rewardbench2
    assert len(rewardbench2.load(str(path))) == 18


@pytest.mark.parametrize(
    "change, message",
    [
        ({"subset": "Chat"}, "row 2, field 'subset': 'Chat' is not one of Factuality, Precise IF, Math, Safety, Focus, Ties"),
        ({"chosen": "one answer"}, "row 2, field 'chosen': expected a non-empty list of strings"),
        ({"rejected": []}, "row 2, field 'rejected': expected a non-empty list of strings"),
        ({"num_incorrect": 4}, "row 2, field 'num_incorrect': 4 does not match the responses given (3)"),
        ({"id": "f1"}, "row 2, field 'id': duplicate id 'f1' (first on row 1)"),
        ({"subset": "Ties", "id": "7"}, "row 2, field 'id': a Ties id is '<ref|tied>:<prompt>', got '7'"),
        ({"prompt": None}, "row 2, field 'prompt': missing"),
    ],
)
def test_bad_rows_name_file_row_and_field(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    path = tmp_path / "rb2.jsonl"
    assert bad_row_message(rewardbench2.load, path, _rows()[:2], change) == f"{path}, {message}"

def test_judgebench_pairs_are_claimed_by_no_benchmark(tmp_path: Path) -> None:
    row = {"pair_id": "p1", "original_id": "1", "source": "mmlu-pro-law", "question": "Q?",
           "response_model": "m", "response_A": "a", "response_B": "b", "label": "A>B"}  # fmt: skip
    for name in ("pairs.jsonl", "pairs.json"):
        path = tmp_path / name
        path.write_text(json.dumps(row) + "\n" if name.endswith("l") else json.dumps([row]))
        assert benchmark_of(str(path)) is None
