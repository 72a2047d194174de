"""The four JudgeBench categories and the mappings from a pair's ``source``: to its
category, and to the source kind the generation pipeline loads and checks it with."""

from __future__ import annotations

KNOWLEDGE = "knowledge"
REASONING = "reasoning"
MATH = "math"
CODING = "coding"

#: Categories in the order the paper reports them.
CATEGORIES: tuple[str, ...] = (KNOWLEDGE, REASONING, MATH, CODING)

_EXACT = {
    "livebench-reasoning": REASONING,
    "livebench-math": MATH,
    "livecodebench": CODING,
}


#: JudgeBench's sources other than MMLU-Pro's (for suggestions on a mistyped source).
JUDGEBENCH_SOURCES: tuple[str, ...] = tuple(_EXACT)


def category_of(source: str) -> str | None:
    """The category of a JudgeBench ``source`` string.

    Args:
      source: e.g. ``"mmlu-pro-law"``, ``"livebench-math"``, ``"livecodebench"``.

    Returns:
      One of :data:`CATEGORIES`, or ``None`` for a source JudgeBench does not use.
    """
    if source.startswith("mmlu-pro-"):
        return KNOWLEDGE
    return _EXACT.get(source)


#: The source kind of each category: the generate task's ``source`` values, in :data:`CATEGORIES` order.
KIND_OF_CATEGORY: dict[str, str] = {
    KNOWLEDGE: "mmlu_pro",
    REASONING: "livebench_reasoning",
    MATH: "livebench_math",
    CODING: "livecodebench",
}


def kind_of(source: str) -> str:
    """The source kind of a JudgeBench ``source`` string (the checker that grades it).

    Args:
      source: e.g. ``mmlu-pro-law``, ``livebench-math``, ``livecodebench``.

    Raises:
      ValueError: A source the pipeline has no checker for.
    """
    category = category_of(source)
    if category is None:
        raise ValueError(f"no checker for source {source!r}")
    return KIND_OF_CATEGORY[category]
