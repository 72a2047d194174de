"""Other pairwise judge benchmarks, read in their own published formats.

One small module per benchmark, each with the same parts: ``NAME``,
``CATEGORIES`` (the log's per-category metric names), ``recognise(path)`` (a
local path in the benchmark's layout or schema), ``load(dataset)`` (the pairs),
optional ``HUB_IDS`` (hub ids read from the hub), ``native(pairs)`` (the
benchmark's own headline scores of a run, for the report) and ``headline(score)``
(that score in one line of the report's notes).
:func:`benchmark_of` tells which one a ``-T dataset=`` value is. JudgeBench's own schema is read by :mod:`judgebench_inspect.dataset`.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from . import llmbar, llmbar_casestudy, llmbar_processed, ppe, ppe_human, rewardbench, rewardbench2, rmb, rmbench

#: The benchmark modules, by name.
BENCHMARKS: dict[str, ModuleType] = {
    m.NAME: m
    for m in (llmbar, llmbar_processed, llmbar_casestudy, rewardbench, rewardbench2, rmbench, ppe, ppe_human, rmb)
}


def benchmark_of(dataset: str | None) -> ModuleType | None:
    """The benchmark module whose published layout ``dataset`` has, if any.

    Args:
      dataset: The ``dataset`` option (``None``: the published JudgeBench).
    """
    if dataset is None:
        return None
    repo = dataset.partition("@")[0]  # owner/name[:config][@revision]
    for candidate in (repo, repo.partition(":")[0]):  # an unknown config: the module says so
        for module in BENCHMARKS.values():
            if candidate in getattr(module, "HUB_IDS", ()):
                return module
    path = Path(dataset).expanduser()
    if not path.exists():
        return None
    for module in BENCHMARKS.values():
        if module.recognise(path):
            return module
    return None


__all__ = ["BENCHMARKS", "benchmark_of"]
