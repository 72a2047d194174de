"""CompassJudger judge: the Arena-Hard prompt and parser, in one message, one attempt.

Format origin: JudgeBench's CompassJudger-1 run (ScalerLab/JudgeBench
``utils/templates/compass_judger_prompt.jinja2``; models
opencompass/CompassJudger-1-1.5B...32B-Instruct, open-compass/CompassJudger):
the Arena-Hard judge instructions followed by the Arena-Hard question/answer
block, all in one user message, read with the Arena-Hard label parser, with
no second request when the label is missing. Prompt text and parser are
reused from :mod:`.arena_hard`.
"""

from __future__ import annotations

from .arena_hard import ARENA_HARD_SYSTEM, ARENA_HARD_TEMPLATE, ARENA_HARD_USER, ArenaHardJudge
from .templates import PromptTemplate

#: The Arena-Hard instructions and question block as one user message.
COMPASS_JUDGER_TEMPLATE = PromptTemplate(user=f"{ARENA_HARD_SYSTEM}\n\n{ARENA_HARD_USER}")


class CompassJudgerJudge(ArenaHardJudge):
    """CompassJudger-1 (1.5B-32B) with the Arena-Hard prompt, one attempt.

    Args:
      template: A template file path (or template) replacing the built-in prompt.
      max_tokens: Reply tokens (JudgeBench: 2048).
      system_message: Send the instructions as a system message (the
        Arena-Hard layout) instead of in the user message (JudgeBench's layout).
    """

    name = "compass_judger"
    ties = "[[A=B]] is a tie; several different labels, or none (one attempt), is no verdict"

    def __init__(
        self,
        template: str | PromptTemplate | None = None,
        max_tokens: int = 2048,
        system_message: bool = False,
    ) -> None:
        default = ARENA_HARD_TEMPLATE if system_message else COMPASS_JUDGER_TEMPLATE
        super().__init__(template=template if template is not None else default, max_tokens=max_tokens, attempts=1)
