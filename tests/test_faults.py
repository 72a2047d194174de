"""Judging survives a faulty server and interruptions with identical results.

All runs go through Inspect's real OpenAI provider against the fake server on
127.0.0.1 replaying the recorded o1-mini Arena-Hard texts, on a subset of 16
pairs (4 per category). The reference is a fault-free run of the same subset,
itself checked against the recorded decisions counted with the pair rule.

Retries are made fast without touching production behaviour: the server
sends ``retry-after-ms: 1`` (the OpenAI SDK's own retries honour it) and the
provider's ``retry_wait()`` hook - Inspect's backoff, 3 s and up by default,
which ignores ``Retry-After`` - is patched to no wait in-process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Iterator
from unittest import mock

import pytest
from inspect_ai import eval
from inspect_ai.log import EvalLog, read_eval_log
from inspect_ai.model._providers.openai import OpenAIAPI
from tenacity import wait_none

from judgebench.tasks import judge
from judgebench_inspect.categories import category_of
from judgebench_inspect.demo.fake_server import Faults, FakeOpenAIServer, ReplayResponder
from judgebench_inspect.pair_rule import score_pair
from judgebench_inspect.verdicts import swap

from support import O1_MINI, PAIRS_GPT

INSPECT = str(Path(sys.executable).parent / "inspect")
PER_CATEGORY = 4
MODEL = "openai/gpt-4o-mini"
#: Errors of abandoned attempts that may stay in a transcript (each retried).
TRANSIENT = ("AttemptTimeoutError", "InternalServerError", "RateLimitError", "Error code: 500", "Error code: 429")


# ----------------------------------------------------------------------------- helpers


def recorded_rows() -> list[dict[str, Any]]:
    with O1_MINI.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def subset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first pairs of each category, in the JudgeBench schema."""
    taken: Counter[str] = Counter()
    rows = []
    for row in recorded_rows():
        cat = category_of(row["source"])
        if taken[cat] < PER_CATEGORY:
            taken[cat] += 1
            rows.append({k: row[k] for k in ("pair_id", "original_id", "source", "question",
                                             "response_model", "response_A", "response_B", "label")})
    path = tmp_path_factory.mktemp("faults") / "subset.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def subset_ids(subset: Path) -> set[str]:
    return {json.loads(line)["pair_id"] for line in subset.read_text(encoding="utf-8").splitlines()}


@pytest.fixture()
def fast_retries() -> Iterator[None]:
    with mock.patch.object(OpenAIAPI, "retry_wait", lambda self: wait_none()):
        yield


def run(server: FakeOpenAIServer, dataset: Path, log_dir: Path, **options: Any) -> EvalLog:
    """An in-process eval through the OpenAI provider against ``server``."""
    # a key per server: Inspect keeps per-key state (connection pools) across evals in a process
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": f"test-key-{server.port}"}
    options.setdefault("max_connections", 8)
    options.setdefault("max_retries", 20)
    options.setdefault("timeout", 120)
    with ExitStack() as stack:
        stack.enter_context(mock.patch.dict(os.environ, env))
        # the base URL is passed explicitly too: Inspect memoizes models in-process,
        # and a model cached from an earlier test would still talk to that test's server
        return eval(judge(dataset=str(dataset)), model=MODEL, model_base_url=server.base_url,
                    display="none", log_dir=str(log_dir), **options)[0]


def metrics(log: EvalLog) -> dict[str, float]:
    assert log.status == "success", log.error
    assert log.results is not None
    return {k: v.value for s in log.results.scores for k, v in s.metrics.items()}


def assert_each_pair_scored_once(log: EvalLog, ids: set[str]) -> None:
    assert log.samples is not None
    counts = Counter(str(s.id) for s in log.samples)
    assert set(counts) == ids and set(counts.values()) == {1}, counts
    for s in log.samples:
        assert s.error is None, (s.id, s.error)
        assert s.scores and "pair_scorer" in s.scores, s.id
        # one answered call per game; an abandoned attempt (attempt timeout) stays in
        # the transcript as a model event with its error, and is never a result
        calls = [e for e in s.events if e.event == "model"]
        answered = [e for e in calls if e.error is None]
        assert len(answered) == 2 and len({e.span_id for e in answered}) == 2, s.id
        failed = [str(e.error) for e in calls if e.error is not None]
        assert all(any(k in f for k in TRANSIENT) for f in failed), failed


def same(a: dict[str, float], b: dict[str, float]) -> bool:
    return a.keys() == b.keys() and all(
        (x != x and y != y) or x == pytest.approx(y) for x, y in ((a[k], b[k]) for k in a)
    )


@pytest.fixture(scope="module")
def baseline(subset: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """Metrics of a fault-free run of the subset (checked against the recording)."""
    with FakeOpenAIServer(ReplayResponder(O1_MINI)) as server:
        log = run(server, subset, tmp_path_factory.mktemp("baseline"))
        assert server.stats.answered == 2 * len(subset_ids(subset))
    assert_each_pair_scored_once(log, subset_ids(subset))
    m = metrics(log)
    ids = subset_ids(subset)
    correct = [
        score_pair([r["judgments"][0]["decision"], swap(r["judgments"][1]["decision"])], r["label"]).correct
        for r in recorded_rows() if r["pair_id"] in ids
    ]
    assert m["pair_accuracy"] == pytest.approx(100 * sum(correct) / len(correct))
    return m


# ----------------------------------------------------------------------------- tests


def test_errors_and_stalls_change_nothing(
    subset: Path, baseline: dict[str, float], tmp_path: Path, fast_retries: None
) -> None:
    """20% of requests fail with 500/429 and some stall past the attempt timeout:
    the run completes, every pair is scored once, the metrics are the fault-free ones."""
    faults = Faults(error_rate=0.2, stall_rate=0.06, stall_seconds=30, seed=11, retry_after_ms=1)
    with FakeOpenAIServer(ReplayResponder(O1_MINI), faults=faults) as server:
        log = run(server, subset, tmp_path, attempt_timeout=1, max_retries=20, timeout=120)
        seen = dict(server.stats.faults)
        assert server.stats.requests > 2 * len(subset_ids(subset))
    assert seen.get("500", 0) > 0 and seen.get("429", 0) > 0 and seen.get("stall", 0) > 0, seen
    assert_each_pair_scored_once(log, subset_ids(subset))
    assert same(metrics(log), baseline), (metrics(log), baseline)


def _wait_answered(server: FakeOpenAIServer, proc: subprocess.Popen[str], n: int) -> None:
    deadline = time.monotonic() + 120
    while server.stats.answered < n:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.05)


def _newest_log(log_dir: Path, known: set[Path]) -> Path:
    new = [p for p in log_dir.glob("*.eval") if p not in known]
    assert len(new) == 1, new
    return new[0]


def test_interrupted_then_killed_run_is_completed_by_eval_retry(
    subset: Path, baseline: dict[str, float], tmp_path: Path
) -> None:
    """Ctrl-C after some pairs, then a kill -9 of the retry: `inspect eval-retry`
    finishes the job with every pair scored once and the uninterrupted metrics."""
    ids = subset_ids(subset)
    log_dir = tmp_path / "logs"
    with FakeOpenAIServer(ReplayResponder(O1_MINI), latency=0.25) as server:
        env = dict(os.environ, OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="test-key")

        def start(*args: str) -> subprocess.Popen[str]:
            return subprocess.Popen([INSPECT, *args, "--display", "none", "--log-dir", str(log_dir),
                                     "--max-connections", "2", "--log-buffer", "2"],
                                    cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)

        # 1. interrupt (SIGINT, as Ctrl-C) after some pairs
        proc = start("eval", "judgebench/judge", "--model", MODEL, "-T", f"dataset={subset}")
        _wait_answered(server, proc, 10)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=120)
        first = _newest_log(log_dir, set())
        log1 = read_eval_log(str(first))
        assert log1.status == "cancelled", out[-2000:]
        done1 = {str(s.id) for s in log1.samples or [] if s.scores}
        assert 0 < len(done1) < len(ids)

        # 2. retry, and kill -9 it midway
        before = server.stats.answered
        proc = start("eval-retry", str(first))
        _wait_answered(server, proc, before + 8)
        proc.kill()
        proc.communicate(timeout=60)
        second = _newest_log(log_dir, {first})
        assert read_eval_log(str(second), header_only=True).status == "started"

        # 3. retry the killed run's log to the end
        server.latency = 0.0
        proc = start("eval-retry", str(second))
        out, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, out[-3000:]
        final = read_eval_log(str(_newest_log(log_dir, {first, second})))
    assert_each_pair_scored_once(final, ids)
    assert same(metrics(final), baseline), (metrics(final), baseline)


def _two_pairs(subset: Path, tmp_path: Path) -> Path:
    lines = subset.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "two.jsonl"
    path.write_text(lines[0] + "\n" + lines[-1] + "\n", encoding="utf-8")
    return path


def test_empty_replies_are_sample_errors_not_verdicts(subset: Path, tmp_path: Path) -> None:
    with FakeOpenAIServer(ReplayResponder(O1_MINI), faults=Faults(empty_rate=1.0)) as server:
        log = run(server, _two_pairs(subset, tmp_path), tmp_path, fail_on_error=False)
        assert server.stats.faults["empty"] == 4
    assert log.samples is not None and len(log.samples) == 2
    for s in log.samples:
        assert s.error is not None and "JudgeCallError" in s.error.message
        assert "empty reply" in s.error.message
        assert not s.scores  # reported, never scored
    assert log.results is None or log.results.completed_samples == 0


def test_empty_reply_fails_the_run_by_default(subset: Path, tmp_path: Path) -> None:
    """Without --no-fail-on-error the eval stops with an error status (the CLI still
    exits 0: check the log's status, see docs)."""
    with FakeOpenAIServer(ReplayResponder(O1_MINI), faults=Faults(empty_rate=1.0)) as server:
        log = run(server, _two_pairs(subset, tmp_path), tmp_path)
    assert log.status == "error"
    assert log.error is not None and "empty reply" in log.error.message


def test_garbage_body_is_a_sample_error_not_a_verdict(subset: Path, tmp_path: Path) -> None:
    with FakeOpenAIServer(ReplayResponder(O1_MINI), faults=Faults(garbage_rate=1.0)) as server:
        log = run(server, _two_pairs(subset, tmp_path), tmp_path, fail_on_error=False)
        assert server.stats.faults["garbage"] >= 4 and server.stats.answered == 0
    assert log.samples is not None and len(log.samples) == 2
    for s in log.samples:
        assert s.error is not None and not s.scores


@pytest.mark.parametrize("judge_name,calls_per_game", [("arena_hard", 2), ("vanilla", 1)])
def test_cut_off_replies_give_no_verdict(
    subset: Path, tmp_path: Path, judge_name: str, calls_per_game: int
) -> None:
    """finish_reason "length": arena_hard asks once more, then gives up; vanilla gives
    up at once. Never a verdict, the pair counts as not correct."""
    data = _two_pairs(subset, tmp_path)
    with FakeOpenAIServer(ReplayResponder(O1_MINI), faults=Faults(cutoff_rate=1.0)) as server:
        env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "test-key"}
        with mock.patch.dict(os.environ, env):
            log = eval(judge(dataset=str(data), judge=judge_name), model=MODEL,
                       model_base_url=server.base_url, display="none", log_dir=str(tmp_path))[0]
        assert server.stats.faults["cutoff"] == 2 * 2 * calls_per_game
    m = metrics(log)
    assert m["no_verdict_rate"] == 100.0 and m["pair_accuracy"] == 0.0
    assert log.samples is not None
    for s in log.samples:
        assert s.error is None
        games = s.scores["pair_scorer"].metadata["games"]
        assert [g["verdict"] for g in games] == [None, None]
        assert all("cut off" in g["note"] for g in games)
        calls = [e for e in s.events if e.event == "model"]
        assert len(calls) == 2 * calls_per_game
        assert all(e.output.stop_reason == "max_tokens" for e in calls)


JUDGEBENCH_CLI = str(Path(sys.executable).parent / "judgebench")


def _recorded_texts(ids: set[str]) -> dict[str, list[str]]:
    """The recorded judge text of each game, by pair id."""
    return {
        r["pair_id"]: [j["judgment"]["response"] for j in r["judgments"]]
        for r in recorded_rows() if r["pair_id"] in ids
    }


def test_kill_9_then_eval_retry_keeps_every_judge_text(tmp_path: Path) -> None:
    """The whole gpt split (350 pairs, 0.3 s latency, 10 connections) killed with SIGKILL
    midway: the pairs finished since the last log write are only in Inspect's sample
    buffer, and `eval-retry` recovers them with their transcripts but an empty store.
    `judgebench export` of the final log still writes all 350 rows with every judge text,
    rebuilt from the transcript and identical to what the judge said."""
    ids = subset_ids(PAIRS_GPT)
    log_dir = tmp_path / "logs"
    with FakeOpenAIServer(ReplayResponder(O1_MINI), latency=0.3) as server:
        env = dict(os.environ, OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="test-key")
        common = ["--display", "none", "--log-dir", str(log_dir), "--max-connections", "10"]
        proc = subprocess.Popen(
            [INSPECT, "eval", "judgebench/judge", "--model", MODEL, "-T", f"dataset={PAIRS_GPT}",
             "--log-buffer", "50", *common],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            _wait_answered(server, proc, 300)  # about 150 pairs judged, some not yet in the log file
            time.sleep(1.0)  # let the sample buffer take the finished samples
        finally:
            proc.kill()  # SIGKILL
            proc.communicate(timeout=60)
        killed = _newest_log(log_dir, set())
        assert read_eval_log(str(killed), header_only=True).status == "started"

        server.latency = 0.0
        retry = subprocess.run([INSPECT, "eval-retry", str(killed), *common], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=300)
        assert retry.returncode == 0, retry.stdout[-2000:] + retry.stderr[-2000:]
    final_path = _newest_log(log_dir, {killed})
    final = read_eval_log(str(final_path))
    assert_each_pair_scored_once(final, ids)
    assert final.samples is not None
    recovered = [str(s.id) for s in final.samples if not s.store]
    assert recovered, "no sample came back from the sample buffer: the crash case was not exercised"

    out = tmp_path / "judged.jsonl"
    export = subprocess.run([JUDGEBENCH_CLI, "export", str(final_path), "-o", str(out)], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=300)
    assert export.returncode == 0, export.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 350 and {r["pair_id"] for r in rows} == ids
    recorded = _recorded_texts(ids)
    for r in rows:
        texts = [j["judgment"]["response"] for j in r["judgments"]]
        assert all(texts), (r["pair_id"], texts)
        assert [t.strip() for t in texts] == [t.strip() for t in recorded[r["pair_id"]]], r["pair_id"]
