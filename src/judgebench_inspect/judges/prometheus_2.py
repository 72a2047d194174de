"""Prometheus 2 judge: relative grading against a rubric, ending in ``[RESULT] A|B``.

Format origin: the relative-grading prompt of prometheus-eval
(prometheus-eval/prometheus-eval, ``libs/prometheus-eval/prometheus_eval``) as
JudgeBench ran it (ScalerLab/JudgeBench ``utils/judges.py``, rubric
"are the model's responses factually correct and well-supported by
evidence?"). Structure: a judge persona (a system prompt in prometheus-eval,
which puts it in front of the user turn of the Mistral instruction format),
then the sections ``###Task Description:`` (numbered steps ending with the
output format ``(write a feedback for criteria) [RESULT] (A or B)``),
``###Instruction:``, ``###Response A:``, ``###Response B:``,
``###Score Rubric:`` and ``###Feedback:``. The persona and the steps are our
wording; the section markers and the ``[RESULT]`` verdict format are the
trained ones. There is no tie option.
"""

from __future__ import annotations

import re

from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser

from ..verdicts import A_BETTER, B_BETTER, Verdict
from .base import check_choice
from .requests import DEFAULT_PROMPTS, UpstreamSpec
from .single_call import Parsed, SingleCallJudge
from .templates import PromptTemplate, resolve_template

#: JudgeBench's rubric for Prometheus 2 (the criterion in square brackets).
DEFAULT_RUBRIC = "[Are the model's responses factually correct and well-supported by evidence?]"

PROMETHEUS_PERSONA = (
    "You are a fair judge assistant. You give insightful feedback that compares the "
    "responses with each other, showing how each one stands relative to the other."
)

PROMETHEUS_USER = (
    "###Task Description:\n"
    "You are given an instruction (which may contain an input), two responses to evaluate, "
    "and a score rubric that sets the evaluation criteria.\n"
    "1. Write detailed feedback on the quality of the two responses, judging strictly by "
    "the score rubric and not by general impressions.\n"
    "2. After the feedback, pick the better response, Response A or Response B, with "
    "reference to the score rubric.\n"
    '3. Use this output format: "(write a feedback for criteria) [RESULT] (A or B)"\n'
    "4. Do not write any other opening, closing or explanation.\n\n"
    "###Instruction:\n{question}\n\n"
    "###Response A:\n{answer_a}\n\n"
    "###Response B:\n{answer_b}\n\n"
    "###Score Rubric:\n{rubric}\n\n"
    "###Feedback: "
)

PROMETHEUS_TEMPLATE = PromptTemplate(user=PROMETHEUS_USER, system=PROMETHEUS_PERSONA)

#: Ways the persona and the prompt are sent (see :class:`Prometheus2Judge`).
PROMPT_FORMATS: tuple[str, ...] = ("chat", "system", "mistral")

# A letter that is the verdict: A or B (upper case), a whole word, and not the
# start of "A or B" / "A/B" (the format line echoed back).
_LETTER = r"(?-i:(A|B))\b(?![ \t]*(?:or|/|and|,)[ \t]*\(?[AB]\b)"
# The trained marker: "[RESULT] A", "[RESULT]: (B)", "[RESULT] Response A",
# "[RESULT: A]", "**[RESULT]** B", case-insensitive marker.
_RESULT = re.compile(
    r"\[\s*RESULT\s*(?:\]|:)[\s:*\-]*[(\[\"'*]*\s*(?:Response\s+)?" + _LETTER, re.IGNORECASE
)
_ANY_RESULT_MARK = re.compile(r"\[\s*RESULT\b", re.IGNORECASE)
# Looser spellings JudgeBench also accepted, used only when no [RESULT] marker
# is present: "Result: A" / "[Result] Response B" at the start of a line, or
# a closing "[Response A]".
_LINE_RESULT = re.compile(
    r"^[ \t*]*\[?Result\]?[ \t]*:?[ \t*]*(?:Response[ \t]+)?" + _LETTER, re.IGNORECASE | re.MULTILINE
)
_CLOSING_RESPONSE = re.compile(r"\[\s*Response\s+(?-i:(A|B))\s*\]?[\s.*]*\Z", re.IGNORECASE)

_VERDICTS: dict[str, Verdict] = {"A": A_BETTER, "B": B_BETTER}


def parse_prometheus(text: str) -> Parsed:
    """Read a Prometheus 2 relative-grading reply.

    The verdict is the last ``[RESULT] X`` in the reply (X = A or B; also
    ``[RESULT]: X``, ``[RESULT] (X)``, ``[RESULT] Response X``, ``[RESULT: X]``,
    any case for the marker). Only when the reply has no ``[RESULT`` marker at
    all are two looser forms JudgeBench accepted read: a line starting
    ``Result: X`` / ``[Result] Response X``, or a reply that ends with
    ``[Response X]``. A ``[Response X`` in the middle of the feedback is not a
    verdict (JudgeBench read it as one). There is no tie: anything else, such as
    ``[RESULT] Tie`` or an echoed ``[RESULT] (A or B)``, is no verdict.

    Args:
      text: The reply.
    """
    found = list(_RESULT.finditer(text))
    if found:
        letter = found[-1].group(1)
        return Parsed(_VERDICTS[letter], "", {"result": letter})
    if _ANY_RESULT_MARK.search(text):
        return Parsed(None, "[RESULT] marker without a readable A or B")
    loose = list(_LINE_RESULT.finditer(text)) or list(_CLOSING_RESPONSE.finditer(text))
    if loose:
        letter = loose[-1].group(1)
        return Parsed(_VERDICTS[letter], "read from a looser result spelling", {"result": letter})
    return Parsed(None, "no [RESULT] verdict")


#: The looser result spellings JudgeBench's Prometheus 2 parser accepts
#: (case-insensitive; the first match anywhere in the reply wins).
_JUDGEBENCH_RESULT = re.compile(
    r"(?:\[RESULT\]|\[RESULT:\s*|\[Response\s+|\[Result\](?:\s+Response)?|\[Result:\s*|(?:^|\n)Result:?\s*)"
    r"\s*(A|B)(?:\]|\s|$)",
    re.IGNORECASE | re.MULTILINE,
)


def parse_prometheus_judgebench(text: str) -> Verdict:
    """The verdict JudgeBench's own Prometheus 2 parser reads from a reply.

    The first of ``[RESULT] X``, ``[RESULT: X``, ``[Response X``,
    ``[Result] (Response) X``, ``[Result: X`` or a line starting
    ``Result: X`` anywhere in the reply, any case (so a lower-case ``a`` or
    ``b`` counts), followed by ``]``, a space or the end; else no verdict.

    Args:
      text: The reply.
    """
    m = _JUDGEBENCH_RESULT.search(text)
    return _VERDICTS[m.group(1).upper()] if m else None


#: JudgeBench's Prometheus 2 request: ``Prometheus2`` in utils/judges.py (its
#: system prompt and rubric are constants of that class).
PROMETHEUS_UPSTREAM = UpstreamSpec(
    cls="Prometheus2",
    user="prometheus2_prompt",
    names=("instruction", "response_A", "response_B"),
    system_constant="REL_SYSTEM_PROMPT",
    constants={"rubric": "rubric"},
)


class Prometheus2Judge(SingleCallJudge):
    """Prometheus 2 (7B, 8x7B, BGB-8x7B) in relative-grading mode.

    Args:
      template: A template file path (or template) replacing the prompt; a
        ``{rubric}`` in it is filled with ``rubric``.
      rubric: The score rubric (default: JudgeBench's factual-correctness criterion).
      max_tokens: Reply tokens (JudgeBench: 1024).
      prompt_format: ``system`` (default): the persona as a system message
        (JudgeBench's and prometheus-eval's way); ``chat``: one user message,
        persona then prompt (what the Mistral chat template makes of a system
        prompt); ``mistral``: one user message already wrapped as
        ``[INST] ... [/INST]``, for completion endpoints (``vllm-completions/``).
      prompts: ``judgebench`` (JudgeBench's exact request) or ``builtin`` (our wording).
    """

    name = "prometheus_2"
    ties = "no tie option: a reply without a readable [RESULT] A|B is no verdict"
    default_template = PROMETHEUS_TEMPLATE
    upstream_spec = PROMETHEUS_UPSTREAM
    judgebench_quirks = (
        "JudgeBench took the first of several loose result patterns in a Prometheus 2 reply "
        "(any '[Response X' counted); the score here reads the last [RESULT]"
    )

    def __init__(
        self,
        template: str | PromptTemplate | None = None,
        rubric: str = DEFAULT_RUBRIC,
        max_tokens: int = 1024,
        prompt_format: str = "system",
        prompts: str = DEFAULT_PROMPTS,
    ) -> None:
        self.prompt_format = check_choice("prompt_format", prompt_format, PROMPT_FORMATS)
        if template is not None:
            base = resolve_template(template, PROMETHEUS_TEMPLATE)  # read the file once
            template = base if base.upstream is not None else PromptTemplate(
                user=base.user.replace("{rubric}", rubric),
                system=None if base.system is None else base.system.replace("{rubric}", rubric),
                origin=base.origin,
            )
        self.rubric = rubric
        self.default_template = PromptTemplate(
            user=PROMETHEUS_USER.replace("{rubric}", rubric), system=PROMETHEUS_PERSONA
        )
        super().__init__(prompts, template, max_tokens)
        facts = self.plan.facts
        if facts is not None:
            if rubric != facts.constants.get("rubric"):
                self.plan.inexact.append("rubric differs from JudgeBench's")
            if prompt_format != "system":
                self.plan.inexact.append(f"prompt_format={prompt_format} (JudgeBench: system)")

    def build(self, question: str, first: str, second: str) -> list[ChatMessage]:
        system, user = self.template.render(question, first, second)
        if system is not None and self.prompt_format == "system":
            return [ChatMessageSystem(content=system), ChatMessageUser(content=user)]
        text = user if system is None else f"{system}\n\n{user}"
        if self.prompt_format == "mistral":
            text = f"[INST] {text} [/INST]"
        return [ChatMessageUser(content=text)]

    def parse(self, text: str) -> Parsed:
        return parse_prometheus(text)

    def parse_judgebench(self, text: str) -> Verdict:
        return parse_prometheus_judgebench(text)
