"""Judge strategies, by the name used with ``-T judge=``.

Adding a judge: write a module with a :class:`PairwiseJudge` subclass (its
prompt, parser and tie rule; ``judge_game`` gets one :class:`Game`) and add it
to :data:`JUDGES`. A judge that sends one prompt and reads the reply
subclasses :class:`~.single_call.SingleCallJudge` and writes only its template
and parser.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from ..errors import ConfigError, did_you_mean, unknown_names
from ..options import check_options
from .arena_hard import ArenaHardJudge
from .base import Game, GameResult, JudgeCallError, PairwiseJudge
from .requests import DEFAULT_PROMPTS, PROMPT_MODES, check_prompts
from .upstream import PromptsUnavailable
from .templates import PromptTemplate, TemplateError, load_template
from .vanilla import VanillaJudge


class JudgeConfigError(ConfigError):
    """An unknown judge name or an option the judge does not take."""


#: Every judge strategy by name, as ``module:Class`` under this package
#: (imported on first use, so optional dependencies stay optional).
JUDGES: dict[str, str] = {
    "vanilla": "vanilla:VanillaJudge",
    "arena_hard": "arena_hard:ArenaHardJudge",
    "panda_lm": "panda_lm:PandaLMJudge",
    "prometheus_2": "prometheus_2:Prometheus2Judge",
    "judge_lm": "judge_lm:JudgeLMJudge",
    "auto_j": "auto_j:AutoJJudge",
    "skywork_critic": "skywork_critic:SkyworkCriticJudge",
    "compass_judger": "compass_judger:CompassJudgerJudge",
    "reward_model": "reward_model:RewardModelJudge",
    "chateval": "chateval:ChatEvalJudge",
}


def judge_class(name: str) -> type[PairwiseJudge]:
    """The class of a judge strategy.

    Args:
      name: Judge name (a key of :data:`JUDGES`).
    """
    if name not in JUDGES:
        raise JudgeConfigError(unknown_names("judge", [name], sorted(JUDGES), "valid judges"))
    module, _, cls = JUDGES[name].partition(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)  # type: ignore[no-any-return]


def judge_options(name: str) -> list[str]:
    """The options a judge strategy accepts.

    Args:
      name: Judge name.
    """
    params = inspect.signature(judge_class(name).__init__).parameters
    return [p for p in params if p != "self"]


def create_judge(name: str, **options: Any) -> PairwiseJudge:
    """Create a judge strategy by name, checking its options.

    Args:
      name: One of :data:`JUDGES`.
      **options: The strategy's options (e.g. ``template``, ``max_tokens``).
    """
    cls = judge_class(name)
    valid = judge_options(name)
    if "prompts" in options and "prompts" not in valid:
        # a judge that sends no prompt (reward models) takes either mode
        check_prompts(str(options.pop("prompts")))
    unknown = sorted(set(options) - set(valid))
    if unknown:
        raise JudgeConfigError(
            f"judge {name!r} has no option(s) {', '.join(f'{u}{did_you_mean(u, valid)}' for u in unknown)}; "
            f"its options: {', '.join(valid) or 'none'}"
        )
    check_options(f"judge {name!r}", cls.__init__, options)
    return cls(**options)


__all__ = [
    "DEFAULT_PROMPTS",
    "JUDGES",
    "PROMPT_MODES",
    "PromptsUnavailable",
    "ArenaHardJudge",
    "Game",
    "GameResult",
    "JudgeCallError",
    "JudgeConfigError",
    "PairwiseJudge",
    "PromptTemplate",
    "TemplateError",
    "VanillaJudge",
    "check_prompts",
    "create_judge",
    "judge_class",
    "judge_options",
    "load_template",
]
