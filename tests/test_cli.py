"""The real CLI (`inspect eval judgebench/judge`) through Inspect's OpenAI provider
against a fake OpenAI-compatible server on 127.0.0.1 answering with the recorded
o1-mini judge texts. Run from a directory outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from inspect_ai.log import list_eval_logs, read_eval_log

from judgebench_inspect.demo.fake_server import Faults, FakeOpenAIServer, ReplayResponder

from support import O1_MINI, O1_MINI_NUMBERS, PAIRS_GPT

INSPECT = str(Path(sys.executable).parent / "inspect")


def inspect_eval(server: FakeOpenAIServer, cwd: Path, *args: str) -> Path:
    env = dict(os.environ, OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="test-key")
    log_dir = cwd / "logs"
    proc = subprocess.run(
        [INSPECT, "eval", "judgebench/judge", "--model", "openai/gpt-4o-mini",
         "-T", f"dataset={PAIRS_GPT}", "--log-dir", str(log_dir), "--display", "none",
         "--max-retries", "8", "--timeout", "60", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=400,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    logs = list_eval_logs(str(log_dir))
    assert len(logs) == 1, (proc.stdout[-2000:], proc.stderr[-2000:])
    return Path(logs[0].name.removeprefix("file://"))


def scores(log_path: Path) -> dict[str, float]:
    log = read_eval_log(str(log_path))
    assert log.status == "success", log.error
    assert log.eval.task in ("judgebench/judge", "judge")
    m = {k: round(v.value, 2) for s in log.results.scores for k, v in s.metrics.items()}
    return {"knowledge": m["knowledge"], "reasoning": m["reasoning"], "math": m["math"],
            "coding": m["coding"], "overall": m["pair_accuracy"]}


def test_cli_replay_reproduces_published_numbers(tmp_path: Path) -> None:
    with FakeOpenAIServer(ReplayResponder(O1_MINI)) as server:
        log = inspect_eval(server, tmp_path, "--max-connections", "20")
        assert server.stats.answered == 700
    assert scores(log) == O1_MINI_NUMBERS
    results = read_eval_log(str(log), header_only=True).results
    assert results is not None and results.scores[0].metrics["verdict_warnings"].value == 0
    assert results.scores[0].metadata == {"checks": {"warnings": []}}


def test_cli_failed_calls_are_retried_not_scored(tmp_path: Path) -> None:
    """A server failing a quarter of the requests with 500/429: Inspect retries,
    every pair is scored once, and the numbers are those of a fault-free run."""
    faults = Faults(error_rate=0.25, seed=7)
    with FakeOpenAIServer(ReplayResponder(O1_MINI), faults=faults) as server:
        log = inspect_eval(server, tmp_path, "-T", "categories=coding", "--max-connections", "20")
        assert server.stats.faults["500"] + server.stats.faults["429"] > 0
        assert server.stats.answered == 84
    got = scores(log)
    assert got["coding"] == got["overall"] == O1_MINI_NUMBERS["coding"]
    samples = read_eval_log(str(log)).samples
    assert samples is not None and len({s.id for s in samples}) == 42
    assert all(s.error is None for s in samples)


def test_cli_limit_judges_every_category_in_proportion(tmp_path: Path) -> None:
    """`--limit 20` of the gpt split (listed category by category, law first): the first 20
    samples hold each category's share to within one pair, and no category is `nan`."""
    with FakeOpenAIServer(ReplayResponder(O1_MINI)) as server:
        log_path = inspect_eval(server, tmp_path, "--limit", "20", "--max-connections", "10")
    log = read_eval_log(str(log_path))
    assert log.samples is not None and len(log.samples) == 20
    counts: dict[str, int] = {}
    for sample in log.samples:
        category = sample.metadata["category"]  # top-level in each sample's metadata
        counts[category] = counts.get(category, 0) + 1
    published = {"knowledge": 154, "reasoning": 98, "math": 56, "coding": 42}
    for category, n in published.items():
        assert abs(counts.get(category, 0) - 20 * n / 350) <= 1, counts
    got = scores(log_path)
    assert all(value == value for value in got.values()), got  # no nan
    assert len({s.metadata["source"] for s in log.samples}) >= 6  # several MMLU-Pro subjects too


def test_cli_run_without_verdicts_ends_with_a_warning(tmp_path: Path) -> None:
    """A server answering something the parser cannot read: the terminal and the log say
    what share of games had no verdict, with one of the replies."""
    reply = "I would rather not choose between these answers."
    with FakeOpenAIServer(lambda _messages: reply) as server:
        env = dict(os.environ, OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="test-key")
        proc = subprocess.run(
            [INSPECT, "eval", "judgebench/judge", "--model", "openai/gpt-4o-mini", "-T", f"dataset={PAIRS_GPT}",
             "-T", "prompts=builtin", "--limit", "5", "--log-dir", str(tmp_path / "logs"), "--display", "plain"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
        )
    assert proc.returncode == 0, proc.stderr[-3000:]
    shown = " ".join((proc.stdout + proc.stderr).split())
    assert "WARNING JudgeBench run judgebench/judge: 100%" in shown, shown[-3000:]
    assert "(10 of 10) have no verdict" in shown and "A reply: pair" in shown and "not choose" in shown
    log = read_eval_log(list_eval_logs(str(tmp_path / "logs"))[0].name)
    assert log.results is not None
    (score,) = log.results.scores
    assert score.metrics["verdict_warnings"].value == 1
    (warning,) = (score.metadata or {})["checks"]["warnings"]
    assert warning.startswith("100% of games (10 of 10) have no verdict") and reply in warning


def test_cli_log_reads_well_in_the_viewer(tmp_path: Path) -> None:
    """What `inspect view` shows of a run with `--model-role judge=`: the title bar's first five
    metrics are the overall and per-category accuracies, inconsistency and position bias come
    next; the answer names the pair-frame verdicts; game spans have a type of their own; the
    judge model is named in the log and in each sample's score."""
    with FakeOpenAIServer(ReplayResponder(O1_MINI)) as server:
        env = dict(os.environ, OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="test-key")
        proc = subprocess.run(
            [INSPECT, "eval", "judgebench/judge", "--model", "mockllm/model",
             "--model-role", "judge=openai/gpt-4o-mini", "-T", f"dataset={PAIRS_GPT}", "--limit", "4",
             "--log-dir", str(tmp_path / "logs"), "--display", "none"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
        )
    assert proc.returncode == 0, proc.stderr[-3000:]
    log = read_eval_log(list_eval_logs(str(tmp_path / "logs"))[0].name)
    assert log.status == "success", log.error
    assert log.results is not None
    names = list(log.results.scores[0].metrics)
    assert names[:7] == ["pair_accuracy", "knowledge", "reasoning", "math", "coding", "inconsistency", "position_bias"]
    assert log.eval.model_roles is not None and log.eval.model_roles["judge"].model == "openai/gpt-4o-mini"
    # the task arguments (the viewer's config row) hold what was given and the named defaults, no nulls
    assert log.eval.task_args == {"split": "gpt", "judge": "arena_hard", "prompts": "judgebench", "dataset": str(PAIRS_GPT)}
    assert log.samples is not None
    sample = log.samples[0]
    score = sample.scores["pair_scorer"]  # type: ignore[index]
    assert score.answer is not None and score.answer.startswith("pair verdicts: game 1 ")
    assert score.metadata is not None and score.metadata["judge_model"] == "openai/gpt-4o-mini"
    games = [e for e in sample.events if e.event == "span_begin" and e.type == "judge"]
    assert [e.name for e in games] == ["game 1 (A first)", "game 2 (B first)"]


def test_cli_report_sorts_and_names_runs_and_plots_the_paper(tmp_path: Path, monkeypatch: object) -> None:
    """Two runs through `inspect eval`, then `judgebench report`: the better run first, each named
    by judge model (the role's where bound), strategy and the user's label; the plot marks the
    paper's number and keeps its legend below the bars."""
    import pytest

    plt = pytest.importorskip("matplotlib.pyplot")
    logs = tmp_path / "logs"
    runs = [
        (ReplayResponder(O1_MINI), ["--model", "openai-api/replay/o1-mini-2024-09-12", "-M", "responses_api=false",
                                    "--tags", "replay"]),
        (lambda _m: "[[A>B]]", ["--model", "mockllm/model", "--model-role", "judge=openai/gpt-4o",
                                "--metadata", "label=always-A", "--limit", "40"]),
    ]
    for responder, args in runs:
        with FakeOpenAIServer(responder) as server:
            env = dict(os.environ, OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="test-key",
                       REPLAY_BASE_URL=server.base_url, REPLAY_API_KEY="test-key")
            proc = subprocess.run(
                [INSPECT, "eval", "judgebench/judge", "-T", f"dataset={PAIRS_GPT}", *args,
                 "--log-dir", str(logs), "--display", "none", "--max-connections", "20"],
                cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
            )
            assert proc.returncode == 0, proc.stderr[-3000:]
    report = tmp_path / "report.json"
    judgebench = str(Path(sys.executable).parent / "judgebench")
    proc = subprocess.run([judgebench, "report", str(logs), "--format", "json", "-o", str(report), "--resamples", "50"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(report.read_text())["rows"]
    assert [r["row"] for r in rows] == [1, 2]
    assert rows[0]["accuracy"]["overall"]["accuracy"] > rows[1]["accuracy"]["overall"]["accuracy"]
    assert rows[0]["name"] == "openai-api/replay/o1-mini-2024-09-12 · arena_hard [replay]"
    assert rows[1]["name"] == "openai/gpt-4o · arena_hard [always-A]" and rows[1]["user_label"] == "always-A"
    table = subprocess.run([judgebench, "report", str(logs), "--resamples", "50"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300).stdout
    assert table.index("[replay]") < table.index("[always-A]")

    # the plot of the same rows: the paper's o1-mini numbers drawn, the legend clear of the axes
    from judgebench_inspect.report import collect_runs, plot_summaries, summarise_all
    from judgebench_inspect.report.summary import StatsSettings

    summaries = summarise_all(collect_runs([str(logs)])[0], StatsSettings(resamples=50))
    assert summaries[0].paper is not None
    monkeypatch.setattr(plt, "close", lambda *_a, **_k: None)  # type: ignore[attr-defined]
    plot_summaries(summaries, tmp_path / "plot.png")
    fig = plt.gcf()
    ax = fig.axes[0]
    legend = ax.get_legend()
    renderer = fig.canvas.get_renderer()
    assert "paper (JudgeBench)" in [t.get_text() for t in legend.get_texts()]
    assert not legend.get_window_extent(renderer).overlaps(ax.get_window_extent(renderer))
    plt.close("all")
