"""Pairs from the log of any Inspect eval run with two or more epochs.

Each epoch of a sample is one answer of the model to the same input, scored
correct or incorrect by the eval's own scorer. A sample with at least one right
and one wrong epoch gives a pair: one right and one wrong epoch's final
completion, drawn with :func:`judgebench_inspect.generation.pairs.draw_pair`
(seeded by the pair seed, the log and the sample id), the right one at A or B by
the same draw. The pair id is a uuid5 of (the log's eval id, the sample id, the
right epoch, the wrong epoch); the question is the text of the user messages the
model saw; ``source`` and, unless a metadata field is named, ``category`` are the
task's name.

Epochs that errored, have no score of the chosen scorer, a score that is neither
correct nor incorrect, or an empty completion are counted and never paired;
samples with only right or only wrong epochs are counted too
(:meth:`EvalLogExport.summary`).

:func:`log_pair_rows` reads either kind of log (this one or a
``judgebench/generate`` log) for :func:`judgebench_inspect.dataset.load_pairs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import did_you_mean
from ..generation.pairs import draw_pair, pair_row, pair_uuid
from ..records import GENERATE_TASK_NAME
from .generate_log import export_log, is_generate_log, read_inspect_log
from .pairs import PairDataError

if TYPE_CHECKING:
    from inspect_ai.log import EvalLog, EvalSample

#: Score values read as correct, and as incorrect (strings compared case-insensitively).
CORRECT_VALUES: tuple[Any, ...] = ("C", "true", "1", "1.0", True, 1)
INCORRECT_VALUES: tuple[Any, ...] = ("I", "false", "0", "0.0", False, 0)

#: Default pair seed for the logs of other evals.
DEFAULT_SEED = 0


def score_correct(value: Any) -> bool | None:
    """Read one score value as correct (``True``), incorrect (``False``) or neither (``None``).

    ``C``/``I``, ``true``/``false``, ``1``/``0`` and ``1.0``/``0.0`` (as strings,
    in any case, or as booleans and numbers) are read; anything else (``P``,
    ``N``, 0.5, a list) is neither.

    Args:
      value: A ``Score.value`` (or one value of a dict-valued score).
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return True if value == 1 else False if value == 0 else None
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {str(v).lower() for v in CORRECT_VALUES if isinstance(v, str)}:
            return True
        if text in {str(v).lower() for v in INCORRECT_VALUES if isinstance(v, str)}:
            return False
    return None


def task_name(log: "EvalLog") -> str:
    """The task's name without its package (``inspect_evals/gpqa_diamond`` -> ``gpqa_diamond``).

    Args:
      log: The log (the header is enough).
    """
    return log.eval.task.rsplit("/", 1)[-1]


def user_text(sample: "EvalSample") -> str:
    """The input as the model saw it: the text of the user messages, joined by blank lines.

    Read from the sample's final conversation (after solvers such as
    ``multiple_choice()`` rewrote the prompt), else from its input.

    Args:
      sample: One epoch of a sample.
    """
    messages = sample.messages or ([] if isinstance(sample.input, str) else list(sample.input))
    texts = [m.text for m in messages if m.role == "user"]
    if not texts and isinstance(sample.input, str):
        return sample.input
    return "\n\n".join(texts)


@dataclass
class EvalLogExport:
    """Pairs read from the log of another eval, with an account of every sample.

    Attributes:
      pairs: JudgeBench rows (with a ``category`` field).
      task: The task's name (``source`` of every pair).
      model: The model that wrote the answers.
      epochs: Epochs of the run.
      scorer: The scorer whose values were read.
      key: The key of a dict-valued score that was read (``None`` for plain values).
      samples: Samples (ids) in the log.
      status: The run's status.
      skipped_epochs: Epochs never paired, by reason (``errored``, ``no score``,
        ``neither correct nor incorrect``, ``empty completion``).
      only_correct: Ids of samples whose usable epochs were all right.
      only_incorrect: Ids of samples whose usable epochs were all wrong.
      unusable: Ids of samples with no usable epoch.
      inputs_differ: Ids of samples whose paired epochs saw different inputs (not paired).
      pair_seed: The seed used.
    """

    pairs: list[dict[str, Any]]
    task: str
    model: str
    epochs: int
    scorer: str
    key: str | None
    samples: int
    status: str
    skipped_epochs: dict[str, int] = field(default_factory=dict)
    only_correct: list[str] = field(default_factory=list)
    only_incorrect: list[str] = field(default_factory=list)
    unusable: list[str] = field(default_factory=list)
    inputs_differ: list[str] = field(default_factory=list)
    pair_seed: int | str = DEFAULT_SEED

    def summary(self) -> str:
        """One paragraph for a console."""
        scored_by = self.scorer + (f"[{self.key}]" if self.key else "")
        lines = [
            f"task {self.task}, model {self.model}, {self.epochs} epochs, scorer {scored_by}: "
            f"{self.samples} samples, {len(self.pairs)} with a pair",
            f"samples not paired: only correct {len(self.only_correct)}, only incorrect "
            f"{len(self.only_incorrect)}, no usable epoch {len(self.unusable)}"
            + (f", inputs differ between epochs {len(self.inputs_differ)}" if self.inputs_differ else ""),
        ]
        skipped = ", ".join(f"{reason} {n}" for reason, n in self.skipped_epochs.items() if n)
        lines.append(f"epochs skipped: {skipped or 'none'}")
        if self.status != "success":
            lines.append(f"the run's status is '{self.status}': pairs from the samples it finished")
        return "\n".join(lines)


def _is_judge_log(log: "EvalLog") -> bool:
    return task_name(log) == "judge" and isinstance((log.eval.metadata or {}).get("judge"), str)


def _scorer_names(samples: list["EvalSample"]) -> list[str]:
    names: dict[str, None] = {}
    for s in samples:
        for name in s.scores or {}:
            names.setdefault(name, None)
    return list(names)


def _choose_scorer(names: list[str], scorer: str | None, origin: str) -> str:
    if scorer is not None:
        if scorer not in names:
            raise PairDataError(
                f"{origin}: no scores of scorer {scorer!r}{did_you_mean(scorer, names)}; "
                f"the samples have {', '.join(names) or 'no scores'}"
            )
        return scorer
    if not names:
        raise PairDataError(
            f"{origin}: no sample has a score; pairs need a scorer that marks each answer correct or "
            "incorrect (score the log with `inspect score`)"
        )
    if len(names) > 1:
        raise PairDataError(f"{origin}: the samples have scores of several scorers ({', '.join(names)}): choose one with --scorer")
    return names[0]


def _value(sample: "EvalSample", scorer: str, key: str | None, origin: str) -> tuple[bool, Any]:
    """``(has a score, its value)`` of one epoch, reading ``key`` of a dict value."""
    score = (sample.scores or {}).get(scorer)
    if score is None:
        return False, None
    value = score.value
    where = f"{origin}, sample {sample.id} (epoch {sample.epoch}), scorer {scorer}"
    if isinstance(value, dict):
        if key is None:
            if len(value) != 1:
                raise PairDataError(f"{where}: a dict of values ({', '.join(map(str, value))}): choose one with --key")
            return True, next(iter(value.values()))
        return (True, value[key]) if key in value else (False, None)
    if key is not None:
        raise PairDataError(f"{where}: --key {key} names a key of a dict value, but the value is {value!r}")
    return True, value


def _dict_keys(sample: "EvalSample", scorer: str) -> list[Any]:
    score = (sample.scores or {}).get(scorer)
    return list(score.value) if score is not None and isinstance(score.value, dict) else []


def _category(sample: "EvalSample", category_field: str | None, default: str, origin: str) -> str:
    if category_field is None:
        return default
    metadata = sample.metadata or {}
    value = metadata.get(category_field)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or not str(value).strip():
        raise PairDataError(
            f"{origin}, sample {sample.id}, metadata field '{category_field}': "
            + ("missing" if value is None else f"expected a non-empty string, got {value!r}")
            + f"{did_you_mean(category_field, list(metadata))} (its fields: {', '.join(map(str, metadata)) or 'none'})"
        )
    return str(value)


def export_eval_log(
    log_or_path: "EvalLog | str | Path",
    *,
    scorer: str | None = None,
    key: str | None = None,
    pair_seed: int | str | None = None,
    category_field: str | None = None,
) -> EvalLogExport:
    """Turn the log of an eval run with two or more epochs into JudgeBench pair rows.

    Args:
      log_or_path: The log, or the path of a ``.eval``/``.json`` log.
      scorer: The scorer whose values say correct or incorrect (needed when
        the samples have scores of several scorers).
      key: The key to read in a dict-valued score (needed when the dict has
        more than one key).
      pair_seed: Seed of the draw of each pair and its order (default
        :data:`DEFAULT_SEED`).
      category_field: A sample metadata field to take each pair's category
        from (default: the task's name).

    Raises:
      PairDataError: Unreadable, one epoch, a judge run's log, no or
        ambiguous scores, or a missing category field.
    """
    from inspect_ai.log import EvalLog

    log = log_or_path if isinstance(log_or_path, EvalLog) else read_inspect_log(log_or_path)
    origin = str(log.location or log_or_path)
    task = task_name(log)
    if is_generate_log(log):
        raise PairDataError(f"{origin}: a {GENERATE_TASK_NAME} log: export it with export_log")
    if _is_judge_log(log):
        raise PairDataError(
            f"{origin}: a log of task {log.eval.task}, expected {GENERATE_TASK_NAME} or the log of an eval "
            "run with two or more epochs (a judge run's log is not a source of pairs)"
        )
    order = {str(sid): i for i, sid in enumerate(log.eval.dataset.sample_ids or [])}
    samples = sorted(log.samples or [], key=lambda s: (s.epoch, order.get(str(s.id), len(order)), str(s.id)))
    epochs = max([log.eval.config.epochs or 1, *(s.epoch for s in samples)])
    if epochs < 2:
        raise PairDataError(
            f"{origin}: task {log.eval.task} ran each sample once (1 epoch); pairs need one right and one "
            f"wrong answer to the same sample: run it with --epochs 2 or more "
            f"(e.g. inspect eval {log.eval.task} --epochs 8)"
        )
    if not samples:
        raise PairDataError(f"{origin}: the log has no samples")
    chosen = _choose_scorer(_scorer_names(samples), scorer, origin)
    seed = DEFAULT_SEED if pair_seed is None else pair_seed
    run_id = log.eval.eval_id or f"{log.eval.task}\n{log.eval.created}"

    skipped = {"errored": 0, "no score": 0, "neither correct nor incorrect": 0, "empty completion": 0}
    right: dict[str, list["EvalSample"]] = {}
    wrong: dict[str, list["EvalSample"]] = {}
    by_id: dict[str, "EvalSample"] = {}
    others: set[Any] = set()
    for s in samples:
        sid = str(s.id)
        by_id.setdefault(sid, s)
        right.setdefault(sid, [])
        wrong.setdefault(sid, [])
        if s.error is not None:
            skipped["errored"] += 1
            continue
        has_score, value = _value(s, chosen, key, origin)
        verdict = score_correct(value) if has_score else None
        if not has_score:
            skipped["no score"] += 1
        elif verdict is None:
            skipped["neither correct nor incorrect"] += 1
            others.add(repr(value))
        elif not (s.output.completion if s.output else "").strip():
            skipped["empty completion"] += 1
        else:
            (right if verdict else wrong)[sid].append(s)
    if key is not None and skipped["no score"] and not others and not any(right.values()) and not any(wrong.values()):
        keys = sorted({str(k) for s in samples for k in _dict_keys(s, chosen)})
        raise PairDataError(
            f"{origin}: no score of scorer {chosen} has the key {key!r}{did_you_mean(key, keys)}"
            f" (its keys: {', '.join(keys) or 'none'})"
        )
    if others and not any(right.values()) and not any(wrong.values()):
        raise PairDataError(
            f"{origin}: no score of scorer {chosen} reads as correct or incorrect (values seen: "
            f"{', '.join(sorted(others)[:5])}); pairs need C/I, 1/0 or true/false"
            + ("" if key else " (for a dict value, choose its key with --key)")
        )

    export = EvalLogExport(
        pairs=[], task=task, model=log.eval.model, epochs=epochs, scorer=chosen, key=key,
        samples=len(by_id), status=log.status, skipped_epochs=skipped, pair_seed=seed,
    )
    for sid, first in by_id.items():
        drawn = draw_pair(right[sid], wrong[sid], seed, run_id, sid)
        if drawn is None:
            if right[sid]:
                export.only_correct.append(sid)
            elif wrong[sid]:
                export.only_incorrect.append(sid)
            else:
                export.unusable.append(sid)
            continue
        good, bad, label = drawn
        question = user_text(good)
        if user_text(bad) != question:
            export.inputs_differ.append(sid)
            continue
        row = pair_row(
            pair_id=pair_uuid(run_id, sid, good.epoch, bad.epoch),
            original_id=first.id,
            source=task,
            question=question,
            response_model=log.eval.model,
            correct=good.output.completion,
            incorrect=bad.output.completion,
            label=label,
        )
        row["category"] = _category(first, category_field, task, origin)
        export.pairs.append(row)
    return export


def log_pair_rows(path: str | Path) -> list[tuple[int, dict[str, Any]]]:
    """Pair rows of an Inspect log, numbered, for :func:`judgebench_inspect.dataset.load_pairs`.

    A ``judgebench/generate`` log is exported with :func:`export_log` (an
    unfinished one is refused); the log of another eval with
    :func:`export_eval_log` and its defaults (its only scorer, seed 0, the
    task's name as category).

    Args:
      path: ``.eval`` or ``.json`` log.

    Raises:
      PairDataError: See :func:`export_log` and :func:`export_eval_log`; also when no sample gave a pair.
    """
    log = read_inspect_log(path)
    if is_generate_log(log):
        export = export_log(log)
        if not export.pairs:
            raise PairDataError(
                f"{path}: no pairs: none of the {export.questions} questions has both a correct and "
                f"an incorrect usable candidate (candidates: {export.statuses})"
            )
        return list(enumerate(export.pairs, start=1))
    other = export_eval_log(log)
    if not other.pairs:
        raise PairDataError(f"{path}: no pairs: no sample has both a correct and an incorrect epoch\n{other.summary()}")
    return list(enumerate(other.pairs, start=1))
