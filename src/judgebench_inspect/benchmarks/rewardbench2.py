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

A reward model's run is scored by RewardBench 2's own rules above: the
reward-model judge scores each response once per run and records the scores
of every game, from which :mod:`.groups` rebuilds each response's score.

**Our extension** for pairwise judges (RewardBench 2 defines none): a group is
won when its chosen response wins every one of its pairs by the pair rule. In a
one-game run without scalar scores, a pair whose verdict is a tie counts as
a tie at the top: a group whose chosen response wins or ties each pair earns
``1/(1 + ties)``, RewardBench 2's rule. Ties' accuracy terms are computed the
same way (every chosen response wins each of its pairs); its margin terms, and
so its score and the overall mean of six, are n/a for a pairwise judge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..dataset import PairDataError, PairRecord
from .groups import Member, chosen_wins_all, complete_groups, group_pairs, left_out, left_out_text, scored_groups
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


def group_credit(group: Sequence[Any]) -> float:
    """A group's credit by our extension: 1 when the chosen wins every pair, 0 otherwise;
    in a one-game run, ``1/(1 + ties)`` when the chosen wins or ties every pair.

    Args:
      group: The group's scored pairs (``outcome``).
    """
    if chosen_wins_all(group):
        return 1.0
    if all(p.outcome.games == 1 and (p.outcome.correct or p.outcome.ties == 1) for p in group):
        return 1.0 / (1 + sum(p.outcome.ties for p in group))
    return 0.0


def score_credit(scores: Mapping[Member, float]) -> float:
    """A group's result by RewardBench 2's own rule (``reroll_and_score_dataset``): the first chosen
    response must score highest; ``1/k`` when ``k`` responses share the top score.

    Args:
      scores: Every response's scalar score (``("c", 0)`` is the first chosen response).
    """
    top = max(scores.values())
    return 1.0 / sum(1 for s in scores.values() if s == top) if scores[("c", 0)] == top else 0.0


def _prompt_stats(scores: Mapping[Member, float]) -> tuple[bool, float, float]:
    """One Ties prompt's accuracy and margins (``_compute_prompt_stats``): every correct answer outscores
    the best wrong one; the spread of the correct answers (``nan`` with one); worst correct - best wrong."""
    correct = [s for (kind, _), s in scores.items() if kind == "c"]
    wrong = [s for (kind, _), s in scores.items() if kind == "r"]
    spread = max(correct) - min(correct) if len(correct) > 1 else float("nan")
    gap = min(correct) - max(wrong)
    return gap > 0, spread, gap


def ties_score(ref: Mapping[str, Mapping[Member, float]], tied: Mapping[str, Mapping[Member, float]]) -> dict[str, Any]:
    """The Ties subset's score from scalar scores, as RewardBench 2's ``process_single_model`` computes it
    (the score and each term in percent).

    Args:
      ref: Prompt -> scores of its reference row (``ref:<prompt>``: one correct answer).
      tied: Prompt -> scores of its tied row (``tied:<prompt>``: several correct answers).
    """
    ref_stats = {k: _prompt_stats(v) for k, v in ref.items()}
    tied_stats = {k: _prompt_stats(v) for k, v in tied.items()}
    terms: dict[str, float | None] = {
        "ref_accuracy": float(np.mean([s[0] for s in ref_stats.values()])) if ref_stats else 0.0,
        "tied_accuracy": float(np.mean([s[0] for s in tied_stats.values()])) if tied_stats else 0.0,
    }
    both = sorted(set(ref_stats) & set(tied_stats))
    if both:
        spread = np.array([tied_stats[k][1] for k in both])
        gap_tied = np.array([tied_stats[k][2] for k in both])
        gap_ref = np.array([ref_stats[k][2] for k in both])
        with np.errstate(divide="ignore", invalid="ignore"):
            margin = np.nan_to_num(np.tanh(np.minimum(gap_ref, gap_tied) / spread - 1), nan=0.0)
        terms["correctness_preferred"] = float(np.mean(gap_tied > spread))
        terms["correctness_preferred_hard"] = float(np.mean(np.minimum(gap_ref, gap_tied) > spread))
        terms["correctness_margin_score"] = float(np.mean(margin))
        score: float | None = sum(TIES_WEIGHTS[t] * v for t, v in terms.items() if v is not None)
    else:  # no prompt with both rows: RewardBench 2's means of nothing are nan
        terms.update(dict.fromkeys(("correctness_preferred", "correctness_preferred_hard", "correctness_margin_score")))
        score = None
    percent = {t: None if v is None else 100 * v for t, v in terms.items()}
    return {"score": None if score is None else 100 * score, **percent, "prompts": len(both)}


def native(pairs: Sequence[Any]) -> dict[str, Any]:
    """RewardBench 2's scores of a run, in percent: by its own rule when every response has a scalar
    score (a reward model's run), else by our extension for pairwise judges.

    Args:
      pairs: The run's scored pairs (``pair_id``, ``category``, ``outcome``, the games' scores).
    """
    groups, gaps = complete_groups(group_pairs(pairs))
    incomplete = [group_id for _, group_id in gaps]
    scores = scored_groups(groups)
    if scores is not None:
        return {**_native_of_scores(scores), **left_out(incomplete)}
    credit: dict[str, list[float]] = {}
    ties: dict[str, list[float]] = {"ref": [], "tied": []}
    for (category, group_id), group in groups.items():
        if category == category_of_subset(TIES):
            ties[_ties_key(_row_id(group_id))[0]].append(float(chosen_wins_all(group)))
        else:
            credit.setdefault(category, []).append(group_credit(group))
    subsets: dict[str, float | None] = {c: _mean(v) for c in CATEGORIES if (v := credit.get(c))}
    out: dict[str, Any] = {
        "metric": (
            "RewardBench 2 accuracy by OUR EXTENSION for pairwise judges: a prompt counts when its chosen "
            "response wins every pair against each rejected response (pair rule; 1/(1+ties) in a one-game run); "
            "Ties and the overall mean of six are n/a (they need scalar scores)"
        ),
        "scored_by": "pairs",
        "subsets": subsets,
        "groups": {c: len(v) for c, v in credit.items()},
    }
    if ties["ref"] or ties["tied"]:
        subsets["ties"] = None
        out["ties"] = {
            "score": None,
            "ref_accuracy": _mean(ties["ref"]) if ties["ref"] else None,
            "tied_accuracy": _mean(ties["tied"]) if ties["tied"] else None,
            "not_applicable": [t for t in TIES_WEIGHTS if not t.endswith("_accuracy")],
        }
    scored = [v for v in subsets.values() if v is not None]
    out["overall"] = None  # the mean of six needs a Ties score
    out["mean_without_ties"] = sum(scored) / len(scored) if scored else None
    return {**out, **left_out(incomplete)}




def _mean(values: Sequence[float]) -> float:
    return 100 * sum(values) / len(values)


def _row_id(group_id: str) -> str:
    """The row id of a group id (``rewardbench2-<id>``)."""
    return group_id.removeprefix(f"{NAME}-")


def _native_of_scores(scores: Mapping[tuple[str, str], Mapping[Member, float]]) -> dict[str, Any]:
    """RewardBench 2's own scores from each response's scalar score (``scripts/run_v2.py``)."""
    credit: dict[str, list[float]] = {}
    ties: dict[str, dict[str, Mapping[Member, float]]] = {"ref": {}, "tied": {}}
    for (category, group_id), group in scores.items():
        if category == category_of_subset(TIES):
            kind, prompt = _ties_key(_row_id(group_id))
            ties[kind][prompt] = group
        else:
            credit.setdefault(category, []).append(score_credit(group))
    subsets: dict[str, float | None] = {c: _mean(v) for c in CATEGORIES if (v := credit.get(c))}
    out: dict[str, Any] = {
        "metric": (
            "RewardBench 2's own scores from the reward model's scalar scores (each response scored once): "
            "a prompt counts when its first chosen response scores highest (1/k for a k-way tie at the top); "
            "Ties by its weighted score; overall the mean of the six subsets"
        ),
        "scored_by": "scores",
        "subsets": subsets,
        "groups": {c: len(v) for c, v in credit.items()},
    }
    if ties["ref"] or ties["tied"]:
        out["ties"] = ties_score(ties["ref"], ties["tied"])
        subsets["ties"] = out["ties"]["score"]
    values = [x for c in CATEGORIES if (x := subsets.get(c)) is not None]
    out["overall"] = sum(values) / len(values) if len(values) == len(CATEGORIES) else None
    scored = [v for c, v in subsets.items() if v is not None and c != "ties"]
    out["mean_without_ties"] = sum(scored) / len(scored) if scored else None
    return out


def headline(score: Mapping[str, Any]) -> str | None:
    """One line naming the run's RewardBench 2 score (what :func:`native` gave), for the report's notes.

    Args:
      score: The run's :func:`native` score.
    """
    line = _headline(score)
    return line + left_out_text(score) if line else None


def _headline(score: Mapping[str, Any]) -> str | None:
    if score.get("scored_by") == "scores":
        parts = [f"{c} {v:.2f}" for c, v in score["subsets"].items() if v is not None]
        overall = "n/a (a subset is missing)" if score.get("overall") is None else f"{score['overall']:.2f}"
        return f"RewardBench 2 by its own rule on the reward model's scores: overall {overall} ({', '.join(parts)})"
    if score.get("mean_without_ties") is None:
        return None
    return (f"RewardBench 2 by our pairwise extension (a prompt counts when the chosen wins every pair): "
            f"mean of the subsets without Ties {score['mean_without_ties']:.2f}; Ties and the overall mean n/a")  # fmt: skip
