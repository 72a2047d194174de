"""Scoring backends of the ``reward_model`` judge: what turns a conversation into a score.

A backend scores conversations ``[user: question, assistant: response]`` (lists
of ``{"role", "content"}`` dicts) with one number each, higher = better. The
judge asks for the two responses of a game together and compares the numbers.

Backends are chosen by name with ``-T backend=<name>``:

- ``hf`` (built in): a Hugging Face sequence-classification reward model
  (``AutoModelForSequenceClassification`` with one output), loaded from a
  local folder or the hub with ``-T reward_model=<path or id>``. Needs the
  optional dependencies ``transformers`` and ``torch``.
- ``vllm_pooling`` (built in): a reward model served by ``vllm serve``,
  reached through vLLM's Pooling API at ``-T base_url=http://<host>:<port>``
  (:mod:`.reward_pooling`), one request per conversation, at most
  ``max_connections`` at a time.
- anything registered with :func:`register_reward_backend`.

A backend is any object with ``async score(conversations) -> list[float]``
(:class:`RewardBackend`). The easiest way to write one is to subclass
:class:`BatchedRewardBackend` and implement the blocking
``score_batch(conversations)``: it then runs in a worker thread, off the event
loop, and the requests of concurrent samples are gathered into batches of up to
``batch_size`` conversations.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Protocol, Sequence, runtime_checkable

import anyio
import anyio.lowlevel
import anyio.to_thread

from ..errors import ConfigError, did_you_mean
from .base import JudgeCallError

#: One conversation to score: ``[{"role": "user", ...}, {"role": "assistant", ...}]``.
Conversation = list[dict[str, str]]

#: The text a model without a chat template scores (documented in docs/reward_models.md).
PLAIN_FORMAT = "User: {question}\n\nAssistant: {response}"

TruncationSide = Literal["left", "right"]

#: Values of the ``dtype`` option.
DTYPES = ("auto", "float32", "bfloat16", "float16")


class RewardBackendConfigError(ConfigError):
    """A bad backend name or option (raised when the task is built)."""


class RewardBackendError(JudgeCallError):
    """A backend that failed to load or to score: the sample fails, nothing is counted."""


def conversation(question: str, response: str) -> Conversation:
    """The conversation a reward model scores for one response.

    Args:
      question: The user's question.
      response: The assistant's response.
    """
    return [{"role": "user", "content": question}, {"role": "assistant", "content": response}]


def plain_text(conv: Conversation) -> str:
    """:data:`PLAIN_FORMAT` applied to a ``[user, assistant]`` conversation.

    Args:
      conv: The conversation.
    """
    user = "\n\n".join(m["content"] for m in conv if m["role"] == "user")
    assistant = "\n\n".join(m["content"] for m in conv if m["role"] == "assistant")
    return PLAIN_FORMAT.format(question=user, response=assistant)


@dataclass(frozen=True)
class RewardBackendOptions:
    """The judge options a backend factory receives (all ``-T`` options of the judge).

    Attributes:
      reward_model: Model to load: a local folder or a hub id (``hf``).
      batch_size: Most conversations scored in one forward pass.
      max_length: Token limit of one conversation (``None`` = the model's limit).
      truncation_side: Which end of a too-long conversation is cut: ``left``
        (keep the end of the response, where the score is read) or ``right``.
      device: ``auto`` (CUDA if available, else MPS, else CPU), ``cpu``,
        ``cuda``, ``cuda:1``, ``mps``...
      dtype: ``auto`` (as saved), ``float32``, ``bfloat16`` or ``float16``.
      trust_remote_code: Allow model code from the model's repository.
      add_special_tokens: Let the tokenizer add its special tokens (BOS...)
        to the formatted text. ``None`` = no when a chat template formats the
        text (it has them already), yes for :data:`PLAIN_FORMAT`.
      base_url: Root address of a reward-model server (``vllm_pooling``).
      max_connections: Most requests to the server in flight (``vllm_pooling``).
      timeout: Seconds one request may take (``vllm_pooling``).
      max_retries: Retries of a request after a transport error, HTTP 429 or
        a 5xx answer (``vllm_pooling``).
      backend_args: Free-form settings of a backend.
    """

    reward_model: str | None = None
    batch_size: int = 8
    max_length: int | None = None
    truncation_side: TruncationSide = "left"
    device: str = "auto"
    dtype: str = "auto"
    trust_remote_code: bool = False
    add_special_tokens: bool | None = None
    base_url: str | None = None
    max_connections: int = 32
    timeout: float = 120.0
    max_retries: int = 5
    backend_args: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class RewardBackend(Protocol):
    """What the judge needs from a backend."""

    async def score(self, conversations: Sequence[Conversation]) -> list[float]:
        """One score per conversation, in order (higher = better).

        Args:
          conversations: The conversations to score.
        """
        ...


#: Makes a backend from the judge's options.
RewardBackendFactory = Callable[[RewardBackendOptions], RewardBackend]


def _conversation_key(conv: Conversation) -> str:
    """A short fixed-size key of a conversation's roles and texts."""
    return hashlib.sha256(json.dumps([[m["role"], m["content"]] for m in conv]).encode("utf-8")).hexdigest()


class _Item:
    __slots__ = ("conv", "error", "key", "score")

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv
        self.key = _conversation_key(conv)
        self.score: float | None = None
        self.error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self.score is not None or self.error is not None


class BatchedRewardBackend(ABC):
    """A backend whose blocking :meth:`score_batch` runs in a worker thread, batched.

    Concurrent :meth:`score` calls (the games of concurrent samples) put their
    conversations in one queue; whoever holds the lock takes up to
    ``batch_size`` of them (identical conversations are scored once), scores
    them in a worker thread and hands every caller its results. One batch runs
    at a time, so :meth:`score_batch` need not be thread-safe.

    Args:
      batch_size: Most conversations per :meth:`score_batch` call.
    """

    def __init__(self, batch_size: int = 8) -> None:
        if int(batch_size) < 1:
            raise RewardBackendConfigError(f"batch_size must be at least 1, got {batch_size!r}")
        self.batch_size = int(batch_size)
        self._loop: object = None
        self._lock: anyio.Lock | None = None
        self._pending: list[_Item] = []
        #: Sizes of the batches scored so far (for logs and tests).
        self.batch_sizes: list[int] = []

    @abstractmethod
    def score_batch(self, conversations: list[Conversation]) -> list[float]:
        """Score a batch (blocking; runs in a worker thread).

        Args:
          conversations: At most ``batch_size`` conversations.
        """

    def _state(self) -> anyio.Lock:
        loop = anyio.lowlevel.current_token().native_token
        if self._lock is None or self._loop is not loop:  # a new event loop (a new eval)
            self._loop, self._lock, self._pending = loop, anyio.Lock(), []
        return self._lock

    async def score(self, conversations: Sequence[Conversation]) -> list[float]:
        """Score conversations, batched with other concurrent callers'.

        Args:
          conversations: The conversations to score.
        """
        lock = self._state()
        items = [_Item(c) for c in conversations]
        self._pending.extend(items)
        try:
            while not all(i.done for i in items):
                async with lock:
                    if all(i.done for i in items):
                        break
                    await self._run_one_batch()
        finally:
            # a cancelled caller's unscored items are not left for others to score
            self._pending = [i for i in self._pending if i not in items]
        for i in items:
            if i.error is not None:
                raise RewardBackendError(f"reward model scoring failed: {i.error}") from i.error
        return [float(i.score) for i in items]  # type: ignore[arg-type]

    async def _run_one_batch(self) -> None:
        unique: dict[str, list[_Item]] = {}
        while self._pending and (len(unique) < self.batch_size or self._pending[0].key in unique):
            item = self._pending.pop(0)
            unique.setdefault(item.key, []).append(item)
        if not unique:
            return
        groups = list(unique.values())
        convs = [g[0].conv for g in groups]
        try:
            scores = await anyio.to_thread.run_sync(self.score_batch, convs)
            scores = [float(s) for s in scores]
            if len(scores) != len(convs):
                raise RewardBackendError(
                    f"{type(self).__name__}.score_batch returned {len(scores)} scores for {len(convs)} conversations"
                )
        except Exception as ex:  # noqa: BLE001 - every caller with an item in this batch gets the error
            for g in groups:
                for item in g:
                    item.error = ex
            return
        except BaseException:  # cancelled: the batch goes back to the queue for the others
            self._pending[:0] = [item for g in groups for item in g]
            raise
        self.batch_sizes.append(len(convs))
        for g, s in zip(groups, scores):
            for item in g:
                item.score = s


class HFRewardBackend(BatchedRewardBackend):
    """A Hugging Face sequence-classification reward model (one output logit = the score).

    The model loads on first use, in the worker thread. The text scored is the
    tokenizer's chat template applied to the conversation when the tokenizer
    has one, else :data:`PLAIN_FORMAT`. Batches are padded on the right (the
    model reads the score at the last non-padding token, and right padding
    keeps every token's position); a conversation longer than ``max_length``
    tokens is cut on ``truncation_side``.

    Args:
      options: The judge's options (``reward_model`` is required).
    """

    def __init__(self, options: RewardBackendOptions) -> None:
        super().__init__(options.batch_size)
        if not options.reward_model:
            raise RewardBackendConfigError(
                "the hf backend needs a reward model: -T reward_model=<local folder or hub id>"
            )
        if options.truncation_side not in ("left", "right"):
            raise RewardBackendConfigError(
                f"truncation_side must be 'left' or 'right', got {options.truncation_side!r}"
            )
        if options.dtype not in DTYPES:
            raise RewardBackendConfigError(f"dtype must be one of {', '.join(DTYPES)}; got {options.dtype!r}")
        if options.max_length is not None and int(options.max_length) < 2:
            raise RewardBackendConfigError(f"max_length must be at least 2, got {options.max_length!r}")
        require_hf()
        self.options = options
        self._model: Any = None
        self._tokenizer: Any = None
        self._device: str = options.device
        self._max_length: int | None = options.max_length

    # -- loading -----------------------------------------------------------
    def load(self) -> None:
        """Load tokenizer and model (blocking; done on the first batch)."""
        if self._model is not None:
            return
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        o = self.options
        path = str(o.reward_model)
        bars = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()  # keep Inspect's display clean while loading
        try:
            tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=o.trust_remote_code)
            model = AutoModelForSequenceClassification.from_pretrained(
                path, trust_remote_code=o.trust_remote_code, **{_dtype_kwarg(): _torch_dtype(o.dtype)}
            )
        except Exception as ex:
            raise RewardBackendError(f"cannot load reward model {path!r}: {ex}") from ex
        finally:
            if bars:
                hf_logging.enable_progress_bar()
        if model.config.num_labels != 1:
            raise RewardBackendError(
                f"reward model {path!r} has {model.config.num_labels} outputs; a reward model has one (num_labels=1)"
            )
        device = _pick_device(o.device, torch)
        model.to(device)
        model.eval()
        _align_padding(tokenizer, model)
        tokenizer.padding_side = "right"
        tokenizer.truncation_side = o.truncation_side
        self._device = device
        self._max_length = o.max_length if o.max_length is not None else _model_limit(tokenizer, model)
        self._tokenizer, self._model = tokenizer, model

    @property
    def max_length(self) -> int | None:
        """The token limit in force (known after loading)."""
        return self._max_length

    @property
    def uses_chat_template(self) -> bool:
        """Whether the loaded tokenizer formats conversations with its chat template."""
        self.load()
        return bool(getattr(self._tokenizer, "chat_template", None))

    # -- scoring -----------------------------------------------------------
    def format(self, conv: Conversation) -> str:
        """The text scored for a conversation (loads the tokenizer if needed).

        Args:
          conv: The conversation.
        """
        self.load()
        if self.uses_chat_template:
            return str(self._tokenizer.apply_chat_template(conv, tokenize=False))
        return plain_text(conv)

    def score_batch(self, conversations: list[Conversation]) -> list[float]:
        import torch

        self.load()
        texts = [self.format(c) for c in conversations]
        special = self.options.add_special_tokens
        if special is None:
            special = not self.uses_chat_template
        enc = self._tokenizer(
            texts,
            add_special_tokens=special,
            padding=True,
            truncation=self._max_length is not None,
            max_length=self._max_length,
            return_tensors="pt",
        )
        with torch.inference_mode():
            logits = self._model(
                input_ids=enc["input_ids"].to(self._device),
                attention_mask=enc["attention_mask"].to(self._device),
            ).logits
        return [float(x) for x in logits[:, 0].float().cpu().tolist()]


def require_hf() -> None:
    """Fail with an install hint when ``transformers``/``torch`` are missing."""
    missing = [m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        raise RewardBackendConfigError(
            f"the hf reward backend needs {' and '.join(missing)}: "
            "pip install 'judgebench-inspect[hf]' (for a CPU-only torch, install torch first "
            "from the CPU wheel index)"
        )


def _torch_dtype(name: str) -> Any:
    import torch

    if name == "auto":
        return "auto"
    return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]


def _dtype_kwarg() -> str:
    """``dtype`` (transformers 4.56 and later) or ``torch_dtype`` (earlier)."""
    import transformers

    try:
        major, minor = (int(x) for x in transformers.__version__.split(".")[:2])
    except ValueError:
        return "dtype"
    return "dtype" if (major, minor) >= (4, 56) else "torch_dtype"


def _pick_device(device: str, torch: Any) -> str:
    if device != "auto":
        return device
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def _align_padding(tokenizer: Any, model: Any) -> None:
    """Make tokenizer and model agree on the padding token.

    The classification head reads the score at the last token that is not the
    model's ``pad_token_id``, so batches must be padded with exactly that id.
    """
    pad = model.config.pad_token_id
    if pad is None:
        pad = tokenizer.pad_token_id
    if pad is None:
        pad = tokenizer.eos_token_id
    if pad is None:
        raise RewardBackendError("the reward model's tokenizer has no padding or end-of-sequence token")
    if isinstance(pad, (list, tuple)):
        pad = pad[0]
    tokenizer.pad_token = tokenizer.convert_ids_to_tokens(int(pad))
    model.config.pad_token_id = int(pad)


def _model_limit(tokenizer: Any, model: Any) -> int | None:
    """The smaller of the tokenizer's and the model's stated context lengths."""
    limits = []
    tmax = getattr(tokenizer, "model_max_length", None)
    if isinstance(tmax, int) and 0 < tmax < 10**7:
        limits.append(tmax)
    for name in ("max_position_embeddings", "n_positions"):
        value = getattr(model.config, name, None)
        if isinstance(value, int) and value > 0:
            limits.append(value)
    return min(limits) if limits else None


# -- the registry ---------------------------------------------------------------

def _vllm_pooling(options: RewardBackendOptions) -> RewardBackend:
    from .reward_pooling import VLLMPoolingBackend

    return VLLMPoolingBackend(options)


#: Backends by name (``-T backend=<name>``).
REWARD_BACKENDS: dict[str, RewardBackendFactory] = {"hf": HFRewardBackend, "vllm_pooling": _vllm_pooling}


def register_reward_backend(name: str, factory: RewardBackendFactory, *, replace: bool = False) -> None:
    """Make a scoring backend available as ``-T backend=<name>``.

    Register it in code that runs before the task is built: in your own
    ``@task`` module, or a module imported through an ``inspect_ai`` entry point.

    Args:
      name: The backend name.
      factory: Called with the judge's :class:`RewardBackendOptions`; returns a
        :class:`RewardBackend` (for instance a :class:`BatchedRewardBackend`
        subclass). Keep it cheap: load weights on first use.
      replace: Allow replacing a backend of the same name.
    """
    if not name or not isinstance(name, str):
        raise ValueError(f"a reward backend needs a non-empty name, got {name!r}")
    if not callable(factory):
        raise TypeError(f"reward backend {name!r}: factory must be callable, got {factory!r}")
    if name in REWARD_BACKENDS and not replace and REWARD_BACKENDS[name] is not factory:
        raise ValueError(f"reward backend {name!r} is already registered (pass replace=True to replace it)")
    REWARD_BACKENDS[name] = factory


def reward_backend_names() -> list[str]:
    """The registered backend names."""
    return sorted(REWARD_BACKENDS)


def create_reward_backend(name: str, options: RewardBackendOptions) -> RewardBackend:
    """Make a backend by name.

    Args:
      name: A registered backend name.
      options: The judge's options.
    """
    if name not in REWARD_BACKENDS:
        raise RewardBackendConfigError(
            f"unknown reward backend {name!r}{did_you_mean(name, reward_backend_names())}; registered: {', '.join(reward_backend_names())}"
        )
    backend = REWARD_BACKENDS[name](options)
    if not isinstance(backend, RewardBackend):
        raise RewardBackendConfigError(f"reward backend {name!r} made {backend!r}, which has no async score()")
    return backend


def check_scores(scores: Sequence[float], expected: int, backend: str) -> list[float]:
    """Scores as floats, checked: the right count and all finite.

    Args:
      scores: What the backend returned.
      expected: How many there must be.
      backend: The backend name (for messages).
    """
    values = [float(s) for s in scores]
    if len(values) != expected:
        raise RewardBackendError(f"reward backend {backend!r} gave {len(values)} scores for {expected} responses")
    bad = [s for s in values if not math.isfinite(s)]
    if bad:
        raise RewardBackendError(f"reward backend {backend!r} gave a non-finite score: {bad[0]}")
    return values


class ScoreMemo:
    """Each distinct conversation scored once per run, whatever backend scores it.

    The responses of a best-of-N group meet in several pairs (the chosen one in
    each), and a two-game run shows each response twice: a reward model scores
    a response alone, so one score serves every game that shows it. Concurrent
    games asking for the same conversation wait for one request; when that
    request fails, the next waiter asks again, and an error reaches every game
    whose own request failed (no game is scored on a failure).

    Args:
      backend: The backend that scores what is not known yet.
      name: The backend's name (for messages).
    """

    def __init__(self, backend: RewardBackend, name: str) -> None:
        self.backend = backend
        self.name = name
        self._scores: dict[str, float] = {}
        self._loop: object = None
        self._in_flight: dict[str, anyio.Event] = {}

    def _state(self) -> dict[str, anyio.Event]:
        loop = anyio.lowlevel.current_token().native_token
        if self._loop is not loop:  # a new event loop (a new eval): requests of the old one are gone
            self._loop, self._in_flight = loop, {}
        return self._in_flight

    async def score(self, conversations: Sequence[Conversation]) -> tuple[list[float], list[bool]]:
        """The conversations' scores, and which of them another request scored (reused here).

        Args:
          conversations: The conversations to score.

        Raises:
          RewardBackendError: The backend failed, or gave a wrong count or a non-finite score.
        """
        keys = [_conversation_key(c) for c in conversations]
        while True:
            in_flight = self._state()
            missing = list(dict.fromkeys(k for k in keys if k not in self._scores))
            waits = [in_flight[k] for k in missing if k in in_flight]
            if not waits:
                break
            await waits[0].wait()
        if missing:
            mine = {k: anyio.Event() for k in missing}
            in_flight.update(mine)
            try:
                convs = [conversations[keys.index(k)] for k in missing]
                for k, s in zip(missing, check_scores(await self.backend.score(convs), len(convs), self.name)):
                    self._scores[k] = s
            finally:
                for k, event in mine.items():
                    if in_flight.get(k) is event:
                        del in_flight[k]
                    event.set()
        return [self._scores[k] for k in keys], [k not in missing for k in keys]

    def __len__(self) -> int:
        """How many distinct conversations have a score."""
        return len(self._scores)
