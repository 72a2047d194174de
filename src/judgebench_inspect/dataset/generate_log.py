"""Pairs from a ``judgebench/generate`` log: the candidates of each question, pooled over
epochs, turned into JudgeBench rows with the pair rule of :mod:`judgebench_inspect.generation.pairs`.

:func:`load_pairs <judgebench_inspect.dataset.load_pairs>` reads such a log as a
pairs file; ``judgebench pairs`` exports it. Logs of other evals are read by :mod:`.eval_log`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .. import storage
from ..generation.pairs import QuestionResult, build_pairs, check_quota, choose_pair
from ..records import CANDIDATES_KEY, GENERATE_MARKER, GENERATE_TASK_NAME, MODEL_KEY, Candidate
from .pairs import PairDataError

if TYPE_CHECKING:
    from inspect_ai.log import EvalLog

logger = logging.getLogger(__name__)


def looks_like_inspect_log(path: str | Path) -> bool:
    """Whether a path is an Inspect log: ``.eval``, or a ``.json`` log.

    Args:
      path: A local path or a URL (``s3://...``).
    """
    suffix = PurePosixPath(storage.name(path)).suffix
    if suffix == ".eval":
        return True
    if suffix != ".json" or storage.kind(path) != "file":
        return False
    with storage.open_text(path, errors="replace") as f:
        head = f.read(4096).lstrip()
    return head.startswith("{") and '"eval"' in head and '"version"' in head


def is_generate_log(log: "EvalLog") -> bool:
    """Whether a log comes from the ``judgebench/generate`` task.

    Args:
      log: The log (the header is enough).
    """
    key, value = GENERATE_MARKER
    name = log.eval.task.rsplit("/", 1)[-1]
    return name == "generate" and (log.eval.metadata or {}).get(key) == value


def read_inspect_log(path: str | Path, header_only: bool = False) -> "EvalLog":
    """Read an Inspect log of any task.

    Args:
      path: ``.eval`` or ``.json`` log: a local path or a URL (``s3://bucket/logs/x.eval``).
      header_only: Skip the samples.

    Raises:
      PairDataError: No such file, or not a readable Inspect log.
    """
    from inspect_ai.log import read_eval_log

    p = storage.normal(path)
    if storage.kind(p) != "file":
        raise PairDataError(f"{p}: no such file")
    try:
        return read_eval_log(p, header_only=header_only)
    except Exception as ex:
        raise PairDataError(f"{p}: not a readable Inspect log ({type(ex).__name__}: {ex})") from None


def read_generate_log(path: str | Path, header_only: bool = False) -> "EvalLog":
    """Read an Inspect log and check that it is a ``judgebench/generate`` log.

    Args:
      path: ``.eval`` or ``.json`` log.
      header_only: Skip the samples.

    Raises:
      PairDataError: Unreadable, or the log of another task.
    """
    p = storage.normal(path)
    log = read_inspect_log(p, header_only=header_only)
    if not is_generate_log(log):
        raise PairDataError(f"{p}: a log of task {log.eval.task}, expected {GENERATE_TASK_NAME}")
    return log


@dataclass
class LogExport:
    """Pairs read from a generate log, with an account of every question.

    Attributes:
      pairs: JudgeBench rows.
      questions: Questions (samples, epochs merged) in the log.
      with_pair: Questions that gave a pair (before the quota).
      quota: ``{source: (available, kept)}``.
      unfinished: Ids of samples that have no result (errors, cancelled).
      statuses: Candidate count per status.
      pair_seed: The seed used.
      pair_quota: The quota used.
    """

    pairs: list[dict[str, Any]]
    questions: int
    with_pair: int
    quota: dict[str, tuple[int, int]]
    unfinished: list[str]
    statuses: dict[str, int]
    pair_seed: int | str
    pair_quota: int | None

    def summary(self) -> str:
        """One paragraph for a console."""
        status = ", ".join(f"{k} {v}" for k, v in sorted(self.statuses.items()))
        lines = [
            f"{self.questions} questions, {self.with_pair} with a pair, {len(self.pairs)} pairs kept"
            + (f" (quota {self.pair_quota} per source)" if self.pair_quota else ""),
            f"candidates: {status or 'none'}",
        ]
        short = [
            f"{source}: {available} available < quota {self.pair_quota}"
            for source, (available, _kept) in sorted(self.quota.items())
            if self.pair_quota and available < self.pair_quota
        ]
        if short:
            lines.append("below quota: " + "; ".join(short))
        if self.unfinished:
            lines.append(f"unfinished samples (not exported): {', '.join(self.unfinished)}")
        return "\n".join(lines)


def _finished(sample: Any) -> bool:
    return sample.error is None and isinstance((sample.store or {}).get(CANDIDATES_KEY), list)


def _describe_unfinished(sample: Any) -> str:
    if sample.error is not None:
        return f"{sample.id} (epoch {sample.epoch}: {sample.error.message.splitlines()[0]})"
    return f"{sample.id} (epoch {sample.epoch})"


def _sample_result(sample: Any, origin: str) -> QuestionResult:
    md = sample.metadata or {}
    where = f"{origin}, sample {sample.id} (epoch {sample.epoch})"
    for key in ("source", "question_id", "question"):
        if not isinstance(md.get(key), str):
            raise PairDataError(f"{where}, metadata field '{key}': missing or not a string")
    store = sample.store or {}
    stored = store.get(CANDIDATES_KEY)
    if not isinstance(stored, list):
        raise PairDataError(f"{where}, store field '{CANDIDATES_KEY}': missing (sample did not finish?)")
    model = store.get(MODEL_KEY)
    if not isinstance(model, str) or not model:
        raise PairDataError(f"{where}, store field '{MODEL_KEY}': missing")
    try:
        candidates = [Candidate.from_dict(c) for c in stored]
    except TypeError as ex:
        raise PairDataError(f"{where}, store field '{CANDIDATES_KEY}': malformed candidate ({ex})") from None
    return QuestionResult(
        source=md["source"],
        question_id=md["question_id"],
        original_id=md.get("original_id"),
        question=md["question"],
        response_model=model,
        candidates=tuple(candidates),
    )


def export_log(
    log_or_path: "EvalLog | str | Path",
    *,
    pair_seed: int | str | None = None,
    pair_quota: int | None | str = "log",
    allow_incomplete: bool = False,
) -> LogExport:
    """Turn a ``judgebench/generate`` log into JudgeBench pair rows.

    Candidates of the same question in several epochs are pooled. By default
    the pair seed and quota are the ones the generate task was run with.

    Args:
      log_or_path: The log, or the path of a ``.eval``/``.json`` log.
      pair_seed: Override the run's ``pair_seed``.
      pair_quota: Override the run's ``pair_quota`` (``"log"`` = keep the
        run's; ``None`` = no quota).
      allow_incomplete: Export a log that did not finish (or has failed
        samples): the unfinished samples are listed in the result, not
        exported. Without it such a log is refused.

    Raises:
      PairDataError: Not a generate log, an unfinished log without
        ``allow_incomplete``, or malformed sample data.
    """
    from inspect_ai.log import EvalLog

    if isinstance(log_or_path, EvalLog):
        log = log_or_path
        if not is_generate_log(log):
            raise PairDataError(f"{log.location}: a log of task {log.eval.task}, expected {GENERATE_TASK_NAME}")
    else:
        log = read_generate_log(log_or_path)
    origin = str(log.location or log_or_path)
    args = log.eval.task_args or {}
    seed = pair_seed if pair_seed is not None else args.get("pair_seed", 0)
    quota = args.get("pair_quota") if pair_quota == "log" else pair_quota
    quota = check_quota(int(quota) if isinstance(quota, str) else quota)

    samples = list(log.samples or [])
    finished = [s for s in samples if _finished(s)]
    unfinished = sorted(_describe_unfinished(s) for s in samples if not _finished(s))
    ids = log.eval.dataset.sample_ids
    planned = len(ids) if ids is not None else (log.eval.dataset.samples or 0)
    missing = max(0, planned * (log.eval.config.epochs or 1) - len(samples))
    problems: list[str] = []
    if log.status != "success":
        problems.append(f"the run's status is '{log.status}'")
    if unfinished:
        problems.append(f"{len(unfinished)} sample(s) without a result: {', '.join(unfinished[:10])}"
                        + (" ..." if len(unfinished) > 10 else ""))
    if missing:
        problems.append(f"{missing} sample(s) of the dataset are not in the log")
        unfinished.append(f"{missing} sample(s) never run")
    if problems and not allow_incomplete:
        raise PairDataError(
            f"{origin}: incomplete generate log: {'; '.join(problems)}. Finish it with "
            f"`inspect eval-retry {origin}`, or export what is there with "
            "`judgebench pairs LOG --allow-incomplete` (unfinished samples are listed, not exported)."
        )
    if problems:
        logger.warning("%s: exporting an incomplete log: %s", origin, "; ".join(problems))

    merged: dict[str, QuestionResult] = {}
    statuses: dict[str, int] = defaultdict(int)
    models: set[str] = set()
    for s in sorted(finished, key=lambda s: (str(s.id), s.epoch)):
        result = _sample_result(s, origin)
        models.add(result.response_model)
        for c in result.candidates:
            statuses[c.status] += 1
        key = f"{result.source}\x1f{result.question_id}"
        if key in merged:  # the same question in another epoch: pool the candidates
            result = replace(merged[key], candidates=merged[key].candidates + result.candidates)
        merged[key] = result
    if len(models) > 1:
        raise PairDataError(f"{origin}: candidates come from several models {sorted(models)}")

    with_pair = sum(1 for r in merged.values() if choose_pair(r.candidates, seed, r.source, r.question_id))
    pairs, counts = build_pairs(merged.values(), seed, quota)
    return LogExport(
        pairs=pairs,
        questions=len(merged),
        with_pair=with_pair,
        quota=counts,
        unfinished=unfinished,
        statuses=dict(statuses),
        pair_seed=seed,
        pair_quota=quota,
    )
