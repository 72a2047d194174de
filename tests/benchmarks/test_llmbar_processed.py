"""The sets LLMBar ships processed into its format (FairEval, LLMEval^2, MT-Bench human): read from
its `Dataset/Processed` layout, scored with LLMBar's statistics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from inspect_ai.model import ChatMessage

from judgebench_inspect.benchmarks import benchmark_of, llmbar, llmbar_processed
from judgebench_inspect.dataset import PairDataError

from support import judged_run


def _processed(root: Path) -> Path:
    """``Processed/{FairEval,LLMEval^2,MT-Bench}/dataset.json``; the input says how the judge answers."""
    plan = {
        "FairEval": ["RIGHT", "RIGHT"],
        "LLMEval^2": ["RIGHT", "FIRST"],  # FIRST: always the response shown first
        "MT-Bench": ["WRONG", "FIRST", "RIGHT", "RIGHT"],
    }
    for folder, modes in plan.items():
        (root / "Processed" / folder).mkdir(parents=True)
        rows = [
            {"input": f"{mode} {folder} {i}", "output_1": f"one {i} [{'good' if i % 2 else 'bad'}]",
             "output_2": f"two {i} [{'bad' if i % 2 else 'good'}]", "label": 1 if i % 2 else 2}
            for i, mode in enumerate(modes)
        ]  # fmt: skip
        (root / "Processed" / folder / "dataset.json").write_text(json.dumps(rows))
    return root / "Processed"


def _reply(messages: list[ChatMessage]) -> str:
    text = "\n".join(m.text for m in messages)
    mode = text.split("# Instruction:\n", 1)[1].split(" ", 1)[0]
    if mode == "FIRST":
        return "Output (a)"
    good_is_a = "[good]" in text.split("# Output (a):", 1)[1].split("# Output (b):", 1)[0]
    return "Output (a)" if good_is_a == (mode == "RIGHT") else "Output (b)"


def test_processed_folder_and_llmbar_statistics(tmp_path: Path) -> None:
    folder = _processed(tmp_path)
    assert benchmark_of(str(folder)) is llmbar_processed
    one = folder / "MT-Bench" / "dataset.json"
    assert benchmark_of(str(one)) is llmbar_processed
    assert {p.category for p in llmbar_processed.load(str(one))} == {"mt-bench"}
    log, run = judged_run(folder, _reply, tmp_path / "logs")
    metrics = log.results.scores[0].metrics
    assert {"faireval", "llmeval2", "mt-bench"} <= set(metrics) and "natural" not in metrics
    native = llmbar_processed.native(run.pairs)
    assert native["faireval"] == {
        "correct_False": 100.0, "correct_True": 100.0, "correct_average": 100.0, "correct_both": 100.0,
        "equal": 100.0, "pairs": 2,
    }  # fmt: skip
    # FIRST is right in exactly one of its two games, and its games disagree
    assert native["llmeval2"]["correct_average"] == 75.0 and native["llmeval2"]["correct_both"] == 50.0
    assert native["llmeval2"]["equal"] == 50.0
    assert native["mt-bench"]["correct_average"] == pytest.approx(100 * 5 / 8)
    assert native["mt-bench"]["correct_both"] == 50.0 and native["mt-bench"]["equal"] == 75.0
    assert native["overall"]["pairs"] == 8


def test_llmbar_layouts_stay_apart(tmp_path: Path) -> None:
    folder = _processed(tmp_path)
    (tmp_path / "LLMBar" / "Natural").mkdir(parents=True)
    (tmp_path / "LLMBar" / "Natural" / "dataset.json").write_text((folder / "FairEval" / "dataset.json").read_text())
    assert benchmark_of(str(tmp_path / "LLMBar")) is llmbar
    assert benchmark_of(str(tmp_path / "LLMBar" / "Natural" / "dataset.json")) is llmbar
    with pytest.raises(PairDataError, match="not in a llmbar-processed subset folder"):
        llmbar_processed.load(str(tmp_path / "LLMBar" / "Natural" / "dataset.json"))
