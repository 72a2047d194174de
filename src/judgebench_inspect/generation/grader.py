"""The second grader: a model that is shown the ground truth and says whether a
response reached it, regardless of how the answer is formatted.

JudgeBench asked GPT-4o-mini this question for every MMLU-Pro and LiveBench
response and dropped the responses where it disagreed with the rule-based
checker (mostly right answers in the wrong format, such as "IIIIi"). The prompt
and the verdict format below are this project's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser, GenerateConfig, Model

#: Verdict words the grader ends with.
CORRECT = "CORRECT"
INCORRECT = "INCORRECT"

GRADER_SYSTEM = (
    "You check answers against a known reference. You are given a task, the "
    "reference answer, and a response written by someone else. Find the final "
    "answer the response commits to and decide whether it is the same as the "
    "reference answer. Ignore formatting: an answer that is right but written in "
    "an unexpected form (wrong case, missing repetition, different notation for "
    "the same value) still counts as the same. An answer that is different, "
    "missing, or hedged between several options does not."
)

GRADER_TEMPLATE = """## Task
{question}

## Reference answer
{reference}

## Response to check
{response}

## What to write
In one or two sentences, state the final answer the response commits to and how it compares with the reference. Then write a last line that is exactly `GRADE: CORRECT` or `GRADE: INCORRECT`."""

_GRADE = re.compile(r"GRADE:\s*\**\s*(CORRECT|INCORRECT)\b", re.IGNORECASE)

#: Token budget of one grading call.
GRADER_MAX_TOKENS = 1024


@dataclass(frozen=True)
class GraderVerdict:
    """What the second grader said about one response.

    Attributes:
      correct: ``True``/``False``, or ``None`` when no verdict could be read.
      raw: The grader's full reply.
    """

    correct: bool | None
    raw: str


def grader_messages(question: str, reference: str, response: str) -> list[ChatMessage]:
    """The grader's prompt.

    Args:
      question: The task the response answers.
      reference: The ground-truth answer.
      response: The response to grade.
    """
    return [
        ChatMessageSystem(content=GRADER_SYSTEM),
        ChatMessageUser(
            content=GRADER_TEMPLATE.format(question=question, reference=reference, response=response)
        ),
    ]


def parse_grade(text: str) -> bool | None:
    """Read the last ``GRADE: CORRECT|INCORRECT`` of a reply.

    Args:
      text: The grader's reply.

    Returns:
      ``True`` for CORRECT, ``False`` for INCORRECT, ``None`` if there is none.
    """
    found = _GRADE.findall(text or "")
    if not found:
        return None
    return found[-1].upper() == CORRECT


async def grade(model: Model, question: str, reference: str, response: str) -> GraderVerdict:
    """Ask the grader model about one response (greedy decoding).

    A failed call raises (the sample fails and can be retried); it is never
    counted as a verdict.

    Args:
      model: The grader model.
      question: The task the response answers.
      reference: The ground-truth answer.
      response: The response to grade.
    """
    output = await model.generate(
        grader_messages(question, reference, response),
        config=GenerateConfig(temperature=0.0, max_tokens=GRADER_MAX_TOKENS),
    )
    raw = output.completion
    return GraderVerdict(parse_grade(raw), raw)
