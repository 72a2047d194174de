"""Reading judge results: Inspect logs of the judge task and JudgeBench's judged-*.jsonl files.

Both are turned into :class:`~judgebench_inspect.report.runs.Run` objects whose
pairs are scored with the project's one pair rule
(:func:`judgebench_inspect.pair_rule.score_pair`). Files that cannot be used
(another task, an unfinished log, a pairs file without judgments, bad rows)
are reported as :class:`Skipped`, one line per file; nothing is mixed in
silently.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator

from .. import storage
from ..dataset import (
    IDENTICAL_KEY,
    PAIR_FIELDS,
    UNCATEGORIZED,
    PairDataError,
    flat_metadata,
    identical_note,
    parse_pair,
)
from ..jsonline import JsonLineError, load_json_line
from ..pair_rule import score_pair
from ..records import GAMES_KEY
from ..verdicts import LABELS, VERDICTS, Verdict, swap
from .runs import (
    MissingRecordError,
    PairResult,
    ReportError,
    Run,
    SolveLogError,
    SolveResult,
    SolveRun,
    infer_split,
)

#: Names the judge task registers under.
JUDGE_TASK_NAMES = ("judge", "judgebench/judge")
#: Names the solve task registers under.
SOLVE_TASK_NAMES = ("solve", "judgebench/solve")
#: Task options that are not judge options.
_TASK_ARGS = ("split", "dataset", "judge", "games", "categories")
_INSPECT_SUFFIXES = (".eval", ".json")


@dataclass(frozen=True)
class Skipped:
    """A file left out of the report, and why.

    Attributes:
      path: The file (or folder).
      reason: Why it was not used.
      damaged: A judge log whose records are incomplete (some judge text cannot
        be found), as opposed to a file that is not a usable result at all.
    """

    path: str
    reason: str
    damaged: bool = False

    def line(self) -> str:
        """One line for the terminal."""
        return f"skipped {self.path}: {self.reason}"


# --------------------------------------------------------------------------- helpers


def _is_pair_scorer(name: str | None) -> bool:
    return bool(name) and str(name).rsplit("/", 1)[-1] == "pair_scorer"


def _verdict(value: Any, where: str) -> Verdict:
    if value is None or value in VERDICTS:
        return value  # type: ignore[no-any-return]
    raise ReportError(f"{where}: expected one of {', '.join(VERDICTS)} or null, got {value!r}")


# --------------------------------------------------------------------------- Inspect logs


def _judge_model(spec: Any) -> str:
    roles = getattr(spec, "model_roles", None) or {}
    judge = roles.get("judge")
    if judge is not None:
        return str(getattr(judge, "model", judge))
    return str(spec.model)


#: Keys the judge task writes into its metadata (tasks/judge.py); any other key came
#: from the user (``inspect eval --metadata``).
_TASK_METADATA = frozenset({"benchmark", "judge", "games", "split", "prompts", IDENTICAL_KEY})


def _user_label(spec: Any) -> str | None:
    """The user's label of a run: ``--metadata label=...``, else its tags and other metadata.

    Args:
      spec: The log's eval spec.
    """
    meta = {k: v for k, v in (spec.metadata or {}).items() if k not in _TASK_METADATA}
    if isinstance(meta.get("label"), str) and meta["label"].strip():
        return str(meta["label"]).strip()
    parts = [str(t) for t in getattr(spec, "tags", None) or []]
    parts += [f"{k}={v}" for k, v in meta.items() if isinstance(v, (str, int, float, bool))]
    return ", ".join(parts) or None


def _judge_name(header: Any) -> str | None:
    spec = header.eval
    args = spec.task_args or {}
    if isinstance(args.get("judge"), str):
        return str(args["judge"])
    meta = spec.metadata or {}
    if isinstance(meta.get("judge"), str):
        return str(meta["judge"])
    plan = getattr(header, "plan", None)
    for step in getattr(plan, "steps", None) or []:
        if str(step.solver).rsplit("/", 1)[-1] == "judge_pair":
            judge = (step.params or {}).get("judge")
            if isinstance(judge, str):
                return judge
    return None


def _is_judge_log(header: Any) -> bool:
    scorers = getattr(header.eval, "scorers", None) or []
    if any(_is_pair_scorer(s.name) for s in scorers):
        return True
    if header.results is not None and any(_is_pair_scorer(s.scorer) for s in header.results.scores):
        return True
    return header.eval.task in JUDGE_TASK_NAMES


def _is_solve_scorer(name: str | None) -> bool:
    return bool(name) and str(name).rsplit("/", 1)[-1] == "solve_scorer"


def _is_solve_log(header: Any) -> bool:
    scorers = getattr(header.eval, "scorers", None) or []
    if any(_is_solve_scorer(s.name) for s in scorers):
        return True
    if header.results is not None and any(_is_solve_scorer(s.scorer) for s in header.results.scores):
        return True
    return header.eval.task in SOLVE_TASK_NAMES or (header.eval.metadata or {}).get("judgebench_task") == "solve"


#: Token counts of Inspect's ``ModelUsage`` that the report adds up.
USAGE_FIELDS: tuple[str, ...] = (
    "input_tokens", "output_tokens", "total_tokens",
    "input_tokens_cache_write", "input_tokens_cache_read", "reasoning_tokens",
)  # fmt: skip


def add_usage(total: dict[str, dict[str, int]], usage: Any) -> None:
    """Add one sample's (or one log's) model usage to a running total, per model.

    Args:
      total: Model name -> token counts (changed in place).
      usage: Inspect's ``model_usage``: model name -> ``ModelUsage``.
    """
    for model, u in (usage or {}).items():
        counts = total.setdefault(str(model), {})
        for key in USAGE_FIELDS:
            value = getattr(u, key, None) if not isinstance(u, dict) else u.get(key)
            if isinstance(value, int) and value:
                counts[key] = counts.get(key, 0) + value


#: Generation settings that change a judge's request (``max_tokens`` is set per call by the judges).
GENERATION_KEYS: tuple[str, ...] = (
    "temperature", "top_p", "top_k", "seed", "frequency_penalty", "presence_penalty", "stop_seqs",
    "system_message", "num_choices", "reasoning_effort", "reasoning_tokens",
)  # fmt: skip


def _generation(header: Any) -> dict[str, Any]:
    config = getattr(getattr(header, "plan", None), "config", None)
    if config is None:
        return {}
    return {k: v for k in GENERATION_KEYS if (v := getattr(config, k, None)) is not None}


def _pair_score(sample: Any) -> Any | None:
    for name, score in (sample.scores or {}).items():
        if _is_pair_scorer(name):
            return score
    return None


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _apply_change(doc: dict[str, Any], op: str, path: str, value: Any) -> None:
    """Apply one JSON-patch change (``add``, ``replace`` or ``remove``) to a store copy.

    Args:
      doc: The store being rebuilt (changed in place).
      op: The change's operation.
      path: Its JSON pointer (``/judgebench_games/0/raw``).
      value: The value added or put in place.
    """
    tokens = [_unescape(t) for t in path.split("/")[1:]]
    if not tokens:
        return
    parent: Any = doc
    for token in tokens[:-1]:
        parent = parent[int(token)] if isinstance(parent, list) else parent[token]
    last = tokens[-1]
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        if op == "remove":
            del parent[index]
        elif op == "add":
            parent.insert(index, value)
        else:
            parent[index] = value
    elif op == "remove":
        parent.pop(last, None)
    else:
        parent[last] = value


def games_from_events(events: Iterable[Any]) -> list[dict[str, Any]] | None:
    """The game records as the judge solver stored them, rebuilt from a transcript's store events.

    Inspect records every change to a sample's store as a ``StoreEvent`` (JSON
    patch). A sample recovered after a crash (``inspect eval-retry`` of a killed
    run) has its events back but an empty store; replaying the changes under
    :data:`GAMES_KEY` gives the records again, raw judge text and extras included.

    Args:
      events: The sample's events (attachments resolved).

    Returns:
      The records, or ``None`` if no store event holds them.
    """
    prefix = f"/{GAMES_KEY}"
    store: dict[str, Any] = {}
    for event in events:
        if getattr(event, "event", None) != "store":
            continue
        for change in event.changes:
            path = str(change.path)
            if path != prefix and not path.startswith(prefix + "/"):
                continue
            if change.op not in ("add", "replace", "remove"):
                continue
            try:
                _apply_change(store, str(change.op), path, copy.deepcopy(change.value))
            except (KeyError, IndexError, ValueError, TypeError):
                return None  # changes that do not fit together: treat as not found
    games = store.get(GAMES_KEY)
    return games if isinstance(games, list) else None


def _games_of(sample: Any, score: Any, where: str, stored: Any = None) -> list[dict[str, Any]]:
    """A sample's game records: the score's, completed from the full records.

    The pair score's metadata names each game's order, verdicts and note; the
    raw judge text and judge-specific details are in the sample's store (logs
    written before that change carry everything in the score). ``stored``
    gives the full records when they were rebuilt from the transcript instead.
    """
    games = (score.metadata or {}).get("games")
    if not isinstance(games, list) or not games:
        raise ReportError(f"{where}: the pair score has no game records (metadata 'games')")
    for i, g in enumerate(games, start=1):
        if not isinstance(g, dict) or "verdict" not in g:
            raise ReportError(f"{where}, game {i}: game record without a 'verdict'")
    if stored is None:
        stored = (getattr(sample, "store", None) or {}).get(GAMES_KEY)
    if stored is None:
        return games
    if (
        not isinstance(stored, list)
        or len(stored) != len(games)
        or any(not isinstance(s, dict) or s.get("verdict") != g["verdict"] for s, g in zip(stored, games))
    ):
        raise ReportError(
            f"{where}: the game records in the sample's store ('{GAMES_KEY}') disagree with the pair score's"
        )
    return [{**g, **s} for g, s in zip(games, stored)]


def _lacks_text(games: list[dict[str, Any]]) -> bool:
    """Whether some game has no judge text (its record was not found).

    Args:
      games: The game records.
    """
    return any(not isinstance(g.get("raw"), str) or not g["raw"] for g in games)


def _rebuilt_games(path: str, sample: Any, score: Any, where: str) -> list[dict[str, Any]]:
    """The full game records of a sample whose store lost them, from its transcript.

    Args:
      path: The log file.
      sample: The sample as read without its events.
      score: Its pair score.
      where: Log and sample, for messages.

    Raises:
      MissingRecordError: Neither the store nor the transcript holds every game's text.
    """
    from inspect_ai.log import read_eval_log_sample

    try:
        full = read_eval_log_sample(
            path, id=sample.id, epoch=int(sample.epoch or 1), resolve_attachments=True,
            exclude_fields={"messages", "store"},
        )
    except Exception as ex:
        raise ReportError(f"{where}: could not read the sample's transcript ({type(ex).__name__}: {ex})") from None
    stored = games_from_events(full.events)
    games = _games_of(sample, score, where, stored) if stored is not None else None
    if games is None or _lacks_text(games):
        raise MissingRecordError(
            f"{where}: the judge's text of a game is neither in the sample's store nor in its "
            "transcript's store events; the log cannot give every judge text"
        )
    return games


def _inspect_pair(path: str, sample: Any, score: Any, where: str) -> PairResult:
    md = sample.metadata or {}
    games = _games_of(sample, score, where)
    if _lacks_text(games):  # e.g. a sample recovered after a crash: its store is empty
        games = _rebuilt_games(path, sample, score, where)
    label = md.get("label") or (sample.target if isinstance(sample.target, str) else None)
    if label not in LABELS:
        raise ReportError(f"{where}, field 'label': expected 'A>B' or 'B>A', got {label!r}")
    verdicts = tuple(_verdict(g.get("verdict"), f"{where}, game {g.get('game')}, verdict") for g in games)
    seen = tuple(
        _verdict(g.get("seen", v if i == 0 else swap(v)), f"{where}, game {g.get('game')}, seen")
        for i, (g, v) in enumerate(zip(games, verdicts))
    )
    try:
        outcome = score_pair(verdicts, label, seen=seen)
    except ValueError as ex:
        raise ReportError(f"{where}: {ex}") from None
    value = score.value if isinstance(score.value, dict) else {}
    if "correct" in value and bool(value["correct"]) != outcome.correct:
        raise ReportError(
            f"{where}: the logged score (correct={value['correct']}) disagrees with the pair rule "
            f"applied to the logged verdicts {list(verdicts)} (label {label})"
        )
    flat = flat_metadata(md)
    record = {k: flat.get(k) for k in PAIR_FIELDS if k in flat}
    record.setdefault("pair_id", str(sample.id))
    record.setdefault("label", label)
    if isinstance(md.get("tags"), dict):
        record["tags"] = md["tags"]
    record["games"] = games
    category = md.get("category")
    return PairResult(
        pair_id=str(md.get("pair_id", sample.id)),
        category=str(category) if category else UNCATEGORIZED,
        label=label,
        verdicts=verdicts,
        seen=seen,
        outcome=outcome,
        record=record,
    )


def read_inspect_log(path: str | Path, *, include_incomplete: bool = False) -> list[Run]:
    """Read an Inspect log of the judge task (or any task scored by ``pair_scorer``).

    Args:
      path: A ``.eval`` or ``.json`` log file.
      include_incomplete: Also read logs whose status is not ``success``
        (their rows are marked incomplete). By default such logs raise.

    Returns:
      One run per epoch (one run for the usual single-epoch log).

    Raises:
      ReportError: The file is not a judge log, is unfinished, or its scores are malformed.
    """
    from inspect_ai.log import read_eval_log, read_eval_log_samples

    path = str(path)
    try:
        header = read_eval_log(path, header_only=True)
    except Exception as ex:  # not a log, truncated file, unknown format ...
        raise ReportError(f"not a readable Inspect log ({type(ex).__name__}: {ex})") from None
    spec = header.eval
    if not _is_judge_log(header):
        if _is_solve_log(header):
            raise SolveLogError(
                f"a solve log (task '{spec.task}'), not a judge log: it is used beside a judge log of the "
                "same model (solver vs judge)"
            )
        raise ReportError(f"not a judge log (task '{spec.task}' is not scored by pair_scorer)")
    complete = header.status == "success"
    if not complete and not include_incomplete:
        why = f"; error: {header.error.message.splitlines()[0]}" if header.error else ""
        raise ReportError(
            f"incomplete log (status '{header.status}'{why}); finish it with `inspect eval-retry {path}`, "
            "or pass --include-incomplete to report the pairs it has"
        )

    by_epoch: dict[int, list[PairResult]] = defaultdict(list)
    errored: dict[int, list[str]] = defaultdict(list)
    usage: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
    response_models: set[str | None] = set()
    samples = read_eval_log_samples(
        path,
        all_samples_required=False,
        exclude_fields={"events", "messages", "output", "attachments"},
    )
    try:
        for sample in samples:
            epoch = int(sample.epoch or 1)
            where = f"{path}, sample {sample.id} (epoch {epoch})"
            score = _pair_score(sample)
            if sample.error is not None or getattr(sample, "invalidation", None) is not None or score is None:
                errored[epoch].append(str(sample.id))
                continue
            pair = _inspect_pair(path, sample, score, where)
            response_models.add((sample.metadata or {}).get("response_model"))
            by_epoch[epoch].append(pair)
            add_usage(usage[epoch], getattr(sample, "model_usage", None))
    except ReportError:
        raise
    except Exception as ex:
        raise ReportError(f"could not read the samples ({type(ex).__name__}: {ex})") from None

    args = spec.task_args or {}
    options = {k: v for k, v in args.items() if k not in _TASK_ARGS and v is not None}
    # a judge that is not an Inspect model (a reward model) names its model itself
    named = next(
        (
            str(g["extra"]["reward_model"])
            for pairs in by_epoch.values()
            for p in pairs
            for g in p.record["games"]
            if isinstance(g.get("extra"), dict) and g["extra"].get("reward_model")
        ),
        None,
    ) or (str(options["reward_model"]) if options.get("reward_model") else None)
    if args.get("dataset") is None and isinstance(args.get("split"), str):
        split = str(args["split"])
    else:
        split = infer_split(response_models, spec.dataset.name or Path(path).stem)
    epochs = sorted(set(by_epoch) | set(errored)) or [1]
    many = int(getattr(spec.config, "epochs", None) or 1) > 1 or len(epochs) > 1
    runs = []
    for epoch in epochs:
        run = Run(
            path=path,
            kind="inspect",
            judge=_judge_name(header),
            model=named or _judge_model(spec),
            inspect_model=named is None,
            split=split,
            pairs=sorted(by_epoch[epoch], key=lambda p: p.pair_id),
            errored=errored[epoch],
            complete=complete,
            dataset_pairs=spec.dataset.samples,
            epoch=epoch if many else None,
            options=options,
            generation=_generation(header),
            user_label=_user_label(spec),
            usage=usage[epoch],
            benchmark=str((spec.metadata or {}).get("benchmark") or "judgebench"),
        )
        if not complete:
            run.notes.append(f"incomplete log (status '{header.status}'): only the pairs it has are reported")
        identical = (spec.metadata or {}).get(IDENTICAL_KEY)
        if isinstance(identical, list) and identical:
            run.notes.append(identical_note([str(i) for i in identical]))
        if not run.pairs:
            raise ReportError(
                "no scored samples"
                + (f" ({len(run.errored)} errored)" if run.errored else "")
                + (f" in epoch {epoch}" if many else "")
            )
        runs.append(run)
    return runs


# --------------------------------------------------------------------------- solve logs


def _solve_score(sample: Any) -> Any | None:
    for name, score in (sample.scores or {}).items():
        if _is_solve_scorer(name):
            return score
    return None


def read_solve_log(path: str | Path, *, include_incomplete: bool = False) -> SolveRun:
    """Read an Inspect log of the solve task (the model answering the questions itself).

    Args:
      path: A ``.eval`` or ``.json`` log file.
      include_incomplete: Also read a log whose status is not ``success``.

    Raises:
      ReportError: Not a solve log, unfinished, or a malformed score (naming the sample and field).
    """
    from inspect_ai.log import read_eval_log, read_eval_log_samples

    path = str(path)
    try:
        header = read_eval_log(path, header_only=True)
    except Exception as ex:
        raise ReportError(f"not a readable Inspect log ({type(ex).__name__}: {ex})") from None
    spec = header.eval
    if not _is_solve_log(header):
        raise ReportError(f"not a solve log (task '{spec.task}' is not scored by solve_scorer)")
    complete = header.status == "success"
    if not complete and not include_incomplete:
        raise ReportError(
            f"incomplete solve log (status '{header.status}'); finish it with `inspect eval-retry {path}`, "
            "or pass --include-incomplete"
        )
    results: list[SolveResult] = []
    errored: list[str] = []
    try:
        samples = list(
            read_eval_log_samples(
                path, all_samples_required=False,
                exclude_fields={"events", "messages", "output", "model_usage", "attachments", "store"},
            )
        )
    except Exception as ex:
        raise ReportError(f"could not read the samples ({type(ex).__name__}: {ex})") from None
    for sample in samples:
        where = f"{path}, sample {sample.id}"
        score = _solve_score(sample)
        if sample.error is not None or score is None:
            errored.append(str(sample.id))
            continue
        value = score.value if isinstance(score.value, dict) else None
        if value is None or "correct" not in value:
            raise ReportError(f"{where}, solve score: expected a value with 'correct' and 'verified', got {score.value!r}")
        md = sample.metadata or {}
        verified = bool(value.get("verified", 1))
        results.append(
            SolveResult(
                pair_id=str(md.get("pair_id", sample.id)),
                category=str(md.get("category") or UNCATEGORIZED),
                source=md.get("source"),
                original_id=md.get("original_id"),
                correct=bool(value["correct"]) if verified else None,
            )
        )
    if not results:
        raise ReportError("no scored samples" + (f" ({len(errored)} errored)" if errored else ""))
    args = spec.task_args or {}
    split = str(args["split"]) if args.get("dataset") is None and isinstance(args.get("split"), str) else (
        spec.dataset.name or Path(path).stem
    )
    return SolveRun(
        path=path, model=str(spec.model), split=split,
        results=sorted(results, key=lambda r: r.pair_id), errored=errored, complete=complete,
    )


# --------------------------------------------------------------------------- JudgeBench files


def _jsonl(path: str) -> Iterator[tuple[int, Any]]:
    try:
        with storage.open_text(path) as f:
            for line_no, text in enumerate(f, start=1):
                if not text.strip():
                    continue
                try:
                    yield line_no, load_json_line(text)
                except json.JSONDecodeError as ex:
                    raise ReportError(f"line {line_no}: not valid JSON ({ex.msg} at column {ex.colno})") from None
                except JsonLineError as ex:
                    raise ReportError(f"line {line_no}, {ex}") from None
    except UnicodeDecodeError as ex:
        raise ReportError(f"not UTF-8 text ({ex.reason})") from None


def looks_judged(path: str | Path) -> bool:
    """Whether a JSONL file's first row carries JudgeBench ``judgments``."""
    try:
        for _, row in _jsonl(str(path)):
            return isinstance(row, dict) and "judgments" in row
    except (ReportError, OSError):
        return True  # let the reader report what is wrong with it
    return False


def _game(entry: Any, where: str) -> tuple[Verdict, str | None, bool]:
    """(decision in the judge's frame, judge model, failed call?) of one judgments entry."""
    if entry is None:
        return None, None, True
    if not isinstance(entry, dict):
        raise ReportError(f"{where}: expected an object or null, got {type(entry).__name__}")
    if "decision" not in entry:
        raise ReportError(f"{where}, field 'decision': missing")
    decision = _verdict(entry["decision"], f"{where}, field 'decision'")
    judgment = entry.get("judgment")
    model = judgment.get("judge_model") if isinstance(judgment, dict) else None
    return decision, (str(model) if model else None), False


def read_judged_file(path: str | Path) -> Run:
    """Read a JudgeBench output file (``judged-*.jsonl``, the format JudgeBench's run_judge.py writes).

    Game 1 is the original order; game 2's decision is in the swapped frame
    and is swapped back. A ``null`` game (JudgeBench's failed call) counts as
    no verdict, as JudgeBench counts it.

    Args:
      path: The ``.jsonl`` file.

    Raises:
      ReportError: A row that is not a judged pair (naming the line and field).
    """
    p = storage.normal(path)
    if storage.kind(p) != "file":
        raise ReportError("no such file")
    pairs: list[PairResult] = []
    seen_ids: dict[str, int] = {}
    judge_name: str | None = None
    judge_line = 0
    model: str | None = None
    failed = 0
    response_models: set[str | None] = set()
    for line, row in _jsonl(p):
        where = f"line {line}"
        try:
            pair = parse_pair(row, p, line)
        except PairDataError as ex:
            raise ReportError(str(ex).replace(f"{p}, ", "", 1)) from None
        if pair.pair_id in seen_ids:
            raise ReportError(
                f"{where}, field 'pair_id': duplicate id {pair.pair_id!r} (first seen on line {seen_ids[pair.pair_id]})"
            )
        seen_ids[pair.pair_id] = line
        name = row.get("judge_name")
        if not isinstance(name, str) or not name:
            raise ReportError(f"{where}, field 'judge_name': missing (not a JudgeBench output row)")
        if judge_name is None:
            judge_name, judge_line = name, line
        elif name != judge_name:
            raise ReportError(
                f"{where}, field 'judge_name': {name!r} differs from {judge_name!r} on line {judge_line} "
                "(one file holds one judge)"
            )
        judgments = row.get("judgments")
        if not isinstance(judgments, list) or len(judgments) not in (1, 2):
            raise ReportError(f"{where}, field 'judgments': expected a list of 1 or 2 games")
        seen: list[Verdict] = []
        games: list[dict[str, Any]] = []
        for i, entry in enumerate(judgments):
            decision, game_model, is_failed = _game(entry, f"{where}, judgments[{i}]")
            failed += is_failed
            model = model or game_model
            seen.append(decision)
            games.append(
                {
                    "game": i + 1,
                    "order": ["A", "B"] if i == 0 else ["B", "A"],
                    "seen": decision,
                    "verdict": decision if i == 0 else swap(decision),
                    "judgment": entry.get("judgment") if isinstance(entry, dict) else None,
                }
            )
        verdicts = tuple(g["verdict"] for g in games)
        response_models.add(pair.response_model)
        record = {k: row.get(k) for k in PAIR_FIELDS if k in row}
        record["games"] = games
        pairs.append(
            PairResult(
                pair_id=pair.pair_id,
                category=pair.category,
                label=pair.label,
                verdicts=verdicts,
                seen=tuple(seen),
                outcome=score_pair(verdicts, pair.label, seen=seen),
                record=record,
            )
        )
    if not pairs:
        raise ReportError("no rows (the file is empty)")
    run = Run(
        path=p,
        kind="judgebench",
        judge=judge_name,
        model=model,
        split=infer_split(response_models, PurePosixPath(storage.name(p)).stem),
        pairs=sorted(pairs, key=lambda x: x.pair_id),
    )
    identical = [p.pair_id for p in pairs if p.record.get("response_A") == p.record.get("response_B")]
    if identical:
        run.notes.append(identical_note(identical))
    if failed:
        run.notes.append(f"{failed} game(s) are null (failed calls in JudgeBench's run): counted as no verdict, as JudgeBench does")
    return run


# --------------------------------------------------------------------------- folders and files


def _expand(paths: Iterable[str | Path]) -> Iterator[tuple[str, str | None]]:
    """(file, kind) for every input, local or remote (``s3://...``).

    Kind is ``inspect``, ``judgebench``, ``missing``, ``empty`` (a folder with
    neither) or ``None`` (a file of neither kind).
    """
    from inspect_ai.log import list_eval_logs

    for raw in paths:
        where = storage.normal(raw)
        found = storage.kind(where)
        if found == "directory":
            logs = sorted(storage.normal(info.name) for info in list_eval_logs(where, recursive=True))
            jsonl = storage.find(where, ".jsonl")
            if not logs and not jsonl:
                yield where, "empty"
                continue
            for f in logs:
                yield f, "inspect"
            for f in jsonl:
                yield f, "judgebench"
        elif found == "file":
            suffix = PurePosixPath(storage.name(where)).suffix
            yield where, "inspect" if suffix in _INSPECT_SUFFIXES else "judgebench" if suffix == ".jsonl" else None
        else:
            yield where, "missing"


@dataclass
class Collected:
    """What :func:`collect_results` found.

    Attributes:
      runs: The judge runs.
      solves: The solve logs (a model answering the questions itself).
      skipped: The files left out, with the reason for each.
    """

    runs: list[Run]
    solves: list[SolveRun]
    skipped: list[Skipped]


def collect_runs(
    paths: Iterable[str | Path], *, include_incomplete: bool = False
) -> tuple[list[Run], list[Skipped]]:
    """Read every usable judge run from files and folders (folders are searched recursively).

    Solve logs are not judge runs: they are listed as skipped here (use
    :func:`collect_results` to have them too).

    Args:
      paths: Inspect logs (``.eval``, ``.json``), JudgeBench outputs
        (``.jsonl``), or folders holding them.
      include_incomplete: Report unfinished logs too (marked incomplete).

    Returns:
      The runs, and the files left out with the reason for each.
    """
    found = collect_results(paths, include_incomplete=include_incomplete)
    solves = [
        Skipped(s.path, "a solve log, not a judge log (the report uses it beside a judge log of the same model)")
        for s in found.solves
    ]
    return found.runs, found.skipped + solves


def collect_results(paths: Iterable[str | Path], *, include_incomplete: bool = False) -> Collected:
    """Read every judge run and solve log from files and folders (folders are searched recursively).

    Args:
      paths: Inspect logs (``.eval``, ``.json``), JudgeBench outputs
        (``.jsonl``), or folders holding them.
      include_incomplete: Report unfinished logs too (marked incomplete).
    """
    runs: list[Run] = []
    solves: list[SolveRun] = []
    skipped: list[Skipped] = []
    done: set[str] = set()
    for path, kind in _expand(paths):
        key = path if storage.is_remote(path) else str(Path(path).resolve())
        if key in done:
            continue  # the same file named twice (e.g. a file and its folder)
        done.add(key)
        try:
            if kind == "missing":
                raise ReportError("no such file or folder")
            if kind == "empty":
                raise ReportError("no Inspect logs (.eval/.json) or JudgeBench outputs (.jsonl) in this folder")
            if kind is None:
                raise ReportError("not an Inspect log (.eval/.json) or a JudgeBench output (.jsonl)")
            if kind == "inspect":
                try:
                    runs.extend(read_inspect_log(path, include_incomplete=include_incomplete))
                except SolveLogError:
                    solves.append(read_solve_log(path, include_incomplete=include_incomplete))
            else:
                if not looks_judged(path):
                    raise ReportError("a pairs file without judgments (not a JudgeBench output)")
                runs.append(read_judged_file(path))
        except ReportError as ex:
            skipped.append(Skipped(str(path), str(ex), damaged=isinstance(ex, MissingRecordError)))
    return Collected(runs, solves, skipped)
