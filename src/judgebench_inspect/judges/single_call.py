"""The judges that render one prompt and read the verdict from the reply.

Vanilla, PandaLM, Prometheus 2, JudgeLM, Auto-J and Skywork-Critic each send a
single prompt (for the fine-tuned judges in the format their model was
trained on) and read one reply. Their prompt is one user message (a system
message only where a judge offers it as an option), so they also run on
completion endpoints such as Inspect's ``vllm-completions/`` and
``openai-api-completions/`` providers, which take exactly one user message as
the raw prompt. Arena-Hard (and CompassJudger) use the same path and override
two hooks: :meth:`SingleCallJudge.converse` (ask again while no label was
written) and :meth:`SingleCallJudge.read` (its verdict rule over all replies).
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from inspect_ai.model import ChatMessage, GenerateConfig, Model

from ..verdicts import Verdict
from .base import CUT_OFF_NOTE, NOT_READ, Game, GameResult, NotRead, PairwiseJudge, complete
from .context import ContextFit
from .requests import RequestPlan, Template, UpstreamSpec, make_request
from .templates import PromptTemplate, prompt_messages


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


@dataclass
class Reply:
    """What the judge model wrote in one game.

    Attributes:
      text: Everything it wrote (the game's raw text).
      cut: A reply stopped at the token limit.
      finished: What it wrote in the replies that were not cut off.
      extra: Details for the game record (e.g. how many replies).
    """

    text: str
    cut: bool = False
    finished: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class SingleCallJudge(PairwiseJudge):
    """A judge that renders one prompt and reads the verdict from the reply.

    Subclasses set :attr:`default_template` and :attr:`upstream_spec`,
    implement :meth:`parse` and :meth:`parse_judgebench`, and may override
    :meth:`build`; a judge that may ask again overrides :meth:`converse`, and
    one with its own rule for cut-off or several replies :meth:`read`.

    Args:
      prompts: ``judgebench`` (JudgeBench's exact requests) or ``builtin``.
      template: A template file path (or template) replacing the prompt.
      max_tokens: Reply tokens (``None``: JudgeBench's value, or the model's default).
      context: How responses are cut to fit a small context, if at all (the
        judge's context options, see :class:`~.context.ContextFit`).

    Attributes:
      plan: How the judge's requests are made (see :mod:`.requests`).
    """

    plan: RequestPlan

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
        facts = self.plan.facts
        if context is not None and self.plan.exact_mode and not context.exact_tokenizer:
            self.plan.inexact.append(
                "responses cut with an estimate of the token count (JudgeBench used the judge's "
                "tokenizer: pass -T tokenizer=<the judge model's tokenizer>)"
            )
        if context is not None and facts is not None and facts.truncation:
            difference = context.judgebench_difference(facts.truncation)
            if difference is not None:
                self.plan.inexact.append(difference)

    @property
    def template(self) -> Template:
        """The prompt template in use."""
        return self.plan.template

    @property
    def config(self) -> GenerateConfig:
        """The generation settings of each call (before the model's family rule)."""
        return self.plan.config

    def prompts_metadata(self) -> dict[str, Any]:
        """The prompts' mode, origin, JudgeBench's commit and file hashes, and whether
        the options allow JudgeBench's exact requests."""
        plan = self.plan
        out: dict[str, Any] = {"mode": plan.mode, "template": plan.template.origin}
        if plan.upstream is not None:
            out.update(plan.upstream.provenance())
        out["exact"] = plan.exact_mode and not plan.inexact
        if plan.inexact:
            out["why_not_exact"] = list(plan.inexact)
        if plan.exact_mode:
            out["per_model"] = "exactness of each game's requests also depends on the model (recorded per game)"
        return out

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

    async def converse(self, model: Model, messages: list[ChatMessage], config: GenerateConfig) -> Reply:
        """Call the judge model: one reply (appended to ``messages``).

        Args:
          model: The judge model.
          messages: The conversation so far (the prompt); replies are appended.
          config: Generation settings of each call.
        """
        output = await complete(model, messages, config)
        messages.append(output.message)
        cut = output.stop_reason == "max_tokens"
        return Reply(output.completion, cut, "" if cut else output.completion)

    def read(self, reply: Reply) -> Parsed:
        """The game's verdict and note: :meth:`parse` with the judge's cut-off rule.

        Args:
          reply: What the judge model wrote.
        """
        parsed = self.parse(reply.text)
        verdict = None if reply.cut and self.cut_off_is_no_verdict else parsed.verdict
        note = join_notes(parsed.note, CUT_OFF_NOTE if reply.cut and not self.short_reply else "")
        return Parsed(verdict, note, parsed.extra, parsed.unreadable)

    def _fit(self, game: Game) -> tuple[list[ChatMessage] | None, dict[str, Any]]:
        question, first, second = game.question, game.first, game.second
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

    async def judge_game(self, game: Game, model: Model) -> GameResult:
        messages, extra = self._fit(game)
        if messages is None:
            note = (
                f"not judged: the question alone leaves too little of the judge's "
                f"{self.context.context_length if self.context else '?'}-token context for the responses"
            )
            return GameResult(None, "", [], note=note, extra=extra, upstream_read=False)
        messages, config, request = self.plan.prepare(model, messages)
        reply = await self.converse(model, messages, config)
        parsed = self.read(reply)
        upstream = self.parse_judgebench(reply.text)
        return GameResult(
            parsed.verdict,
            reply.text,
            messages,
            note=parsed.note,
            extra={**extra, **parsed.extra, **reply.extra},
            upstream=None if upstream is NOT_READ else upstream,  # type: ignore[arg-type]
            upstream_read=upstream is not NOT_READ,
            unreadable=parsed.unreadable,
            request=request,
        )
