"""The ``vllm_pooling`` reward backend: a reward model served by ``vllm serve``.

Each conversation is one ``POST {base_url}/pooling`` request of vLLM's Pooling
API in its chat form::

    {"model": "<reward_model>", "messages": [{"role": "user", ...}, {"role": "assistant", ...}],
     "task": "classify", "use_activation": false}

The server applies the model's chat template. The answer is
``{"data": [{"index": 0, "object": "pooling", "data": [<score>]}], ...}``: for
a sequence-classification reward model (one label) ``data[0].data`` holds the
one raw logit (``use_activation: false``; with the server's default activation
it would be a sigmoid of it). A token reward model (``task: token_classify``)
answers one row per token, ``[[s_1], ..., [s_n]]``; the last token's value is
its score. Anything else is a malformed answer: the sample fails with the URL
and the field at fault, and nothing is counted.

Requests run concurrently, at most ``max_connections`` at a time. A transport
error (connection refused or reset, a timeout), HTTP 429 or a 5xx answer is
retried up to ``max_retries`` times with a growing pause; another 4xx fails at
once with the server's message.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, Sequence

import anyio
import anyio.lowlevel
import httpx

from .reward_backends import (
    Conversation,
    RewardBackendConfigError,
    RewardBackendError,
    RewardBackendOptions,
)

#: Body fields sent with every request unless ``backend_args.extra_body`` changes them.
DEFAULT_BODY: dict[str, Any] = {"task": "classify", "use_activation": False}

#: Seconds before the first retry (doubled for each further one, at most :data:`MAX_PAUSE`).
FIRST_PAUSE = 0.25
MAX_PAUSE = 8.0

#: ``backend_args`` keys this backend reads.
BACKEND_ARGS = ("extra_body",)


class VLLMPoolingBackend:
    """Score conversations with a reward model behind vLLM's ``/pooling`` endpoint.

    Args:
      options: The judge's options: ``base_url`` (required: the server's root,
        e.g. ``http://10.0.0.5:8000``; a trailing ``/v1`` is dropped),
        ``reward_model`` (the served model name sent as ``model``; left out,
        the server uses the one it serves), ``max_connections``, ``timeout``,
        ``max_retries``, ``max_length`` / ``truncation_side`` (sent as
        ``truncate_prompt_tokens`` / ``truncation_side``),
        ``add_special_tokens``, and ``backend_args.extra_body`` (fields added
        to, or replacing, each request's body; a null drops a field). The API
        key, if the server wants one, is read from ``VLLM_API_KEY``.
    """

    def __init__(self, options: RewardBackendOptions) -> None:
        if not options.base_url:
            raise RewardBackendConfigError(
                "the vllm_pooling backend needs the server's address: -T base_url=http://<host>:<port>"
            )
        if not str(options.base_url).startswith(("http://", "https://")):
            raise RewardBackendConfigError(f"base_url must start with http:// or https://, got {options.base_url!r}")
        if int(options.max_connections) < 1:
            raise RewardBackendConfigError(f"max_connections must be at least 1, got {options.max_connections!r}")
        if int(options.max_retries) < 0:
            raise RewardBackendConfigError(f"max_retries must be 0 or more, got {options.max_retries!r}")
        if float(options.timeout) <= 0:
            raise RewardBackendConfigError(f"timeout must be positive, got {options.timeout!r}")
        server_side = [
            f"{name}={value!r}"
            for name, value, default in (
                ("device", options.device, "auto"),
                ("dtype", options.dtype, "auto"),
                ("trust_remote_code", options.trust_remote_code, False),
            )
            if value != default
        ]
        if server_side:
            raise RewardBackendConfigError(
                f"{', '.join(server_side)}: with the vllm_pooling backend these are set where the server starts "
                "(vllm serve MODEL --dtype ... --trust-remote-code), not on the judge"
            )
        unknown = sorted(set(options.backend_args) - set(BACKEND_ARGS))
        if unknown:
            raise RewardBackendConfigError(
                f"backend_args of the vllm_pooling backend: unknown {', '.join(unknown)}; it reads {', '.join(BACKEND_ARGS)}"
            )
        extra = options.backend_args.get("extra_body", {})
        if not isinstance(extra, dict):
            raise RewardBackendConfigError(f"backend_args.extra_body must be a mapping, got {extra!r}")
        root = str(options.base_url).rstrip("/").removesuffix("/v1")
        #: Where the requests go.
        self.url = f"{root}/pooling"
        self.options = options
        # a null in extra_body drops the field (for servers that do not know it)
        self.body: dict[str, Any] = {k: v for k, v in {**DEFAULT_BODY, **extra}.items() if v is not None}
        if options.reward_model:
            self.body["model"] = options.reward_model
        if options.max_length is not None:
            self.body["truncate_prompt_tokens"] = int(options.max_length)
            self.body["truncation_side"] = options.truncation_side
        if options.add_special_tokens is not None:
            self.body["add_special_tokens"] = bool(options.add_special_tokens)
        self._loop: object = None
        self._slots: anyio.Semaphore | None = None
        #: Retries made so far (for logs and tests).
        self.retries = 0

    def request_body(self, conv: Conversation) -> dict[str, Any]:
        """The JSON body sent for one conversation.

        Args:
          conv: The conversation.
        """
        return {**self.body, "messages": conv}

    def _semaphore(self) -> anyio.Semaphore:
        loop = anyio.lowlevel.current_token().native_token
        if self._slots is None or self._loop is not loop:  # a new event loop (a new eval)
            self._loop, self._slots = loop, anyio.Semaphore(int(self.options.max_connections))
        return self._slots

    async def score(self, conversations: Sequence[Conversation]) -> list[float]:
        """One score per conversation, the requests sent concurrently.

        Args:
          conversations: The conversations to score.
        """
        slots = self._semaphore()
        scores: list[float] = [math.nan] * len(conversations)
        errors: list[Exception] = []
        headers = {"Content-Type": "application/json"}
        api_key = os.environ.get("VLLM_API_KEY")
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        async with httpx.AsyncClient(timeout=float(self.options.timeout), headers=headers) as client:

            async def one(i: int) -> None:
                try:
                    async with slots:
                        scores[i] = await self._post(client, conversations[i])
                except Exception as ex:  # noqa: BLE001 - raised below, outside the task group
                    errors.append(ex)

            async with anyio.create_task_group() as tg:
                for i in range(len(conversations)):
                    tg.start_soon(one, i)
        if errors:
            raise errors[0]
        return scores

    async def _post(self, client: httpx.AsyncClient, conv: Conversation) -> float:
        body = self.request_body(conv)
        attempts = int(self.options.max_retries) + 1
        failure = ""
        for attempt in range(attempts):
            if attempt:
                self.retries += 1
                await anyio.sleep(min(FIRST_PAUSE * 2 ** (attempt - 1), MAX_PAUSE))
            try:
                response = await client.post(self.url, json=body)
            except httpx.TransportError as ex:
                failure = f"{type(ex).__name__}: {ex}"
                continue
            if response.status_code == 429 or response.status_code >= 500:
                failure = f"HTTP {response.status_code}: {_server_message(response)}"
                continue
            if response.status_code != 200:
                raise RewardBackendError(
                    f"vllm_pooling: {self.url} answered HTTP {response.status_code}: {_server_message(response)}"
                )
            return read_score(response.text, self.url)
        raise RewardBackendError(f"vllm_pooling: {self.url} failed {attempts} time(s); last: {failure}")


def read_score(text: str, url: str) -> float:
    """The score in a Pooling API answer for one conversation.

    Args:
      text: The answer's body.
      url: The endpoint (for messages).
    """

    def bad(field: str, what: str) -> RewardBackendError:
        return RewardBackendError(f"vllm_pooling: malformed answer from {url}: {field} {what}")

    try:
        answer = json.loads(text)
    except json.JSONDecodeError:
        raise bad("the body", f"is not JSON: {text[:200]!r}") from None
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, list) or len(data) != 1 or not isinstance(data[0], dict):
        raise bad("data", f"must be a list of one object (one conversation was sent), got {_short(data)}")
    value = data[0].get("data")
    if isinstance(value, list) and value and all(isinstance(row, list) for row in value):
        value = value[-1]  # one row per token (token_classify): the last token's row
        field = "data[0].data[-1]"
    else:
        field = "data[0].data"
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise bad(
            field,
            f"must hold one number (a reward model with one label), got {_short(data[0].get('data'))}; "
            "a base64 string needs encoding_format float, several numbers a model with num_labels=1",
        )
    if not math.isfinite(float(value)):
        raise bad(field, f"is not a finite number: {value!r}")
    return float(value)


def _short(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _server_message(response: httpx.Response) -> str:
    """vLLM's error text (``{"error": {"message": ...}}``, ``{"message": ...}``) or the raw body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or "(empty body)"
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:300]
        for key in ("message", "detail"):
            if body.get(key):
                return str(body[key])[:300]
    return response.text[:300]
