"""Skywork-Critic judge: an MT-Bench-style pairwise prompt answered with ``[[A]]`` or ``[[B]]``.

Format origin: the pairwise prompt of the Skywork-Critic-Llama-3.1 model cards
(Skywork/Skywork-Critic-Llama-3.1-8B and -70B on Hugging Face) as JudgeBench ran
it (ScalerLab/JudgeBench ``utils/templates/skywork_critic_prompt.jinja2``):
instructions to judge impartially (no position, length or name bias) and to
output only the verdict ``[[A]]`` or ``[[B]]``, then ``[User Question]`` and
the two answers framed by ``[The Start of Assistant A's Answer]`` /
``[The End of Assistant A's Answer]`` (and the same for B). One user message;
the model's Llama 3.1 chat template wraps it. The instructions are our
wording; the markers and the verdict labels are the trained ones.

Upstream defect, fixed here: JudgeBench took a reply as "A" whenever it held
a capital A anywhere (so "[[B]]" preceded by "Assistant" read as A). This
judge reads the ``[[A]]`` / ``[[B]]`` label.
"""

from __future__ import annotations

import re

from ..verdicts import A_BETTER, B_BETTER, Verdict
from .requests import DEFAULT_PROMPTS, UpstreamSpec
from .single_call import Parsed, SingleCallJudge
from .templates import PromptTemplate

SKYWORK_CRITIC_TEMPLATE = PromptTemplate(
    user=(
        "Please act as an impartial judge of the responses two AI assistants gave to the user "
        "question below. Choose the assistant that follows the user's instructions and "
        "answers the question better, weighing helpfulness, relevance, accuracy, depth, "
        "creativity and level of detail. Do not let the order in which the responses appear, "
        "their length, or the assistants' names influence your decision; be as objective as "
        "you can.\n"
        'Output your final verdict directly, strictly in this format: "[[A]]" if assistant A '
        'is better, "[[B]]" if assistant B is better.\n\n'
        "[User Question]\n{question}\n\n"
        "[The Start of Assistant A's Answer]\n{answer_a}\n[The End of Assistant A's Answer]\n\n"
        "[The Start of Assistant B's Answer]\n{answer_b}\n[The End of Assistant B's Answer]\n"
    )
)

_LABEL = re.compile(r"\[\[\s*([AB])\s*\]\]")
_VERDICTS: dict[str, Verdict] = {"A": A_BETTER, "B": B_BETTER}


def parse_skywork_critic(text: str) -> Parsed:
    """Read a Skywork-Critic reply: the label ``[[A]]`` or ``[[B]]``.

    One distinct label (it may repeat) gives the verdict. A reply that is only
    the bare letter ``A`` or ``B`` (quotes, asterisks and a final period
    aside) is read too. Both labels, neither, or anything else is no verdict;
    there is no tie option.

    Args:
      text: The reply.
    """
    labels = set(_LABEL.findall(text))
    if len(labels) == 1:
        (label,) = labels
        return Parsed(_VERDICTS[label], "", {"label": label})
    if len(labels) > 1:
        return Parsed(None, "both [[A]] and [[B]] in the reply")
    bare = text.strip().strip("\"'`*. \t\n")
    if bare in _VERDICTS:
        return Parsed(_VERDICTS[bare], "bare letter without [[ ]]", {"label": bare})
    return Parsed(None, "no [[A]] or [[B]] label")


def parse_skywork_critic_judgebench(text: str) -> Verdict:
    """The verdict JudgeBench's own Skywork-Critic parser reads from a reply.

    Any capital ``A`` anywhere in the reply means the first response; else
    any capital ``B`` the second; else no verdict.

    Args:
      text: The reply.
    """
    return A_BETTER if "A" in text else B_BETTER if "B" in text else None


#: JudgeBench's Skywork-Critic request: ``SkyworkCritic`` in utils/judges.py.
SKYWORK_CRITIC_UPSTREAM = UpstreamSpec(
    cls="SkyworkCritic", user="skywork_critic_prompt", names=("input", "response_a", "response_b")
)


class SkyworkCriticJudge(SingleCallJudge):
    """Skywork-Critic-Llama-3.1 (8B, 70B): verdict label only.

    Args:
      template: A template file path (or template) replacing the prompt.
      max_tokens: Reply tokens (JudgeBench: 2048).
      prompts: ``judgebench`` (JudgeBench's exact request) or ``builtin`` (our wording).
    """

    name = "skywork_critic"
    ties = "no tie option: a reply without exactly one of [[A]] / [[B]] is no verdict"
    default_template = SKYWORK_CRITIC_TEMPLATE
    upstream_spec = SKYWORK_CRITIC_UPSTREAM
    judgebench_quirks = (
        "JudgeBench read any capital A in a Skywork-Critic reply as a verdict for A; "
        "the score here reads the [[A]]/[[B]] label"
    )

    def __init__(
        self,
        template: str | PromptTemplate | None = None,
        max_tokens: int = 2048,
        prompts: str = DEFAULT_PROMPTS,
    ) -> None:
        super().__init__(prompts, template, max_tokens)

    def parse(self, text: str) -> Parsed:
        return parse_skywork_critic(text)

    def parse_judgebench(self, text: str) -> Verdict:
        return parse_skywork_critic_judgebench(text)
