"""LLMBar read in its published layout: categories, schema errors, and LLMBar's recorded ChatGPT run
replayed through `-T judge=vanilla`, reproducing its statistics.json exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from inspect_ai import eval
from inspect_ai.model import ChatMessage

from judgebench.tasks import judge
from judgebench_inspect.benchmarks import benchmark_of, llmbar
from judgebench_inspect.dataset import PairDataError

from support import DATA, scripted_model

LLMBAR = DATA / "llmbar" / "Dataset" / "LLMBar"
RECORDED = DATA / "llmbar" / "recorded" / "ChatGPT-Vanilla_NoRules"
SUBSETS = {"Natural": "natural", "Adversarial/Neighbor": "neighbor", "Adversarial/GPTInst": "gptinst",
           "Adversarial/GPTOut": "gptout", "Adversarial/Manual": "manual"}  # fmt: skip
COUNTS = {"natural": 100, "neighbor": 134, "gptinst": 92, "gptout": 47, "manual": 46}


def test_folder_file_and_categories() -> None:
    assert benchmark_of(str(LLMBAR)) is llmbar
    pairs = llmbar.read(LLMBAR)
    assert len(pairs) == 419
    assert {c: sum(p.category == c for p in pairs) for c in COUNTS} == COUNTS
    first = json.loads((LLMBAR / "Natural" / "dataset.json").read_text())[0]
    p = pairs[0]
    assert (p.question, p.response_A, p.response_B) == (first["input"], first["output_1"], first["output_2"])
    assert p.label == ("A>B" if first["label"] == 1 else "B>A")
    one = LLMBAR / "Adversarial" / "GPTOut" / "dataset.json"
    assert benchmark_of(str(one)) is llmbar
    assert {p.category for p in llmbar.read(one)} == {"gptout"}
    assert benchmark_of(str(DATA / "judgebench" / "pairs-gpt.jsonl")) is None


@pytest.mark.parametrize(
    "row, message",
    [
        ({"output_1": "a", "output_2": "b", "label": 1}, "instance 2, field 'input': missing"),
        ({"input": "q", "output_1": 3, "output_2": "b", "label": 1}, "instance 2, field 'output_1': expected a string, got int"),
        ({"input": "q", "output_1": "a", "output_2": "b", "label": "1"}, "instance 2, field 'label': expected 1 or 2, got '1'"),
    ],
)
def test_bad_rows_name_file_instance_and_field(tmp_path: Path, row: dict[str, Any], message: str) -> None:
    folder = tmp_path / "LLMBar" / "Natural"
    folder.mkdir(parents=True)
    good = {"input": "q", "output_1": "a", "output_2": "b", "label": 2}
    (folder / "dataset.json").write_text(json.dumps([good, row]))
    with pytest.raises(PairDataError) as err:
        llmbar.read(tmp_path / "LLMBar")
    assert str(err.value) == f"{folder / 'dataset.json'}, {message}"


def _recorded() -> dict[tuple[str, str, str], dict[str, Any]]:
    runs = {}
    for folder in SUBSETS:
        for row in json.loads((RECORDED / folder / "result.json").read_text()):
            runs[(row["input"], row["output_1"], row["output_2"])] = row["results"][0]
    return runs


def _replay(runs: dict[tuple[str, str, str], dict[str, Any]]) -> Any:
    """A judge that answers each game with LLMBar's recorded completion for that instance and order."""
    pattern = re.compile(r"# Instruction:\n(.*)\n# Output \(a\):\n(.*)\n# Output \(b\):\n(.*)\n# Which is better", re.S)

    def reply(messages: list[ChatMessage]) -> str:
        m = pattern.search("\n".join(msg.text for msg in messages))
        assert m, "not the vanilla prompt"
        question, a, b = m.groups()
        if (question, a, b) in runs:
            return runs[(question, a, b)]["swap = False"]["completion"][0]
        return runs[(question, b, a)]["swap = True"]["completion"][0]

    return scripted_model(reply)


def _stat(text: str) -> tuple[int, int]:
    right, total = re.match(r"(\d+) / (\d+) = ", text).groups()  # type: ignore[union-attr]
    return int(right), int(total)


def test_recorded_chatgpt_run_replays_to_llmbar_statistics(tmp_path: Path) -> None:
    log = eval(
        judge(dataset=str(LLMBAR), judge="vanilla"),
        model=_replay(_recorded()),
        display="none",
        log_dir=str(tmp_path),
        max_connections=50,
    )[0]
    assert log.status == "success", log.error
    metrics = {k: m.value for k, m in log.results.scores[0].metrics.items()}  # type: ignore[union-attr]
    # the per-category metrics are exactly LLMBar's subsets, and there is one game_accuracy
    assert [k for k in metrics if k in COUNTS or k in ("knowledge", "math")] == list(COUNTS)
    assert sum(k == "game_accuracy" for k in metrics) == 1
    games = {c: [0, 0, 0, 0] for c in COUNTS}  # game 1 right, game 2 right, both right, pairs
    for sample in log.samples or []:
        cat = sample.metadata["category"]
        score = sample.scores["pair_scorer"]  # type: ignore[index]
        right = [g["verdict"] == sample.target for g in score.metadata["games"]]  # type: ignore[index]
        games[cat][0] += right[0]
        games[cat][1] += right[1]
        games[cat][2] += all(right)
        games[cat][3] += 1
    all_right = all_games = 0
    for folder, cat in SUBSETS.items():
        stats = json.loads((RECORDED / folder / "statistics.json").read_text())
        g1, g2, both, n = games[cat]
        assert (g1, n) == _stat(stats["correct_False"]), cat
        assert (g2, n) == _stat(stats["correct_True"]), cat
        assert (both, n) == _stat(stats["correct_both"]), cat
        assert float(stats["correct_average"].rstrip("%")) == pytest.approx(100 * (g1 + g2) / (2 * n), abs=1e-9), cat
        # LLMBar's correct_both is our pair accuracy (no ties in this run)
        assert metrics[cat] == pytest.approx(100 * both / n)
        all_right, all_games = all_right + g1 + g2, all_games + 2 * n
    assert metrics["game_accuracy"] == pytest.approx(100 * all_right / all_games)


def test_report_shows_llmbar_native_score_and_game_accuracy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from judgebench_inspect.cli import main

    subset = tmp_path / "LLMBar" / "Adversarial" / "GPTOut"
    subset.mkdir(parents=True)
    (subset / "dataset.json").write_text((LLMBAR / "Adversarial" / "GPTOut" / "dataset.json").read_text())
    log = eval(
        judge(dataset=str(tmp_path / "LLMBar"), judge="vanilla"),
        model=_replay(_recorded()),
        display="none",
        log_dir=str(tmp_path / "logs"),
    )[0]
    assert log.status == "success", log.error
    capsys.readouterr()
    assert main(["report", str(log.location), "--format", "json", "--resamples", "200"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["rows"]
    stats = json.loads((RECORDED / "Adversarial" / "GPTOut" / "statistics.json").read_text())
    assert row["benchmark"] == "llmbar" and row["paper"] is None
    native = row["native"]["gptout"]
    for key in ("correct_False", "correct_True", "correct_both", "equal"):
        right, n = _stat(stats[key])
        assert f"{right} / {n} = {native[key]}%" == stats[key], key  # LLMBar's own arithmetic, to the last digit
    assert f"{native['correct_average']}%" == stats["correct_average"]
    assert row["game_accuracy"]["gptout"]["accuracy"] == pytest.approx(native["correct_average"], abs=1e-4)
    assert any(n.startswith("LLMBar's own score: correct_average") for n in row["notes"])


def _graded_judge(skill: str) -> Any:
    """good: always right; mid: right on easy questions, wrong on hard ones; bad: always wrong."""

    def reply(messages: list[ChatMessage]) -> str:
        text = "\n".join(m.text for m in messages)
        a = text.split("# Output (a):", 1)[1].split("# Output (b):", 1)[0]
        right, wrong = ("Output (a)", "Output (b)") if "[ok]" in a else ("Output (b)", "Output (a)")
        if skill == "good" or (skill == "mid" and "(easy)" in text):
            return right
        return wrong

    return scripted_model(reply)


def test_rank_agreement_of_judges_between_benchmarks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from judgebench_inspect.cli import main
    from support import write_pairs

    pairs = write_pairs(tmp_path / "pairs.jsonl")
    (tmp_path / "other").mkdir()
    other = write_pairs(tmp_path / "other" / "more.jsonl")  # the same benchmark, another file: ranked on its own
    natural = tmp_path / "LLMBar" / "Natural"
    natural.mkdir(parents=True)
    rows = [
        {"input": f"Instruction {i} ({'easy' if i < 4 else 'hard'})", "output_1": f"out {i} [ok]" if i % 2 else f"out {i}",
         "output_2": f"out {i}" if i % 2 else f"out {i} [ok]", "label": 1 if i % 2 else 2}
        for i in range(8)
    ]  # fmt: skip
    (natural / "dataset.json").write_text(json.dumps(rows))
    for skill in ("good", "mid", "bad"):
        for dataset in (pairs, other, tmp_path / "LLMBar"):
            log = eval(
                judge(dataset=str(dataset), judge="vanilla"),
                model=_graded_judge(skill),
                display="none",
                log_dir=str(tmp_path / "logs"),
                metadata={"label": skill},
            )[0]
            assert log.status == "success", log.error
    capsys.readouterr()
    assert main(["report", str(tmp_path / "logs"), "--format", "json", "--resamples", "200"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["benchmark"] for r in doc["rows"]] == ["judgebench"] * 6 + ["llmbar"] * 3  # grouped by benchmark
    splits = sorted({f"judgebench ({r['split']})" for r in doc["rows"] if r["benchmark"] == "judgebench"})
    assert len(splits) == 2
    agreements = {(a["a"], a["b"]): a for a in doc["rank_agreement"]}
    assert set(agreements) == {(splits[0], splits[1]), (splits[0], "llmbar"), (splits[1], "llmbar")}
    for agreement in agreements.values():
        assert len(agreement["judges"]) == 3
        assert agreement["kendall_tau"] == 1.0 and agreement["low"] <= 1.0 == agreement["high"]
