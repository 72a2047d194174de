"""Judge strategies, by the name used with ``-T judge=``.

Adding a judge: write a module with a :class:`PairwiseJudge` subclass (its
prompt, parser and tie rule) and add it to :data:`JUDGES`.
"""

from __future__ import annotations

import inspect
from typing import Any

from .arena_hard import ArenaHardJudge
from .base import GameResult, JudgeCallError, PairwiseJudge
from .templates import PromptTemplate, TemplateError, load_template
from .vanilla import VanillaJudge

#: Every judge strategy by name.
JUDGES: dict[str, type[PairwiseJudge]] = {
    VanillaJudge.name: VanillaJudge,
    ArenaHardJudge.name: ArenaHardJudge,
}


class JudgeConfigError(ValueError):
    """An unknown judge name or an option the judge does not take."""


def judge_options(name: str) -> list[str]:
    """The options a judge strategy accepts.

    Args:
      name: Judge name.
    """
    params = inspect.signature(JUDGES[name].__init__).parameters
    return [p for p in params if p != "self"]


def create_judge(name: str, **options: Any) -> PairwiseJudge:
    """Create a judge strategy by name, checking its options.

    Args:
      name: One of :data:`JUDGES`.
      **options: The strategy's options (e.g. ``template``, ``max_tokens``).
    """
    if name not in JUDGES:
        raise JudgeConfigError(f"unknown judge {name!r}; valid judges: {', '.join(sorted(JUDGES))}")
    valid = judge_options(name)
    unknown = sorted(set(options) - set(valid))
    if unknown:
        raise JudgeConfigError(
            f"judge {name!r} has no option(s) {', '.join(unknown)}; its options: {', '.join(valid) or 'none'}"
        )
    return JUDGES[name](**options)


__all__ = [
    "JUDGES",
    "ArenaHardJudge",
    "GameResult",
    "JudgeCallError",
    "JudgeConfigError",
    "PairwiseJudge",
    "PromptTemplate",
    "TemplateError",
    "VanillaJudge",
    "create_judge",
    "judge_options",
    "load_template",
]
