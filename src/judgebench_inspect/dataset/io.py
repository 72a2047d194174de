"""Pairs files and the hub: reading JudgeBench pairs from where they are, writing pairs JSONL.

:func:`load_pairs` takes a JSONL file, local or remote (``s3://...``, see
:mod:`judgebench_inspect.storage`), an Inspect log (a ``judgebench/generate`` log, see
:mod:`.generate_log`, or the log of another eval run with several epochs, see :mod:`.eval_log`)
or a hub dataset.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable, Mapping

from .. import storage
from ..errors import did_you_mean
from ..jsonline import JsonLineError, load_json_line
from .eval_log import log_pair_rows
from .generate_log import looks_like_inspect_log
from .pairs import HF_DATASET, HF_REVISION, PAIR_FIELDS, SPLITS, PairDataError, PairRecord, check_rows, location

#: Longest line accepted in a pairs file, in characters (8 MB): no judge model's
#: context holds a pair this long, and reading stops there (memory stays bounded).
MAX_LINE_CHARS = 8 * 2**20


def _jsonl_rows(path: str) -> Iterable[tuple[int, Any]]:
    with storage.open_text(path) as f:
        for line_no, text in enumerate(iter(lambda: f.readline(MAX_LINE_CHARS + 2), ""), start=1):
            if len(text.rstrip("\r\n")) > MAX_LINE_CHARS:
                raise PairDataError(
                    f"{location(path, line_no)}: line longer than {MAX_LINE_CHARS:,} characters "
                    f"({MAX_LINE_CHARS // 2**20} MB); no judge model's context holds a pair this long"
                )
            if not text.strip():
                continue
            try:
                yield line_no, load_json_line(text)
            except json.JSONDecodeError as ex:
                raise PairDataError(
                    f"{location(path, line_no)}: not valid JSON ({ex.msg} at column {ex.colno})"
                ) from None
            except JsonLineError as ex:
                raise PairDataError(f"{location(path, line_no)}, {ex}") from None


def read_pairs_file(path: str | Path) -> list[PairRecord]:
    """Read and check a JSONL file in the JudgeBench schema, local or remote.

    Args:
      path: The ``.jsonl`` file (or a gzip-compressed ``.jsonl.gz``): a local
        path, or a URL such as ``s3://bucket/pairs.jsonl.gz`` (any fsspec
        filesystem, see :mod:`judgebench_inspect.storage`).
    """
    p = storage.normal(path)
    if storage.kind(p) != "file":
        raise PairDataError(f"{p}: no such file")
    try:
        return check_rows(_jsonl_rows(p), p)
    except UnicodeDecodeError as ex:
        raise PairDataError(f"{p}: not UTF-8 text ({ex.reason})") from None
    except (gzip.BadGzipFile, EOFError) as ex:
        raise PairDataError(f"{p}: not a readable gzip file ({ex})") from None
    except OSError as ex:
        raise PairDataError(f"{p}: cannot be read ({type(ex).__name__}: {ex})") from None


def read_pairs_hub(
    split: str, dataset: str = HF_DATASET, revision: str | None = HF_REVISION
) -> list[PairRecord]:
    """Read a split of a JudgeBench-format dataset from the Hugging Face hub.

    Args:
      split: Split name (``gpt`` or ``claude`` for the published dataset).
      dataset: Hub dataset id.
      revision: Commit to pin (``None`` = the hub's default branch).
    """
    try:
        from datasets import load_dataset

        ds = load_dataset(dataset, split=split, revision=revision)
    except Exception as ex:  # network, auth, unknown split ...
        raise PairDataError(
            f"could not load split '{split}' of {dataset} (revision {revision}) from the "
            f"Hugging Face hub: {type(ex).__name__}: {ex}. Without network access, pass a local "
            "copy instead: -T dataset=path/to/pairs.jsonl (a JSONL file in the JudgeBench schema)."
        ) from ex
    origin = f"{dataset}@{revision or 'main'} split {split}"
    return check_rows(((i, dict(row)) for i, row in enumerate(ds, start=1)), origin)


def load_pairs(dataset: str | None = None, split: str = "gpt") -> list[PairRecord]:
    """Load pairs from a file (local or a URL) or the hub (see :func:`load_benchmark_pairs`).

    Args:
      dataset: What :func:`load_benchmark_pairs` takes.
      split: Hub split (ignored for a local file).
    """
    return load_benchmark_pairs(dataset, split)[1]


def load_benchmark_pairs(dataset: str | None = None, split: str = "gpt") -> tuple[ModuleType | None, list[PairRecord]]:
    """Load pairs from a file (local or a URL) or the hub, and say which benchmark's format they came in.

    Args:
      dataset: ``None`` for the published JudgeBench at the pinned revision, a
        ``.jsonl`` path or URL (``s3://bucket/pairs.jsonl.gz``), an Inspect log (local or a URL) (``.eval`` or ``.json``) of
        ``judgebench/generate`` or of another eval run with several epochs, another benchmark's files or hub id in its own format
        (see :mod:`judgebench_inspect.benchmarks`), or a hub id in JudgeBench's
        schema (``owner/name``, optionally ``owner/name@revision``).
      split: Hub split (ignored for a local file).

    Returns:
      The module of the benchmark whose own format ``dataset`` is in (``None``
      for JudgeBench's schema), and the pairs.
    """
    from ..benchmarks import benchmark_of  # the benchmark readers build on this layer's records

    benchmark = benchmark_of(dataset)
    if benchmark is not None:
        pairs = benchmark.load(dataset)
        first: dict[str, int] = {}
        for n, pair in enumerate(pairs, start=1):
            if first.setdefault(pair.pair_id, n) != n:
                raise PairDataError(
                    f"{dataset}: {benchmark.NAME} gave the pair id {pair.pair_id!r} twice (pairs {first[pair.pair_id]} "
                    f"and {n}); each pair is one sample and must have its own id"
                )
        return benchmark, pairs
    return None, _load_judgebench_pairs(dataset, split)


def _load_judgebench_pairs(dataset: str | None, split: str) -> list[PairRecord]:
    if dataset is None:
        if split not in SPLITS:
            raise PairDataError(f"unknown split {split!r}{did_you_mean(split, SPLITS)}; JudgeBench has {', '.join(SPLITS)}")
        return read_pairs_hub(split)
    path = storage.normal(dataset)
    if looks_like_inspect_log(path):  # a judgebench/generate log, or another eval's (.eval or .json)
        return check_rows(log_pair_rows(path), path)
    name, found = storage.name(path), storage.kind(path)
    if name.endswith((".jsonl", ".jsonl.gz")) or found is not None or storage.is_remote(path):
        if found == "directory":
            raise PairDataError(f"{path}: is a directory, expected a .jsonl file")
        return read_pairs_file(path)
    if dataset.count("/") == 1 and not dataset.startswith((".", "/")):
        repo, _, revision = dataset.partition("@")
        return read_pairs_hub(split, repo, revision or None)
    raise PairDataError(f"{dataset}: no such file, and not a hub id of the form owner/name")


def pair_line(pair: Mapping[str, Any]) -> str:
    """One pair row as a JSONL line: its :data:`PAIR_FIELDS` in order (then its
    ``category``, if it has one), UTF-8 text, newline.

    Args:
      pair: A row with :data:`PAIR_FIELDS`.
    """
    fields = (*PAIR_FIELDS, "category") if "category" in pair else PAIR_FIELDS
    return json.dumps({k: pair[k] for k in fields}, ensure_ascii=False) + "\n"


def write_pairs_jsonl(pairs: Iterable[Mapping[str, Any]], path: str | Path) -> int:
    """Write pair rows as JSONL (one JudgeBench row a line, UTF-8).

    Args:
      pairs: Rows with :data:`PAIR_FIELDS`.
      path: Output file: a local path (its folder is created) or a URL such as ``s3://bucket/pairs.jsonl``.

    Returns:
      The number of rows written.
    """
    n = 0
    with storage.open_text(path, "w") as f:
        for p in pairs:
            f.write(pair_line(p))
            n += 1
    return n
