"""JudgeBench pairs: the row schema, checking a row, and pairs as Inspect samples.

Every row is checked; a bad row raises :class:`PairDataError` naming the file,
the line and the field. Nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from inspect_ai.dataset import MemoryDataset, Sample

from ..categories import CATEGORIES, JUDGEBENCH_SOURCES, category_of
from ..errors import ConfigError, did_you_mean
from ..jsonline import JsonLineError, check_utf8
from ..options import parse_names
from ..verdicts import LABELS

logger = logging.getLogger(__name__)

#: The published dataset and the revision this project was checked against.
HF_DATASET = "ScalerLab/JudgeBench"
HF_REVISION = "57dd5e0b9817d07f05ec8f45a91b2ce1e310e308"
SPLITS: tuple[str, ...] = ("gpt", "claude")

#: The long text fields of a row: the question and the two responses.
TEXT_FIELDS: tuple[str, ...] = ("question", "response_A", "response_B")

#: Sample metadata key holding the :data:`TEXT_FIELDS` as one nested dict. Nested,
#: they are dropped from Inspect's per-sample summaries in constant time instead of
#: each being shortened (and kept, shortened) for every finished sample.
TEXTS_KEY = "texts"

#: The JudgeBench row schema, in its published order.
PAIR_FIELDS: tuple[str, ...] = (
    "pair_id",
    "original_id",
    "source",
    "question",
    "response_model",
    "response_A",
    "response_B",
    "label",
)

#: Task metadata key listing the ids of pairs whose two responses are the same text
#: (logged as a warning too, which ``--display none`` hides; the report shows it).
IDENTICAL_KEY = "identical_responses"

#: Category of a user's row that names neither a ``category`` nor a JudgeBench ``source``.
UNCATEGORIZED = "uncategorized"

#: Namespace of the ids derived for rows without a ``pair_id``.
_PAIR_ID_NAMESPACE = uuid.UUID("6f1d3a52-9d7e-5b7e-8c1a-4a8f2e0c9b31")


def derived_pair_id(question: str, response_a: str, response_b: str) -> str:
    """A stable id for a row without ``pair_id``: uuid5 of its question and responses.

    Args:
      question: The question.
      response_a: ``response_A`` of the row.
      response_b: ``response_B`` of the row.
    """
    return str(uuid.uuid5(_PAIR_ID_NAMESPACE, "\x00".join((question, response_a, response_b))))


class PairDataError(ConfigError):
    """A pairs file (or hub split) that cannot be used as it is."""


@dataclass(frozen=True)
class PairRecord:
    """One JudgeBench pair: a question, two responses, and which is correct.

    Attributes:
      pair_id: Unique id of the pair.
      source: Where the question came from (``mmlu-pro-law``, ``livecodebench``, ...).
      category: knowledge / reasoning / math / coding, or a user's own category.
      question: The question both responses answer.
      response_A: First response of the row.
      response_B: Second response of the row.
      label: ``A>B`` if ``response_A`` is the correct one, else ``B>A``.
      original_id: Id of the question in its source dataset, if any.
      response_model: The model that wrote both responses, if known.
      tags: Facts another benchmark gives about the pair that JudgeBench's
        schema has no field for (PPE's language and prompt flags, ...): kept
        in the sample's metadata (``tags``) for the benchmark's own scores,
        never written to a JudgeBench pairs file. ``None``: none.
    """

    pair_id: str
    source: str
    category: str
    question: str
    response_A: str
    response_B: str
    label: str
    original_id: int | str | None = None
    response_model: str | None = None
    tags: dict[str, Any] | None = None


def location(origin: str, line: int) -> str:
    """Where a row is, for error messages: ``<origin>, line <n>``.

    Args:
      origin: File name (or hub id).
      line: 1-based line (or row) number.
    """
    return f"{origin}, line {line}"


def parse_pair(row: Any, origin: str, line: int) -> PairRecord:
    """Check one decoded row and turn it into a :class:`PairRecord`.

    Args:
      row: The decoded JSON value of the row.
      origin: File name (or hub id) for error messages.
      line: 1-based line (or row) number for error messages.
    """
    where = location(origin, line)
    if not isinstance(row, dict):
        raise PairDataError(f"{where}: expected a JSON object, got {type(row).__name__}")
    try:
        check_utf8(row)
    except JsonLineError as ex:
        raise PairDataError(f"{where}, {ex}") from None
    for field in TEXT_FIELDS:
        if field not in row:
            raise PairDataError(f"{where}, field '{field}': missing")
        if not isinstance(row[field], str):
            raise PairDataError(
                f"{where}, field '{field}': expected a string, got {type(row[field]).__name__}"
            )
    if "pair_id" in row:
        pair_id = row["pair_id"]
        if not isinstance(pair_id, str):
            raise PairDataError(
                f"{where}, field 'pair_id': expected a string, got {type(pair_id).__name__}"
            )
        if not pair_id.strip():
            raise PairDataError(f"{where}, field 'pair_id': empty")
    else:
        pair_id = derived_pair_id(row["question"], row["response_A"], row["response_B"])
    if "label" not in row:
        raise PairDataError(f"{where}, field 'label': missing")
    label = row["label"]
    if label not in LABELS:
        raise PairDataError(
            f"{where}, field 'label': expected 'A>B' or 'B>A', got {label!r}"
        )
    source = row.get("source")
    if source is not None and not isinstance(source, str):
        raise PairDataError(f"{where}, field 'source': expected a string")
    category = row.get("category")
    if category is not None:
        if not isinstance(category, str) or not category.strip():
            raise PairDataError(f"{where}, field 'category': expected a non-empty string")
    elif source is None:
        category = UNCATEGORIZED
    else:
        category = category_of(source)
        if category is None:
            raise PairDataError(
                f"{where}, field 'source': unknown source {source!r}{did_you_mean(source, JUDGEBENCH_SOURCES)}; "
                "JudgeBench sources are "
                "'mmlu-pro-<subject>', 'livebench-reasoning', 'livebench-math', 'livecodebench' "
                "(or give the row a 'category' field)"
            )
    original_id = row.get("original_id")
    if original_id is not None and (not isinstance(original_id, (int, str)) or isinstance(original_id, bool)):
        raise PairDataError(f"{where}, field 'original_id': expected an integer, string or null")
    response_model = row.get("response_model")
    if response_model is not None and not isinstance(response_model, str):
        raise PairDataError(f"{where}, field 'response_model': expected a string or null")
    return PairRecord(
        pair_id=pair_id,
        source=source if source is not None else category,
        category=category,
        question=row["question"],
        response_A=row["response_A"],
        response_B=row["response_B"],
        label=label,
        original_id=original_id,
        response_model=response_model,
    )


def check_rows(rows: Iterable[tuple[int, Any]], origin: str) -> list[PairRecord]:
    """Check numbered rows (:func:`parse_pair`, unique ids, not empty) and turn them into pairs.

    Args:
      rows: ``(line, decoded row)`` pairs.
      origin: File name (or hub id) for error messages.
    """
    pairs: list[PairRecord] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        pair = parse_pair(row, origin, line)
        if pair.pair_id in seen:
            raise PairDataError(
                f"{location(origin, line)}, field 'pair_id': duplicate id {pair.pair_id!r} "
                f"(first seen on line {seen[pair.pair_id]})"
            )
        seen[pair.pair_id] = line
        if pair.response_A == pair.response_B:
            logger.warning(
                "%s: pair %s has two identical responses; it is judged as it is",
                location(origin, line),
                pair.pair_id,
            )
        pairs.append(pair)
    if not pairs:
        raise PairDataError(f"{origin}: no pairs in the file (it is empty)")
    return pairs


#: The published splits, by the model that wrote their responses.
SPLIT_OF_RESPONSE_MODEL = {
    "gpt-4o-2024-05-13": "gpt",
    "claude-3-5-sonnet-20240620": "claude",
}
#: The response model of each published split (for exports).
RESPONSE_MODEL_OF_SPLIT = {v: k for k, v in SPLIT_OF_RESPONSE_MODEL.items()}


def infer_split(response_models: set[str | None], fallback: str) -> str:
    """The published split a set of pairs comes from, judged by who wrote the responses.

    Args:
      response_models: The ``response_model`` values of the pairs.
      fallback: Name to use for other data (e.g. the dataset or file name).
    """
    if len(response_models) == 1:
        only = next(iter(response_models))
        if only in SPLIT_OF_RESPONSE_MODEL:
            return SPLIT_OF_RESPONSE_MODEL[only]
    return fallback


def dataset_name(dataset: str | None, split: str) -> str:
    """The dataset's name in the log: ``judgebench-<split>``, or the file's name without suffixes.

    Args:
      dataset: The ``dataset`` option (``None`` for the published splits).
      split: The ``split`` option.
    """
    if dataset is None:
        return f"judgebench-{split}"
    name = Path(str(dataset)).name
    for suffix in (".gz", ".jsonl", ".json", ".eval"):
        name = name.removesuffix(suffix)
    return name or str(dataset)


def identical_pairs(pairs: Iterable[PairRecord]) -> list[str]:
    """Ids of the pairs whose two responses are the same text (judged as they are).

    Args:
      pairs: The pairs.
    """
    return [p.pair_id for p in pairs if p.response_A == p.response_B]


def identical_note(ids: Sequence[str], shown: int = 5) -> str:
    """One line about pairs with two identical responses, for reports.

    Args:
      ids: Their pair ids.
      shown: How many ids to name.
    """
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return (
        f"{len(ids)} pair(s) have two identical responses and were judged as they are: "
        f"{', '.join(ids[:shown])}{more}"
    )


def select_categories(
    pairs: Sequence[PairRecord], categories: str | Sequence[str] | None
) -> list[PairRecord]:
    """Keep the pairs of some categories.

    Args:
      pairs: All pairs.
      categories: ``None`` for all, or names (a list or a comma-separated string).
    """
    if categories is None:
        return list(pairs)
    try:
        wanted = parse_names(categories)
    except ValueError as ex:
        raise PairDataError(str(ex)) from None
    known = set(CATEGORIES) | {p.category for p in pairs}
    unknown = [c for c in wanted if c not in known]
    if unknown:
        hints = "".join(did_you_mean(c, known) for c in unknown)
        raise PairDataError(
            f"unknown categories {unknown}{hints}; valid: {', '.join(sorted(known, key=_cat_order))}"
        )
    return [p for p in pairs if p.category in wanted]


def _cat_order(c: str) -> tuple[int, str]:
    return (CATEGORIES.index(c) if c in CATEGORIES else len(CATEGORIES), c)


def categories_in(pairs: Sequence[PairRecord]) -> list[str]:
    """The categories to report: the four standard ones plus any others present."""
    return sorted(set(CATEGORIES) | {p.category for p in pairs}, key=_cat_order)


def pair_to_sample(pair: PairRecord) -> Sample:
    """One Inspect sample per pair; both games are played by the solver.

    Args:
      pair: The pair.
    """
    metadata = asdict(pair)
    if metadata["tags"] is None:
        del metadata["tags"]
    metadata[TEXTS_KEY] = {f: metadata.pop(f) for f in TEXT_FIELDS}
    return Sample(id=pair.pair_id, input=pair.question, target=pair.label, metadata=metadata)


def flat_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """A pair sample's metadata with the nested :data:`TEXTS_KEY` lifted to the top level.

    Metadata without the nested key (a user's own flat dataset, or judge logs
    written before the texts were nested) is returned as it is.

    Args:
      metadata: The sample's metadata.
    """
    nested = metadata.get(TEXTS_KEY)
    return {**metadata, **nested} if isinstance(nested, dict) else metadata


def pair_texts(metadata: dict[str, Any]) -> dict[str, str]:
    """The question and both responses of a pair sample's metadata.

    Reads the nested :data:`TEXTS_KEY` that :func:`pair_to_sample` writes, or
    flat ``question`` / ``response_A`` / ``response_B`` keys (a user's own
    dataset, or judge logs written before the texts were nested).

    Args:
      metadata: The sample's metadata.

    Raises:
      KeyError: A text field is missing or not a string (the message names it).
    """
    source = flat_metadata(metadata)
    missing = [f for f in TEXT_FIELDS if not isinstance(source.get(f), str)]
    if missing:
        raise KeyError(
            f"sample metadata has no text field(s) {', '.join(missing)} "
            f"(expected under '{TEXTS_KEY}' or at the top level)"
        )
    return {f: source[f] for f in TEXT_FIELDS}


#: Seed of :func:`representative_order` (any fixed value; changing it reorders every run's samples).
ORDER_SEED = "judgebench-order-1"


def _order_key(pair_id: str) -> str:
    return hashlib.sha256(f"{ORDER_SEED}:{pair_id}".encode()).hexdigest()


def representative_order(pairs: Sequence[PairRecord]) -> list[PairRecord]:
    """The pairs ordered so that every prefix spans the categories in proportion.

    Inspect's ``--limit N`` takes the first N samples; the published splits
    list their pairs category by category (and MMLU-Pro subject by subject),
    so a plain prefix would judge law questions only. Within each category the
    pairs are shuffled by a hash of their id (stable: the same pairs always
    come in the same order, whatever the file's order); the categories are
    then interleaved evenly: the i-th pair of a category with n pairs sits at
    (i + 1/2) / n of the way through the run. Any prefix then holds each
    category's share to within one pair. Ids are unchanged, and since the
    metrics do not depend on order, a full run's numbers are the same.

    Args:
      pairs: The pairs, in any order.
    """
    by_category: dict[str, list[PairRecord]] = {}
    for pair in pairs:
        by_category.setdefault(pair.category, []).append(pair)
    placed: list[tuple[float, tuple[int, str], str, PairRecord]] = []
    for category, members in by_category.items():
        members.sort(key=lambda p: _order_key(p.pair_id))
        for i, pair in enumerate(members):
            placed.append(((i + 0.5) / len(members), _cat_order(category), pair.pair_id, pair))
    placed.sort(key=lambda item: item[:3])
    return [item[3] for item in placed]


def pairs_dataset(pairs: Sequence[PairRecord], name: str) -> MemoryDataset:
    """An Inspect dataset of pairs, in :func:`representative_order`.

    Args:
      pairs: The pairs.
      name: Dataset name shown in the log.
    """
    return MemoryDataset([pair_to_sample(p) for p in representative_order(pairs)], name=name)
