"""PPE correctness (Frick et al., 2024, "How to Evaluate Reward Models for RLHF"): best-of-K
groups of one model's sampled answers with verified correctness labels.

Five hub datasets, one per domain, each with split ``train``:
``lmarena-ai/PPE-{MMLU-Pro,MATH,GPQA,MBPP-Plus,IFEval}-Best-of-K``. The rows
share the fields read here (the rest differ by domain): ``question_id``,
``prompt`` (the prompt the model answered), ``model_name``, ``scores`` (one
bool per response: verified correct), ``response_1`` ... ``response_K``, and
``sampled_conflict_pairs`` (pairs of 0-based response indices with different
correctness). ``-T dataset=`` takes a hub id (pinned revision), a local
``.parquet`` / ``.jsonl`` / ``.json`` file of one domain whose file or folder
name names it (``PPE-MATH-Best-of-K``, ``math_best_of_k.jsonl``,
``PPE-GPQA-Best-of-K/data/train-00000-of-00001.parquet``), or a folder of such
files. The category is the domain (``mmlu-pro``, ``math``, ``gpqa``,
``mbpp-plus``, ``ifeval``).

A row is a best-of-K group. Its pairs (a correct response against an incorrect
one, ``ppe-<domain>-<question_id>-c<i>-r<j>`` with 1-based response numbers)
are the row's ``sampled_conflict_pairs``, the pairs PPE's accuracy is computed
on; a row without that field gives every correct response against every
incorrect one. A conflict pair a row lists twice (in either order) is one pair,
played and counted once; its ``tags`` say how often it was listed and
:func:`native` counts such pairs (``listed_more_than_once``). ``response_model`` is the row's ``model_name`` (one model wrote
every response of a group, as in JudgeBench).

PPE's correctness metrics, as far as they apply to a pairwise judge:

- **accuracy** (pairwise accuracy on the conflict pairs): applies; here a pair
  counts when the pair rule says so, pooled over a domain's pairs;
- best-of-K performance and loss, and the within-prompt correlations of scores
  with correctness, need one scalar score per response: **n/a** for a pairwise
  judge (reported as such). PPE defines no best-of-K from pairwise verdicts.

Not checked against PPE's repository (github.com/lmarena/PPE could not be
fetched here): the schema is the published dataset cards'; the accuracy's
pooling over pairs is our reading.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..dataset import PairDataError, PairRecord
from .rows import TABLE_SUFFIXES, first_row, hub_rows, read_table, seeded_pair

NAME = "ppe"
HF_SPLIT = "train"

#: Hub id -> category (domain), in PPE's order.
HUB_DOMAINS: dict[str, str] = {
    "lmarena-ai/PPE-MMLU-Pro-Best-of-K": "mmlu-pro",
    "lmarena-ai/PPE-MATH-Best-of-K": "math",
    "lmarena-ai/PPE-GPQA-Best-of-K": "gpqa",
    "lmarena-ai/PPE-MBPP-Plus-Best-of-K": "mbpp-plus",
    "lmarena-ai/PPE-IFEval-Best-of-K": "ifeval",
}
HUB_IDS: tuple[str, ...] = tuple(HUB_DOMAINS)
CATEGORIES: tuple[str, ...] = tuple(HUB_DOMAINS.values())

#: A domain's mark in a file or folder name (letters and digits only, lower case), tried in this order.
_NAME_MARKS: tuple[tuple[str, str], ...] = (
    ("mmlupro", "mmlu-pro"), ("mbpp", "mbpp-plus"), ("gpqa", "gpqa"), ("ifeval", "ifeval"), ("math", "math"),
)  # fmt: skip

#: PPE metrics that need one scalar score per response.
SCORE_ONLY_METRICS: tuple[str, ...] = (
    "best-of-K performance",
    "best-of-K loss",
    "within-prompt correlation of scores with correctness",
)


def domain_of(path: Path) -> str | None:
    """The domain a file's name or its folders' names give (``PPE-MATH-Best-of-K`` -> ``math``).

    Args:
      path: A local file.
    """
    for part in reversed(path.parts[-3:]):
        squashed = re.sub(r"[^a-z0-9]", "", part.lower())
        for mark, domain in _NAME_MARKS:
            if mark in squashed:
                return domain
    return None


def _is_ppe_row(row: Any) -> bool:
    return isinstance(row, dict) and isinstance(row.get("scores"), list) and "response_1" in row and "prompt" in row


def _files(path: Path) -> list[Path]:
    """The PPE files of a folder, up to three levels down (``PPE-MATH-Best-of-K/data/train-*.parquet``), in name order."""
    found = (f for pattern in ("*", "*/*", "*/*/*") for f in path.glob(pattern) if f.name.endswith(TABLE_SUFFIXES))
    return sorted(f for f in found if _is_ppe_row(first_row(f)))


def recognise(path: Path) -> bool:
    """Whether ``path`` is a PPE correctness file (judged by its first row), or a folder holding some.

    Args:
      path: A local path given as ``-T dataset=``.
    """
    if path.is_dir():
        return bool(_files(path))
    return _is_ppe_row(first_row(path))


def load(dataset: str) -> list[PairRecord]:
    """The pairs of a hub id, a local file of one domain, or a folder of such files.

    Args:
      dataset: The ``dataset`` option.

    Raises:
      PairDataError: A file whose domain its name does not tell, or a row not in PPE's schema.
    """
    repo, _, revision = dataset.partition("@")
    if repo in HUB_DOMAINS:
        rows = hub_rows(repo, HF_SPLIT, revision or None, f"path/to/{repo.split('/')[1]}.parquet")
        return to_pairs(rows, f"{repo}@{revision or 'main'} split {HF_SPLIT}", HUB_DOMAINS[repo])
    path = Path(dataset).expanduser()
    pairs: list[PairRecord] = []
    for file in _files(path) if path.is_dir() else [path]:
        domain = domain_of(file)
        if domain is None:
            raise PairDataError(
                f"{file}: cannot tell PPE's domain from the file or folder name "
                f"(name it after its hub dataset, e.g. PPE-MATH-Best-of-K.parquet)"
            )
        pairs += to_pairs(read_table(file), str(file), domain)
    return pairs


def _conflict_pairs(row: dict[str, Any], scores: list[bool], where: str) -> dict[tuple[int, int], int]:
    """(correct, incorrect) 0-based response indices -> how often the row lists them: its sampled
    conflict pairs (a pair listed twice, in either order, is one pair listed twice), else all once."""
    listed = row.get("sampled_conflict_pairs")
    if listed is None:
        right = [i for i, s in enumerate(scores) if s]
        return {(i, j): 1 for i in right for j, s in enumerate(scores) if not s}
    out: dict[tuple[int, int], int] = {}
    for pair in listed:
        if not (
            isinstance(pair, (list, tuple))
            and len(pair) == 2
            and all(isinstance(k, int) and not isinstance(k, bool) and 0 <= k < len(scores) for k in pair)
            and scores[pair[0]] != scores[pair[1]]
        ):
            raise PairDataError(
                f"{where}, field 'sampled_conflict_pairs': {pair!r} is not two indices (0 to {len(scores) - 1}) "
                "of responses with different scores"
            )
        i, j = pair
        key = (i, j) if scores[i] else (j, i)
        out[key] = out.get(key, 0) + 1
    return out


def to_pairs(rows: Sequence[Any], origin: str, domain: str) -> list[PairRecord]:
    """PPE rows of one domain as pairs of a correct and an incorrect response.

    Args:
      rows: The decoded rows.
      origin: File or hub id, for messages.
      domain: The rows' domain (category).

    Raises:
      PairDataError: A row that is not PPE's schema (file, row, field named).
    """
    pairs = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        where = f"{origin}, row {n}"
        if not isinstance(row, dict):
            raise PairDataError(f"{where}: expected an object, got {type(row).__name__}")
        scores = row.get("scores")
        if not isinstance(scores, list) or not scores or not all(isinstance(s, bool) for s in scores):
            raise PairDataError(f"{where}, field 'scores': expected a non-empty list of booleans")
        for field in ("prompt", *(f"response_{k}" for k in range(1, len(scores) + 1))):
            if not isinstance(row.get(field), str):
                raise PairDataError(f"{where}, field '{field}': " + ("missing" if field not in row else "expected a string"))
        qid = row.get("question_id", n)
        if isinstance(qid, bool) or not isinstance(qid, (int, str)):
            raise PairDataError(f"{where}, field 'question_id': expected a string or integer, got {type(qid).__name__}")
        group = str(qid)
        if group in seen:  # one question sampled from several models: keep each row its own group
            group = f"{qid}.{n}"
        seen[group] = n
        model = row.get("model_name")
        for (i, j), listed in _conflict_pairs(row, scores, where).items():
            pairs.append(
                seeded_pair(
                    f"{NAME}:{domain}:{group}:{i}:{j}",
                    row[f"response_{i + 1}"],
                    row[f"response_{j + 1}"],
                    pair_id=f"{NAME}-{domain}-{group}-c{i + 1}-r{j + 1}",
                    source=f"{NAME}-{domain}",
                    category=domain,
                    question=row["prompt"],
                    original_id=qid,
                    response_model=model if isinstance(model, str) else None,
                    tags={"listed": listed} if listed > 1 else None,
                )
            )
    if not pairs:
        raise PairDataError(f"{origin}: no pair of a correct and an incorrect response")
    return pairs


def native(pairs: Sequence[Any]) -> dict[str, Any]:
    """PPE's correctness accuracy of a run, per domain and overall, in percent.

    Args:
      pairs: The run's scored pairs (``category``, ``outcome``).
    """
    by_domain: dict[str, list[float]] = {}
    for p in pairs:
        by_domain.setdefault(p.category, []).append(float(p.outcome.correct))
    accuracy = {d: 100 * sum(v) / len(v) for d in CATEGORIES if (v := by_domain.get(d))}
    pooled = [x for v in by_domain.values() for x in v]
    return {
        "metric": "PPE correctness accuracy (share of conflict pairs judged correctly by the pair rule)",
        "accuracy": accuracy,
        "pairs": {d: len(by_domain[d]) for d in accuracy},
        "overall_pooled": 100 * sum(pooled) / len(pooled) if pooled else None,
        "overall_mean_of_domains": sum(accuracy.values()) / len(accuracy) if accuracy else None,
        "not_applicable": list(SCORE_ONLY_METRICS),
        "listed_more_than_once": sum(1 for p in pairs if _listed(p) > 1),
    }


def _listed(pair: Any) -> int:
    """How often the pair's row lists it among its conflict pairs (played and counted once)."""
    tags = (getattr(pair, "record", None) or {}).get("tags")
    return int(tags.get("listed", 1)) if isinstance(tags, dict) else 1


def headline(score: Mapping[str, Any]) -> str | None:
    """One line naming PPE's own score of a run (what :func:`native` gave), for the report's notes.

    Args:
      score: The run's :func:`native` score.
    """
    if score.get("overall_pooled") is None:
        return None
    return (f"PPE correctness accuracy on its conflict pairs: {score['overall_pooled']:.2f} pooled, "
            f"{score['overall_mean_of_domains']:.2f} mean of domains")  # fmt: skip
