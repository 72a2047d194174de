"""JudgeLM judge: two 1-10 scores on the first output line; the higher wins.

Format origin: JudgeLM (baaivision/JudgeLM, ``judgelm/llm_judge``) as JudgeBench
ran it (ScalerLab/JudgeBench ``utils/templates/judgelm_prompt.jinja2``). The
trained prompt is plain text: a one-line role, then ``[Question]``, the two
answers framed by ``[The Start of Assistant 1's Answer]`` /
``[The End of Assistant 1's Answer]`` (and the same for Assistant 2), a
``[System]`` section asking for the two scores on the first line followed by
an explanation, and ``### Response:`` after which the model writes. The role
line and the ``[System]`` text here are our wording; the markers are the
trained ones. JudgeBench generated 16 tokens (enough for the score line) in a
2048-token context; the responses are cut to fit (by default from the left,
keeping their ends; JudgeBench's JudgeLM run kept the starts: ``keep=start``).
"""

from __future__ import annotations

import re

from ..verdicts import A_BETTER, B_BETTER, TIE, Verdict
from .context import ContextFit
from .requests import DEFAULT_PROMPTS, UpstreamSpec
from .single_call import Parsed, SingleCallJudge
from .templates import PromptTemplate

JUDGE_LM_TEMPLATE = PromptTemplate(
    user=(
        "You are a careful assistant who checks how good answers are.\n"
        "[Question]\n{question}\n\n"
        "[The Start of Assistant 1's Answer]\n{answer_a}\n\n"
        "[The End of Assistant 1's Answer]\n\n"
        "[The Start of Assistant 2's Answer]\n{answer_b}\n\n"
        "[The End of Assistant 2's Answer]\n\n"
        "[System]\n"
        "Please give feedback on how well the two AI assistants above answered the user's "
        "question. Consider how helpful, relevant, accurate and detailed each response is, "
        "and give each assistant one overall score from 1 to 10, where higher means better.\n"
        "On the first line, write only the two scores, for Assistant 1 and Assistant 2 in "
        "that order, separated by a space. From the next line on, explain your evaluation "
        "without bias, making sure the order in which the answers were shown does not sway "
        "your judgment.\n\n"
        "### Response:"
    )
)

#: Two numbers separated by spaces and/or one comma, nothing else on the line.
_SCORES = re.compile(r"(\d+(?:\.\d+)?)\s*(?:,\s*|\s+)(\d+(?:\.\d+)?)")
#: Scores outside this range are not JudgeLM scores.
SCORE_RANGE = (0.0, 10.0)


def parse_judge_lm(text: str) -> Parsed:
    """Read a JudgeLM reply: the first line holds two scores, first then second.

    The higher score wins; equal scores are a tie, and so (JudgeLM's and
    JudgeBench's rule) is a first line that is not two numbers within 0-10.
    ``extra["scores"]`` holds the two scores, or ``None``.

    Args:
      text: The reply.
    """
    first = text.strip().split("\n", 1)[0].strip()
    m = _SCORES.fullmatch(first)
    if m:
        s1, s2 = float(m.group(1)), float(m.group(2))
        lo, hi = SCORE_RANGE
        if lo <= s1 <= hi and lo <= s2 <= hi:
            verdict: Verdict = A_BETTER if s1 > s2 else B_BETTER if s2 > s1 else TIE
            return Parsed(verdict, "", {"scores": [s1, s2]})
        note = f"scores {s1:g} {s2:g} outside 0-10: counted as a tie"
    else:
        note = f"first line {first[:60]!r} is not two scores: counted as a tie"
    return Parsed(TIE, note, {"scores": None, "first_line": first[:200]}, unreadable=True)


def parse_judge_lm_judgebench(text: str) -> Verdict:
    """The verdict JudgeBench's own JudgeLM parser reads from a reply.

    The reply's first line (not stripped), commas made spaces, is split on
    single spaces; exactly two parts that Python reads as numbers are the two
    scores, the higher wins; anything else (and equal scores) is a tie.

    Args:
      text: The reply.
    """
    parts = text.split("\n")[0].replace(",", " ").split(" ")
    if len(parts) != 2:
        return TIE
    try:
        s1, s2 = float(parts[0]), float(parts[1])
    except ValueError:
        return TIE
    return A_BETTER if s1 > s2 else B_BETTER if s1 < s2 else TIE


#: JudgeBench's JudgeLM request: ``JudgeLM`` in utils/judges.py.
JUDGE_LM_UPSTREAM = UpstreamSpec(cls="JudgeLM", user="judgelm_prompt", names=("question", "answer_1", "answer_2"))


class JudgeLMJudge(SingleCallJudge):
    """JudgeLM (7B/13B/33B): completion prompt, two scores on the first line.

    Args:
      template: A template file path (or template) replacing the prompt.
      max_tokens: Reply tokens (JudgeBench: 16, enough for the score line).
      context_length: The model's context in tokens (JudgeLM: 2048).
      tokenizer: Tokenizer for exact counts: a local path or hub id (needs the
        ``hf`` extra), ``"bytes"`` for a strict byte bound; default: estimate.
      reserve: Tokens kept free for what a server adds around the prompt.
      keep: ``end`` (cut responses from the left) or ``start`` (keep their
        starts, JudgeBench's setting for JudgeLM); default: ``start`` with
        ``prompts=judgebench``, ``end`` with ``builtin``.
      prompts: ``judgebench`` (JudgeBench's exact request: needs a completions
        provider and ``tokenizer``) or ``builtin`` (our wording).
    """

    name = "judge_lm"
    ties = (
        "equal scores are a tie, and so is a first line that is not two scores in 0-10 "
        "(JudgeLM's rule); no verdict only when the question alone fills the context"
    )
    default_template = JUDGE_LM_TEMPLATE
    upstream_spec = JUDGE_LM_UPSTREAM
    judgebench_quirks = (
        "JudgeBench split JudgeLM's score line on single spaces ('8, 7' and '8  7' counted as ties) "
        "and kept the start of long responses, where the final answer is usually at the end"
    )
    short_reply = True

    def __init__(
        self,
        template: str | PromptTemplate | None = None,
        max_tokens: int = 16,
        context_length: int = 2048,
        tokenizer: str | None = None,
        reserve: int = 8,
        keep: str | None = None,
        prompts: str = DEFAULT_PROMPTS,
    ) -> None:
        side = keep or ("start" if prompts == "judgebench" else "end")
        super().__init__(
            prompts, template, max_tokens, ContextFit(context_length, max_tokens, reserve, tokenizer, side)
        )

    def parse(self, text: str) -> Parsed:
        return parse_judge_lm(text)

    def parse_judgebench(self, text: str) -> Verdict:
        return parse_judge_lm_judgebench(text)
