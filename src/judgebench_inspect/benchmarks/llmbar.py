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

The hub id ``princeton-nlp/LLMBar`` (config ``LLMBar``, the default; also
``princeton-nlp/LLMBar:LLMBar``) reads the same files from
github.com/princeton-nlp/LLMBar at :data:`COMMIT`: the hub dataset is a loading
script over those files, which ``datasets`` no longer runs. They come from the
folder named by ``$LLMBAR_REPO_DIR`` (a copy laid out like the repository),
else the user's cache folder filled by a download, and each file is checked
against its SHA-256 (:class:`~judgebench_inspect.pinned.PinnedFiles`). The
hub's other config, ``princeton-nlp/LLMBar:CaseStudy``, is
:mod:`.llmbar_casestudy`. A ``@revision`` is refused: the commit is pinned.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from ..dataset import PairDataError, PairRecord
from ..pinned import PinnedFiles
from .rows import check_text_fields, read_json_list

NAME = "llmbar"

#: The hub dataset (a loading script over the GitHub files) and its configs.
HUB_ID = "princeton-nlp/LLMBar"
HUB_CONFIGS: tuple[str, ...] = ("LLMBar", "CaseStudy")

#: Hub ids read as this benchmark (``-T dataset=princeton-nlp/LLMBar``); ``:Config`` names a config.
HUB_IDS: tuple[str, ...] = (HUB_ID, f"{HUB_ID}:LLMBar")

#: The repository the hub's loading script reads, and the commit read here (head of main).
REPOSITORY = "princeton-nlp/LLMBar"
COMMIT = "900616bff90b6c6c8e1681f7d079250637c55992"
BASE_URL = f"https://raw.githubusercontent.com/{REPOSITORY}/{COMMIT}/"

#: Environment variable naming a local folder laid out like the repository.
REPO_DIR_ENV = "LLMBAR_REPO_DIR"

#: The data files of both hub configs, by path in the repository, with their SHA-256.
FILES: dict[str, str] = {
    "Dataset/LLMBar/Natural/dataset.json": "f7127b7aa78104cb8e03a2b1b3ac0077e95b125714dd441a8ee63666145a3375",
    "Dataset/LLMBar/Adversarial/Neighbor/dataset.json": "6712c7eda6342602e0bc7c06c282fa95e2110d4e741a284026a62d937f9780a0",
    "Dataset/LLMBar/Adversarial/GPTInst/dataset.json": "1002425f73c2cf54b6e6de99bce3f6c60fa2a17d13194772e37d7481c1351d42",
    "Dataset/LLMBar/Adversarial/GPTOut/dataset.json": "1ff56e520d7607750a9866a3be0f5b850392ca4477a1f69d80f32bd3e310f561",
    "Dataset/LLMBar/Adversarial/Manual/dataset.json": "0d9598769a39cdbbd265778c37e49939d41d5f76dcfb17bd75dcfa07516d3837",
    "Dataset/CaseStudy/Constraint/dataset.json": "8b702c755bdba59f63cf61e8643a5718799df8ed8f3b93b27dbf1db0e8c3c009",
    "Dataset/CaseStudy/Negation/dataset.json": "c4ce566f652606d25445efedcb01d2a359c5ce03c6457e3c518a129dbd608c4e",
    "Dataset/CaseStudy/Normal/dataset.json": "f6f2c4833d57ab8aaa8aa51bf521296b6f2e26323aad5c08da5331924af450ba",
    "Dataset/CaseStudy/Base_9/dataset.json": "b3989dcdaddb277207ab86631db2185edd15802e27b947a5dacb663895fddd69",
    "Dataset/CaseStudy/Base_10/dataset.json": "e36ae2461fd633c51afdbe19d9f62bc77089c7efc8a58e03fc273518a78ab1b0",
}

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


def recognise_sets(path: Path, subsets: Mapping[str, str]) -> bool:
    """Whether ``path`` is a folder of LLMBar-style sets (``<set>/dataset.json``) or one of their files.

    Args:
      path: A local path given as ``-T dataset=``.
      subsets: Set folder -> category (LLMBar's ``Processed`` or ``CaseStudy`` sets).
    """
    if path.is_dir():
        return any((path / folder / "dataset.json").is_file() for folder in subsets)
    return path.name == "dataset.json" and subset_of_file(path, subsets) is not None


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
    """The pairs of a local LLMBar folder or ``dataset.json`` (see :func:`read`), or of the hub id.

    Args:
      dataset: The ``dataset`` option.
    """
    if hub_config(dataset) == "LLMBar":
        return read_hub("LLMBar")
    return read(Path(dataset).expanduser())


def hub_config(dataset: str) -> str | None:
    """The hub config a ``dataset`` value names (``princeton-nlp/LLMBar[:Config]``), if it is the hub id.

    Args:
      dataset: The ``dataset`` option.

    Raises:
      PairDataError: The hub id with a ``@revision`` (the commit is pinned) or an unknown config.
    """
    repo, at, revision = dataset.partition("@")
    name, colon, config = repo.partition(":")
    if name != HUB_ID:
        return None
    if at:
        raise PairDataError(
            f"{dataset}: LLMBar's files are read from github.com/{REPOSITORY} at the pinned commit "
            f"{COMMIT[:12]}; no revision can be chosen (drop '@{revision}')"
        )
    if not colon:
        return "LLMBar"
    if config not in HUB_CONFIGS:
        configs = ", ".join(f"{HUB_ID}:{c}" for c in HUB_CONFIGS)
        raise PairDataError(f"{dataset}: {HUB_ID} has no config {config!r} (configs: {configs})")
    return config


def pinned_files(config: str) -> PinnedFiles:
    """The pinned data files of one hub config (read from this module's settings at call time).

    Args:
      config: ``LLMBar`` or ``CaseStudy``.
    """
    folder = f"Dataset/{config}/"
    return PinnedFiles(
        label="LLMBar",
        repository=REPOSITORY,
        commit=COMMIT,
        files={path: digest for path, digest in FILES.items() if path.startswith(folder)},
        env=REPO_DIR_ENV,
        cache_name="llmbar-data",
        enough=f"its {folder.rstrip('/')} folder is enough",
        base_url=BASE_URL,
        kind="data file",
        refused="a changed data file",
        way_out="give a local copy of that folder as -T dataset=DIR",
        error=PairDataError,
    )


def read_hub(config: str = "LLMBar", subsets: Mapping[str, str] = SUBSETS, name: str = NAME) -> list[PairRecord]:
    """The pairs of a hub config, from its pinned files on GitHub (verified, cached).

    Args:
      config: The hub config (its folder under ``Dataset``).
      subsets: Subset folder (relative to the config's folder) -> category.
      name: The benchmark's name, prefixing pair ids and sources.

    Raises:
      PairDataError: The files cannot be had (offline, nothing cached, no local copy), or one was changed.
    """
    root, _origin = pinned_files(config).locate()
    return read(root / "Dataset" / config, subsets, name)


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
        n = len(two)
        first, second = sum(r[0] for r in right), sum(r[1] for r in right)
        # LLMBar's own arithmetic (count / n * 100), so the floats equal its statistics.json's
        out[name] = {
            "correct_False": first / n * 100,
            "correct_True": second / n * 100,
            "correct_average": (first + second) / 2 / n * 100,
            "correct_both": sum(all(r) for r in right) / n * 100,
            "equal": sum(p.verdicts[0] == p.verdicts[1] for p in two) / n * 100,
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
