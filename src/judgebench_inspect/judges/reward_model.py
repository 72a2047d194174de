"""Reward-model judge: score each response alone, the higher score wins.

Each response of a game is scored on its own as the conversation
``[user: question, assistant: response]`` by a scoring backend (see
:mod:`.reward_backends`; the built-in ``hf`` backend runs a Hugging Face
sequence-classification reward model). The two scores are compared; an exact
tie follows the ``ties`` option (JudgeBench gave it to the response shown
second). A reward model sees each response alone, so the presentation order
cannot matter and one game per pair is the default (``-T games=2`` still plays
both orders). Each distinct response is scored once per run
(:class:`~.reward_backends.ScoreMemo`): the chosen response of a best-of-N group
meets every rejected one in its own pair, and its one score serves them all, so
a benchmark can rebuild each response's score and rank the group by its own
rule (:mod:`judgebench_inspect.benchmarks.groups`).

The reward model is not an Inspect model: the ``model`` argument of
:meth:`RewardModelJudge.judge_game` is ignored, so run the task with
``--model none`` (or any model, which is never called).
"""

from __future__ import annotations

from typing import Any

from inspect_ai.log import transcript
from inspect_ai.model import Model

from ..verdicts import A_BETTER, B_BETTER, TIE, Verdict
from .base import Game, GameResult, PairwiseJudge
from .reward_backends import (
    RewardBackendConfigError,
    RewardBackendOptions,
    ScoreMemo,
    conversation,
    create_reward_backend,
)

#: What an exact tie of the two scores becomes, in the frame the judge saw.
TIE_RULES: dict[str, Verdict] = {
    "b": B_BETTER,  # JudgeBench: the second-shown response wins a tie
    "a": A_BETTER,
    "tie": TIE,
}

_TIE_TEXT = {
    "b": "the response shown second wins an exact tie (JudgeBench's rule)",
    "a": "the response shown first wins an exact tie",
    "tie": "an exact tie is a tie (A=B)",
}


def decide(first: float, second: float, ties: str = "b") -> Verdict:
    """The verdict of two scores: the higher wins; an exact tie by ``ties``.

    Args:
      first: Score of the response shown first.
      second: Score of the response shown second.
      ties: ``b`` (second shown wins), ``a`` (first shown wins) or ``tie``.
    """
    if first > second:
        return A_BETTER
    if second > first:
        return B_BETTER
    return TIE_RULES[ties]


def format_scores(first: float, second: float) -> str:
    """The judge's raw text, e.g. ``scores: 1.23 vs -0.5`` (full precision).

    Args:
      first: Score of the response shown first.
      second: Score of the response shown second.
    """
    return f"scores: {first!r} vs {second!r}"


class RewardModelJudge(PairwiseJudge):
    """Score each response alone with a reward model; the higher score wins.

    Args:
      reward_model: The reward model: a local folder or a Hugging Face hub id
        (``hf`` backend), or whatever a registered backend expects.
      backend: Scoring backend name: ``hf`` or one added with
        :func:`~judgebench_inspect.judges.reward_backends.register_reward_backend`.
      ties: What an exact tie of the two scores becomes: ``b`` (the response
        shown second wins; JudgeBench's rule, default), ``a`` (the first
        shown wins) or ``tie`` (``A=B``, which the pair rule never counts as
        correct).
      batch_size: Most conversations per forward pass; concurrent samples'
        conversations are batched together.
      max_length: Token limit of one conversation (``None`` = the model's own
        limit); longer ones are cut on ``truncation_side``.
      truncation_side: ``left`` (keep the end of the response, where the score
        is read; default) or ``right``.
      device: ``auto`` (CUDA, else MPS, else CPU), ``cpu``, ``cuda``, ``cuda:1``...
      dtype: ``auto`` (as saved), ``float32``, ``bfloat16`` or ``float16``.
      trust_remote_code: Allow model code from the model's repository.
      add_special_tokens: Let the tokenizer add special tokens to the formatted
        text (``None`` = only when there is no chat template).
      base_url: Root address of the reward-model server (``vllm_pooling``
        backend), e.g. ``http://10.0.0.5:8000``.
      max_connections: Most requests to the server in flight (``vllm_pooling``).
      timeout: Seconds one request may take (``vllm_pooling``).
      max_retries: Retries of a request after a transport error, HTTP 429 or
        a 5xx answer (``vllm_pooling``); a failed request fails the sample.
      backend_args: Extra settings of a backend (``vllm_pooling``:
        ``extra_body``, fields added to each request).
    """

    name = "reward_model"
    ties = _TIE_TEXT["b"]
    default_games = 1

    def __init__(
        self,
        reward_model: str | None = None,
        backend: str = "hf",
        ties: str = "b",
        batch_size: int = 8,
        max_length: int | None = None,
        truncation_side: str = "left",
        device: str = "auto",
        dtype: str = "auto",
        trust_remote_code: bool = False,
        add_special_tokens: bool | None = None,
        base_url: str | None = None,
        max_connections: int = 32,
        timeout: float = 120.0,
        max_retries: int = 5,
        backend_args: dict[str, Any] | None = None,
    ) -> None:
        tie_rule = str(ties).lower()
        if tie_rule not in TIE_RULES:
            raise RewardBackendConfigError(f"ties must be one of {', '.join(TIE_RULES)}; got {ties!r}")
        if backend_args is not None and not isinstance(backend_args, dict):
            raise RewardBackendConfigError(f"backend_args must be a mapping, got {backend_args!r}")
        self.tie_rule = tie_rule
        self.ties = _TIE_TEXT[tie_rule]  # type: ignore[misc]
        self.backend_name = backend
        self.reward_model = reward_model
        self.options = RewardBackendOptions(
            reward_model=reward_model,
            batch_size=int(batch_size),
            max_length=None if max_length is None else int(max_length),
            truncation_side=truncation_side,  # type: ignore[arg-type]
            device=device,
            dtype=dtype,
            trust_remote_code=bool(trust_remote_code),
            add_special_tokens=add_special_tokens,
            base_url=None if base_url is None else str(base_url),
            max_connections=int(max_connections),
            timeout=float(timeout),
            max_retries=int(max_retries),
            backend_args=dict(backend_args or {}),
        )
        # made now so a bad name or option fails when the task is built;
        # backends load their weights on first use
        self.backend = create_reward_backend(backend, self.options)
        self.memo = ScoreMemo(self.backend, backend)

    async def judge_game(self, game: Game, model: Model) -> GameResult:
        """Score both responses and compare (``model`` is not used).

        Args:
          game: The question and the two responses in the order shown.
          model: Unused: the reward model is not an Inspect model.
        """
        (s1, s2), reused = await self.memo.score([conversation(game.question, r) for r in game.responses])
        verdict = decide(s1, s2, self.tie_rule)
        note = f"exact tie: {self.ties}" if s1 == s2 else ""
        transcript().info(
            {
                "reward_model": self.reward_model,
                "backend": self.backend_name,
                "score of the response shown first": s1,
                "score of the response shown second": s2,
                "verdict": verdict,
                **({"scored before in this run": [n for n, r in zip(("first", "second"), reused) if r]} if any(reused) else {}),
                **({"note": note} if note else {}),
            },
            source="reward_model",
        )
        return GameResult(
            verdict,
            format_scores(s1, s2),
            note=note,
            extra={"scores": [s1, s2], "backend": self.backend_name, "reward_model": self.reward_model},
        )
