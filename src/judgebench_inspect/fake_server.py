"""A fake OpenAI-compatible chat server on 127.0.0.1 for offline runs and tests.

It answers ``POST /v1/chat/completions`` with text from a *responder* (for
example the recorded judge outputs of a JudgeBench ``judged-*.jsonl`` file, so a
real ``inspect eval`` reproduces the published numbers without any API), after
an optional latency, and can inject faults (HTTP 500/429, stalls, garbage).

Run it by hand::

    python -m judgebench_inspect.fake_server --replay judged.jsonl --port 8765

then ``OPENAI_BASE_URL=http://127.0.0.1:8765/v1 OPENAI_API_KEY=x inspect eval
judgebench/judge --model openai/gpt-4o-mini ...``.
"""

from __future__ import annotations

import argparse
import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Sequence

#: A responder turns the request's messages (OpenAI dicts) into the reply text.
Responder = Callable[[list[dict[str, Any]]], str]


def message_text(message: dict[str, Any]) -> str:
    """The text of an OpenAI chat message (string or list-of-parts content)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


class ReplayResponder:
    """Answers a judge prompt with the recorded judge text of that pair and order.

    The pair is found by its question in the prompt; the order by which
    response appears first. Both games of a pair are keyed separately, so
    concurrent and out-of-order calls get the right text.

    Args:
      judged_path: A JudgeBench output file (``judged-*.jsonl``).
    """

    def __init__(self, judged_path: str | Path) -> None:
        self.by_question: dict[str, list[dict[str, Any]]] = {}
        with Path(judged_path).open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    self.by_question.setdefault(row["question"], []).append(row)

    def texts(self, prompt: str) -> tuple[dict[str, Any], int]:
        """The recorded row and the game index (0 = A first) for a prompt."""
        for question, rows in self.by_question.items():
            if question not in prompt:
                continue
            for row in rows:
                a, b = prompt.find(row["response_A"]), prompt.find(row["response_B"])
                if a >= 0 and b >= 0 and a != b:
                    return row, 0 if a < b else 1
        raise KeyError("no recorded pair matches this prompt")

    def __call__(self, messages: list[dict[str, Any]]) -> str:
        prompt = "\n".join(message_text(m) for m in messages if m.get("role") == "user")
        row, game = self.texts(prompt)
        judgment = row["judgments"][game]
        if judgment is None:
            return ""
        return str(judgment["judgment"]["response"])


@dataclass
class Faults:
    """Faults to inject, each a probability per request.

    Attributes:
      error_rate: Answer HTTP 500 or 429 (half each).
      stall_rate: Sleep ``stall_seconds`` before answering (past a client timeout).
      stall_seconds: Length of a stall.
      seed: Random seed, so a run's faults repeat.
    """

    error_rate: float = 0.0
    stall_rate: float = 0.0
    stall_seconds: float = 30.0
    seed: int = 0


@dataclass
class ServerStats:
    """Counts of what the server saw."""

    requests: int = 0
    answered: int = 0
    faults: Counter[str] = field(default_factory=Counter)


class FakeOpenAIServer:
    """A threaded fake chat-completions server bound to 127.0.0.1.

    Use as a context manager; it stops (and frees the port) on exit.

    Args:
      responder: Makes the reply text from the request messages.
      latency: Seconds to wait before each answer.
      faults: Faults to inject.
      port: Port to bind (0 = any free port).
    """

    def __init__(
        self,
        responder: Responder,
        latency: float = 0.0,
        faults: Faults | None = None,
        port: int = 0,
    ) -> None:
        self.responder = responder
        self.latency = latency
        self.faults = faults or Faults()
        self.stats = ServerStats()
        self._rng = random.Random(self.faults.seed)
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> "FakeOpenAIServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "FakeOpenAIServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _draw(self) -> str | None:
        with self._lock:
            self.stats.requests += 1
            r = self._rng.random()
            if r < self.faults.error_rate:
                kind = "500" if self._rng.random() < 0.5 else "429"
            elif r < self.faults.error_rate + self.faults.stall_rate:
                kind = "stall"
            else:
                kind = None
            if kind:
                self.stats.faults[kind] += 1
            return kind

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"unsupported path {self.path}"}})
                    return
                fault = server._draw()
                if fault == "stall":
                    time.sleep(server.faults.stall_seconds)
                if server.latency:
                    time.sleep(server.latency)
                if fault in ("500", "429"):
                    self._send(
                        int(fault),
                        {"error": {"message": "injected fault", "type": "server_error"}},
                        {"Retry-After": "0"} if fault == "429" else None,
                    )
                    return
                try:
                    request = json.loads(raw)
                    text = server.responder(request.get("messages", []))
                except Exception as ex:  # a responder that cannot answer is a server error
                    self._send(500, {"error": {"message": f"fake server: {ex}"}})
                    return
                with server._lock:
                    server.stats.answered += 1
                words = max(1, len(text.split()))
                self._send(
                    200,
                    {
                        "id": f"chatcmpl-fake-{server.stats.requests}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": request.get("model", "fake"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": text},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 100, "completion_tokens": words, "total_tokens": 100 + words},
                    },
                )

        return Handler


def main(argv: Sequence[str] | None = None) -> None:
    """Run a fake server until interrupted (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replay", help="judged-*.jsonl file to answer from")
    parser.add_argument("--text", default="My final verdict is a tie: [[A=B]]", help="fixed reply (without --replay)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args(argv)
    responder: Responder = ReplayResponder(args.replay) if args.replay else (lambda _m: args.text)
    with FakeOpenAIServer(responder, latency=args.latency, port=args.port) as server:
        print(f"fake OpenAI server at {server.base_url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
