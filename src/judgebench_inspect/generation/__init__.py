"""The generation pipeline: new JudgeBench pairs from any model, checked against ground truth.

- :mod:`.sources`: the four sources (loaders, checkers, published question text).
- :mod:`.pairs`: candidates -> pairs (seeded placement, uuid5 ids, quota), log -> pairs.
- :mod:`.grader`: the optional second grader (a model given the ground truth).
- :mod:`.match`: JudgeBench pairs -> their source questions (for the solve task).
- :mod:`.cli`: ``judgebench pairs LOG -o pairs.jsonl``.
"""

from .pairs import (
    PAIR_FIELDS,
    PAIR_NAMESPACE,
    Candidate,
    LogExport,
    QuestionResult,
    apply_quota,
    build_pair,
    build_pairs,
    choose_pair,
    export_log,
    make_pair_id,
    write_pairs_jsonl,
)
from .sources import SOURCE_KINDS

__all__ = [
    "PAIR_FIELDS",
    "PAIR_NAMESPACE",
    "SOURCE_KINDS",
    "Candidate",
    "LogExport",
    "QuestionResult",
    "apply_quota",
    "build_pair",
    "build_pairs",
    "choose_pair",
    "export_log",
    "make_pair_id",
    "write_pairs_jsonl",
]
