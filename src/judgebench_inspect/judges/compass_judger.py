"""CompassJudger judge: the Arena-Hard prompt and parser, one attempt.

Format origin: JudgeBench's CompassJudger-1 run (ScalerLab/JudgeBench
``utils/judges.py``, class ``CompassJudger``; models
opencompass/CompassJudger-1-1.5B...32B-Instruct): the Arena-Hard system
message and question/answer block, read with the Arena-Hard label parser,
with no second request when the label is missing, 2048 reply tokens.
Prompt text and parser are reused from :mod:`.arena_hard`.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from .arena_hard import (
    ARENA_HARD_SYSTEM,
    ARENA_HARD_TEMPLATE,
    ARENA_HARD_UPSTREAM,
    ARENA_HARD_USER,
    ArenaHardJudge,
)
from .requests import DEFAULT_PROMPTS, UpstreamSpec
from .templates import PromptTemplate

#: The Arena-Hard instructions and question block as one user message.
COMPASS_JUDGER_ONE_MESSAGE = PromptTemplate(user=f"{ARENA_HARD_SYSTEM}\n\n{ARENA_HARD_USER}")

#: JudgeBench's CompassJudger request: ``CompassJudger`` in utils/judges.py.
#: (the Arena-Hard templates, with CompassJudger's own call parameters)
COMPASS_JUDGER_UPSTREAM = dataclasses.replace(ARENA_HARD_UPSTREAM, cls="CompassJudger")


class CompassJudgerJudge(ArenaHardJudge):
    """CompassJudger-1 (1.5B-32B) with the Arena-Hard prompt, one attempt.

    Args:
      template: A template file path (or template) replacing the prompt.
      max_tokens: Reply tokens (JudgeBench: 2048).
      system_message: With ``prompts=builtin``: send the instructions as a
        system message (default, JudgeBench's layout) or, with ``False``, at
        the top of the user message.
      prompts: ``judgebench`` (JudgeBench's exact request) or ``builtin`` (our wording).
    """

    name = "compass_judger"
    ties = "[[A=B]] is a tie; several different labels, or none (one attempt), is no verdict"
    upstream_spec: ClassVar[UpstreamSpec] = COMPASS_JUDGER_UPSTREAM

    def __init__(
        self,
        template: str | PromptTemplate | None = None,
        max_tokens: int = 2048,
        system_message: bool = True,
        prompts: str = DEFAULT_PROMPTS,
    ) -> None:
        self.default_template = ARENA_HARD_TEMPLATE if system_message else COMPASS_JUDGER_ONE_MESSAGE
        super().__init__(template=template, max_tokens=max_tokens, attempts=1, prompts=prompts)
