"""Reward models and judges behind local servers, as they are served at scale.

- The ``vllm_pooling`` reward backend against a pooling-style endpoint served by the
  test on 127.0.0.1 (vLLM's ``POST /pooling`` request and answer shapes), with scores
  chosen here so that every verdict and the accuracy are known; malformed answers;
  HTTP 500 then success (retried); a server that never answers properly.
- A judge reached through ``openai-api/`` (and ``vllm-completions/``) at a local URL
  given as a model role's ``base_url``, checked on the server's side.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

import anyio
import pytest
from inspect_ai import eval
from inspect_ai.log import list_eval_logs, read_eval_log

from judgebench.tasks import judge
from judgebench_inspect.demo.fake_server import FakeOpenAIServer, ReplayResponder
from judgebench_inspect.judges import create_judge
from judgebench_inspect.judges.reward_backends import RewardBackendConfigError, RewardBackendError, conversation
from judgebench_inspect.judges.reward_pooling import VLLMPoolingBackend

from support import O1_MINI, PAIRS_GPT

INSPECT = str(Path(sys.executable).parent / "inspect")

#: What the pooling server answers for one request body: (HTTP status, body text).
Answer = Callable[[dict[str, Any]], tuple[int, str]]


class PoolingServer:
    """A vLLM-style ``POST /pooling`` endpoint on 127.0.0.1, in a thread (a context manager).

    Args:
      answer: Makes (status, body) from each request's JSON body.
    """

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        #: Every request body, in arrival order.
        self.requests: list[dict[str, Any]] = []
        #: Request paths seen.
        self.paths: list[str] = []
        self.in_flight = 0
        #: Most requests being answered at once.
        self.peak = 0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                with outer._lock:
                    outer.requests.append(body)
                    outer.paths.append(self.path)
                    outer.in_flight += 1
                    outer.peak = max(outer.peak, outer.in_flight)
                try:
                    status, text = outer.answer(body) if self.path == "/pooling" else (404, '{"detail": "Not Found"}')
                finally:
                    with outer._lock:
                        outer.in_flight -= 1
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> "PoolingServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


def pooling_answer(score: Any, model: str = "rm") -> str:
    """vLLM's PoolingResponse for one conversation whose pooled output is ``score``."""
    return json.dumps({
        "id": "pool-1", "object": "list", "created": 0, "model": model,
        "data": [{"index": 0, "object": "pooling", "data": score}],
        "usage": {"prompt_tokens": 10, "total_tokens": 10, "completion_tokens": 0},
    })


def backend(url: str, **options: Any) -> VLLMPoolingBackend:
    made = create_judge("reward_model", backend="vllm_pooling", base_url=url, **options).backend  # type: ignore[attr-defined]
    assert isinstance(made, VLLMPoolingBackend)
    return made


def score(b: VLLMPoolingBackend, *responses: str) -> list[float]:
    async def go() -> list[float]:
        return await b.score([conversation("q?", r) for r in responses])

    return anyio.run(go)


# -- the backend on its own -------------------------------------------------------------


def test_request_and_answer_shapes() -> None:
    """The body is vLLM's chat-form pooling request; `[score]` (sequence classification)
    and per-token rows (token_classify: the last token's) are read; a trailing /v1 is dropped."""
    table = {"good": [2.5], "bad": [-1.25], "tokens": [[0.1], [0.2], [3.0]]}
    with PoolingServer(lambda body: (200, pooling_answer(table[body["messages"][1]["content"]]))) as server:
        b = backend(server.url + "/v1/", reward_model="Skywork/Skywork-Reward-Llama-3.1-8B", max_length=4096)
        assert score(b, "good", "bad", "tokens") == [2.5, -1.25, 3.0]
    assert set(server.paths) == {"/pooling"}
    body = server.requests[0]
    assert body == {
        "model": "Skywork/Skywork-Reward-Llama-3.1-8B",
        "messages": [{"role": "user", "content": "q?"}, {"role": "assistant", "content": body["messages"][1]["content"]}],
        "task": "classify",
        "use_activation": False,
        "truncate_prompt_tokens": 4096,
        "truncation_side": "left",
    }


def test_extra_body_and_no_model() -> None:
    with PoolingServer(lambda body: (200, pooling_answer([1.0]))) as server:
        b = backend(server.url, backend_args={"extra_body": {"task": "token_classify", "priority": 1}})
        score(b, "x")
        score(backend(server.url, backend_args={"extra_body": {"task": None, "use_activation": None}}), "y")
    first, second = server.requests
    assert "model" not in first and first["task"] == "token_classify" and first["priority"] == 1
    assert set(second) == {"messages"}  # a null drops the field


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("<html>502 Bad Gateway</html>", "the body is not JSON"),
        (json.dumps({"object": "list"}), "data must be a list of one object"),
        (json.dumps({"data": [{"index": 0, "data": [1.0]}, {"index": 1, "data": [2.0]}]}), "data must be a list of one object"),
        (pooling_answer([0.3, 0.7]), "data[0].data must hold one number"),
        (pooling_answer("AACAPw=="), "data[0].data must hold one number"),
        (pooling_answer(None), "data[0].data must hold one number"),
        (pooling_answer([[0.1, 0.9], [0.2, 0.8]]), "data[0].data[-1] must hold one number"),
        (pooling_answer([True]), "data[0].data must hold one number"),
    ],
)
def test_malformed_answers_name_url_and_field(text: str, field: str) -> None:
    with PoolingServer(lambda body: (200, text)) as server:
        b = backend(server.url, max_retries=3)
        with pytest.raises(RewardBackendError) as err:
            score(b, "x")
    message = str(err.value)
    assert f"malformed answer from {server.url}/pooling: {field}" in message, message
    assert len(server.requests) == 1 and b.retries == 0  # a malformed answer is not retried


def test_server_error_then_success_is_retried() -> None:
    calls: list[int] = []

    def answer(body: dict[str, Any]) -> tuple[int, str]:
        calls.append(1)
        if len(calls) <= 2:
            return (500 if len(calls) == 1 else 429), json.dumps({"error": {"message": "busy"}})
        return 200, pooling_answer([0.75])

    with PoolingServer(answer) as server:
        b = backend(server.url)
        assert score(b, "x") == [0.75]
    assert len(server.requests) == 3 and b.retries == 2


def test_persistent_failure_and_client_error() -> None:
    with PoolingServer(lambda body: (500, json.dumps({"error": {"message": "CUDA out of memory"}}))) as server:
        b = backend(server.url, max_retries=2)
        with pytest.raises(RewardBackendError, match=r"/pooling failed 3 time\(s\); last: HTTP 500: CUDA out of memory"):
            score(b, "x")
        assert len(server.requests) == 3
    with PoolingServer(lambda body: (400, json.dumps({"error": {"message": "model 'x' not served"}}))) as server:
        b = backend(server.url, max_retries=2)
        with pytest.raises(RewardBackendError, match=r"answered HTTP 400: model 'x' not served"):
            score(b, "x")
        assert len(server.requests) == 1  # a client error is not retried


def test_connection_refused_is_retried_then_fails() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    b = backend(f"http://127.0.0.1:{port}", max_retries=1)
    with pytest.raises(RewardBackendError, match=rf"http://127.0.0.1:{port}/pooling failed 2 time\(s\); last: Connect"):
        score(b, "x")
    assert b.retries == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "-T base_url="),
        ({"base_url": "10.0.0.5:8000"}, "must start with http://"),
        ({"base_url": "http://127.0.0.1:1", "dtype": "bfloat16"}, "dtype='bfloat16'.*vllm serve"),
        ({"base_url": "http://127.0.0.1:1", "backend_args": {"url": "x"}}, "unknown url; it reads extra_body"),
    ],
)
def test_bad_options_fail_when_the_task_is_built(options: dict[str, Any], message: str) -> None:
    with pytest.raises(RewardBackendConfigError, match=message):
        create_judge("reward_model", backend="vllm_pooling", **options)


# -- full evals ---------------------------------------------------------------------------


def coding_pairs() -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in PAIRS_GPT.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r["source"].startswith("livecodebench")]


def planned_scores(pairs: list[dict[str, Any]]) -> tuple[dict[tuple[str, str], float], float]:
    """Scores by (question, response): in pairs 0, 3, 6... the wrong response scores higher,
    pair 1 is an exact tie (the response shown second wins), in the rest the right one wins.
    Returns the table and the accuracy (%) these scores must give."""
    table: dict[tuple[str, str], float] = {}
    correct = 0
    for i, row in enumerate(pairs):
        better, worse = ("A", "B") if row["label"] == "A>B" else ("B", "A")
        if i == 1:
            hi = lo = 0.0
            correct += row["label"] == "B>A"
        elif i % 3 == 0:
            hi, lo = -1.0, 0.5
        else:
            hi, lo = 2.0 + i / 100, -0.5
            correct += 1
        table[(row["question"], row[f"response_{better}"])] = hi
        table[(row["question"], row[f"response_{worse}"])] = lo
    return table, 100 * correct / len(pairs)


def table_answer(table: dict[tuple[str, str], float], broken: str | None = None) -> Answer:
    def answer(body: dict[str, Any]) -> tuple[int, str]:
        user, assistant = body["messages"]
        if broken is not None and user["content"] == broken:
            return 200, pooling_answer([])
        return 200, pooling_answer([table[(user["content"], assistant["content"])]])

    return answer


def test_judge_run_through_pooling_server(tmp_path: Path) -> None:
    """42 coding pairs, one game each: the accuracy the chosen scores give, every request
    within the connection bound, and each game's raw scores in the log."""
    pairs = coding_pairs()
    table, expected = planned_scores(pairs)
    with PoolingServer(table_answer(table)) as server:
        task = judge(dataset=str(PAIRS_GPT), judge="reward_model", backend="vllm_pooling", base_url=server.url,
                     reward_model="test-rm", max_connections=3, categories="coding")
        (log,) = eval(task, model="none", display="none", log_dir=str(tmp_path), max_samples=42)
    assert log.status == "success", log.error
    assert log.results is not None
    metrics = {k: v.value for k, v in log.results.scores[0].metrics.items()}
    assert metrics["pair_accuracy"] == pytest.approx(expected) and metrics["coding"] == pytest.approx(expected)
    assert len(server.requests) == 84 and {r["model"] for r in server.requests} == {"test-rm"}
    assert 1 <= server.peak <= 3
    assert log.samples is not None
    for sample in log.samples:
        (game,) = sample.store["judgebench_games"]
        assert game["extra"]["backend"] == "vllm_pooling" and len(game["extra"]["scores"]) == 2
        assert game["raw"] == f"scores: {game['extra']['scores'][0]!r} vs {game['extra']['scores'][1]!r}"


def test_malformed_answer_fails_its_sample_only(tmp_path: Path) -> None:
    """One question's answers are malformed: that sample fails (never scored), the others are judged."""
    pairs = coding_pairs()
    table, _ = planned_scores(pairs)
    broken = pairs[2]["question"]
    with PoolingServer(table_answer(table, broken=broken)) as server:
        task = judge(dataset=str(PAIRS_GPT), judge="reward_model", backend="vllm_pooling", base_url=server.url,
                     categories="coding")
        (log,) = eval(task, model="none", display="none", log_dir=str(tmp_path), fail_on_error=False)
    assert log.samples is not None
    failed = [s for s in log.samples if s.error is not None]
    assert len(failed) == 1 and failed[0].id == pairs[2]["pair_id"]
    assert f"malformed answer from {server.url}/pooling: data[0].data" in failed[0].error.message
    assert not failed[0].scores
    assert sum(1 for s in log.samples if s.scores) == 41


# -- judges at a local OpenAI-compatible URL ----------------------------------------------


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_BASE_URL")}
    env.update(VLLM_API_KEY="test-key")
    return subprocess.run(
        [INSPECT, "eval", "judgebench/judge", "-T", f"dataset={PAIRS_GPT}", "--limit", "3",
         "--log-dir", str(tmp_path / "logs"), "--display", "none", "--max-retries", "2", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )


def test_judge_role_at_local_base_url(tmp_path: Path) -> None:
    """`--model-role judge='{model: openai-api/vllm/..., model_args: {base_url: ...}}'`: every
    judge request reaches the local server under the served model's name."""
    with FakeOpenAIServer(ReplayResponder(O1_MINI), record=True) as server:
        role = json.dumps({"model": "openai-api/vllm/my-judge", "model_args": {"base_url": server.base_url}})
        proc = run_cli(tmp_path, "--model", "mockllm/model", "--model-role", f"judge={role}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert len(server.requests) >= 6  # 3 pairs x 2 games (Arena-Hard may ask once more)
    assert {path for path, _ in server.requests} == {"/v1/chat/completions"}
    assert {body["model"] for _, body in server.requests} == {"my-judge"}
    log = read_eval_log(list_eval_logs(str(tmp_path / "logs"))[0].name)
    assert log.status == "success", log.error
    assert log.samples is not None and len(log.samples) == 3 and all(s.error is None for s in log.samples)
    assert log.results is not None and log.results.scores[0].metrics["pair_accuracy"].value >= 0


def test_completion_judge_at_local_base_url(tmp_path: Path) -> None:
    """PandaLM through `vllm-completions/` at `--model-base-url`: raw prompts to /v1/completions."""
    with FakeOpenAIServer(lambda messages: "1\n\nResponse 1 is better.", record=True) as server:
        proc = run_cli(tmp_path, "--model", "vllm-completions/WeOpenML/PandaLM-7B-v1", "--model-base-url",
                       server.base_url, "-T", "judge=panda_lm", "-T", "prompts=builtin")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert len(server.requests) == 6
    assert {path for path, _ in server.requests} == {"/v1/completions"}
    assert all(isinstance(body["prompt"], str) and "### Response 1:" in body["prompt"] for _, body in server.requests)
    assert {body["model"] for _, body in server.requests} == {"WeOpenML/PandaLM-7B-v1"}
