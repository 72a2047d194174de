"""Export a judge log to JudgeBench's output format (the file JudgeBench's run_judge.py writes).

One JSON line per pair: the pair's fields, ``judge_name`` and ``judgments``, a
list with one entry per game (game 1 in the original order, game 2 with the
responses swapped), each ``{"judgment": {"judge_model", "prompt", "response"
[, "scores"]}, "decision"}`` where ``decision`` is in the frame the judge saw
(game 2 *not* swapped back), as JudgeBench writes it. Reading the file back
with :func:`~judgebench_inspect.report.readers.read_judged_file` gives the same
numbers as the log.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import storage
from ..categories import category_of
from .runs import MissingRecordError, ReportError, Run
from .readers import PAIR_FIELDS, read_inspect_log

_GAME_SPAN = re.compile(r"^game (\d+)\b")
#: Inspect providers whose model names carry a service segment after the provider.
_TWO_SEGMENT_PROVIDERS = ("openai-api",)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote.

    Attributes:
      path: The output file (a local path or a URL).
      pairs: Pairs written.
      errored: Errored samples left out (only with ``partial``).
    """

    path: str
    pairs: int
    errored: int


def bare_model_name(model: str) -> str:
    """A model name without the Inspect provider prefix, as JudgeBench names judge models.

    ``openai/o1-mini`` -> ``o1-mini``; ``hf/Skywork/Skywork-Reward-Gemma-2-27B``
    -> ``Skywork/Skywork-Reward-Gemma-2-27B``; ``openai-api/together/meta-llama/X``
    -> ``meta-llama/X``.

    Args:
      model: An Inspect model name.
    """
    parts = model.split("/")
    if len(parts) > 2 and parts[0] in _TWO_SEGMENT_PROVIDERS:
        return "/".join(parts[2:])
    return "/".join(parts[1:]) if len(parts) > 1 else model


def default_file_name(run: Run) -> str:
    """JudgeBench's output file name for a run.

    ``dataset=judgebench,response_model=<m>,judge_name=<j>,judge_model=<model with / as _>.jsonl``
    for the published splits; ``dataset=<name>,judge_name=...`` for other data.

    Args:
      run: The run.
    """
    models = {p.record.get("response_model") for p in run.pairs}
    model = (bare_model_name(run.model or "unknown") if run.inspect_model else run.model or "unknown").replace("/", "_")
    if len(models) == 1 and run.split in ("gpt", "claude"):
        head = f"dataset=judgebench,response_model={next(iter(models))}"
    else:
        head = f"dataset={run.split}"
    return f"{head},judge_name={run.judge or 'unknown'},judge_model={model}.jsonl"


def _game_prompts(log: str) -> dict[str, dict[int, str]]:
    """Sample id -> game number -> the judge prompt of that game's first model call."""
    from inspect_ai.event import ModelEvent, SpanBeginEvent
    from inspect_ai.log import read_eval_log_samples

    prompts: dict[str, dict[int, str]] = {}
    for sample in read_eval_log_samples(
        log, all_samples_required=False, resolve_attachments=True, exclude_fields={"messages", "store"}
    ):
        parents: dict[str, str | None] = {}
        game_of_span: dict[str, int] = {}
        found: dict[int, str] = {}
        for event in sample.events:
            if isinstance(event, SpanBeginEvent):
                parents[event.id] = event.parent_id
                m = _GAME_SPAN.match(event.name or "")
                if m:
                    game_of_span[event.id] = int(m.group(1))
            elif isinstance(event, ModelEvent):
                span = event.span_id
                while span is not None and span not in game_of_span:
                    span = parents.get(span)
                if span is None:
                    continue
                game = game_of_span[span]
                if game not in found:
                    users = [m for m in event.input if m.role == "user"]
                    found[game] = (users[-1] if users else event.input[-1]).text if event.input else ""
        prompts[str(sample.id)] = found
    return prompts


def judged_rows(run: Run, prompts: dict[str, dict[int, str]] | None = None) -> list[dict[str, Any]]:
    """The JudgeBench rows of a run read from an Inspect log.

    Args:
      run: The run (from :func:`read_inspect_log`).
      prompts: Judge prompts per sample id and game (empty strings if unknown).

    Raises:
      MissingRecordError: A game has no judge text.
      ReportError: A pair lacks its question or responses.
    """
    judge_model = bare_model_name(run.model or "") if run.inspect_model else (run.model or "")
    rows = []
    for pair in run.pairs:
        rec = pair.record
        missing = [f for f in ("question", "response_A", "response_B") if not isinstance(rec.get(f), str)]
        if missing:
            raise ReportError(
                f"sample {pair.pair_id}: metadata has no {', '.join(missing)}; "
                "only pairs with their question and responses can be exported"
            )
        row: dict[str, Any] = {k: rec.get(k) for k in PAIR_FIELDS}
        row["pair_id"], row["label"] = pair.pair_id, pair.label
        if category_of(str(row.get("source") or "")) != pair.category:
            row["category"] = pair.category  # a user's own category: keep it for the round trip
        game_prompts = (prompts or {}).get(pair.pair_id, {})
        judgments = []
        for g in rec["games"]:
            raw = g.get("raw")
            if not isinstance(raw, str) or not raw:
                raise MissingRecordError(
                    f"sample {pair.pair_id}, game {g.get('game')}: no judge text in the log; "
                    "an export without it would not be JudgeBench's output"
                )
            judgment: dict[str, Any] = {
                "judge_model": judge_model,
                "prompt": game_prompts.get(int(g.get("game", 0)), ""),
                "response": raw,
            }
            scores = (g.get("extra") or {}).get("scores")
            if isinstance(scores, list) and len(scores) == 2:
                judgment["scores"] = scores
            judgments.append({"judgment": judgment, "decision": g.get("seen")})
        row["judge_name"] = run.judge
        row["judgments"] = judgments
        rows.append(row)
    return rows


def export_judged(
    log: str | Path,
    output: str | Path | None = None,
    *,
    partial: bool = False,
    epoch: int | None = None,
    prompts: bool = True,
) -> ExportResult:
    """Write a judge log as a JudgeBench output file.

    Args:
      log: An Inspect log of the judge task (a local path, or a URL such as ``s3://bucket/logs/x.eval``).
      output: Output file, or a folder to write JudgeBench's file name into
        (an existing one, or any path ending in ``/``), local or a URL
        (default: that name in the current folder).
      partial: Allow an unfinished log, or one with errored samples (only the
        scored pairs are written). By default both are refused, since a
        leaderboard submission must cover every pair.
      epoch: Which epoch to export when the log has several.
      prompts: Recover each game's judge prompt from the log's events.

    Raises:
      ReportError: The log cannot be exported as asked.
    """
    runs = read_inspect_log(log, include_incomplete=partial)
    if len(runs) > 1:
        epochs = [r.epoch for r in runs]
        if epoch is None:
            raise ReportError(f"the log has epochs {epochs}; choose one with --epoch")
        runs = [r for r in runs if r.epoch == epoch]
        if not runs:
            raise ReportError(f"the log has no epoch {epoch} (it has {epochs})")
    run = runs[0]
    if run.errored and not partial:
        raise ReportError(
            f"{len(run.errored)} sample(s) errored and have no verdicts (e.g. {run.errored[0]}); "
            f"finish them with `inspect eval-retry {log}`, or pass --partial to export only the scored pairs"
        )
    if run.judge is None:
        raise ReportError("the log does not say which judge strategy was used")
    rows = judged_rows(run, _game_prompts(str(log)) if prompts else None)
    out = storage.normal(output) if output is not None else default_file_name(run)
    if str(output).endswith("/") or storage.kind(out) == "directory":  # a folder (an S3 prefix may not exist yet)
        out = storage.join(out, default_file_name(run))
    try:
        with storage.open_text(out, "w") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    except OSError as ex:
        raise ReportError(f"cannot write {out}: {ex.strerror or ex}") from None
    return ExportResult(path=out, pairs=len(rows), errored=len(run.errored))
