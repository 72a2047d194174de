"""LLMBar (Zeng et al., ICLR 2024): instruction-following pairs, read in their published layout.

The ``LLMBar`` folder of github.com/princeton-nlp/LLMBar holds
``Natural/dataset.json`` and ``Adversarial/{Neighbor,GPTInst,GPTOut,Manual}/dataset.json``;
each is a JSON list of ``{"input", "output_1", "output_2", "label"}`` with
``label`` 1 or 2 naming the objectively better output. A pair's category is its
subset in lower case (``natural``, ``neighbor``, ``gptinst``, ``gptout``,
``manual``), which names the log's per-category metrics.

LLMBar's own statistics (its ``statistics.json``) are ``correct_False`` and
``correct_True`` (accuracy with the original and the swapped order: our game 1
and game 2), ``correct_average`` (their mean, LLMBar's headline: our
``game_accuracy``) and ``correct_both`` (right in both orders: our pair accuracy
for a judge without ties).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from ..dataset import PairDataError, PairRecord
from .rows import check_text_fields, read_json_list

NAME = "llmbar"

#: Subset folder (relative to the ``LLMBar`` folder) -> category, in LLMBar's order.
SUBSETS: dict[str, str] = {
    "Natural": "natural",
    "Adversarial/Neighbor": "neighbor",
    "Adversarial/GPTInst": "gptinst",
    "Adversarial/GPTOut": "gptout",
    "Adversarial/Manual": "manual",
}

#: The categories, in the order LLMBar reports them.
CATEGORIES: tuple[str, ...] = tuple(SUBSETS.values())

FIELDS = ("input", "output_1", "output_2")


def recognise(path: Path) -> bool:
    """Whether ``path`` is LLMBar's ``LLMBar`` folder or one of its ``dataset.json`` files.

    Args:
      path: A local path given as ``-T dataset=``.
    """
    if path.is_dir():
        return (path / "Natural" / "dataset.json").is_file() or (path / "Adversarial").is_dir()
    return path.name == "dataset.json" and subset_of_file(path) is not None


def subset_of_file(path: Path, subsets: Mapping[str, str] = SUBSETS) -> str | None:
    """The category of a ``dataset.json`` by its folder (``.../Adversarial/GPTOut/dataset.json``).

    Args:
      path: A ``dataset.json``.
      subsets: Subset folder -> category.
    """
    parent = path.resolve().parent
    for folder, category in subsets.items():
        parts = tuple(folder.split("/"))
        if tuple(parent.parts[-len(parts):]) == parts:
            return category
    return None


def read(path: Path, subsets: Mapping[str, str] = SUBSETS, name: str = NAME) -> list[PairRecord]:
    """Read LLMBar's folder (every subset present) or one subset's ``dataset.json``.

    Args:
      path: The ``LLMBar`` folder, or a ``dataset.json`` inside it.
      subsets: Subset folder (relative to ``path``) -> category; LLMBar's by default.
      name: The benchmark's name, prefixing pair ids and sources.

    Raises:
      PairDataError: A missing subset file, or a row that is not LLMBar's schema
        (the message names the file, the row and the field).
    """
    if path.is_dir():
        files = [(path / folder / "dataset.json", category) for folder, category in subsets.items()]
        present = [(f, c) for f, c in files if f.is_file()]
        if not present:
            expected = ", ".join(f"{folder}/dataset.json" for folder in subsets)
            raise PairDataError(f"{path}: no {name} subset found (expected {expected})")
        pairs: list[PairRecord] = []
        for file, category in present:
            pairs += read_subset(file, category, name)
        return pairs
    subset = subset_of_file(path, subsets)
    if subset is None:
        raise PairDataError(f"{path}: not in a {name} subset folder ({', '.join(subsets)})")
    return read_subset(path, subset, name)


def read_subset(file: Path, category: str, name: str = NAME) -> list[PairRecord]:
    """The pairs of one subset file.

    Args:
      file: A ``dataset.json`` (a JSON list of instances).
      category: The subset's category name.
      name: The benchmark's name, prefixing pair ids and sources.
    """
    rows = read_json_list(file, "instances")
    return [_pair(row, file, i, category, name) for i, row in enumerate(rows, start=1)]


def _pair(row: Any, file: Path, index: int, category: str, name: str) -> PairRecord:
    check_text_fields(row, FIELDS, f"{file}, instance {index}")
    where = f"{file}, instance {index}"
    label = row.get("label")
    if label not in (1, 2) or isinstance(label, bool):
        raise PairDataError(f"{where}, field 'label': expected 1 or 2, got {label!r}")
    return PairRecord(
        pair_id=f"{name}-{category}-{index}",
        source=f"{name}-{category}",
        category=category,
        question=row["input"],
        response_A=row["output_1"],
        response_B=row["output_2"],
        label="A>B" if label == 1 else "B>A",
        original_id=index,
    )


def load(dataset: str) -> list[PairRecord]:
    """The pairs of a local LLMBar folder or ``dataset.json`` (see :func:`read`).

    Args:
      dataset: The ``dataset`` option.
    """
    return read(Path(dataset).expanduser())


def native(pairs: Sequence[Any], categories: Sequence[str] = CATEGORIES) -> dict[str, Any]:
    """LLMBar's own statistics of a run, per subset and overall, in percent.

    ``correct_False`` / ``correct_True``: accuracy of the game in the original /
    swapped order; ``correct_average``: their mean (LLMBar's headline metric);
    ``correct_both``: right in both orders; ``equal``: both orders give the same winner.

    Args:
      pairs: The run's scored pairs (``category``, ``label``, ``verdicts``).
      categories: The subsets, in the order to report them.
    """
    groups: dict[str, list[Any]] = {c: [] for c in categories}
    for p in pairs:
        groups.setdefault(p.category, []).append(p)
    groups["overall"] = list(pairs)
    out: dict[str, Any] = {"metric": "correct_average (the mean of both orders' accuracies)"}
    for name, group in groups.items():
        two = [p for p in group if len(p.verdicts) == 2]
        if not two:
            continue
        right = [[v == p.label for v in p.verdicts] for p in two]
        first = 100 * sum(r[0] for r in right) / len(two)
        second = 100 * sum(r[1] for r in right) / len(two)
        out[name] = {
            "correct_False": first,
            "correct_True": second,
            "correct_average": (first + second) / 2,
            "correct_both": 100 * sum(all(r) for r in right) / len(two),
            "equal": 100 * sum(p.verdicts[0] == p.verdicts[1] for p in two) / len(two),
            "pairs": len(two),
        }
    return out


def headline(score: Mapping[str, Any]) -> str | None:
    """One line naming LLMBar's own score of a run (what :func:`native` gave), for the report's notes.

    Args:
      score: The run's :func:`native` score.
    """
    overall = score.get("overall")
    if not isinstance(overall, dict):
        return None
    return (f"LLMBar's own score: correct_average {overall['correct_average']:.2f} (correct_False "
            f"{overall['correct_False']:.2f}, correct_True {overall['correct_True']:.2f}, correct_both "
            f"{overall['correct_both']:.2f})")  # fmt: skip
