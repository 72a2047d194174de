"""The JudgeBench paper's published accuracies: the one place they live.

Tan et al. (2024), "JudgeBench: A Benchmark for Evaluating LLM-based Judges",
arXiv 2410.12784, results on the GPT-4o response split (350 pairs), in percent
of correct pairs (pair rule, both orders except for reward models).

A result is matched to a published row by judge strategy (the name used with
``-T judge=``) and judge model. Model names are compared without the Inspect
provider prefix (``openai/``, ``hf/``, ``vllm/``, ...), an organisation prefix
(``Skywork/``), case, or a trailing release date (``-2024-09-12``,
``-20240620``): ``openai/o1-mini`` and ``o1-mini-2024-09-12`` both match the
o1-mini row. A row only matches its own model family: ``gpt-4o-mini`` is not
``gpt-4o``, ``Skywork-Reward-Gemma-2-27B-v0.2`` is not the v0.1 model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .categories import CATEGORIES

#: The split the paper's numbers were measured on, and its size per category.
PAPER_SPLIT = "gpt"
PAPER_PAIRS = {"knowledge": 154, "reasoning": 98, "math": 56, "coding": 42}
PAPER_REFERENCE = "Tan et al. 2024, JudgeBench (arXiv 2410.12784), GPT-4o split"


@dataclass(frozen=True)
class PublishedResult:
    """One row of the paper's results table.

    Attributes:
      name: The row's name in the paper.
      judge: Judge strategy name in this project (``-T judge=``).
      models: Regular expressions a normalised judge model name must match fully.
      knowledge: Accuracy on knowledge pairs (percent).
      reasoning: Accuracy on reasoning pairs.
      math: Accuracy on math pairs.
      coding: Accuracy on coding pairs.
      overall: Accuracy over all 350 pairs (micro-average).
    """

    name: str
    judge: str
    models: tuple[str, ...]
    knowledge: float
    reasoning: float
    math: float
    coding: float
    overall: float

    def accuracy(self, category: str) -> float | None:
        """The published accuracy of a category (or ``overall``); ``None`` if not published."""
        if category == "overall" or category in CATEGORIES:
            return float(getattr(self, category))
        return None

    def as_dict(self) -> dict[str, float]:
        """Category -> accuracy, plus ``overall``."""
        return {c: float(getattr(self, c)) for c in (*CATEGORIES, "overall")}


def _row(name: str, judge: str, models: str | tuple[str, ...], *scores: float) -> PublishedResult:
    k, r, m, c, o = scores
    pats = (models,) if isinstance(models, str) else models
    return PublishedResult(name, judge, pats, k, r, m, c, o)


_GPT4O = r"gpt-4o"
_LLAMA_405B = r"(meta-)?llama-3\.1-405b(-instruct)?(-turbo)?"

#: The paper's Table (GPT-4o split): knowledge, reasoning, math, coding, overall.
PUBLISHED: tuple[PublishedResult, ...] = (
    _row("Vanilla (GPT-4o)", "vanilla", _GPT4O, 44.16, 47.96, 66.07, 61.90, 50.86),
    _row("Arena-Hard (GPT-4o)", "arena_hard", _GPT4O, 50.65, 54.08, 75.00, 59.52, 56.57),
    _row("Arena-Hard (o1-preview)", "arena_hard", r"o1-preview", 66.23, 79.59, 85.71, 85.71, 75.43),
    _row("Arena-Hard (o1-mini)", "arena_hard", r"o1-mini", 58.44, 62.24, 82.14, 78.57, 65.71),
    _row(
        "Arena-Hard (Claude-3.5-Sonnet)", "arena_hard", r"claude-3[.-]5-sonnet",
        62.34, 66.33, 66.07, 64.29, 64.29,
    ),
    _row("Arena-Hard (Llama-3.1-405B)", "arena_hard", _LLAMA_405B, 55.84, 54.08, 69.64, 50.00, 56.86),
    _row("PandaLM", "panda_lm", r"pandalm(-7b)?(-v1)?", 9.09, 21.43, 7.14, 16.67, 13.14),
    _row("Prometheus2-8x7b", "prometheus_2", r"prometheus-(2-)?8x7b(-v2\.0)?", 41.56, 39.80, 50.00, 23.81, 40.29),
    _row("JudgeLM-33B", "judge_lm", r"judgelm-33b(-v1\.0)?", 32.47, 48.98, 33.93, 19.05, 35.71),
    _row("AutoJ", "auto_j", r"auto-?j(-13b)?", 40.26, 29.59, 44.64, 28.57, 36.57),
    _row(
        "Skywork-Critic-70B", "skywork_critic", r"skywork-critic-llama-3\.1-70b",
        55.84, 55.10, 73.21, 47.62, 57.43,
    ),
    _row("ChatEval (2 x GPT-4o)", "chateval", _GPT4O, 32.47, 31.63, 44.64, 30.95, 34.00),
    _row(
        "Skywork-Reward-Gemma-2-27B", "reward_model", r"skywork-reward-gemma-2-27b",
        59.74, 66.33, 83.93, 50.00, 64.29,
    ),
    _row(
        "Skywork-Reward-Llama-3.1-8B", "reward_model", r"skywork-reward-llama-3\.1-8b",
        59.09, 64.29, 76.79, 50.00, 62.29,
    ),
    _row(
        "InternLM2-20B-Reward", "reward_model", r"internlm2-20b-reward",
        62.34, 69.39, 66.07, 50.00, 63.43,
    ),
    _row("GRM-Gemma-2B", "reward_model", r"grm-gemma-2b(-rewardmodel-ft)?", 62.99, 53.06, 64.29, 54.76, 59.43),
)

_DATE = re.compile(r"(-\d{4}-\d{2}-\d{2}|-\d{8})$")


def normalise_model(model: str) -> str:
    """A model name reduced for matching: last path segment, lower case, no release date.

    Args:
      model: e.g. ``openai/o1-mini``, ``hf/Skywork/Skywork-Reward-Gemma-2-27B``,
        ``Skywork_Skywork-Reward-Gemma-2-27B`` (JudgeBench's file names),
        ``claude-3-5-sonnet-20240620``.
    """
    name = model.strip().replace("\\", "/").rsplit("/", 1)[-1].lower()
    name = _DATE.sub("", name)
    return name


def _matches(pattern: str, name: str) -> bool:
    # JudgeBench writes "org/model" as "org_model" in file names: accept an org prefix.
    return re.fullmatch(rf"(?:[a-z0-9.-]+_)?{pattern}", name) is not None


def find_published(judge: str | None, model: str | None) -> PublishedResult | None:
    """The published row for a judge strategy run with a model, if the paper has one.

    Args:
      judge: Judge strategy name (e.g. ``arena_hard``, ``reward_model``).
      model: Judge model name (an Inspect model name or a JudgeBench one).
    """
    if not judge or not model:
        return None
    name = normalise_model(model)
    for row in PUBLISHED:
        if row.judge == judge and any(_matches(p, name) for p in row.models):
            return row
    return None
