"""A fake OpenAI-compatible chat server on 127.0.0.1 for offline runs and tests.

It answers ``POST /v1/chat/completions`` with text from a *responder* (for
example the recorded judge outputs of a JudgeBench ``judged-*.jsonl`` file, so a
real ``inspect eval`` reproduces the published numbers without any API), after
an optional latency, and can inject faults (HTTP 500/429, stalls, garbage).

Run it by hand::

    python -m judgebench_inspect.demo.fake_server --replay judged.jsonl --port 8765

(``--demo`` instead of ``--replay`` answers from the o1-mini replies the package
ships). A prompt with no recording is answered HTTP 400 (not retried by
Inspect) and named on stderr.

then ``OPENAI_BASE_URL=http://127.0.0.1:8765/v1 OPENAI_API_KEY=x inspect eval
judgebench/judge --model openai/gpt-4o-mini ...``. ``GET /v1/stats`` returns the
request counts (JSON), so a benchmark can check how many requests arrived.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

#: A responder turns the request's messages (OpenAI dicts) into the reply text.
Responder = Callable[[list[dict[str, Any]]], str]


class NoRecording(LookupError):
    """A responder has nothing recorded for this prompt.

    The server answers HTTP 400 (a client error, which Inspect does not retry)
    and prints the reason to stderr, instead of a 500 that would be retried
    for ever.
    """


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

    Lookup is fast: every line of a question (20+ characters) is indexed, so a
    prompt only checks the questions sharing a whole line with it (in file
    order); if none matches, all questions are scanned as before.

    Args:
      judged_path: A JudgeBench output file (``judged-*.jsonl``), or
        ``None`` with ``rows``.
      rows: The rows themselves instead of a file: each with ``question``,
        ``response_A``, ``response_B`` and ``judgments`` (two games, each
        ``None`` or holding ``judgment.response``).
    """

    #: Lines shorter than this are too common to index.
    MIN_INDEXED_LINE = 20

    def __init__(
        self, judged_path: str | Path | None = None, rows: Iterable[dict[str, Any]] | None = None
    ) -> None:
        if (judged_path is None) == (rows is None):
            raise ValueError("give either a judged file or rows")
        if rows is None:
            with Path(str(judged_path)).open(encoding="utf-8") as f:
                rows = [json.loads(line) for line in f if line.strip()]
        self.by_question: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            self.by_question.setdefault(row["question"], []).append(row)
        self._order = {q: i for i, q in enumerate(self.by_question)}
        self._by_line: dict[str, list[str]] = {}
        for question in self.by_question:
            for qline in set(question.splitlines()):
                if len(qline) >= self.MIN_INDEXED_LINE:
                    self._by_line.setdefault(qline, []).append(question)

    def _match(self, questions: Any, prompt: str) -> tuple[dict[str, Any], int] | None:
        for question in questions:
            if question not in prompt:
                continue
            for row in self.by_question[question]:
                a, b = prompt.find(row["response_A"]), prompt.find(row["response_B"])
                if a >= 0 and b >= 0 and a != b:
                    return row, 0 if a < b else 1
        return None

    def texts(self, prompt: str) -> tuple[dict[str, Any], int]:
        """The recorded row and the game index (0 = A first) for a prompt."""
        candidates = {q for pline in prompt.splitlines() for q in self._by_line.get(pline, ())}
        found = self._match(sorted(candidates, key=self._order.__getitem__), prompt)
        if found is None:
            found = self._match(self.by_question, prompt)
        if found is None:
            raise NoRecording(
                "no recorded pair matches this prompt (its question and both responses must "
                f"appear in the user message): {prompt[:120]!r}..."
            )
        return found

    def __call__(self, messages: list[dict[str, Any]]) -> str:
        prompt = "\n".join(message_text(m) for m in messages if m.get("role") == "user")
        row, game = self.texts(prompt)
        judgment = row["judgments"][game]
        if judgment is None:
            return ""
        return str(judgment["judgment"]["response"])


#: Filler reasoning for :class:`Explaining` (a judge's typical opening moves).
_EXPLANATION = (
    "First I answer the question myself. Then I check each assistant's answer against mine, "
    "step by step, noting where the reasoning holds and where it goes wrong, whether the final "
    "answer is stated clearly, and whether anything important is missing. "
)


class Explaining:
    """Wraps a responder: its text comes after ``words`` words of explanation.

    Recorded o1-mini judgments hold only the final verdict line; a chain-of-
    thought judge writes several hundred words first. This makes replies (and
    so transcripts, logs and parsing work) the size of a real judgment.

    Args:
      responder: The responder giving the verdict text.
      words: Words of explanation before it.
    """

    def __init__(self, responder: Responder, words: int = 300) -> None:
        self.responder = responder
        base = _EXPLANATION.split()
        self.preamble = " ".join(base[i % len(base)] for i in range(words))

    def __call__(self, messages: list[dict[str, Any]]) -> str:
        text = self.responder(messages)
        return f"{self.preamble}\n\n{text}" if text and self.preamble else text


@dataclass
class Faults:
    """Faults to inject, each a probability per request.

    Attributes:
      error_rate: Answer HTTP 500 or 429 (half each).
      stall_rate: Sleep ``stall_seconds`` before answering (past a client timeout).
      stall_seconds: Length of a stall.
      seed: Random seed, so a run's faults repeat.
      empty_rate: Answer 200 with empty content (finish_reason ``stop``).
      cutoff_rate: Answer 200 with the first half of the text and
        finish_reason ``length`` (a reply cut off at max_tokens).
      garbage_rate: Answer 200 with a body that is not JSON.
      retry_after_ms: If set, 500/429 answers carry ``retry-after-ms`` (the
        OpenAI SDK then waits that long before its own retries; tests use a
        small value to keep fault runs fast).
    """

    error_rate: float = 0.0
    stall_rate: float = 0.0
    stall_seconds: float = 30.0
    seed: int = 0
    empty_rate: float = 0.0
    cutoff_rate: float = 0.0
    garbage_rate: float = 0.0
    retry_after_ms: float | None = None


@dataclass
class ServerStats:
    """Counts of what the server saw.

    Attributes:
      requests: Chat requests received (faulty ones included).
      answered: Requests answered with a completion.
      faults: Injected faults by kind.
      first_request: ``time.time()`` of the first request (``None`` before).
      last_answer: ``time.time()`` of the last completion sent.
    """

    requests: int = 0
    answered: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    first_request: float | None = None
    last_answer: float | None = None


class _Server(ThreadingHTTPServer):
    """One thread per connection; a listen backlog for many clients connecting at once
    (the default of 5 resets connections when 50 open together)."""

    daemon_threads = True
    request_queue_size = 256


class FakeOpenAIServer:
    """A threaded fake chat-completions server bound to 127.0.0.1.

    Use as a context manager; it stops (and frees the port) on exit.

    It answers ``/v1/chat/completions`` and ``/v1/completions`` (a raw prompt
    string is passed to the responder as one user message).

    Args:
      responder: Makes the reply text from the request messages.
      latency: Seconds to wait before each answer.
      faults: Faults to inject.
      port: Port to bind (0 = any free port).
      record: Keep every request body (path and JSON) in :attr:`requests`.
    """

    def __init__(
        self,
        responder: Responder,
        latency: float = 0.0,
        faults: Faults | None = None,
        port: int = 0,
        record: bool = False,
    ) -> None:
        self.responder = responder
        self.record = record
        #: With ``record``: (path, request body) of every request, in arrival order.
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.latency = latency
        self.faults = faults or Faults()
        self.stats = ServerStats()
        self._rng = random.Random(self.faults.seed)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", port), self._handler())
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
        self._stopping.set()  # wakes stalled requests
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
            if self.stats.first_request is None:
                self.stats.first_request = time.time()
            r = self._rng.random()
            f = self.faults
            kind: str | None = None
            if r < f.error_rate:
                kind = "500" if self._rng.random() < 0.5 else "429"
            else:
                edge = f.error_rate
                for name, rate in (
                    ("stall", f.stall_rate),
                    ("empty", f.empty_rate),
                    ("cutoff", f.cutoff_rate),
                    ("garbage", f.garbage_rate),
                ):
                    edge += rate
                    if r < edge:
                        kind = name
                        break
            if kind:
                self.stats.faults[kind] += 1
            return kind

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle's algorithm on, the body
            # waits for the client's delayed ACK of the headers (about 40 ms per answer).
            disable_nagle_algorithm = True

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
                if self.path.rstrip("/").endswith("/stats"):
                    with server._lock:
                        stats = {
                            "requests": server.stats.requests,
                            "answered": server.stats.answered,
                            "faults": dict(server.stats.faults),
                            "first_request": server.stats.first_request,
                            "last_answer": server.stats.last_answer,
                        }
                    self._send(200, stats)
                elif self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                path = self.path.rstrip("/")
                completion = path.endswith("/completions") and not path.endswith("/chat/completions")
                if not path.endswith("/completions"):
                    self._send(404, {"error": {"message": f"unsupported path {self.path}"}})
                    return
                fault = server._draw()
                if fault == "stall":
                    server._stopping.wait(server.faults.stall_seconds)
                if server.latency:
                    server._stopping.wait(server.latency)
                if server._stopping.is_set():  # shutting down: the client has gone
                    return
                if fault in ("500", "429"):
                    headers = {"Retry-After": "0"} if fault == "429" else {}
                    if server.faults.retry_after_ms is not None:
                        headers["retry-after-ms"] = str(server.faults.retry_after_ms)
                    self._send(
                        int(fault),
                        {"error": {"message": "injected fault", "type": "server_error"}},
                        headers,
                    )
                    return
                if fault == "garbage":
                    data = b"<html><body>502 Bad Gateway (injected: not JSON)</body></html>"
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                try:
                    request = json.loads(raw)
                    if server.record:
                        with server._lock:
                            server.requests.append((path, request))
                    messages = (
                        [{"role": "user", "content": request.get("prompt", "")}]
                        if completion
                        else request.get("messages", [])
                    )
                    text = server.responder(messages)
                except NoRecording as ex:  # the client asked for something never recorded
                    print(f"fake server: HTTP 400: {ex}", file=sys.stderr, flush=True)
                    self._send(
                        400,
                        {"error": {"message": f"fake server: {ex}", "type": "invalid_request_error"}},
                    )
                    return
                except Exception as ex:  # a responder that cannot answer is a server error
                    self._send(500, {"error": {"message": f"fake server: {ex}"}})
                    return
                finish = "stop"
                if fault == "empty":
                    text = ""
                elif fault == "cutoff":
                    text, finish = text[: len(text) // 2], "length"
                with server._lock:
                    server.stats.answered += 1
                    server.stats.last_answer = time.time()
                words = max(1, len(text.split()))
                usage = {"prompt_tokens": 100, "completion_tokens": words, "total_tokens": 100 + words}
                if completion:
                    self._send(
                        200,
                        {
                            "id": f"cmpl-fake-{server.stats.requests}",
                            "object": "text_completion",
                            "created": int(time.time()),
                            "model": request.get("model", "fake"),
                            "choices": [{"index": 0, "text": text, "finish_reason": finish, "logprobs": None}],
                            "usage": usage,
                        },
                    )
                    return
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
                                "finish_reason": finish,
                            }
                        ],
                        "usage": usage,
                    },
                )

        return Handler


def main(argv: Sequence[str] | None = None) -> None:
    """Run a fake server until interrupted (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--replay", help="judged-*.jsonl file to answer from")
    source.add_argument("--demo", action="store_true",
                        help="answer from the o1-mini replies shipped for `judgebench demo` (no file needed)")
    parser.add_argument("--text", default="My final verdict is a tie: [[A=B]]", help="fixed reply (without --replay)")
    parser.add_argument("--explain-words", type=int, default=0,
                        help="words of explanation before each reply (realistic judge text size)")
    parser.add_argument("--port", type=int, default=8765, help="port (0 = any free port)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of requests answered 500/429")
    parser.add_argument("--stall-rate", type=float, default=0.0, help="share of requests stalled")
    parser.add_argument("--stall-seconds", type=float, default=30.0, help="length of a stall")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the faults")
    args = parser.parse_args(argv)
    responder: Responder
    if args.demo:
        from . import replay_rows

        responder = ReplayResponder(rows=replay_rows())
    else:
        responder = ReplayResponder(args.replay) if args.replay else (lambda _m: args.text)
    if args.explain_words:
        responder = Explaining(responder, args.explain_words)
    faults = Faults(error_rate=args.error_rate, stall_rate=args.stall_rate,
                    stall_seconds=args.stall_seconds, seed=args.seed)
    with FakeOpenAIServer(responder, latency=args.latency, faults=faults, port=args.port) as server:
        print(f"fake OpenAI server at {server.base_url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
