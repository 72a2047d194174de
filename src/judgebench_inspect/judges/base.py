"""What every judge strategy is: a way to play one game and read its verdict."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

from inspect_ai.model import ChatMessage, GenerateConfig, Model, ModelOutput

from ..verdicts import Verdict


class NotRead:
    """The type of :data:`NOT_READ`."""

    def __repr__(self) -> str:
        return "NOT_READ"


#: Returned where JudgeBench has no parser of its own for a judge's reply.
NOT_READ = NotRead()

#: Said of a reply that stopped at the token limit (ChatEval's discussion
#: entries, themselves replies, say just this).
CUT_OFF = "cut off at the token limit"

#: The note of a game whose reply stopped at the token limit.
CUT_OFF_NOTE = f"reply {CUT_OFF}"


@dataclass(frozen=True)
class Game:
    """What a judge is shown in one game.

    Attributes:
      question: The question both responses answer.
      responses: The two responses in the order shown (the first is called
        A or 1 in prompts).
      reference: A reference answer (``None``: the pair has none; today's
        judges do not use it).
      metadata: The pair's metadata (``pair_id``, ``category``, ``source``,
        ...), without the texts.
    """

    question: str
    responses: tuple[str, str]
    reference: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def first(self) -> str:
        """The response shown first."""
        return self.responses[0]

    @property
    def second(self) -> str:
        """The response shown second."""
        return self.responses[1]


class JudgeCallError(RuntimeError):
    """A judge model call that gave nothing usable (it is never scored as a verdict)."""


@dataclass
class GameResult:
    """The outcome of one game, in the frame the judge saw (``A`` = shown first).

    Attributes:
      verdict: ``A>B``, ``B>A``, ``A=B`` or ``None`` (no verdict).
      raw: The judge's text the verdict was read from.
      messages: The whole conversation of the game (prompt and replies).
      note: Why there is no verdict, or other parsing remarks.
      extra: Judge-specific details (scores, discussion, ...).
      upstream: The verdict JudgeBench's own parser reads from the same
        reply (judge's frame); ``None`` is no verdict.
      upstream_read: ``upstream`` was read (``False``: JudgeBench has no
        parser for this judge, and its verdict is taken to be ours).
      unreadable: The reply could not be read and the judge's rule counts it
        as a tie (PandaLM, JudgeLM): a parse failure, not a judgment.
      request: What was sent: ``prompts`` mode, ``exact`` (the requests were
        exactly JudgeBench's) and ``why`` not.
    """

    verdict: Verdict
    raw: str
    messages: list[ChatMessage] = field(default_factory=list)
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    upstream: Verdict = None
    upstream_read: bool = False
    unreadable: bool = False
    request: dict[str, Any] = field(default_factory=dict)


class PairwiseJudge(ABC):
    """A judging strategy. Subclasses define the prompt, the parser and the tie rule.

    A judge plays one game at a time: :meth:`judge_game` gets a :class:`Game`
    (the question, the two responses in the order shown, the pair's reference
    answer if any, and the pair's metadata) and the judge model, and returns a
    :class:`GameResult` in the frame the judge saw. The solver plays each
    presentation order as its own game and maps the verdict back to the pair.
    One object per game means a judge that wants more (a reference answer,
    per-pair metadata) reads it from the game without changing the others.

    Class attributes:
      name: The name used with ``-T judge=``.
      ties: How the strategy treats ties (shown in docs and logs).
      default_games: Games per pair unless ``-T games=`` says otherwise.
    """

    name: ClassVar[str]
    ties: ClassVar[str] = ""
    #: Games per pair when the user does not say (2 = both orders).
    default_games: ClassVar[int] = 2
    #: Where JudgeBench's run of this judge departed from the judge's authors
    #: (kept by ``prompts=judgebench``; the report repeats it).
    judgebench_quirks: ClassVar[str] = ""

    def prompts_metadata(self) -> dict[str, Any]:
        """What the log records about the prompts this judge sends (mode, source, exactness)."""
        return {"source": "none (the judge sends no prompt)"}

    @abstractmethod
    async def judge_game(self, game: Game, model: Model) -> GameResult:
        """Play one game.

        Args:
          game: The question and the two responses in the order shown (with
            the pair's reference answer and metadata, for judges that use them).
          model: The judge model.
        """


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


def check_positive_int(option: str, value: object) -> int:
    """Validate an option that must be a whole number of at least 1.

    Args:
      option: The option's name (for the message).
      value: The given value.
    """
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{option} must be a whole number of at least 1, got {value!r}")
    return value


async def complete(
    model: Model, messages: list[ChatMessage], config: GenerateConfig | None = None
) -> ModelOutput:
    """Call the judge model; a call that yields nothing is an error, not a verdict.

    Inspect retries transport errors (HTTP 429/5xx, time-outs) itself; what
    reaches here is a finished call. An error result, or an empty reply that was
    not cut off by the token limit, raises :class:`JudgeCallError` so the sample
    fails (and can be retried with ``inspect eval-retry``) instead of counting.

    Args:
      model: The judge model.
      messages: The conversation so far.
      config: Generation settings for this call.
    """
    output = await model.generate(messages, config=config or GenerateConfig())
    if output.error:
        raise JudgeCallError(f"judge model call failed: {output.error}")
    if not output.completion.strip() and output.stop_reason != "max_tokens":
        raise JudgeCallError(
            f"judge model returned an empty reply (stop reason: {output.stop_reason})"
        )
    return output
