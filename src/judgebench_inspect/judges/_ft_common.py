"""Plumbing shared by the fine-tuned judges: one prompt, one reply, one parse.

PandaLM, Prometheus 2, JudgeLM, Auto-J and Skywork-Critic each send a single
prompt in the format their model was trained on and read one reply. The
prompt is one user message (a system message only where a judge offers it as
an option), so the judges also run on completion endpoints such as Inspect's
``vllm-completions/`` and ``openai-api-completions/`` providers, which take
exactly one user message as the raw prompt.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar

from inspect_ai.model import ChatMessage, GenerateConfig, Model

from ..verdicts import Verdict
from ._prompted import prompt_messages, resolve_template
from ._truncate import MIN_RESPONSE_TOKENS, fit_pair, make_counter
from .base import GameResult, PairwiseJudge, complete
from .templates import PromptTemplate

CUT_OFF_NOTE = "reply cut off at the token limit"


@dataclass(frozen=True)
class Parsed:
    """What a parser read from a reply.

    Attributes:
      verdict: In the judge's frame (``A`` = shown first), or ``None``.
      note: Why there is no verdict, or how the verdict was read.
      extra: Parser details kept in the game record (scores, the line read, ...).
    """

    verdict: Verdict
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def join_notes(*notes: str) -> str:
    """Non-empty notes joined with ``; ``."""
    return "; ".join(n for n in notes if n)


def messages_text(messages: list[ChatMessage]) -> str:
    """All message texts as one string (what a token count should cover)."""
    return "\n\n".join(m.text for m in messages)


def check_choice(option: str, value: str, choices: tuple[str, ...]) -> str:
    """Validate an option that takes one of a few words.

    Args:
      option: The option's name (for the message).
      value: The given value.
      choices: The valid values.
    """
    if value not in choices:
        raise ValueError(f"{option} must be one of {', '.join(choices)}; got {value!r}")
    return value


class ContextFit:
    """Keeps prompts inside a small context window by cutting the responses.

    Args:
      context_length: The judge model's context in tokens.
      max_tokens: Tokens reserved for the reply.
      reserve: Further tokens kept free (chat-template wrapping, special tokens).
      tokenizer: ``None`` (estimate), ``"bytes"`` (strict bound) or a
        tokenizer path / hub id (needs ``transformers``).
      keep: ``"end"`` keeps the end of each response, ``"start"`` its start.
    """

    def __init__(
        self,
        context_length: int,
        max_tokens: int,
        reserve: int,
        tokenizer: str | None,
        keep: str,
    ) -> None:
        for opt, val in (("context_length", context_length), ("max_tokens", max_tokens), ("reserve", reserve)):
            if not isinstance(val, int) or isinstance(val, bool) or val < 0:
                raise ValueError(f"{opt} must be a non-negative integer, got {val!r}")
        self.keep = check_choice("keep", keep, ("end", "start"))
        self.budget = context_length - max_tokens - reserve
        if self.budget < 2 * MIN_RESPONSE_TOKENS:
            raise ValueError(
                f"context_length={context_length} leaves no room for a prompt after "
                f"max_tokens={max_tokens} and reserve={reserve}"
            )
        self.context_length = context_length
        self.counter = make_counter(tokenizer)

    def fit(
        self, build: Callable[[str, str], list[ChatMessage]], first: str, second: str
    ) -> tuple[list[ChatMessage] | None, dict[str, Any]]:
        """The prompt with both responses cut to fit, and the counts for the log.

        Args:
          build: Builds the prompt messages from the two responses.
          first: Response shown first.
          second: Response shown second.

        Returns:
          The messages (``None`` when the question alone fills the context)
          and a dict with the counts.
        """
        fitted = fit_pair(
            lambda a, b: messages_text(build(a, b)), first, second, self.counter, self.budget, self.keep
        )
        if fitted is None:
            return None, {"context": {"counter": self.counter.name, "budget": self.budget, "fits": False}}
        return build(fitted.first, fitted.second), {"context": fitted.info}


class SingleCallJudge(PairwiseJudge):
    """A judge that sends one prompt and parses one reply.

    Subclasses set :attr:`default_template` (or override :meth:`build`) and
    implement :meth:`parse`.
    """

    #: The built-in prompt.
    default_template: ClassVar[PromptTemplate]
    #: True where the reply is always cut by a small ``max_tokens`` on purpose
    #: (the verdict is on its first line), so a cut-off is not worth a note.
    short_reply: ClassVar[bool] = False

    def __init__(
        self,
        template: str | PromptTemplate | None,
        max_tokens: int | None,
        context: ContextFit | None = None,
    ) -> None:
        self.template = resolve_template(template, self.default_template)
        self.config = GenerateConfig(max_tokens=max_tokens)
        self.context = context

    def build(self, question: str, first: str, second: str) -> list[ChatMessage]:
        """The prompt messages of a game.

        Args:
          question: The question.
          first: Response shown first.
          second: Response shown second.
        """
        return prompt_messages(self.template, question, first, second)

    @abstractmethod
    def parse(self, text: str) -> Parsed:
        """Read the verdict of a reply.

        Args:
          text: The judge model's reply.
        """

    async def judge_game(self, question: str, first: str, second: str, model: Model) -> GameResult:
        extra: dict[str, Any] = {}
        if self.context is None:
            messages: list[ChatMessage] | None = self.build(question, first, second)
        else:
            messages, extra = self.context.fit(lambda a, b: self.build(question, a, b), first, second)
        if messages is None:
            note = (
                f"not judged: the question alone leaves too little of the judge's "
                f"{self.context.context_length if self.context else '?'}-token context for the responses"
            )
            return GameResult(None, "", [], note=note, extra=extra)
        output = await complete(model, messages, self.config)
        messages.append(output.message)
        parsed = self.parse(output.completion)
        cut = output.stop_reason == "max_tokens" and not self.short_reply
        note = join_notes(parsed.note, CUT_OFF_NOTE if cut else "")
        return GameResult(parsed.verdict, output.completion, messages, note=note, extra={**extra, **parsed.extra})
