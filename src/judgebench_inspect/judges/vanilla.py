"""Vanilla judge: name the better output, no explanation, no tie.

JudgeBench's simplest baseline. The reply must be exactly ``Output (a)`` or
``Output (b)`` once stripped; anything else is no verdict.
"""

from __future__ import annotations

from inspect_ai.model import GenerateConfig, Model

from ..verdicts import A_BETTER, B_BETTER, Verdict
from .base import GameResult, PairwiseJudge, complete
from ._prompted import prompt_messages, resolve_template
from .templates import PromptTemplate

VANILLA_TEMPLATE = PromptTemplate(
    user=(
        "Below are a question and two candidate outputs. Decide which output answers the "
        "question better. Reply with exactly \"Output (a)\" or exactly \"Output (b)\" and "
        "nothing else: no explanation, no other words.\n\n"
        "# Question:\n{question}\n\n"
        "# Output (a):\n{answer_a}\n\n"
        "# Output (b):\n{answer_b}\n\n"
        "# Which is better, Output (a) or Output (b)? Your reply (exactly one of the two):"
    )
)

_ANSWERS = {"Output (a)": A_BETTER, "Output (b)": B_BETTER}


def parse_vanilla(text: str) -> Verdict:
    """The verdict of a Vanilla reply: exact match after stripping, else ``None``.

    Args:
      text: The judge's reply.
    """
    return _ANSWERS.get(text.strip())  # type: ignore[return-value]


class VanillaJudge(PairwiseJudge):
    """One user message; the reply names Output (a) or Output (b).

    Args:
      template: A template file path (or template) replacing the built-in prompt.
      max_tokens: Token limit of the reply (``None`` = the model's default).
    """

    name = "vanilla"
    ties = "no tie option; any reply other than the two answers is no verdict"

    def __init__(self, template: str | PromptTemplate | None = None, max_tokens: int | None = None) -> None:
        self.template = resolve_template(template, VANILLA_TEMPLATE)
        self.config = GenerateConfig(max_tokens=max_tokens)

    async def judge_game(self, question: str, first: str, second: str, model: Model) -> GameResult:
        messages = prompt_messages(self.template, question, first, second)
        output = await complete(model, messages, self.config)
        messages.append(output.message)
        if output.stop_reason == "max_tokens":
            return GameResult(None, output.completion, messages, note="reply cut off at the token limit")
        verdict = parse_vanilla(output.completion)
        note = "" if verdict else "reply is not exactly 'Output (a)' or 'Output (b)'"
        return GameResult(verdict, output.completion, messages, note=note)
