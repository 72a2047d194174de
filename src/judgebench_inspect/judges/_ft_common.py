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
from ._prompted import prompt_messages
from ._truncate import MIN_RESPONSE_TOKENS, HFTokenizerCounter, cut_as_judgebench, fit_pair, make_counter
from .base import NOT_READ, GameResult, NotRead, complete
from .requests import PromptedJudge, UpstreamSpec, make_request
from .templates import PromptTemplate

CUT_OFF_NOTE = "reply cut off at the token limit"


@dataclass(frozen=True)
class Parsed:
    """What a parser read from a reply.

    Attributes:
      verdict: In the judge's frame (``A`` = shown first), or ``None``.
      note: Why there is no verdict, or how the verdict was read.
      extra: Parser details kept in the game record (scores, the line read, ...).
      unreadable: The reply could not be read, and the judge's rule counts
        that as a tie (kept apart so parse failures show).
    """

    verdict: Verdict
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    unreadable: bool = False


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

    @property
    def exact_tokenizer(self) -> bool:
        """Tokens are counted with the judge model's own tokenizer."""
        return isinstance(self.counter, HFTokenizerCounter)

    def fit_as_judgebench(
        self,
        build: Callable[[str, str], list[ChatMessage]],
        template_text: str,
        first: str,
        second: str,
        rule: dict[str, Any],
    ) -> tuple[list[ChatMessage], dict[str, Any]]:
        """The prompt with both responses cut by JudgeBench's own rule and tokenizer.

        JudgeBench cuts every response (whether or not it fits) to
        ``(context - new tokens - template tokens) // 2 - 2`` tokens, from
        the side its judge names, and decodes the kept tokens.

        Args:
          build: Builds the prompt messages from the two responses.
          template_text: The prompt rendered with empty responses.
          first: Response shown first.
          second: Response shown second.
          rule: JudgeBench's ``truncate_responses`` keywords (``context_limit``,
            ``max_new_tokens``, ``truncation_side``).
        """
        assert isinstance(self.counter, HFTokenizerCounter)
        tokenizer = self.counter.tokenizer
        a, b, info = cut_as_judgebench(
            tokenizer,
            template_text,
            first,
            second,
            int(rule["context_limit"]),
            int(rule["max_new_tokens"]),
            str(rule["truncation_side"]),
        )
        info["counter"] = self.counter.name
        return build(a, b), {"context": info}

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


class SingleCallJudge(PromptedJudge):
    """A judge that sends one prompt and parses one reply.

    Subclasses set :attr:`default_template` and :attr:`upstream_spec`,
    implement :meth:`parse` and :meth:`parse_judgebench`, and may override
    :meth:`build`.

    Args:
      prompts: ``judgebench`` (JudgeBench's exact requests) or ``builtin``.
      template: A template file path (or template) replacing the prompt.
      max_tokens: Reply tokens (``None``: JudgeBench's value, or the model's default).
      context: How responses are cut to fit a small context, if at all.
    """

    #: The built-in prompt.
    default_template: PromptTemplate
    #: Where the exact request lives in JudgeBench (``None``: nowhere).
    upstream_spec: ClassVar[UpstreamSpec | None] = None
    #: True where the reply is always cut by a small ``max_tokens`` on purpose
    #: (the verdict is on its first line), so a cut-off is not worth a note.
    short_reply: ClassVar[bool] = False
    #: True where a reply cut off at the token limit is never a verdict.
    cut_off_is_no_verdict: ClassVar[bool] = False

    def __init__(
        self,
        prompts: str,
        template: str | PromptTemplate | None,
        max_tokens: int | None,
        context: ContextFit | None = None,
    ) -> None:
        self.plan = make_request(
            prompts,
            self.upstream_spec,
            self.default_template,
            template,
            GenerateConfig(max_tokens=max_tokens),
            {"max_tokens": max_tokens},
        )
        self.context = context
        if context is not None and self.plan.exact_mode and not context.exact_tokenizer:
            self.plan.inexact.append(
                "responses cut with an estimate of the token count (JudgeBench used the judge's "
                "tokenizer: pass -T tokenizer=<the judge model's tokenizer>)"
            )

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

    def parse_judgebench(self, text: str) -> Verdict | NotRead:
        """The verdict JudgeBench's own parser reads from a reply (judge's frame).

        Args:
          text: The judge model's reply.

        Returns:
          The verdict, or :data:`NOT_READ` where JudgeBench has no parser.
        """
        return NOT_READ

    def _fit(self, question: str, first: str, second: str) -> tuple[list[ChatMessage] | None, dict[str, Any]]:
        if self.context is None:
            return self.build(question, first, second), {}
        facts = self.plan.facts
        if self.plan.exact_mode and facts is not None and facts.truncation and self.context.exact_tokenizer:
            return self.context.fit_as_judgebench(
                lambda a, b: self.build(question, a, b),
                self.template.render(question, "", "")[1],
                first,
                second,
                facts.truncation,
            )
        return self.context.fit(lambda a, b: self.build(question, a, b), first, second)

    async def judge_game(self, question: str, first: str, second: str, model: Model) -> GameResult:
        messages, extra = self._fit(question, first, second)
        if messages is None:
            note = (
                f"not judged: the question alone leaves too little of the judge's "
                f"{self.context.context_length if self.context else '?'}-token context for the responses"
            )
            return GameResult(None, "", [], note=note, extra=extra, upstream_read=False)
        messages, config, request = self.plan.prepare(model, messages)
        output = await complete(model, messages, config)
        messages.append(output.message)
        text = output.completion
        cut = output.stop_reason == "max_tokens"
        parsed = self.parse(text)
        verdict = None if cut and self.cut_off_is_no_verdict else parsed.verdict
        note = join_notes(parsed.note, CUT_OFF_NOTE if cut and not self.short_reply else "")
        upstream = self.parse_judgebench(text)
        return GameResult(
            verdict,
            text,
            messages,
            note=note,
            extra={**extra, **parsed.extra},
            upstream=None if upstream is NOT_READ else upstream,  # type: ignore[arg-type]
            upstream_read=upstream is not NOT_READ,
            unreadable=parsed.unreadable,
            request=request,
        )
