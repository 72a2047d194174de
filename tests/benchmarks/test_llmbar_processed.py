"""The sets LLMBar ships processed into its format (FairEval, LLMEval^2, MT-Bench human): read from
its `Dataset/Processed` layout, scored with LLMBar's statistics."""

from __future__ import annotations

from pathlib import Path

import pytest

from judgebench_inspect.benchmarks import benchmark_of, llmbar, llmbar_processed
from judgebench_inspect.dataset import PairDataError

from support import judged_run, llmbar_reply, write_llmbar_sets


def _processed(root: Path) -> Path:
    """``Processed/{FairEval,LLMEval^2,MT-Bench}/dataset.json``; the input says how the judge answers."""
    plan = {
        "FairEval": ["RIGHT", "RIGHT"],
        "LLMEval^2": ["RIGHT", "FIRST"],  # FIRST: always the response shown first
        "MT-Bench": ["WRONG", "FIRST", "RIGHT", "RIGHT"],
    }
    return write_llmbar_sets(root / "Processed", plan)


def test_processed_folder_and_llmbar_statistics(tmp_path: Path) -> None:
    folder = _processed(tmp_path)
    assert benchmark_of(str(folder)) is llmbar_processed
    one = folder / "MT-Bench" / "dataset.json"
    assert benchmark_of(str(one)) is llmbar_processed
    assert {p.category for p in llmbar_processed.load(str(one))} == {"mt-bench"}
    log, run = judged_run(folder, llmbar_reply, tmp_path / "logs")
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
