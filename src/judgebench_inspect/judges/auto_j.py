"""Auto-J judge: compare two responses to the query and end with a final decision.

Format origin: Auto-J's pairwise protocol with ties (GAIR-NLP/auto-j,
``codes/usage/constants_prompt.py``) as JudgeBench ran it (ScalerLab/JudgeBench
``utils/templates/autoj_prompt.jinja2``). Structure: an opening sentence, a
data block ``[BEGIN DATA]`` / ``***`` / ``[Query]:`` / ``***`` /
``[Response 1]:`` / ``***`` / ``[Response 2]:`` / ``***`` / ``[END DATA]``,
then two numbered instructions, the second asking to begin the final decision
with "So, the final decision is Response 1 / Response 2 / Tie". The model is
Llama-2-chat based and was run inside ``[INST] ... [/INST]``. The sentences
are our wording; the data block markers and the decision phrase are the
trained ones.

Upstream defect, fixed here: JudgeBench rendered its template with the wrong
variable name, so the ``[Query]:`` line was always empty and Auto-J compared
the two responses without seeing the question. This judge passes the query.
"""

from __future__ import annotations

import re

from inspect_ai.model import ChatMessage, ChatMessageUser

from ..verdicts import A_BETTER, B_BETTER, TIE, Verdict
from .base import check_choice
from .context import ContextFit
from .requests import DEFAULT_PROMPTS, UpstreamSpec
from .single_call import Parsed, SingleCallJudge
from .templates import PromptTemplate

AUTO_J_TEMPLATE = PromptTemplate(
    user=(
        "You are comparing two responses submitted for a user's query and deciding which "
        "response is better, or whether they are tied. The data:\n\n"
        "[BEGIN DATA]\n***\n"
        "[Query]: {question}\n***\n"
        "[Response 1]: {answer_a}\n***\n"
        "[Response 2]: {answer_b}\n***\n"
        "[END DATA]\n\n"
        "How to assess and compare the two responses:\n\n"
        "1. Identify the key factors that set the two responses apart.\n"
        "2. Close your comparison with a final decision on which response is better, or "
        'whether they are tied. Begin the final decision statement with "So, the final '
        'decision is Response 1 / Response 2 / Tie". Make sure the decision agrees with '
        "the evaluation and comparison you have given."
    )
)

#: Ways the prompt is sent (see :class:`AutoJJudge`).
PROMPT_FORMATS: tuple[str, ...] = ("chat", "llama2")

_DECISION = re.compile(r"final\s+decision\s+is\b", re.IGNORECASE)
_CHOICE = re.compile(r"(?:response\s*([12])(?!\d)|(tie)\b)", re.IGNORECASE)
_ECHO = re.compile(r"response\s*1\s*/\s*response\s*2", re.IGNORECASE)


def parse_auto_j(text: str) -> Parsed:
    """Read an Auto-J pairwise reply: the last "final decision is ..." statement.

    ``Response 1`` -> first better, ``Response 2`` -> second better, ``Tie`` ->
    tie (any case; quotes, colons and Markdown emphasis before the choice are
    skipped). No statement, an unreadable last statement, or the choice list
    echoed back ("Response 1 / Response 2 / Tie") is no verdict.

    Args:
      text: The reply.
    """
    statements = list(_DECISION.finditer(text))
    if not statements:
        return Parsed(None, "no 'final decision is' statement")
    rest = text[statements[-1].end() :].lstrip(" \t\n:*\"'`_")
    if _ECHO.match(rest):
        return Parsed(None, "the final decision repeats the choice list")
    m = _CHOICE.match(rest)
    if not m:
        return Parsed(None, f"unreadable final decision {rest[:40]!r}")
    if m.group(2):
        return Parsed(TIE, "", {"decision": "Tie"})
    return Parsed(A_BETTER if m.group(1) == "1" else B_BETTER, "", {"decision": f"Response {m.group(1)}"})


def parse_auto_j_judgebench(text: str) -> Verdict:
    """The verdict JudgeBench's own Auto-J parser reads from a reply.

    After the last ``final decision is `` (exact case, one space after), the
    rest, stripped and lower-cased, must begin with ``response 1``,
    ``response 2`` or ``tie``; anything else is no verdict.

    Args:
      text: The reply.
    """
    text = text.strip()
    marker = "final decision is "
    pos = text.rfind(marker)
    if pos == -1:
        return None
    rest = text[pos + len(marker) :].strip().lower()
    choices: tuple[tuple[str, Verdict], ...] = (("response 1", A_BETTER), ("response 2", B_BETTER), ("tie", TIE))
    for start, verdict in choices:
        if rest.startswith(start):
            return verdict
    return None


#: JudgeBench's Auto-J request: ``AutoJ`` in utils/judges.py. Its template reads
#: ``prompt``, which JudgeBench never passes: the query renders empty there.
AUTO_J_UPSTREAM = UpstreamSpec(cls="AutoJ", user="autoj_prompt", names=("question", "response", "response_another"))


class AutoJJudge(SingleCallJudge):
    """Auto-J (13B) with its pairwise protocol that allows ties.

    Args:
      template: A template file path (or template) replacing the prompt.
      max_tokens: Reply tokens (Auto-J's and JudgeBench's setting: 1024).
      prompt_format: ``chat`` (default): the prompt as one user message, for
        chat endpoints whose template adds ``[INST] ... [/INST]``; ``llama2``:
        one user message already wrapped as ``[INST] ... [/INST]``, for
        completion endpoints (``vllm-completions/``, ``openai-api-completions/``).
      context_length: Cut responses (see ``keep``) so the prompt fits this many
        tokens (Auto-J: 4096). Default ``None``: no cutting, as in JudgeBench.
      tokenizer: Token counting when ``context_length`` is set: a local path or
        hub id (needs the ``hf`` extra), ``"bytes"``, or default the estimate.
      reserve: Tokens kept free when ``context_length`` is set.
      keep: ``end`` (cut from the left) or ``start``.
      prompts: ``judgebench`` (JudgeBench's exact request, whose query is
        empty) or ``builtin`` (our wording, with the query).
    """

    name = "auto_j"
    ties = "'the final decision is Tie' is a tie; no or unreadable final decision is no verdict"
    default_template = AUTO_J_TEMPLATE
    upstream_spec = AUTO_J_UPSTREAM
    judgebench_quirks = (
        "JudgeBench's Auto-J prompt has an empty [Query] (its template reads a variable JudgeBench "
        "never passed), so Auto-J judged without the question"
    )

    def __init__(
        self,
        template: str | PromptTemplate | None = None,
        max_tokens: int = 1024,
        prompt_format: str = "chat",
        context_length: int | None = None,
        tokenizer: str | None = None,
        reserve: int = 16,
        keep: str = "end",
        prompts: str = DEFAULT_PROMPTS,
    ) -> None:
        self.prompt_format = check_choice("prompt_format", prompt_format, PROMPT_FORMATS)
        context = (
            None
            if context_length is None
            else ContextFit(context_length, max_tokens, reserve, tokenizer, keep)
        )
        super().__init__(prompts, template, max_tokens, context)
        if self.plan.exact_mode:
            if prompt_format != "chat":
                self.plan.inexact.append(f"prompt_format={prompt_format} (JudgeBench: chat)")
            if context_length is not None:
                self.plan.inexact.append("context_length set (JudgeBench did not cut Auto-J's responses)")

    def build(self, question: str, first: str, second: str) -> list[ChatMessage]:
        system, user = self.template.render(question, first, second)
        if self.prompt_format == "llama2":
            if system is not None:
                user = f"<<SYS>>\n{system}\n<</SYS>>\n\n{user}"
            return [ChatMessageUser(content=f"[INST] {user} [/INST]")]
        return super().build(question, first, second)

    def parse(self, text: str) -> Parsed:
        return parse_auto_j(text)

    def parse_judgebench(self, text: str) -> Verdict:
        return parse_auto_j_judgebench(text)
