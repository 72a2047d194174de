"""Composition: a user's own pairs and categories, the public API in one's own task, eval-set, eval.yaml."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from inspect_ai import Task, eval, eval_set
from inspect_ai.dataset import Sample
from inspect_ai.model import get_model

import judgebench_inspect
from judgebench.tasks import judge
from judgebench_inspect import judge_pair, pair_metrics, pair_scorer
from judgebench_inspect.cli import main

from support import FAST, PAIRS_GPT, REPO, first_reply, output, scripted_model, smart_reply, write_pairs


METRICS = {
    "category_accuracy", "game_accuracy", "inconsistency", "no_verdict_rate", "pair_accuracy", "pair_stderr", "position_bias", "tie_rate",
    "unreadable_rate",
}  # fmt: skip


def test_public_api_is_exported() -> None:
    for name in judgebench_inspect.__all__:
        obj = getattr(judgebench_inspect, name)
        assert obj is not None, name
        # Inspect's @metric wrapper drops the docstring, so metrics are not checked here
        if callable(obj) and name not in METRICS:
            assert obj.__doc__, f"{name} has no docstring"
    assert {"judge_pair", "pair_scorer", "pair_metrics", "score_pair", "judge_task"} <= set(judgebench_inspect.__all__)


def _metric_values(log: Any) -> dict[str, float]:
    (score,) = log.results.scores
    return {k: m.value for k, m in score.metrics.items()}


def test_own_pairs_with_custom_categories_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pairs = write_pairs(tmp_path / "my-pairs.jsonl")
    log = eval(
        judge(dataset=str(pairs), judge="vanilla"),
        model=scripted_model(smart_reply),
        display="none",
        log_dir=str(tmp_path / "logs"),
    )[0]
    assert log.status == "success"
    metrics = _metric_values(log)
    # the log's own metrics group by the file's categories
    assert metrics["poetry"] == pytest.approx(400 / 6) and metrics["law"] == pytest.approx(200 / 6)
    assert metrics["pair_accuracy"] == 50.0
    # the paper's four categories have no pairs here: nan, not 0
    assert all(metrics[c] != metrics[c] for c in ("knowledge", "reasoning", "math", "coding"))
    # ... and the report agrees, with only the categories that have pairs
    capsys.readouterr()  # what the eval printed (Inspect's hooks banner, on a process's first eval)
    assert main(["report", str(log.location), "--format", "json", *FAST]) == 0
    row = json.loads(capsys.readouterr().out)["rows"][0]
    assert set(row["accuracy"]) == {"poetry", "law", "overall"}
    assert row["accuracy"]["poetry"]["accuracy"] == pytest.approx(400 / 6, abs=1e-4)
    # only some of the custom categories
    log = eval(
        judge(dataset=str(pairs), judge="vanilla", categories="law"),
        model=scripted_model(smart_reply),
        display="none",
        log_dir=str(tmp_path / "logs2"),
    )[0]
    assert log.results.total_samples == 6 and _metric_values(log)["law"] == pytest.approx(200 / 6)


def test_own_pairs_without_ids(tmp_path: Path) -> None:
    pairs = write_pairs(tmp_path / "no-ids.jsonl", with_ids=False)
    log = eval(
        judge(dataset=str(pairs), judge="vanilla"),
        model=scripted_model(smart_reply),
        display="none",
        log_dir=str(tmp_path / "logs"),
    )[0]
    assert log.status == "success" and _metric_values(log)["pair_accuracy"] == 50.0


def test_judge_pair_and_pair_scorer_in_ones_own_task(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The pattern docs/report.md shows: own samples, judge_pair + pair_scorer, own categories."""
    rows = [json.loads(x) for x in write_pairs(tmp_path / "p.jsonl").read_text().splitlines()]
    samples = [
        Sample(
            id=r["pair_id"],
            input=r["question"],
            target=r["label"],
            metadata={k: r[k] for k in ("question", "response_A", "response_B", "category")},
        )
        for r in rows
    ]
    task = Task(
        dataset=samples,
        solver=judge_pair("vanilla"),
        scorer=pair_scorer(),
        metrics=pair_metrics(["poetry", "law"]),
        name="my_judge_eval",
    )
    log = eval(task, model=scripted_model(smart_reply), display="none", log_dir=str(tmp_path / "logs"))[0]
    assert log.status == "success"
    metrics = _metric_values(log)
    assert metrics["pair_accuracy"] == 50.0 and metrics["inconsistency"] == 50.0 and metrics["position_bias"] == 75.0
    assert "knowledge" not in metrics  # only the categories asked for
    # the report reads a log of another task that is scored by pair_scorer
    assert main(["report", str(log.location), "--format", "json", *FAST]) == 0
    row = json.loads(capsys.readouterr().out)["rows"][0]
    assert row["judge"] == "vanilla" and row["accuracy"]["overall"]["accuracy"] == 50.0


def test_eval_set_of_judges_and_models_then_report_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pairs = write_pairs(tmp_path / "my-pairs.jsonl")

    def model(name: str, reply: Any) -> Any:
        return get_model(f"mockllm/{name}", custom_outputs=lambda msgs, *_: output(reply(msgs)), memoize=False)

    log_dir = tmp_path / "set"
    ok, logs = eval_set(
        [judge(dataset=str(pairs), judge="vanilla"), judge(dataset=str(pairs), judge="arena_hard")],
        log_dir=str(log_dir),
        model=[model("smart", smart_reply), model("first", first_reply)],
        display="none",
    )
    assert ok and len(logs) == 4
    assert main(["report", str(log_dir), "--format", "json", "--compare", *FAST]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # eval-set's own files are not mistaken for logs
    doc = json.loads(captured.out)
    got = {(r["judge"], r["model"]): r["accuracy"]["overall"]["accuracy"] for r in doc["rows"]}
    assert got == {
        ("vanilla", "mockllm/smart"): 50.0,
        ("arena_hard", "mockllm/smart"): 50.0,
        ("vanilla", "mockllm/first"): 0.0,
        ("arena_hard", "mockllm/first"): 0.0,
    }
    assert len(doc["comparisons"]) == 6  # every two of the four rows share the 12 pairs
    for c in doc["comparisons"]:
        a, b = doc["rows"][c["a"] - 1], doc["rows"][c["b"] - 1]
        diff = a["accuracy"]["overall"]["accuracy"] - b["accuracy"]["overall"]["accuracy"]
        assert c["overall"]["difference"] == pytest.approx(diff)
        if diff == 0:
            assert c["overall"]["p_value"] == 1.0


def test_eval_yaml_describes_registered_tasks() -> None:
    spec = yaml.safe_load((REPO / "src" / "judgebench" / "eval.yaml").read_text())
    for key in ("title", "description", "arxiv", "group", "contributors", "version", "tasks"):
        assert spec.get(key), key
    assert spec["arxiv"] == "https://arxiv.org/abs/2410.12784"
    import judgebench as registry

    for t in spec["tasks"]:
        assert hasattr(registry, t["name"]), f"eval.yaml lists {t['name']}, which judgebench does not register"
    # the eval's version ("N-X", inspect_evals' scheme) carries the judge task's comparability version N
    task = judge(dataset=str(PAIRS_GPT), prompts="builtin", judge="vanilla")
    assert str(spec["version"]).split("-")[0] == str(task.version)
    judge_entry = next(t for t in spec["tasks"] if t["name"] == "judge")
    assert judge_entry["dataset_samples"] == 350  # the default split (gpt)
