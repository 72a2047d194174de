"""Vanilla judge: name the better output, no explanation, no tie.

JudgeBench's simplest baseline. The reply must be exactly ``Output (a)`` or
``Output (b)`` once stripped; anything else is no verdict.
"""

from __future__ import annotations

from ..verdicts import A_BETTER, B_BETTER, Verdict
from .requests import DEFAULT_PROMPTS, UpstreamSpec
from .single_call import Parsed, SingleCallJudge
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

#: JudgeBench's Vanilla request: ``Vanilla`` in utils/judges.py.
VANILLA_UPSTREAM = UpstreamSpec(cls="Vanilla", user="vanilla_prompt", names=("question", "answer_a", "answer_b"))


def parse_vanilla(text: str) -> Verdict:
    """The verdict of a Vanilla reply: exact match after stripping, else ``None``.

    JudgeBench reads the reply the same way (anything else raised an error
    there, which it recorded as no verdict).

    Args:
      text: The judge's reply.
    """
    return _ANSWERS.get(text.strip())  # type: ignore[return-value]


class VanillaJudge(SingleCallJudge):
    """One user message; the reply names Output (a) or Output (b).

    Args:
      template: A template file path (or template) replacing the prompt.
      max_tokens: Token limit of the reply (JudgeBench: 1024).
      prompts: ``judgebench`` (JudgeBench's exact request) or ``builtin`` (our wording).
    """

    name = "vanilla"
    ties = "no tie option; any reply other than the two answers is no verdict"
    default_template = VANILLA_TEMPLATE
    upstream_spec = VANILLA_UPSTREAM
    cut_off_is_no_verdict = True

    def __init__(
        self,
        template: str | PromptTemplate | None = None,
        max_tokens: int | None = 1024,
        prompts: str = DEFAULT_PROMPTS,
    ) -> None:
        super().__init__(prompts, template, max_tokens)

    def parse(self, text: str) -> Parsed:
        verdict = parse_vanilla(text)
        return Parsed(verdict, "" if verdict else "reply is not exactly 'Output (a)' or 'Output (b)'")

    def parse_judgebench(self, text: str) -> Verdict:
        return parse_vanilla(text)
