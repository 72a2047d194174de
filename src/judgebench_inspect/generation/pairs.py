"""From checked candidates to JudgeBench pairs (pure functions), and from a
``judgebench/generate`` log to pair rows.

A question gives a pair when at least one of its usable candidates is correct
and one is incorrect. Which correct and which incorrect candidate are paired,
and whether the correct one goes to A or B, is drawn from
``random.Random(f"{pair_seed}:{source}:{question_id}")``: the same seed gives
the same pairs, whatever order the questions are processed in. The pair id is
a uuid5 of (source, question id, response model) in this project's namespace.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ..dataset import PAIR_FIELDS
from ..records import CANDIDATES_KEY, MODEL_KEY
from .sources import VERIFIED

if TYPE_CHECKING:
    from inspect_ai.log import EvalLog

logger = logging.getLogger(__name__)

#: Namespace of the uuid5 pair ids of pairs built by this project.
PAIR_NAMESPACE = uuid.UUID("5b0f3c8e-2d1a-4e57-9c63-8a4f1e2b7d90")


#: Marker the generate task puts in its metadata (found in ``log.eval.metadata``).
GENERATE_MARKER = ("judgebench_task", "generate")
GENERATE_TASK_NAME = "judgebench/generate"

#: Candidate statuses (see :class:`Candidate`).
STATUSES: tuple[str, ...] = (
    "correct",
    "incorrect",
    "unverified",
    "truncated",
    "empty",
    "grader_disagrees",
    "grader_no_verdict",
)


@dataclass
class Candidate:
    """One sampled response and what the checks said about it.

    Attributes:
      index: 1-based number of the candidate within its question (and epoch).
      text: The full response.
      answer: The answer the checker extracted (``None`` if none).
      correct: The checker's verdict (``None`` when it could not decide).
      detail: The checker's explanation.
      status: ``correct`` / ``incorrect`` (usable in pairs), ``unverified``
        (checker could not decide: time-out, broken sandbox), ``truncated``
        (the reply hit ``max_tokens``), ``empty`` (no text), ``grader_disagrees``
        (the second grader said the opposite), ``grader_no_verdict`` (the second
        grader gave no readable verdict).
      stop_reason: The model's stop reason.
      grader: The second grader's verdict (``True``/``False``/``None``) and raw
        reply, when a second grader ran.
      epoch: The epoch the candidate was sampled in.
    """

    index: int
    text: str
    answer: str | None
    correct: bool | None
    detail: str
    status: str
    stop_reason: str = "stop"
    grader: dict[str, Any] | None = None
    epoch: int = 1

    @property
    def usable(self) -> bool:
        """Whether the candidate can be one side of a pair."""
        return self.status in VERIFIED

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Candidate":
        """Rebuild a candidate from its stored dict.

        Args:
          data: What ``dataclasses.asdict`` gave.
        """
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


def final_status(checker_status: str, grader_correct: bool | None, graded: bool) -> str:
    """Combine the checker's status with the second grader's verdict.

    Args:
      checker_status: ``correct``, ``incorrect`` or another status.
      grader_correct: The grader's verdict (``None`` = none readable).
      graded: Whether a second grader ran for this candidate.
    """
    if not graded or checker_status not in VERIFIED:
        return checker_status
    if grader_correct is None:
        return "grader_no_verdict"
    if grader_correct != (checker_status == "correct"):
        return "grader_disagrees"
    return checker_status


def make_pair_id(source: str, question_id: str | int, response_model: str) -> str:
    """Deterministic uuid5 of a generated pair.

    Args:
      source: JudgeBench source, e.g. ``mmlu-pro-law``.
      question_id: The question's id in its source.
      response_model: Name of the model that wrote the responses.
    """
    return str(uuid.uuid5(PAIR_NAMESPACE, f"{source}\n{question_id}\n{response_model}"))


def pair_rng(pair_seed: int | str, source: str, question_id: str | int) -> random.Random:
    """The random generator that places one question's pair.

    Args:
      pair_seed: The run's pair seed.
      source: JudgeBench source.
      question_id: The question's id.
    """
    return random.Random(f"{pair_seed}:{source}:{question_id}")


@dataclass(frozen=True)
class QuestionResult:
    """A question with all its candidates (from one sample, or merged epochs).

    Attributes:
      source: JudgeBench source (``mmlu-pro-<subject>``, ...).
      question_id: Id in the source.
      original_id: MMLU-Pro question id (``None`` for other sources).
      question: The text of the pair's ``question`` field.
      response_model: Model that wrote the candidates.
      candidates: The candidates.
    """

    source: str
    question_id: str
    original_id: int | None
    question: str
    response_model: str
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PairChoice:
    """Which candidates form a question's pair, and where the correct one sits.

    Attributes:
      correct: Index (``Candidate.index``/epoch) of the correct candidate.
      incorrect: Index of the incorrect candidate.
      correct_epoch: Epoch of the correct candidate.
      incorrect_epoch: Epoch of the incorrect candidate.
      label: ``A>B`` when the correct one is response A, else ``B>A``.
    """

    correct: int
    incorrect: int
    correct_epoch: int
    incorrect_epoch: int
    label: str


def choose_pair(
    candidates: Sequence[Candidate], pair_seed: int | str, source: str, question_id: str | int
) -> tuple[Candidate, Candidate, str] | None:
    """Pick one correct and one incorrect candidate and the label, seeded.

    Args:
      candidates: The question's candidates.
      pair_seed: The run's pair seed.
      source: JudgeBench source.
      question_id: The question's id.

    Returns:
      ``(correct, incorrect, label)``, or ``None`` without both kinds.
    """
    right = [c for c in candidates if c.status == "correct"]
    wrong = [c for c in candidates if c.status == "incorrect"]
    if not right or not wrong:
        return None
    rng = pair_rng(pair_seed, source, question_id)
    good = rng.choice(right)
    bad = rng.choice(wrong)
    label = "A>B" if rng.random() < 0.5 else "B>A"
    return good, bad, label


def pair_choice(result: QuestionResult, pair_seed: int | str) -> PairChoice | None:
    """The pair of a question, as indices (for the viewer).

    Args:
      result: The question and its candidates.
      pair_seed: The run's pair seed.
    """
    chosen = choose_pair(result.candidates, pair_seed, result.source, result.question_id)
    if chosen is None:
        return None
    good, bad, label = chosen
    return PairChoice(good.index, bad.index, good.epoch, bad.epoch, label)


def build_pair(result: QuestionResult, pair_seed: int | str) -> dict[str, Any] | None:
    """The JudgeBench row of a question, or ``None`` if it gives no pair.

    Args:
      result: The question and its candidates.
      pair_seed: The run's pair seed.

    Returns:
      A dict with exactly :data:`PAIR_FIELDS`, in that order.
    """
    chosen = choose_pair(result.candidates, pair_seed, result.source, result.question_id)
    if chosen is None:
        return None
    good, bad, label = chosen
    first, second = (good, bad) if label == "A>B" else (bad, good)
    return {
        "pair_id": make_pair_id(result.source, result.question_id, result.response_model),
        "original_id": result.original_id,
        "source": result.source,
        "question": result.question,
        "response_model": result.response_model,
        "response_A": first.text,
        "response_B": second.text,
        "label": label,
    }


def check_quota(pair_quota: int | None) -> int | None:
    """Validate a per-source pair quota.

    Args:
      pair_quota: ``None`` (keep all) or a positive number.
    """
    if pair_quota is None:
        return None
    if isinstance(pair_quota, bool) or not isinstance(pair_quota, int) or pair_quota < 1:
        raise ValueError(f"pair_quota must be a positive integer or None, got {pair_quota!r}")
    return pair_quota


def apply_quota(
    pairs: Sequence[Mapping[str, Any]], pair_quota: int | None, pair_seed: int | str
) -> tuple[list[dict[str, Any]], dict[str, tuple[int, int]]]:
    """Keep at most ``pair_quota`` pairs per source, chosen at random (seeded).

    Args:
      pairs: Pair rows.
      pair_quota: Pairs to keep per source (``None`` = all).
      pair_seed: The run's pair seed (the draw per source uses
        ``random.Random(f"{pair_seed}:quota:{source}")``).

    Returns:
      ``(kept rows in their input order, {source: (available, kept)})``.
    """
    check_quota(pair_quota)
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_source[str(p["source"])].append(i)
    keep: set[int] = set()
    counts: dict[str, tuple[int, int]] = {}
    for source, idx in by_source.items():
        if pair_quota is None or len(idx) <= pair_quota:
            chosen = idx
        else:
            chosen = random.Random(f"{pair_seed}:quota:{source}").sample(idx, pair_quota)
        keep.update(chosen)
        counts[source] = (len(idx), len(chosen))
    return [dict(p) for i, p in enumerate(pairs) if i in keep], counts


def _sort_key(result: QuestionResult) -> tuple[str, int, str]:
    return (result.source, result.original_id if result.original_id is not None else -1, result.question_id)


def build_pairs(
    results: Iterable[QuestionResult], pair_seed: int | str, pair_quota: int | None = None
) -> tuple[list[dict[str, Any]], dict[str, tuple[int, int]]]:
    """Pairs of many questions, with an optional per-source quota.

    Args:
      results: Questions with their candidates.
      pair_seed: The run's pair seed.
      pair_quota: Pairs to keep per source (``None`` = all).

    Returns:
      ``(rows sorted by source then question id, {source: (available, kept)})``.
    """
    rows = [p for r in sorted(results, key=_sort_key) if (p := build_pair(r, pair_seed)) is not None]
    return apply_quota(rows, pair_quota, pair_seed)


# ---------------------------------------------------------------------------
# Logs of judgebench/generate


def _pair_data_error() -> type[ValueError]:
    from ..dataset import PairDataError

    return PairDataError


def looks_like_inspect_log(path: str | Path) -> bool:
    """Whether a path is an Inspect log: ``.eval``, or a ``.json`` log.

    Args:
      path: The path.
    """
    p = Path(path)
    if p.suffix == ".eval":
        return True
    if p.suffix != ".json" or not p.is_file():
        return False
    with p.open("r", encoding="utf-8", errors="replace") as f:
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


def read_generate_log(path: str | Path, header_only: bool = False) -> "EvalLog":
    """Read an Inspect log and check that it is a ``judgebench/generate`` log.

    Args:
      path: ``.eval`` or ``.json`` log.
      header_only: Skip the samples.

    Raises:
      PairDataError: Unreadable, or the log of another task.
    """
    from inspect_ai.log import read_eval_log

    error = _pair_data_error()
    p = Path(path)
    if not p.is_file():
        raise error(f"{p}: no such file")
    try:
        log = read_eval_log(str(p), header_only=header_only)
    except Exception as ex:
        raise error(f"{p}: not a readable Inspect log ({type(ex).__name__}: {ex})") from None
    if not is_generate_log(log):
        raise error(f"{p}: a log of task {log.eval.task}, expected {GENERATE_TASK_NAME}")
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
    error = _pair_data_error()
    md = sample.metadata or {}
    where = f"{origin}, sample {sample.id} (epoch {sample.epoch})"
    for key in ("source", "question_id", "question"):
        if not isinstance(md.get(key), str):
            raise error(f"{where}, metadata field '{key}': missing or not a string")
    store = sample.store or {}
    stored = store.get(CANDIDATES_KEY)
    if not isinstance(stored, list):
        raise error(f"{where}, store field '{CANDIDATES_KEY}': missing (sample did not finish?)")
    model = store.get(MODEL_KEY)
    if not isinstance(model, str) or not model:
        raise error(f"{where}, store field '{MODEL_KEY}': missing")
    try:
        candidates = [Candidate.from_dict(c) for c in stored]
    except TypeError as ex:
        raise error(f"{where}, store field '{CANDIDATES_KEY}': malformed candidate ({ex})") from None
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

    error = _pair_data_error()
    if isinstance(log_or_path, EvalLog):
        log = log_or_path
        if not is_generate_log(log):
            raise error(f"{log.location}: a log of task {log.eval.task}, expected {GENERATE_TASK_NAME}")
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
        raise error(
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
        raise error(f"{origin}: candidates come from several models {sorted(models)}")

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


def log_pair_rows(path: str | Path) -> list[tuple[int, dict[str, Any]]]:
    """Pair rows of a generate log, numbered, for :func:`judgebench_inspect.dataset.load_pairs`.

    Unfinished logs are refused (see :func:`export_log`).

    Args:
      path: ``.eval`` or ``.json`` log of ``judgebench/generate``.

    Raises:
      PairDataError: See :func:`export_log`; also when no question gave a pair.
    """
    export = export_log(path)
    if not export.pairs:
        raise _pair_data_error()(
            f"{path}: no pairs: none of the {export.questions} questions has both a correct and "
            f"an incorrect usable candidate (candidates: {export.statuses})"
        )
    return list(enumerate(export.pairs, start=1))


def write_pairs_jsonl(pairs: Iterable[Mapping[str, Any]], path: str | Path) -> int:
    """Write pair rows as JSONL (one JudgeBench row a line, UTF-8).

    Args:
      pairs: Rows with :data:`PAIR_FIELDS`.
      path: Output file.

    Returns:
      The number of rows written.
    """
    import json

    n = 0
    with Path(path).open("w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps({k: p[k] for k in PAIR_FIELDS}, ensure_ascii=False) + "\n")
            n += 1
    return n
