"""The four JudgeBench categories and the mapping from a pair's ``source``."""

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
