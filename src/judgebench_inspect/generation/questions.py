"""The question registry: source questions kept in this process for the solvers, by a short key.

A solver needs the full :class:`SourceQuestion` of its sample (ground truth,
LiveCodeBench test suites that can be megabytes). Passing them as solver
arguments would copy them all into the log's solver arguments, and sample
metadata would copy the test suites into every sample. Instead the task builder
registers them here and hands the solver the short key; building the task again
(``inspect eval-retry`` does) registers them again under the same key.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Mapping

from .sources import SourceQuestion

#: Registry key -> (sample id -> question).
_REGISTRY: dict[str, dict[str, SourceQuestion]] = {}
_LOCK = threading.Lock()


def register_questions(questions: Mapping[str, SourceQuestion]) -> str:
    """Keep questions by sample id in the registry; return the key to look them up.

    Args:
      questions: Sample id -> question.
    """
    digest = hashlib.sha256()
    for sample_id in sorted(questions):
        q = questions[sample_id]
        digest.update(f"{sample_id}\x1f{q.source}\x1f{q.question_id}\x1f{q.prompt}\x1f{q.ground_truth}\x1e".encode())
    key = digest.hexdigest()[:16]
    with _LOCK:
        _REGISTRY[key] = dict(questions)
    return key


def registered_question(key: str, sample_id: str | int) -> SourceQuestion:
    """The question of a sample, from the registry.

    Args:
      key: What :func:`register_questions` returned.
      sample_id: The sample's id.

    Raises:
      KeyError: Unknown key or sample (the task was not built in this process).
    """
    with _LOCK:
        questions = _REGISTRY.get(key)
    if questions is None:
        raise KeyError(f"question bank {key} is not loaded in this process (build the task first)")
    try:
        return questions[str(sample_id)]
    except KeyError:
        raise KeyError(f"sample {sample_id!r} is not in question bank {key}") from None
