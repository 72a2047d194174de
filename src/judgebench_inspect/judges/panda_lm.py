"""PandaLM judge: a completion prompt whose first output line is 1, 2 or Tie.

Format origin: PandaLM (WeOpenML/PandaLM, ``pandalm/utils/pandalm_inference.py``)
as JudgeBench ran it (ScalerLab/JudgeBench ``utils/judges.py``). The model was
trained on a plain-text prompt: one sentence saying that two responses to a
task follow and asking for an evaluation and a reference answer, then the
sections ``### Instruction:``, ``### Response 1:``, ``### Response 2:`` and
``### Evaluation:`` (the model writes after the last one). Its output starts
with ``1``, ``2`` or ``Tie`` on the first line, then ``### Reason:`` and
``### Reference:``. The sentence here is our wording; the section markers and
verdict tokens are the trained ones. PandaLM has a 2048-token context: the
responses are cut from the left (their ends are kept) to fit.
"""

from __future__ import annotations

import re

from inspect_ai.model import ChatMessage

from ..verdicts import A_BETTER, B_BETTER, TIE, Verdict
from .context import ContextFit
from .requests import DEFAULT_PROMPTS, UpstreamSpec
from .single_call import Parsed, SingleCallJudge
from .templates import PromptTemplate, messages_of

PANDA_LM_TEMPLATE = PromptTemplate(
    user=(
        "Two responses to one task follow; the Instruction states the task. Evaluate the "
        "two responses and write a reference answer for the task.\n\n"
        "### Instruction:\n{question}\n\n"
        "### Response 1:\n{answer_a}\n\n"
        "### Response 2:\n{answer_b}\n\n"
        "### Evaluation:\n"
    )
)

#: Special-token strings PandaLM's own code removes from responses and output
#: (LLaMA, BERT, GPT-2 and GLM tokens), so that text cannot pose as one.
SPECIAL_TOKENS: tuple[str, ...] = (
    "<s>", "</s>", "<unk>", "<pad>", "[PAD]", "[UNK]", "[CLS]", "[MASK]",
    "<|endoftext|>", "<|startofpiece|>", "<|endofpiece|>", "[gMASK]", "[sMASK]",
)  # fmt: skip
_SPECIAL_RE = re.compile("|".join(re.escape(t) for t in SPECIAL_TOKENS))

_FIRST_LINE: dict[str, Verdict] = {"1": A_BETTER, "2": B_BETTER, "tie": TIE}


def strip_special(text: str) -> str:
    """Text without special-token strings, stripped of surrounding whitespace.

    Args:
      text: A response or a reply.
    """
    return _SPECIAL_RE.sub("", text).strip()


def parse_panda_lm(text: str) -> Parsed:
    """Read a PandaLM reply: its first line is ``1``, ``2`` or ``Tie``.

    Following PandaLM's own rule, any other first line (or an empty reply)
    counts as a tie; the note says so and ``extra["declared"]`` is ``False``.

    Args:
      text: The reply.
    """
    lines = strip_special(text).split("\n")
    first = lines[0].strip()
    verdict = _FIRST_LINE.get(first.lower())
    if verdict is not None:
        return Parsed(verdict, "", {"first_line": first, "declared": True})
    return Parsed(
        TIE,
        f"first line {first[:60]!r} is not 1, 2 or Tie: counted as a tie (PandaLM's rule)",
        {"first_line": first[:200], "declared": False},
        unreadable=True,
    )


def parse_panda_lm_judgebench(text: str) -> Verdict:
    """The verdict JudgeBench's own PandaLM parser reads from a reply.

    The reply is stripped (special-token strings stay), and its first line,
    exactly ``1`` or ``2``, names the better response; anything else is a tie.

    Args:
      text: The reply.
    """
    first = text.strip().split("\n")[0]
    return A_BETTER if first == "1" else B_BETTER if first == "2" else TIE


#: JudgeBench's PandaLM request: ``PandaLM`` in utils/judges.py.
PANDA_LM_UPSTREAM = UpstreamSpec(cls="PandaLM", user="pandalm_prompt", names=("instruction", "resp1", "resp2"))


class PandaLMJudge(SingleCallJudge):
    """PandaLM-7B: completion prompt, verdict on the first output line.

    Args:
      template: A template file path (or template) replacing the prompt.
      max_tokens: Reply tokens (JudgeBench: 150; the verdict is on the first line).
      context_length: The model's context in tokens (PandaLM: 2048).
      tokenizer: Tokenizer for exact counts: a local path or hub id (needs the
        ``hf`` extra), ``"bytes"`` for a strict byte bound; default: estimate.
      reserve: Tokens kept free for what a server adds around the prompt.
      keep: ``end`` (default: cut responses from the left) or ``start``.
      prompts: ``judgebench`` (JudgeBench's exact request: needs a completions
        provider and ``tokenizer``) or ``builtin`` (our wording).
    """

    name = "panda_lm"
    ties = (
        "first output line 'Tie' is a tie, and so is any first line other than 1/2/Tie "
        "(PandaLM's rule); no verdict only when the question alone fills the context"
    )
    default_template = PANDA_LM_TEMPLATE
    upstream_spec = PANDA_LM_UPSTREAM
    judgebench_quirks = (
        "JudgeBench cut every PandaLM response to an equal share of the context, re-encoded and "
        "decoded, whether or not the pair fitted"
    )
    short_reply = True

    def __init__(
        self,
        template: str | PromptTemplate | None = None,
        max_tokens: int = 150,
        context_length: int = 2048,
        tokenizer: str | None = None,
        reserve: int = 8,
        keep: str = "end",
        prompts: str = DEFAULT_PROMPTS,
    ) -> None:
        super().__init__(
            prompts, template, max_tokens, ContextFit(context_length, max_tokens, reserve, tokenizer, keep)
        )
        facts = self.plan.facts
        if facts is not None:
            self._special = re.compile(str(facts.constants["pattern"]))
            self._suffix = facts.prompt_suffix
        else:
            self._special, self._suffix = _SPECIAL_RE, ""

    def build(self, question: str, first: str, second: str) -> list[ChatMessage]:
        def clean(text: str) -> str:
            return self._special.sub("", text.strip()).strip()

        system, user = self.template.render(question, clean(first), clean(second))
        return messages_of(system, user + self._suffix)

    def parse(self, text: str) -> Parsed:
        return parse_panda_lm(text)

    def parse_judgebench(self, text: str) -> Verdict:
        return parse_panda_lm_judgebench(text)

