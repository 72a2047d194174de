"""Arena-Hard judge: answer the question yourself, compare, end with a label.

The structure follows the Arena-Hard-Auto pairwise judge (lmarena/arena-hard-auto)
as JudgeBench used it: a system message with the instructions and five labels
``[[A>>B]]``, ``[[A>B]]``, ``[[A=B]]``, ``[[B>A]]``, ``[[B>>A]]``; a user message
framing the question and both answers with start/end markers; if no label was
given the judge is asked once more to finish with one (two replies at most),
and the labels are read over everything it wrote. The wording is ours.
"""

from __future__ import annotations

import re

from inspect_ai.model import ChatMessageUser, GenerateConfig, Model

from ..verdicts import A_BETTER, B_BETTER, TIE, Verdict
from .base import GameResult, PairwiseJudge, complete
from ._prompted import prompt_messages, resolve_template
from .templates import PromptTemplate

ARENA_HARD_SYSTEM = (
    "You are an impartial judge. Two AI assistants, A and B, have answered the user prompt "
    "shown below; decide which answer is better.\n\n"
    "Start by writing your own answer to the prompt, before you read theirs closely. Then "
    "assess both assistants' answers against yours: find and correct any mistakes or wrong "
    "information. Judge whether each answer is helpful (it addresses the prompt correctly and "
    "follows its instructions; if the prompt is ambiguous, asking for clarification is better "
    "than assuming), relevant (every part bears on what was asked) and concise (clear, "
    "without padding). Where it matters, weigh creativity and novelty, and note any "
    "important information an answer is missing.\n\n"
    "After your explanation, end with exactly one final verdict label:\n"
    "1. Assistant A is significantly better: [[A>>B]]\n"
    "2. Assistant A is slightly better: [[A>B]]\n"
    "3. Tie, about the same: [[A=B]]\n"
    "4. Assistant B is slightly better: [[B>A]]\n"
    "5. Assistant B is significantly better: [[B>>A]]\n\n"
    'For example: "My final verdict is a tie: [[A=B]]".'
)

ARENA_HARD_USER = (
    "<|User Prompt|>\n{question}\n\n"
    "<|The Start of Assistant A's Answer|>\n{answer_a}\n<|The End of Assistant A's Answer|>\n\n"
    "<|The Start of Assistant B's Answer|>\n{answer_b}\n<|The End of Assistant B's Answer|>"
)

ARENA_HARD_TEMPLATE = PromptTemplate(user=ARENA_HARD_USER, system=ARENA_HARD_SYSTEM)

#: Sent when a reply has no label: asks the judge to finish its judgment.
FINISH_REQUEST = (
    "Your reply has no final verdict label yet. Finish your judgment and end with exactly "
    "one label: [[A>>B]], [[A>B]], [[A=B]], [[B>A]] or [[B>>A]]."
)

LABEL_RE = re.compile(r"\[\[([AB<>=]+)\]\]")

_LABELS: dict[str, Verdict] = {
    "A>>B": A_BETTER,
    "A>B": A_BETTER,
    "A=B": TIE,
    "B>A": B_BETTER,
    "B>>A": B_BETTER,
}


def find_labels(text: str) -> list[str]:
    """All ``[[...]]`` labels in a text, in order.

    Args:
      text: The judge's text.
    """
    return [m for m in LABEL_RE.findall(text) if m]


def parse_arena_hard(text: str) -> tuple[Verdict, str]:
    """Read the verdict of an Arena-Hard judgment.

    One distinct label gives its verdict (``>>`` folded into ``>``); several
    distinct labels, or a bracketed token that is not one of the five, give no
    verdict.

    Args:
      text: Everything the judge wrote.

    Returns:
      The verdict (judge's frame) and a note explaining a missing verdict.
    """
    labels = set(find_labels(text))
    if not labels:
        return None, "no verdict label"
    if len(labels) > 1:
        return None, f"several different labels: {', '.join(sorted(labels))}"
    (label,) = labels
    verdict = _LABELS.get(label)
    return verdict, "" if verdict else f"unknown label [[{label}]]"


class ArenaHardJudge(PairwiseJudge):
    """Chain-of-thought judge with five verdict labels, asked once more without one.

    Args:
      template: A template file path (or template) replacing the built-in prompt.
      max_tokens: Token limit of each reply (JudgeBench: 4096).
      attempts: Replies allowed before giving up on a label (JudgeBench: 2).
    """

    name = "arena_hard"
    ties = "[[A=B]] is a tie; several different labels, or none after the last attempt, is no verdict"

    def __init__(
        self,
        template: str | PromptTemplate | None = None,
        max_tokens: int = 4096,
        attempts: int = 2,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.template = resolve_template(template, ARENA_HARD_TEMPLATE)
        self.config = GenerateConfig(max_tokens=max_tokens)
        self.attempts = attempts

    async def judge_game(self, question: str, first: str, second: str, model: Model) -> GameResult:
        messages = prompt_messages(self.template, question, first, second)
        judgment = ""
        finished = ""  # the replies that were not cut off: a verdict needs a label here
        note = "no verdict label"
        for attempt in range(self.attempts):
            output = await complete(model, messages, self.config)
            messages.append(output.message)
            judgment += "\n" + output.completion
            cut_off = output.stop_reason == "max_tokens"
            if not cut_off:
                finished += "\n" + output.completion
                verdict, note = parse_arena_hard(judgment)
                if find_labels(finished):
                    return GameResult(verdict, judgment, messages, note=note, extra={"attempts": attempt + 1})
            else:
                note = "reply cut off at the token limit"
            if attempt + 1 < self.attempts:
                messages.append(ChatMessageUser(content=FINISH_REQUEST))
        return GameResult(None, judgment, messages, note=note, extra={"attempts": self.attempts})
