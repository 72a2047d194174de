"""``judgebench suite``: a 2 x 2 matrix (two judges, each on its own model; two
pairs files) as one Inspect eval-set against the fake OpenAI server on
127.0.0.1, killed once (SIGKILL) and resumed, then reported from the root; and
the same matrix as two shards, reported from the root with the same numbers.

The Arena-Hard judge gets the recorded o1-mini texts; the Vanilla judge gets
``Output (a)`` or ``Output (b)``, chosen from the prompt (so the same prompt
always gets the same answer, whatever the order of the calls).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.log import list_eval_logs, read_eval_log

from judgebench_inspect.categories import category_of
from judgebench_inspect.demo.fake_server import FakeOpenAIServer, NoRecording, ReplayResponder, message_text
from judgebench_inspect.errors import ConfigError
from judgebench_inspect.suite import matrix, parse_shard, parse_spec, shard_cells

from support import O1_MINI

PER_CATEGORY = 3  # pairs per category in each of the two files: 12 pairs, 24 games a task
GAMES = 4 * (4 * PER_CATEGORY) * 2  # the whole matrix: 4 tasks of 12 pairs, 2 games each
PAIR_FIELDS = ("pair_id", "original_id", "source", "question", "response_model", "response_A", "response_B", "label")


class Responder:
    """Arena-Hard prompts: the recorded reply; Vanilla prompts: a fixed answer per prompt."""

    def __init__(self) -> None:
        self.replay = ReplayResponder(O1_MINI)

    def __call__(self, messages: list[dict[str, Any]]) -> str:
        prompt = "\n".join(message_text(m) for m in messages)
        if "Output (a)" in prompt:
            return "Output (a)" if hashlib.sha256(prompt.encode()).digest()[0] % 3 else "Output (b)"
        return self.replay(messages)


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two pairs files: the first and the next PER_CATEGORY pairs of each category."""
    taken: Counter[str] = Counter()
    first: list[str] = []
    second: list[str] = []
    with O1_MINI.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            cat = category_of(row["source"])
            taken[cat] += 1
            if taken[cat] <= 2 * PER_CATEGORY:
                target = first if taken[cat] <= PER_CATEGORY else second
                target.append(json.dumps({k: row[k] for k in PAIR_FIELDS}) + "\n")
    folder = tmp_path_factory.mktemp("suite-data")
    a, b = folder / "pairs-a.jsonl", folder / "pairs-b.jsonl"
    a.write_text("".join(first), encoding="utf-8")
    b.write_text("".join(second), encoding="utf-8")
    return a, b


def write_spec(folder: Path, base_url: str, datasets: tuple[Path, Path]) -> Path:
    spec = {
        "judges": [
            {"name": "vanilla", "judge": "vanilla", "model": "openai-api/fake/judge-v", "base_url": base_url},
            {"name": "arena", "judge": "arena_hard", "model": "openai-api/fake/judge-a", "base_url": base_url,
             "config": {"max_retries": 3}},
        ],
        "benchmarks": [{"name": "a", "dataset": str(datasets[0])}, {"name": "b", "dataset": str(datasets[1])}],
    }
    path = folder / "suite.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "judgebench_inspect.cli", *args]


def environment() -> dict[str, str]:
    return dict(os.environ, FAKE_API_KEY="test-key")


def suite(cwd: Path, spec: Path, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command("suite", str(spec), "--log-dir", str(root), "--display", "none", "--max-connections", "4", *args),
        cwd=cwd, env=environment(), capture_output=True, text=True, timeout=180,
    )


def report(cwd: Path, root: Path) -> dict[str, Any]:
    proc = subprocess.run(command("report", str(root), "--format", "json", "--resamples", "200"),
                          cwd=cwd, env=environment(), capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(json.loads(proc.stdout))


def numbers(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows' numbers, keyed by judge, model and dataset (not by file or row order)."""
    return sorted(
        (r["judge"], r["model"], r["name"], r["pairs"], r["errored"], json.dumps(r["accuracy"], sort_keys=True),
         r["inconsistency"], r["no_verdict_rate"], r["complete"])
        for r in doc["rows"]
    )


def logs_in(root: Path) -> dict[str, str]:
    """Every log under the root (recursively) and its status."""
    return {info.name: read_eval_log(info.name, header_only=True).status
            for info in list_eval_logs(str(root), recursive=True)}


def test_spec_errors_name_the_entry_and_field(tmp_path: Path) -> None:
    good = {"judges": [{"judge": "vanilla", "model": "openai/gpt-4o"}], "benchmarks": [{"splits": ["gpt", "claude"]}]}
    spec = parse_spec(good, "s.yaml")
    assert [c.label for c in matrix(spec)] == ["vanilla@openai/gpt-4o x judgebench/gpt", "vanilla@openai/gpt-4o x judgebench/claude"]
    bad: list[tuple[dict[str, Any], str]] = [
        ({"judges": [{"judge": "vanilla", "modle": "x"}], "benchmarks": [{}]}, "s.yaml: judges[0]: unknown field 'modle' (did you mean model?)"),
        ({"judges": [{"judge": "vanilla"}], "benchmarks": [{}]}, "s.yaml: judges[0].model: expected a non-empty string"),
        ({"judges": [{"judge": "vanilla", "model": "m", "options": {"split": "gpt"}}], "benchmarks": [{}]}, "'split' is set by its own field"),
        ({"judges": [{"judge": "vanilla", "model": "m", "config": {"max_conections": 3}}], "benchmarks": [{}]}, "unknown generation setting 'max_conections'"),
        ({"judges": [{"judge": "vanilla", "model": "m"}] * 2, "benchmarks": [{}]}, "is the same task as"),
        ({"judges": [], "benchmarks": [{}]}, "'judges' must be a non-empty list"),
    ]
    for doc, message in bad:
        with pytest.raises(ConfigError, match=re.escape(message)):
            parse_spec(doc, "s.yaml")
    assert [c.index for c in shard_cells(matrix(parse_spec({**good, "judges": good["judges"] * 1 + [{"judge": "arena_hard", "model": "m"}]}, "s")), parse_shard("2/2"))] == [1, 3]
    for text in ("0/2", "3/2", "1-2", "x"):
        with pytest.raises(ConfigError, match="--shard"):
            parse_shard(text)


def test_matrix_killed_resumed_and_sharded_report_the_same(tmp_path: Path, datasets: tuple[Path, Path]) -> None:
    with FakeOpenAIServer(Responder(), latency=0.05) as server:
        spec = write_spec(tmp_path, server.base_url, datasets)

        # one eval-set, tasks one at a time; killed once the first task is done and the second under way
        root = tmp_path / "root"
        proc = subprocess.Popen(
            command("suite", str(spec), "--log-dir", str(root), "--display", "none", "--max-connections", "4", "--max-tasks", "1"),
            cwd=tmp_path, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while server.stats.answered < 24 + 8 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        before = logs_in(root)
        finished = {name for name, status in before.items() if status == "success"}
        assert len(finished) >= 1 and len(finished) < 4, before
        mtimes = {name: os.stat(name.removeprefix("file://")).st_mtime for name in finished}
        answered = server.stats.answered

        resumed = suite(tmp_path, spec, root)
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        # finished tasks were skipped: their logs untouched, their games not asked again
        assert all(os.stat(n.removeprefix("file://")).st_mtime == t for n, t in mtimes.items())
        assert server.stats.answered - answered <= GAMES - 24 * len(finished)
        after = logs_in(root)
        assert sorted(after.values()) == ["success"] * 4, after  # the killed attempt's log was replaced

        # the same matrix as two shards (run side by side), each in its own folder of one root
        sharded = tmp_path / "sharded"
        shards = [
            subprocess.Popen(command("suite", str(spec), "--log-dir", str(sharded), "--display", "none",
                                     "--max-connections", "4", "--shard", f"{i}/2"),
                             cwd=tmp_path, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for i in (1, 2)
        ]
        for p in shards:
            _, err = p.communicate(timeout=180)
            assert p.returncode == 0, err[-3000:]
        assert sorted(p.name for p in sharded.iterdir()) == ["shard-1-of-2", "shard-2-of-2"]
        assert all(len(list_eval_logs(str(sharded / f"shard-{i}-of-2"))) == 2 for i in (1, 2))

        # mixing layouts in one root is refused, and nothing runs
        refused = suite(tmp_path, spec, sharded)
        assert refused.returncode == 1 and "holds a sharded run" in refused.stderr
        refused = suite(tmp_path, spec, root, "--shard", "1/2")
        assert refused.returncode == 1 and "holds an unsharded run" in refused.stderr

    one, two = report(tmp_path, root), report(tmp_path, sharded)
    assert len(one["rows"]) == 4 and one["skipped"] == [] and two["skipped"] == []
    assert numbers(one) == numbers(two)
    rows = {(r["judge"], r["model"]): r for r in one["rows"]}
    assert {j for j, _ in rows} == {"vanilla", "arena_hard"}
    assert all(r["pairs"] == 4 * PER_CATEGORY and r["errored"] == 0 and r["complete"] for r in one["rows"])


def test_a_failed_task_exits_non_zero(tmp_path: Path, datasets: tuple[Path, Path]) -> None:
    """A judge whose every request is refused (HTTP 400): its task fails, the command exits 1."""

    def refuse(messages: list[dict[str, Any]]) -> str:
        raise NoRecording("refused by the test")

    with FakeOpenAIServer(refuse) as server:
        spec = {"judges": [{"judge": "arena_hard", "model": "openai-api/fake/judge-a", "base_url": server.base_url}],
                "benchmarks": [{"dataset": str(datasets[0])}]}
        path = tmp_path / "suite.yaml"
        path.write_text(json.dumps(spec), encoding="utf-8")  # JSON is YAML too
        proc = suite(tmp_path, path, tmp_path / "root", "--limit", "1", "--retry-attempts", "1")
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "not every task succeeded" in proc.stderr
    assert sorted(logs_in(tmp_path / "root").values()) == ["error"]
