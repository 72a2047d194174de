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
from typing import ClassVar

from inspect_ai.model import ChatMessage, ChatMessageUser, GenerateConfig, Model

from ..verdicts import A_BETTER, B_BETTER, TIE, Verdict
from .base import CUT_OFF_NOTE, check_positive_int, complete
from .requests import DEFAULT_PROMPTS, UpstreamSpec
from .single_call import Parsed, Reply, SingleCallJudge
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


def parse_arena_hard_judgebench(text: str) -> Verdict:
    """The verdict JudgeBench's own Arena-Hard parser reads from a judgment.

    It takes the labels anywhere in the text (replies cut off at the token
    limit included): one distinct label gives its verdict with ``>>`` folded
    into ``>``; none or several give no verdict (a label outside the five,
    such as ``[[A<B]]``, counted as neither right nor wrong there).

    Args:
      text: Everything the judge wrote.
    """
    labels = set(find_labels(text))
    if len(labels) != 1:
        return None
    (label,) = labels
    return _LABELS.get(label.strip("\n").replace(">>", ">").strip())


#: JudgeBench's Arena-Hard request: ``ArenaHard`` in utils/judges.py.
ARENA_HARD_UPSTREAM = UpstreamSpec(
    cls="ArenaHard",
    user="arena_hard_judge_prompt",
    system="arena_hard_judge_system",
    names=("prompt", "answer_a", "answer_b"),
)


class ArenaHardJudge(SingleCallJudge):
    """Chain-of-thought judge with five verdict labels, asked once more without one.

    Args:
      template: A template file path (or template) replacing the prompt.
      max_tokens: Token limit of each reply (JudgeBench: 4096).
      attempts: Replies allowed before giving up on a label (JudgeBench: 2).
      prompts: ``judgebench`` (JudgeBench's exact requests) or ``builtin`` (our wording).
    """

    name = "arena_hard"
    ties = "[[A=B]] is a tie; several different labels, or none after the last attempt, is no verdict"
    upstream_spec: ClassVar[UpstreamSpec] = ARENA_HARD_UPSTREAM
    default_template: PromptTemplate = ARENA_HARD_TEMPLATE

    def __init__(
        self,
        template: str | PromptTemplate | None = None,
        max_tokens: int = 4096,
        attempts: int = 2,
        prompts: str = DEFAULT_PROMPTS,
    ) -> None:
        check_positive_int("max_tokens", max_tokens)
        check_positive_int("attempts", attempts)
        super().__init__(prompts, template, max_tokens)
        self.attempts = attempts
        self.follow_up = FINISH_REQUEST
        facts = self.plan.facts
        if facts is not None:
            self.follow_up = facts.follow_up or FINISH_REQUEST
            upstream_attempts = int(facts.constants.get("number_of_judgment_attempts", 1))
            if attempts != upstream_attempts:
                self.plan.inexact.append(f"attempts={attempts} (JudgeBench: {upstream_attempts})")

    async def converse(self, model: Model, messages: list[ChatMessage], config: GenerateConfig) -> Reply:
        """Ask until a reply has a label, at most ``attempts`` replies (JudgeBench's rule).

        Args:
          model: The judge model.
          messages: The conversation so far (the prompt); replies and requests are appended.
          config: Generation settings of each call.
        """
        judgment = ""
        finished = ""  # the replies that were not cut off: our verdict needs a label here
        cut = False
        used = 0
        for attempt in range(self.attempts):
            output = await complete(model, messages, config)
            messages.append(output.message)
            used = attempt + 1
            judgment += "\n" + output.completion
            if output.stop_reason == "max_tokens":
                cut = True
            else:
                finished += "\n" + output.completion
            # JudgeBench asks again only while no label at all was written; ours
            # while no finished reply has one.
            done = find_labels(judgment) if self.plan.exact_mode else find_labels(finished)
            if done:
                break
            if attempt + 1 < self.attempts:
                messages.append(ChatMessageUser(content=self.follow_up))
        return Reply(judgment, cut, finished, {"attempts": used})

    def read(self, reply: Reply) -> Parsed:
        """A verdict only when a finished reply has a label; read over everything written.

        Args:
          reply: What the judge model wrote.
        """
        if find_labels(reply.finished):
            return self.parse(reply.text)
        return Parsed(None, CUT_OFF_NOTE if reply.cut else "no verdict label")

    def parse(self, text: str) -> Parsed:
        return Parsed(*parse_arena_hard(text))

    def parse_judgebench(self, text: str) -> Verdict:
        return parse_arena_hard_judgebench(text)
