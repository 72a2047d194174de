"""`judgebench demo` through the real CLI, and the replay server's answer to an unrecorded prompt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from inspect_ai.log import list_eval_logs, read_eval_log

from judgebench_inspect.demo import PUBLISHED, replay_rows
from judgebench_inspect.demo.fake_server import FakeOpenAIServer, ReplayResponder

from support import O1_MINI, PAIRS_GPT

BIN = Path(sys.executable).parent


def _offline_env() -> dict[str, str]:
    """The environment of a new user: no key, no prompt files, the hub offline."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "JUDGEBENCH_"))}
    env.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1")
    return env


def test_demo_reproduces_the_published_row_from_an_empty_folder(tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(BIN / "judgebench"), "demo", "--log-dir", "demo-logs", "--display", "none"],
        cwd=tmp_path, env=_offline_env(), capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert "prompts=builtin" in out and "no API key" in out
    row = " / ".join(f"{v:.2f}" for v in PUBLISHED.values())
    assert f"This run (knowledge / reasoning / math / coding / overall): {row}" in out
    assert "matches JudgeBench's published o1-mini row" in out
    logs = list_eval_logs(str(tmp_path / "demo-logs"))
    assert len(logs) == 1
    log = read_eval_log(logs[0].name, header_only=True)
    assert log.status == "success" and log.eval.task_args.get("prompts") == "builtin"
    assert f"inspect view --log-dir {tmp_path / 'demo-logs'}" in out
    assert str(Path(logs[0].name.removeprefix("file://")).name) in out


def test_shipped_replies_are_those_of_the_recorded_run() -> None:
    """Pairs and reply texts as JudgeBench published them (the build script's output)."""
    shipped = replay_rows()
    with PAIRS_GPT.open(encoding="utf-8") as f:
        pairs = [json.loads(line) for line in f]
    with O1_MINI.open(encoding="utf-8") as f:
        judged = [json.loads(line) for line in f]
    assert [{k: v for k, v in r.items() if k != "judgments"} for r in shipped] == pairs
    assert [[g["judgment"]["response"] for g in r["judgments"]] for r in shipped] == [
        [g["judgment"]["response"] for g in r["judgments"]] for r in judged
    ]
    assert not any("prompt" in g["judgment"] for r in shipped for g in r["judgments"])


def test_unrecorded_prompt_is_a_client_error_named_on_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    body = json.dumps({"model": "x", "messages": [{"role": "user", "content": "What is 2 + 2?"}]}).encode()
    with FakeOpenAIServer(ReplayResponder(rows=replay_rows()[:3])) as server:
        request = urllib.request.Request(
            f"{server.base_url}/chat/completions", data=body, headers={"Content-Type": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 400
    assert "no recorded pair matches this prompt" in json.loads(info.value.read())["error"]["message"]
    assert "fake server: HTTP 400: no recorded pair matches this prompt" in capfd.readouterr().err


def test_cli_run_against_an_unrecorded_pair_fails_at_once(tmp_path: Path) -> None:
    """Through `inspect eval`: the 400 is not retried, the sample errors and the run ends."""
    row = json.loads(PAIRS_GPT.read_text(encoding="utf-8").splitlines()[0])
    row["question"] = "A question nobody recorded: what is 2 + 2?"
    data = tmp_path / "unrecorded.jsonl"
    data.write_text(json.dumps(row) + "\n", encoding="utf-8")
    server_proc = subprocess.Popen(
        [sys.executable, "-m", "judgebench_inspect.demo.fake_server", "--demo", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_offline_env(),
    )
    try:
        assert server_proc.stdout is not None
        base_url = server_proc.stdout.readline().split(" at ")[-1].strip()
        env = dict(_offline_env(), OPENAI_BASE_URL=base_url, OPENAI_API_KEY="test-key")
        proc = subprocess.run(
            [str(BIN / "inspect"), "eval", "judgebench/judge", "--model", "openai/gpt-4o-mini",
             "-T", f"dataset={data}", "-T", "prompts=builtin", "--log-dir", str(tmp_path / "logs"),
             "--display", "none"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        )
    finally:
        server_proc.terminate()
        _, server_err = server_proc.communicate(timeout=10)
    log = read_eval_log(list_eval_logs(str(tmp_path / "logs"))[0].name)
    assert log.status == "error", (proc.stdout[-2000:], proc.stderr[-2000:])
    assert "400" in str(log.error.message if log.error else "")
    # one request per game at most: a 400 is never retried
    assert 1 <= server_err.count("fake server: HTTP 400") <= 2, server_err
