"""RewardBench (Lambert et al., 2024): chosen/rejected pairs in 23 subsets and four sections.

Read from the ``filtered`` split of ``allenai/reward-bench`` as published (rows
``prompt``, ``chosen``, ``rejected``, ``chosen_model``, ``rejected_model``,
``subset``, ``id``): a local ``.parquet``, ``.jsonl`` or ``.json`` file in that
schema, or the hub id (pinned revision). A pair's category is its section in
lower case with hyphens (``chat``, ``chat-hard``, ``safety``, ``reasoning``); the
subset stays in the pair's ``source`` (``rewardbench-<subset>``).

RewardBench's own scores (``rewardbench/constants.py`` and
``scripts/run_generative.py`` of allenai/reward-bench):

- a section is the mean of its subsets' accuracies weighted by
  ``EXAMPLE_COUNTS`` (``math-prm`` weighs 984, not its 447 rows, to equal the
  code subsets); the overall score is the unweighted mean of the four sections;
- a generative judge plays **one** game with the chosen response at a random
  position and scores 1 for the chosen, 0 for the rejected and 0.5 for anything
  else (a tie, an unreadable reply). Here the chosen response's position is
  drawn once per row, seeded by the row's id, and is the pair's original order,
  so game 1 is RewardBench's game; a two-game run is also scored by the pair rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from ..dataset import PairDataError, PairRecord
from .groups import run_scores
from .rows import check_text_fields, first_row_with, hub_rows, read_table, seeded_pair

NAME = "rewardbench"
HF_DATASET = "allenai/reward-bench"
#: Hub ids recognised as this benchmark (``-T dataset=allenai/reward-bench[@revision]``).
HUB_IDS: tuple[str, ...] = (HF_DATASET,)
HF_SPLIT = "filtered"

#: ``EXAMPLE_COUNTS`` of ``rewardbench/constants.py``: the weight of each subset in its section.
EXAMPLE_COUNTS: dict[str, int] = {
    "alpacaeval-easy": 100, "alpacaeval-length": 95, "alpacaeval-hard": 95,
    "mt-bench-easy": 28, "mt-bench-med": 40, "mt-bench-hard": 37,
    "math-prm": 984,  # 447 rows, weighted to equal the code subsets (RewardBench's choice)
    "refusals-dangerous": 100, "refusals-offensive": 100,
    "llmbar-natural": 100, "llmbar-adver-neighbor": 134, "llmbar-adver-GPTInst": 92,
    "llmbar-adver-GPTOut": 47, "llmbar-adver-manual": 46,
    "xstest-should-refuse": 154, "xstest-should-respond": 250, "donotanswer": 136,
    "hep-cpp": 164, "hep-go": 164, "hep-java": 164, "hep-js": 164, "hep-python": 164, "hep-rust": 164,
}  # fmt: skip

#: ``SUBSET_MAPPING`` of ``rewardbench/constants.py``: section -> its subsets.
SECTIONS: dict[str, tuple[str, ...]] = {
    "Chat": ("alpacaeval-easy", "alpacaeval-length", "alpacaeval-hard", "mt-bench-easy", "mt-bench-med"),
    "Chat Hard": ("mt-bench-hard", "llmbar-natural", "llmbar-adver-neighbor", "llmbar-adver-GPTInst",
                  "llmbar-adver-GPTOut", "llmbar-adver-manual"),
    "Safety": ("refusals-dangerous", "refusals-offensive", "xstest-should-refuse", "xstest-should-respond",
               "donotanswer"),
    "Reasoning": ("math-prm", "hep-cpp", "hep-go", "hep-java", "hep-js", "hep-python", "hep-rust"),
}  # fmt: skip

SECTION_OF: dict[str, str] = {subset: section for section, subsets in SECTIONS.items() for subset in subsets}


def category_of_section(section: str) -> str:
    """``Chat Hard`` -> ``chat-hard`` (the category and metric name)."""
    return section.lower().replace(" ", "-")


#: The categories, in RewardBench's order of sections.
CATEGORIES: tuple[str, ...] = tuple(category_of_section(s) for s in SECTIONS)

FIELDS = ("prompt", "chosen", "rejected", "subset")


def recognise(path: Path) -> bool:
    """Whether ``path`` is a file in RewardBench's schema (judged by its first row).

    Args:
      path: A local path given as ``-T dataset=``.
    """
    first = first_row_with(path, FIELDS)
    return first is not None and isinstance(first["chosen"], str)  # RM-Bench's and RewardBench 2's rows hold lists


def read(path: Path) -> list[PairRecord]:
    """Read a local file of RewardBench's ``filtered`` split.

    Args:
      path: A ``.parquet``, ``.jsonl`` or ``.json`` file.

    Raises:
      PairDataError: A row that is not RewardBench's schema (file, row, field named).
    """
    return to_pairs(read_table(path), str(path))


def load(dataset: str) -> list[PairRecord]:
    """The pairs of a local file, or of the hub id ``allenai/reward-bench[@revision]``.

    Args:
      dataset: The ``dataset`` option.
    """
    repo, _, revision = dataset.partition("@")
    if repo == HF_DATASET:
        return read_hub(repo, revision or None)
    return read(Path(dataset).expanduser())


def read_hub(dataset: str = HF_DATASET, revision: str | None = None) -> list[PairRecord]:
    """Read the ``filtered`` split from the Hugging Face hub.

    Args:
      dataset: The hub id.
      revision: A commit to pin (``None``: the default branch).
    """
    rows = hub_rows(dataset, HF_SPLIT, revision, "path/to/filtered.parquet")
    return to_pairs(rows, f"{dataset}@{revision or 'main'} split {HF_SPLIT}")


def to_pairs(rows: Sequence[Any], origin: str) -> list[PairRecord]:
    """RewardBench rows as pairs (the chosen response at a position seeded by the row's id).

    Args:
      rows: The decoded rows.
      origin: File or hub id, for messages.
    """
    pairs = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows, start=1):
        where = f"{origin}, row {i}"
        check_text_fields(row, FIELDS, where)
        subset = row["subset"]
        if subset not in SECTION_OF:
            raise PairDataError(f"{where}, field 'subset': {subset!r} is not one of RewardBench's 23 subsets")
        row_id = row.get("id", i)
        if isinstance(row_id, bool) or not isinstance(row_id, (int, str)):
            raise PairDataError(f"{where}, field 'id': expected an integer or string, got {type(row_id).__name__}")
        pair_id = f"{NAME}-{row_id}"
        if pair_id in seen:
            raise PairDataError(f"{where}, field 'id': duplicate id {row_id!r} (first on row {seen[pair_id]})")
        seen[pair_id] = i
        pairs.append(
            seeded_pair(
                f"{NAME}:{row_id}",
                row["chosen"],
                row["rejected"],
                pair_id=pair_id,
                source=f"{NAME}-{subset}",
                category=category_of_section(SECTION_OF[subset]),
                question=row["prompt"],
                original_id=row_id,
            )
        )
    if not pairs:
        raise PairDataError(f"{origin}: no rows")
    return pairs


def game_credit(verdict: str | None, label: str) -> float:
    """RewardBench's credit for one generative game: 1 chosen, 0 rejected, 0.5 otherwise.

    Args:
      verdict: The game's verdict in the pair's frame.
      label: The pair's label.
    """
    if verdict == label:
        return 1.0
    if verdict in ("A>B", "B>A"):
        return 0.0
    return 0.5


def section_scores(per_subset: Mapping[str, float]) -> dict[str, float]:
    """Sections as RewardBench's ``calculate_scores_per_section`` computes them, and the overall mean.

    Args:
      per_subset: Accuracy (0-1) of each subset present.
    """
    out: dict[str, float] = {}
    for section, subsets in SECTIONS.items():
        present = [s for s in subsets if s in per_subset]
        weight = sum(EXAMPLE_COUNTS[s] for s in present)
        out[section] = sum(per_subset[s] * EXAMPLE_COUNTS[s] for s in present) / weight if weight else 0.0
    out["Overall"] = sum(out[s] for s in SECTIONS) / len(SECTIONS)
    return out


def native(pairs: Sequence[Any]) -> dict[str, Any]:
    """RewardBench's scores of a run, in percent: by its one-game rule and by the pair rule.

    For a reward model (every game records both responses' scalar scores) the
    one-game rule is RewardBench's rule for reward models (``scripts/run_rm.py``):
    1 when the chosen response scores strictly higher, else 0 (an exact tie is 0,
    whatever ``ties`` made of the game).

    Args:
      pairs: The run's scored pairs (``category``, ``label``, ``verdicts``,
        ``outcome``, and ``record["source"]`` = ``rewardbench-<subset>``).
    """
    scores = run_scores(pairs)
    single: dict[str, list[float]] = {}
    pair_rule: dict[str, list[float]] = {}
    for p in pairs:
        subset = str(p.record.get("source", "")).removeprefix(f"{NAME}-")
        if scores:
            chosen, rejected = scores[p.pair_id]
            credit = float(chosen > rejected)
        else:
            credit = game_credit(p.verdicts[0], p.label)
        single.setdefault(subset, []).append(credit)
        pair_rule.setdefault(subset, []).append(float(p.outcome.correct))
    mean = lambda v: sum(v) / len(v)  # noqa: E731
    return {
        "metric": "RewardBench score (section means weighted by EXAMPLE_COUNTS; overall = mean of the four sections)",
        "scored_by": "scores" if scores else "pairs",
        "one_game": {k: 100 * v for k, v in section_scores({s: mean(v) for s, v in single.items()}).items()},
        "pair_rule": {k: 100 * v for k, v in section_scores({s: mean(v) for s, v in pair_rule.items()}).items()},
        "subsets": {s: 100 * mean(v) for s, v in sorted(single.items())},
    }


def headline(score: Mapping[str, Any]) -> str | None:
    """One line naming RewardBench's own score of a run (what :func:`native` gave), for the report's notes.

    Args:
      score: The run's :func:`native` score.
    """
    one, rule = score["one_game"], score["pair_rule"]
    first = "by its rule for reward models (chosen scores higher)" if score.get("scored_by") == "scores" else "by its one-game rule"
    return (f"RewardBench's own score (sections weighted as RewardBench weighs them): overall {one['Overall']:.2f} "
            f"{first}, {rule['Overall']:.2f} by the pair rule")  # fmt: skip
