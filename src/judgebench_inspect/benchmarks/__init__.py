"""Other pairwise judge benchmarks, read in their own published formats.

One small module per benchmark (its reader, its categories, what its own
headline metric is); :func:`benchmark_of` tells which one a ``-T dataset=``
path is. JudgeBench's own schema is read by :mod:`judgebench_inspect.dataset`.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from . import llmbar

#: The benchmark modules, by name.
BENCHMARKS: dict[str, ModuleType] = {llmbar.NAME: llmbar}


def benchmark_of(dataset: str | None) -> ModuleType | None:
    """The benchmark module whose published layout ``dataset`` has, if any.

    Args:
      dataset: The ``dataset`` option (``None``: the published JudgeBench).
    """
    if dataset is None:
        return None
    path = Path(dataset).expanduser()
    if not path.exists():
        return None
    for module in BENCHMARKS.values():
        if module.recognise(path):
            return module
    return None


__all__ = ["BENCHMARKS", "benchmark_of"]
