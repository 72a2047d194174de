"""The other evaluation sets LLMBar ships, processed into its format: FairEval, LLMEval^2 and
MT-Bench (human judgements).

github.com/princeton-nlp/LLMBar's ``Dataset/Processed`` folder holds
``FairEval/dataset.json`` (66), ``LLMEval^2/dataset.json`` (200) and
``MT-Bench/dataset.json`` (200: MT-Bench's human judgements, ties removed), in
LLMBar's instance schema (``input``, ``output_1``, ``output_2``, ``label`` 1/2).
``-T dataset=`` takes the ``Processed`` folder or one of its ``dataset.json``
files. Categories: ``faireval``, ``llmeval2``, ``mt-bench``.

The scores are LLMBar's own statistics (``LLMEvaluator/evaluate.py``), computed
as for LLMBar itself (:func:`judgebench_inspect.benchmarks.llmbar.native`):
``correct_False`` / ``correct_True`` / ``correct_average`` (the headline) /
``correct_both`` / ``equal``. LLMBar's Cohen's kappas are not computed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..dataset import PairRecord
from . import llmbar

NAME = "llmbar-processed"

#: Set folder (relative to ``Processed``) -> category.
SUBSETS: dict[str, str] = {"FairEval": "faireval", "LLMEval^2": "llmeval2", "MT-Bench": "mt-bench"}
CATEGORIES: tuple[str, ...] = tuple(SUBSETS.values())


def recognise(path: Path) -> bool:
    """Whether ``path`` is LLMBar's ``Processed`` folder or one of its ``dataset.json`` files.

    Args:
      path: A local path given as ``-T dataset=``.
    """
    return llmbar.recognise_sets(path, SUBSETS)


def load(dataset: str) -> list[PairRecord]:
    """The pairs of the ``Processed`` folder or one of its ``dataset.json`` files.

    Args:
      dataset: The ``dataset`` option.
    """
    return llmbar.read(Path(dataset).expanduser(), SUBSETS, NAME)


def native(pairs: Sequence[Any]) -> dict[str, Any]:
    """LLMBar's statistics of a run on these sets, per set and overall, in percent.

    Args:
      pairs: The run's scored pairs (``category``, ``label``, ``verdicts``).
    """
    return llmbar.native(pairs, CATEGORIES)


#: The report's line: LLMBar's statistics, as for LLMBar itself.
headline = llmbar.headline
