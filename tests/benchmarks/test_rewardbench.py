"""RewardBench's filtered split in its published schema: sections as categories, RewardBench's
weighted section scores (math-prm's special weight) by its one-game rule and by the pair rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.model import ChatMessage

from judgebench_inspect.benchmarks import benchmark_of, rewardbench

from support import bad_row_message, judged_run, reward_model_run, stub_hub

#: subset -> what the judge does on it: right, wrong, or no verdict
PLAN = {
    "alpacaeval-easy": "RIGHT", "mt-bench-easy": "NONE",  # Chat
    "llmbar-natural": "WRONG",  # Chat Hard
    "donotanswer": "RIGHT",  # Safety
    "math-prm": "RIGHT", "hep-cpp": "WRONG",  # Reasoning
}  # fmt: skip


def _rows() -> list[dict[str, Any]]:
    rows = []
    for subset, mode in PLAN.items():
        for k in range(2):
            rows.append({
                "prompt": f"{mode} question {subset} {k}?",
                "chosen": f"chosen answer {subset} {k} [chosen]",
                "chosen_model": "model-x",
                "rejected": f"rejected answer {subset} {k}",
                "rejected_model": "model-y",
                "subset": subset,
                "id": len(rows) + 1,
            })  # fmt: skip
    return rows


def _reply(messages: list[ChatMessage]) -> str:
    text = "\n".join(m.text for m in messages)
    instruction = text.split("# Instruction:\n", 1)[1]
    mode = instruction.split(" ", 1)[0]
    if mode == "NONE":
        return "I cannot decide."
    a = text.split("# Output (a):", 1)[1].split("# Output (b):", 1)[0]
    chosen_is_a = "[chosen]" in a
    right = "Output (a)" if chosen_is_a else "Output (b)"
    wrong = "Output (b)" if chosen_is_a else "Output (a)"
    return right if mode == "RIGHT" else wrong


def test_rows_become_pairs_in_sections(tmp_path: Path) -> None:
    path = tmp_path / "filtered.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()))
    assert benchmark_of(str(path)) is rewardbench
    pairs = rewardbench.load(str(path))
    assert [p.category for p in pairs[::2]] == ["chat", "chat", "chat-hard", "safety", "reasoning", "reasoning"]
    for p, row in zip(pairs, _rows()):
        chosen = p.response_A if p.label == "A>B" else p.response_B
        assert chosen == row["chosen"] and p.source == f"rewardbench-{row['subset']}"
    assert {p.label for p in pairs} == {"A>B", "B>A"}  # the chosen response's position is drawn per row
    assert [p.label for p in rewardbench.load(str(path))] == [p.label for p in pairs]  # ... seeded by the id


def test_weighted_sections_by_one_game_and_pair_rule(tmp_path: Path) -> None:
    path = tmp_path / "filtered.json"
    path.write_text(json.dumps(_rows()))
    log, run = judged_run(path, _reply, tmp_path / "logs")
    metrics = log.results.scores[0].metrics
    assert {"chat", "chat-hard", "safety", "reasoning"} <= set(metrics) and "knowledge" not in metrics
    native = rewardbench.native(run.pairs)
    chat = (1.0 * 100 + 0.5 * 28) / (100 + 28)  # no verdict counts 0.5 in RewardBench's rule
    reasoning = (1.0 * 984 + 0.0 * 164) / (984 + 164)  # math-prm weighs 984
    one_game = {"Chat": chat, "Chat Hard": 0.0, "Safety": 1.0, "Reasoning": reasoning}
    for section, value in one_game.items():
        assert native["one_game"][section] == pytest.approx(100 * value)
    assert native["one_game"]["Overall"] == pytest.approx(100 * sum(one_game.values()) / 4)
    assert native["pair_rule"]["Chat"] == pytest.approx(100 * 100 / 128)  # no verdict fails the pair rule
    assert native["pair_rule"]["Reasoning"] == pytest.approx(100 * reasoning)


def test_a_reward_model_run_counts_a_strictly_higher_chosen_score(tmp_path: Path) -> None:
    """RewardBench's rule for reward models: 1 when the chosen response scores strictly higher; an
    exact tie is 0, although the game (ties=b) gave it to the response shown second."""
    path = tmp_path / "filtered.json"
    path.write_text(json.dumps(_rows()))

    def reward(question: str, response: str) -> float:
        mode = question.split(" ", 1)[0]
        chosen = response.endswith("[chosen]")
        return {"RIGHT": 2.0 if chosen else 1.0, "WRONG": 1.0 if chosen else 2.0, "NONE": 1.0}[mode]

    _, run, asked = reward_model_run(path, reward, tmp_path / "logs")
    assert len(asked) == 2 * len(_rows())
    native = rewardbench.native(run.pairs)
    assert native["scored_by"] == "scores"
    reasoning = 984 / (984 + 164)
    one_game = {"Chat": 100 / 128, "Chat Hard": 0.0, "Safety": 1.0, "Reasoning": reasoning}  # mt-bench-easy ties: 0
    for section, value in one_game.items():
        assert native["one_game"][section] == pytest.approx(100 * value)
    # the games themselves gave each exact tie to the response shown second
    tied = [p for p in run.pairs if p.record["source"] == "rewardbench-mt-bench-easy"]
    assert [p.seen for p in tied] == [("B>A",)] * 2 and [p.outcome.correct for p in tied] == [p.label == "B>A" for p in tied]
    assert "rule for reward models" in rewardbench.headline(native)  # type: ignore[operator]


def test_hub_id_with_loader_stubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = stub_hub(monkeypatch, _rows())
    assert benchmark_of("allenai/reward-bench@abc123") is rewardbench
    pairs = rewardbench.load("allenai/reward-bench@abc123")
    assert calls == [("allenai/reward-bench", "filtered", "abc123")] and len(pairs) == 12


@pytest.mark.parametrize(
    "change, message",
    [
        ({"subset": None}, "row 2, field 'subset': missing"),
        ({"subset": "alpaca"}, "row 2, field 'subset': 'alpaca' is not one of RewardBench's 23 subsets"),
        ({"chosen": ["a"]}, "row 2, field 'chosen': expected a string, got list"),
        ({"id": 1}, "row 2, field 'id': duplicate id 1 (first on row 1)"),
    ],
)
def test_bad_rows_name_file_row_and_field(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    path = tmp_path / "rb.jsonl"
    assert bad_row_message(rewardbench.load, path, _rows()[:2], change) == f"{path}, {message}"
