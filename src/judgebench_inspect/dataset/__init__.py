"""The dataset layer: JudgeBench pairs in and out.

- :mod:`.pairs`: the row schema (:data:`PAIR_FIELDS`), checking rows
  (:class:`PairRecord`, :class:`PairDataError`), pairs as Inspect samples.
- :mod:`.io`: reading pairs files and the hub (:func:`load_pairs`), writing pairs JSONL.
- :mod:`.generate_log`: pairs from a ``judgebench/generate`` log (:func:`export_log`).
- :mod:`.eval_log`: pairs from the log of any eval run with several epochs (:func:`export_eval_log`).

Every name is importable from ``judgebench_inspect.dataset``.
"""

from ..options import parse_names
from .eval_log import EvalLogExport, export_eval_log, log_pair_rows, score_correct
from .generate_log import (
    LogExport,
    export_log,
    is_generate_log,
    looks_like_inspect_log,
    read_generate_log,
    read_inspect_log,
)
from .io import MAX_LINE_CHARS, load_benchmark_pairs, load_pairs, pair_line, read_pairs_file, read_pairs_hub, write_pairs_jsonl
from .pairs import (
    HF_DATASET,
    HF_REVISION,
    IDENTICAL_KEY,
    ORDER_SEED,
    PAIR_FIELDS,
    RESPONSE_MODEL_OF_SPLIT,
    SPLIT_OF_RESPONSE_MODEL,
    SPLITS,
    TEXT_FIELDS,
    TEXTS_KEY,
    UNCATEGORIZED,
    PairDataError,
    PairRecord,
    categories_in,
    check_rows,
    dataset_name,
    derived_pair_id,
    flat_metadata,
    identical_note,
    identical_pairs,
    infer_split,
    location,
    pair_texts,
    pair_to_sample,
    pairs_dataset,
    parse_pair,
    representative_order,
    select_categories,
)

__all__ = [
    "HF_DATASET",
    "HF_REVISION",
    "IDENTICAL_KEY",
    "MAX_LINE_CHARS",
    "ORDER_SEED",
    "PAIR_FIELDS",
    "RESPONSE_MODEL_OF_SPLIT",
    "SPLIT_OF_RESPONSE_MODEL",
    "SPLITS",
    "TEXT_FIELDS",
    "TEXTS_KEY",
    "UNCATEGORIZED",
    "EvalLogExport",
    "LogExport",
    "PairDataError",
    "PairRecord",
    "categories_in",
    "check_rows",
    "dataset_name",
    "derived_pair_id",
    "export_eval_log",
    "export_log",
    "flat_metadata",
    "identical_note",
    "identical_pairs",
    "infer_split",
    "is_generate_log",
    "load_benchmark_pairs",
    "load_pairs",
    "location",
    "log_pair_rows",
    "looks_like_inspect_log",
    "pair_line",
    "pair_texts",
    "pair_to_sample",
    "pairs_dataset",
    "parse_names",
    "parse_pair",
    "read_generate_log",
    "read_inspect_log",
    "read_pairs_file",
    "read_pairs_hub",
    "representative_order",
    "score_correct",
    "select_categories",
    "write_pairs_jsonl",
]
