"""Pairs files and the hub: reading JudgeBench pairs from where they are, writing pairs JSONL.

:func:`load_pairs` takes a local JSONL file, an Inspect log (a ``judgebench/generate`` log, see
:mod:`.generate_log`, or the log of another eval run with several epochs, see :mod:`.eval_log`)
or a hub dataset.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import did_you_mean
from ..jsonline import JsonLineError, load_json_line
from .eval_log import log_pair_rows
from .generate_log import looks_like_inspect_log
from .pairs import HF_DATASET, HF_REVISION, PAIR_FIELDS, SPLITS, PairDataError, PairRecord, check_rows, location

#: Longest line accepted in a pairs file, in characters (8 MB): no judge model's
#: context holds a pair this long, and reading stops there (memory stays bounded).
MAX_LINE_CHARS = 8 * 2**20


def _jsonl_rows(path: Path) -> Iterable[tuple[int, Any]]:
    opened = gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open("r", encoding="utf-8")
    with opened as f:
        for line_no, text in enumerate(iter(lambda: f.readline(MAX_LINE_CHARS + 2), ""), start=1):
            if len(text.rstrip("\r\n")) > MAX_LINE_CHARS:
                raise PairDataError(
                    f"{location(str(path), line_no)}: line longer than {MAX_LINE_CHARS:,} characters "
                    f"({MAX_LINE_CHARS // 2**20} MB); no judge model's context holds a pair this long"
                )
            if not text.strip():
                continue
            try:
                yield line_no, load_json_line(text)
            except json.JSONDecodeError as ex:
                raise PairDataError(
                    f"{location(str(path), line_no)}: not valid JSON ({ex.msg} at column {ex.colno})"
                ) from None
            except JsonLineError as ex:
                raise PairDataError(f"{location(str(path), line_no)}, {ex}") from None


def read_pairs_file(path: str | Path) -> list[PairRecord]:
    """Read and check a local JSONL file in the JudgeBench schema.

    Args:
      path: Path of the ``.jsonl`` file (or a gzip-compressed ``.jsonl.gz``).
    """
    p = Path(path)
    if not p.is_file():
        raise PairDataError(f"{p}: no such file")
    try:
        return check_rows(_jsonl_rows(p), str(p))
    except UnicodeDecodeError as ex:
        raise PairDataError(f"{p}: not UTF-8 text ({ex.reason})") from None
    except (gzip.BadGzipFile, EOFError) as ex:
        raise PairDataError(f"{p}: not a readable gzip file ({ex})") from None


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
    """Load pairs from a local file or the hub.

    Args:
      dataset: ``None`` for the published JudgeBench at the pinned revision, a
        local ``.jsonl`` path, an Inspect log (``.eval`` or ``.json``) of
        ``judgebench/generate`` or of another eval run with several epochs, another benchmark's files or hub id in its own format
        (see :mod:`judgebench_inspect.benchmarks`), or a hub id in JudgeBench's
        schema (``owner/name``, optionally ``owner/name@revision``).
      split: Hub split (ignored for a local file).
    """
    from ..benchmarks import benchmark_of  # the benchmark readers build on this layer's records

    benchmark = benchmark_of(dataset)
    if benchmark is not None:
        return benchmark.load(dataset)  # type: ignore[no-any-return]
    if dataset is None:
        if split not in SPLITS:
            raise PairDataError(f"unknown split {split!r}{did_you_mean(split, SPLITS)}; JudgeBench has {', '.join(SPLITS)}")
        return read_pairs_hub(split)
    path = Path(dataset).expanduser()
    if looks_like_inspect_log(path):  # a judgebench/generate log, or another eval's (.eval or .json)
        return check_rows(log_pair_rows(path), str(path))
    if path.suffix == ".jsonl" or path.name.endswith(".jsonl.gz") or path.exists():
        if path.is_dir():
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
      path: Output file.

    Returns:
      The number of rows written.
    """
    n = 0
    with Path(path).open("w", encoding="utf-8") as f:
        for p in pairs:
            f.write(pair_line(p))
            n += 1
    return n
