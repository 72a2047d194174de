"""RewardBench 2 (Malik et al., 2025): best-of-N groups in six subsets.

Read from the ``test`` split of ``allenai/reward-bench-2`` as published (rows
``id``, ``prompt``, ``chosen`` and ``rejected`` (lists of responses),
``num_correct``, ``num_incorrect``, ``total_completions``, ``models``,
``subset``, ``additional_metadata``): a local ``.parquet``, ``.jsonl`` or
``.json`` file in that schema, or the hub id (pinned revision). A row is a
best-of-N group; a pairwise judge plays each chosen response against each
rejected one (both orders for a two-game judge), as pairs whose ids name the
group and its members (``rewardbench2-<id>-c<i>-r<j>``). The category is the
subset in lower case with hyphens (``factuality``, ``precise-if``, ``math``,
``safety``, ``focus``, ``ties``).

RewardBench 2's own scores (``rewardbench/utils.py`` and ``scripts/run_v2.py``
of allenai/reward-bench):

- a reward model scores every response of a group once; the group counts 1
  when the (first) chosen response scores highest, ``1/k`` when ``k``
  responses tie at the top (``reroll_and_score_dataset``); a subset's score is
  the mean over its groups;
- Ties (``process_single_model``) is ``0.30`` tied accuracy + ``0.30`` ref
  accuracy (a prompt is accurate when every correct answer outscores the best
  wrong one) + ``0.20`` correctness_preferred + ``0.20``
  correctness_preferred_hard + ``0.01`` margin score; the last three compare
  score *margins* and need scalar scores;
- the leaderboard's overall score is the unweighted mean of the six subsets.

**Our extension** for pairwise judges (RewardBench 2 defines none): a group is
won when its chosen response wins every one of its pairs by the pair rule. In a
one-game run (a reward model's scores) a pair whose verdict is a tie counts as
a tie at the top: a group whose chosen response wins or ties each pair earns
``1/(1 + ties)``, RewardBench 2's rule. Ties' accuracy terms are computed the
same way (every chosen response wins each of its pairs); its margin terms, and
so its score and the overall mean of six, are n/a for a pairwise judge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from ..dataset import PairDataError, PairRecord
from .rows import check_text_fields, first_row_with, hub_rows, read_table, chosen_rejected_pairs

NAME = "rewardbench2"
HF_DATASET = "allenai/reward-bench-2"
#: Hub ids recognised as this benchmark (``-T dataset=allenai/reward-bench-2[@revision]``).
HUB_IDS: tuple[str, ...] = (HF_DATASET,)
HF_SPLIT = "test"

#: The ``subset`` values, in the order of the RewardBench 2 leaderboard.
SUBSETS: tuple[str, ...] = ("Factuality", "Precise IF", "Math", "Safety", "Focus", "Ties")
TIES = "Ties"

#: Weights of the Ties score's terms (``process_single_model``); only the accuracy terms apply to pairwise judges.
TIES_WEIGHTS: dict[str, float] = {
    "tied_accuracy": 0.30,
    "ref_accuracy": 0.30,
    "correctness_preferred": 0.20,
    "correctness_preferred_hard": 0.20,
    "correctness_margin_score": 0.01,
}


def category_of_subset(subset: str) -> str:
    """``Precise IF`` -> ``precise-if`` (the category and metric name)."""
    return subset.lower().replace(" ", "-")


#: The categories, in the leaderboard's order of subsets.
CATEGORIES: tuple[str, ...] = tuple(category_of_subset(s) for s in SUBSETS)
SUBSET_OF: dict[str, str] = {category_of_subset(s): s for s in SUBSETS}


def recognise(path: Path) -> bool:
    """Whether ``path`` is a file in RewardBench 2's schema (judged by its first row).

    Args:
      path: A local path given as ``-T dataset=``.
    """
    first = first_row_with(path, ("prompt", "chosen", "rejected", "subset", "num_correct"))
    return first is not None and isinstance(first["chosen"], list)


def load(dataset: str) -> list[PairRecord]:
    """The pairs of a local file, or of the hub id ``allenai/reward-bench-2[@revision]``.

    Args:
      dataset: The ``dataset`` option.
    """
    repo, _, revision = dataset.partition("@")
    if repo == HF_DATASET:
        rows = hub_rows(repo, HF_SPLIT, revision or None, "path/to/test.parquet")
        return to_pairs(rows, f"{repo}@{revision or 'main'} split {HF_SPLIT}")
    path = Path(dataset).expanduser()
    return to_pairs(read_table(path), str(path))


def _responses(row: dict[str, Any], field: str, where: str) -> list[str]:
    value = row.get(field)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise PairDataError(f"{where}, field '{field}': expected a non-empty list of strings")
    return value


def _check_count(row: dict[str, Any], field: str, expected: int, where: str) -> None:
    """A count field, if present, must match the lists (``num_correct`` = len(chosen) ...)."""
    if field in row and row[field] is not None and row[field] != expected:
        raise PairDataError(f"{where}, field '{field}': {row[field]!r} does not match the responses given ({expected})")


def to_pairs(rows: Sequence[Any], origin: str) -> list[PairRecord]:
    """RewardBench 2 rows as pairs: each chosen response against each rejected one.

    Args:
      rows: The decoded rows.
      origin: File or hub id, for messages.

    Raises:
      PairDataError: A row that is not RewardBench 2's schema (file, row, field named).
    """
    pairs = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        where = f"{origin}, row {n}"
        check_text_fields(row, ("prompt", "subset"), where)
        subset = row["subset"]
        if subset not in SUBSETS:
            raise PairDataError(f"{where}, field 'subset': {subset!r} is not one of {', '.join(SUBSETS)}")
        chosen, rejected = _responses(row, "chosen", where), _responses(row, "rejected", where)
        _check_count(row, "num_correct", len(chosen), where)
        for field in ("num_incorrect", "num_rejected"):
            _check_count(row, field, len(rejected), where)
        _check_count(row, "total_completions", len(chosen) + len(rejected), where)
        row_id = row.get("id", n)
        if isinstance(row_id, bool) or not isinstance(row_id, (int, str)):
            raise PairDataError(f"{where}, field 'id': expected an integer or string, got {type(row_id).__name__}")
        if subset == TIES:
            _ties_key(str(row_id), where)
        if str(row_id) in seen:
            raise PairDataError(f"{where}, field 'id': duplicate id {row_id!r} (first on row {seen[str(row_id)]})")
        seen[str(row_id)] = n
        category = category_of_subset(subset)
        pairs += chosen_rejected_pairs(
            NAME, row_id, chosen, rejected, id_prefix=f"{NAME}-{row_id}", category=category, question=row["prompt"]
        )
    if not pairs:
        raise PairDataError(f"{origin}: no rows")
    return pairs


def _ties_key(row_id: str, where: str = "") -> tuple[str, str]:
    """A Ties row's kind and prompt as ``process_single_model`` splits its id: ``ref:12`` -> ``("ref", "12")``;
    any kind but ``ref`` is a tied prompt."""
    parts = row_id.split(":")
    if len(parts) != 2:
        raise PairDataError(f"{where}, field 'id': a Ties id is '<ref|tied>:<prompt>', got {row_id!r}")
    kind, prompt = parts
    return ("ref" if kind == "ref" else "tied"), prompt


def _group_of(pair_id: str) -> str:
    """The group (row id) of a pair from its id (``rewardbench2-<id>-c0-r2``)."""
    return pair_id.rsplit("-", 2)[0].removeprefix(f"{NAME}-")


def group_credit(group: Sequence[Any]) -> float:
    """A group's credit by our extension: 1 when the chosen wins every pair, 0 otherwise;
    in a one-game run, ``1/(1 + ties)`` when the chosen wins or ties every pair.

    Args:
      group: The group's scored pairs (``outcome``).
    """
    if all(p.outcome.correct for p in group):
        return 1.0
    if all(p.outcome.games == 1 and (p.outcome.correct or p.outcome.ties == 1) for p in group):
        return 1.0 / (1 + sum(p.outcome.ties for p in group))
    return 0.0


def native(pairs: Sequence[Any]) -> dict[str, Any]:
    """RewardBench 2's scores of a run, in percent, by our extension for pairwise judges.

    Args:
      pairs: The run's scored pairs (``pair_id``, ``category``, ``outcome``).
    """
    groups: dict[tuple[str, str], list[Any]] = {}
    for p in pairs:
        groups.setdefault((p.category, _group_of(p.pair_id)), []).append(p)
    credit: dict[str, list[float]] = {}
    ties: dict[str, list[float]] = {"ref": [], "tied": []}
    for (category, group_id), group in groups.items():
        if category == category_of_subset(TIES):
            ties[_ties_key(group_id)[0]].append(float(all(p.outcome.correct for p in group)))
        else:
            credit.setdefault(category, []).append(group_credit(group))
    mean = lambda v: 100 * sum(v) / len(v)  # noqa: E731
    subsets: dict[str, float | None] = {c: mean(v) for c in CATEGORIES if (v := credit.get(c))}
    out: dict[str, Any] = {
        "metric": (
            "RewardBench 2 accuracy by OUR EXTENSION for pairwise judges: a prompt counts when its chosen "
            "response wins every pair against each rejected response (pair rule; 1/(1+ties) in a one-game run); "
            "Ties and the overall mean of six are n/a (they need scalar scores)"
        ),
        "subsets": subsets,
        "groups": {c: len(v) for c, v in credit.items()},
    }
    if ties["ref"] or ties["tied"]:
        subsets["ties"] = None
        out["ties"] = {
            "score": None,
            "ref_accuracy": mean(ties["ref"]) if ties["ref"] else None,
            "tied_accuracy": mean(ties["tied"]) if ties["tied"] else None,
            "not_applicable": [t for t in TIES_WEIGHTS if not t.endswith("_accuracy")],
        }
    scored = [v for v in subsets.values() if v is not None]
    out["overall"] = None  # the mean of six needs a Ties score
    out["mean_without_ties"] = sum(scored) / len(scored) if scored else None
    return out


def headline(score: Mapping[str, Any]) -> str | None:
    """One line naming the run's RewardBench 2 score (what :func:`native` gave), for the report's notes.

    Args:
      score: The run's :func:`native` score.
    """
    if score.get("mean_without_ties") is None:
        return None
    return (f"RewardBench 2 by our pairwise extension (a prompt counts when the chosen wins every pair): "
            f"mean of the subsets without Ties {score['mean_without_ties']:.2f}; Ties and the overall mean n/a")  # fmt: skip
