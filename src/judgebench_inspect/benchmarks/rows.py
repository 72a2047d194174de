"""Reading a benchmark's published rows: JSON lists and text fields, with errors that name file, row and field."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..dataset import PairDataError, PairRecord


def read_json_list(path: Path, what: str = "rows") -> list[Any]:
    """A JSON file holding a list.

    Args:
      path: The file.
      what: What the list holds, for the message.

    Raises:
      PairDataError: Unreadable, not JSON, or not a list.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as ex:
        raise PairDataError(f"{path}: cannot read ({ex})") from None
    except json.JSONDecodeError as ex:
        raise PairDataError(f"{path}: not JSON (line {ex.lineno}: {ex.msg})") from None
    if not isinstance(data, list):
        raise PairDataError(f"{path}: expected a JSON list of {what}, got {type(data).__name__}")
    return data


def check_text_fields(row: Any, fields: Iterable[str], where: str) -> dict[str, Any]:
    """A row that is an object whose ``fields`` are strings.

    Args:
      row: The decoded row.
      fields: The fields that must hold text.
      where: File and row, for the message.

    Raises:
      PairDataError: Not an object, or a field missing or not a string.
    """
    if not isinstance(row, dict):
        raise PairDataError(f"{where}: expected a JSON object, got {type(row).__name__}")
    for field in fields:
        if field not in row:
            raise PairDataError(f"{where}, field '{field}': missing")
        if not isinstance(row[field], str):
            raise PairDataError(f"{where}, field '{field}': expected a string, got {type(row[field]).__name__}")
    return row


#: The tag giving how many pairs a best-of-N group has (see :func:`chosen_rejected_pairs`).
GROUP_PAIRS = "group_pairs"

#: Suffixes of the table files a benchmark's published split may come as.
TABLE_SUFFIXES = (".parquet", ".jsonl", ".json")


def read_table(path: Path) -> list[Any]:
    """The rows of a ``.parquet``, ``.jsonl`` or ``.json`` (a list) file.

    Args:
      path: The file.

    Raises:
      PairDataError: Unreadable, or a line or file that is not JSON.
    """
    if path.name.endswith(".parquet"):
        import pyarrow.parquet as pq

        try:
            return list(pq.read_table(path).to_pylist())
        except Exception as ex:  # pyarrow's own errors: not parquet, truncated ...
            raise PairDataError(f"{path}: cannot read as parquet ({type(ex).__name__}: {ex})") from None
    if path.name.endswith(".jsonl"):
        rows = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as ex:
            raise PairDataError(f"{path}: cannot read ({ex})") from None
        for i, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as ex:
                    raise PairDataError(f"{path}, line {i}: not JSON ({ex.msg})") from None
        return rows
    return read_json_list(path)


def first_row(path: Path) -> Any:
    """The first row of a table file (``None`` if unreadable or empty), for ``recognise``.

    A ``.jsonl`` file is read only up to its first line (a JudgeBench pairs file may be large).

    Args:
      path: A local path given as ``-T dataset=``.
    """
    if not path.is_file() or not path.name.endswith(TABLE_SUFFIXES):
        return None
    try:
        if path.name.endswith(".jsonl"):
            with path.open(encoding="utf-8") as f:
                return json.loads(next((line for line in f if line.strip()), "null"))
        return next(iter(read_table(path)), None)
    except (PairDataError, OSError, ValueError):
        return None


def hub_rows(repo: str, split: str, revision: str | None, offline_hint: str) -> list[dict[str, Any]]:
    """The rows of a split on the Hugging Face hub.

    Args:
      repo: The hub id.
      split: The split.
      revision: A commit to pin (``None``: the default branch).
      offline_hint: What to pass instead offline (``path/to/test.parquet``).

    Raises:
      PairDataError: The hub could not be reached or has no such split.
    """
    try:
        from datasets import load_dataset

        return [dict(r) for r in load_dataset(repo, split=split, revision=revision)]
    except Exception as ex:  # network, auth ...
        raise PairDataError(
            f"could not load split '{split}' of {repo} (revision {revision or 'main'}) from the Hugging Face hub: "
            f"{type(ex).__name__}: {ex}. Offline, pass a local copy: -T dataset={offline_hint}"
        ) from ex


def first_row_with(path: Path, fields: Iterable[str]) -> dict[str, Any] | None:
    """The first row of a table file if it is an object holding ``fields`` (for ``recognise``).

    Args:
      path: A local path given as ``-T dataset=``.
      fields: The fields the benchmark's rows all have.
    """
    first = first_row(path)
    return first if isinstance(first, dict) and set(fields) <= set(first) else None


def seeded_pair(
    seed: str, chosen: str, rejected: str, *, pair_id: str, source: str, category: str, question: str,
    original_id: int | str | None, response_model: str | None = None, tags: dict[str, Any] | None = None,
) -> PairRecord:  # fmt: skip
    """A pair of a chosen and a rejected response, the chosen response's position drawn with ``seed``.

    Args:
      seed: Seeds the position (the same seed, the same position, run after run).
      chosen: The better response.
      rejected: The worse response.
      pair_id: The pair's id.
      source: The pair's source.
      category: The pair's category.
      question: The prompt both responses answer.
      original_id: The row's id in the benchmark.
      response_model: The model that wrote both responses, if one did.
      tags: The benchmark's own facts about the pair (:attr:`PairRecord.tags`).
    """
    chosen_first = random.Random(seed).random() < 0.5
    return PairRecord(
        pair_id=pair_id,
        source=source,
        category=category,
        question=question,
        response_A=chosen if chosen_first else rejected,
        response_B=rejected if chosen_first else chosen,
        label="A>B" if chosen_first else "B>A",
        original_id=original_id,
        response_model=response_model,
        tags=tags,
    )


def chosen_rejected_pairs(
    name: str, row_id: int | str, chosen: Sequence[str], rejected: Sequence[str], *, id_prefix: str, category: str,
    question: str,
) -> list[PairRecord]:  # fmt: skip
    """Every chosen response against every rejected one of a row (best-of-N groups, style matrices).

    Pair ``c{i}-r{j}`` holds chosen ``i`` and rejected ``j``; the chosen response's
    position is seeded by ``name``, the row's id, ``i`` and ``j``. Each pair's
    ``tags`` say how many pairs its group has (``group_pairs``), so a group some
    of whose samples failed is known to be incomplete.

    Args:
      name: The benchmark's name (source prefix and seed).
      row_id: The row's id.
      chosen: The row's better responses.
      rejected: Its worse responses.
      id_prefix: The pair ids' prefix (``<id_prefix>-c{i}-r{j}``).
      category: The pairs' category (also the source: ``<name>-<category>``).
      question: The prompt the responses answer.
    """
    return [
        seeded_pair(
            f"{name}:{row_id}:{i}:{j}",
            c,
            r,
            pair_id=f"{id_prefix}-c{i}-r{j}",
            source=f"{name}-{category}",
            category=category,
            question=question,
            original_id=row_id,
            tags={GROUP_PAIRS: len(chosen) * len(rejected)},
        )
        for i, c in enumerate(chosen)
        for j, r in enumerate(rejected)
    ]
