"""LLMBar's case-study sets (its section 4.6, "a more challenging meta-evaluation set").

github.com/princeton-nlp/LLMBar's ``Dataset/CaseStudy`` folder holds
``{Constraint,Negation,Normal,Base_9,Base_10}/dataset.json`` (89, 59, 59, 54
and 54 instances), in LLMBar's instance schema (``input``, ``output_1``,
``output_2``, ``label`` 1/2). ``-T dataset=`` takes the ``CaseStudy`` folder,
one of its ``dataset.json`` files, or the hub id
``princeton-nlp/LLMBar:CaseStudy`` (the hub's ``CaseStudy`` config: the same
files, read from GitHub at the pinned commit and verified, as for
:mod:`.llmbar`). Categories: the sets in lower case (``constraint``,
``negation``, ``normal``, ``base_9``, ``base_10``).

LLMBar's ``LLMEvaluator/evaluate.py`` scores these sets as it scores LLMBar, so
the scores are LLMBar's own statistics computed as for LLMBar itself
(:func:`judgebench_inspect.benchmarks.llmbar.native`): ``correct_False`` /
``correct_True`` / ``correct_average`` (the headline) / ``correct_both`` /
``equal``. LLMBar's Cohen's kappas are not computed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..dataset import PairRecord
from . import llmbar

NAME = "llmbar-casestudy"

#: The hub's config of these sets, and its id here.
HUB_CONFIG = "CaseStudy"
HUB_IDS: tuple[str, ...] = (f"{llmbar.HUB_ID}:{HUB_CONFIG}",)

#: Set folder (relative to ``CaseStudy``) -> category, in LLMBar's order.
SUBSETS: dict[str, str] = {
    "Constraint": "constraint",
    "Negation": "negation",
    "Normal": "normal",
    "Base_9": "base_9",
    "Base_10": "base_10",
}
CATEGORIES: tuple[str, ...] = tuple(SUBSETS.values())


def recognise(path: Path) -> bool:
    """Whether ``path`` is LLMBar's ``CaseStudy`` folder or one of its ``dataset.json`` files.

    Args:
      path: A local path given as ``-T dataset=``.
    """
    return llmbar.recognise_sets(path, SUBSETS)


def load(dataset: str) -> list[PairRecord]:
    """The pairs of the ``CaseStudy`` folder, one of its ``dataset.json`` files, or the hub config.

    Args:
      dataset: The ``dataset`` option.
    """
    if llmbar.hub_config(dataset) == HUB_CONFIG:
        return llmbar.read_hub(HUB_CONFIG, SUBSETS, NAME)
    return llmbar.read(Path(dataset).expanduser(), SUBSETS, NAME)


def native(pairs: Sequence[Any]) -> dict[str, Any]:
    """LLMBar's statistics of a run on these sets, per set and overall, in percent.

    Args:
      pairs: The run's scored pairs (``category``, ``label``, ``verdicts``).
    """
    return llmbar.native(pairs, CATEGORIES)


#: The report's line: LLMBar's statistics, as for LLMBar itself.
headline = llmbar.headline
