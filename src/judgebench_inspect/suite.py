"""``judgebench suite``: judges x benchmarks x splits as one Inspect eval-set.

A small spec file (YAML or JSON) names the judges (each with its strategy, its
model and that model's arguments) and the benchmarks (each with its dataset
and splits). Every combination becomes one ``judgebench/judge`` task with its
judge's model bound to the task (``Task(model=...)``), and all of them run
through :func:`inspect_ai.eval_set` into one log location. Inspect's eval-set
then gives the rest: a second run of the same command skips the finished
tasks and finishes the others (samples already done in a killed run are
reused), failed tasks are retried, and the exit code is non-zero when a task
did not succeed.

Why a command and not ``inspect eval-set`` on a task file: the task list comes
from the spec (how many judges and benchmarks is not known in advance, so a
``.py`` file of ``@task`` functions cannot list them), each task needs its own
model (``--model a,b`` would run every task with every model), and sharding
needs a folder per shard. The command builds the tasks and calls Inspect's own
``eval_set()``; nothing of eval-set's bookkeeping is reimplemented.

Sharding (``--shard I/N``): task ``k`` of the matrix (judges outer, then
benchmarks, then splits, in the spec's order) belongs to shard ``k mod N + 1``.
Each shard is its own eval-set in ``ROOT/shard-I-of-N``: an eval-set's
bookkeeping files (``.eval-set-id``, ``eval-set.json``) have one writer, and an
eval-set refuses logs of tasks outside its set, so shards cannot share one
folder. ``judgebench report ROOT`` reads the shard folders together.

Spec example (YAML)::

    judges:
      - name: o1-mini/arena_hard      # optional label (default: judge@model)
        judge: arena_hard             # the strategy (task option ``judge``)
        model: openai/o1-mini
        model_args: {}                # optional: the provider's -M arguments
        base_url: null                # optional: the model's base URL
        config: {max_connections: 20} # optional: GenerateConfig for this model
        roles: {}                     # optional: model roles (e.g. ChatEval's)
        options: {max_tokens: 4096}   # optional: judge/task options (-T)
    benchmarks:
      - name: judgebench              # optional label
        dataset: null                 # optional: -T dataset= (default: published JudgeBench)
        splits: [gpt, claude]         # default: [gpt]
        options: {}                   # optional: task options for this benchmark
    log_dir: logs/suite               # optional: the root (--log-dir wins)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .errors import ConfigError, did_you_mean

if TYPE_CHECKING:
    from inspect_ai import Task

#: The folder of shard I of N under the root.
SHARD_FOLDER = "shard-{index}-of-{count}"
_SHARD_FOLDER_RE = re.compile(r"^shard-(\d+)-of-(\d+)$")
#: Files an eval-set keeps in its log folder.
EVAL_SET_FILES = (".eval-set-id", "eval-set.json")

_TOP_KEYS = ("judges", "benchmarks", "log_dir")
_JUDGE_KEYS = ("name", "judge", "model", "model_args", "base_url", "config", "roles", "options")
_BENCHMARK_KEYS = ("name", "dataset", "splits", "options")
#: Task options the spec sets through its own fields, not through ``options``.
_RESERVED_OPTIONS = ("judge", "dataset", "split")


@dataclass(frozen=True)
class JudgeSpec:
    """One judge of the matrix: a strategy bound to a model.

    Attributes:
      name: Label for listings (default ``judge@model``).
      judge: The strategy (the judge task's ``judge`` option).
      model: The model, as Inspect names it (``openai/gpt-4o``).
      model_args: The provider's model arguments (``-M``).
      base_url: The model's base URL, or ``None`` for the provider's default.
      config: Generation settings of this model (``GenerateConfig`` fields).
      roles: Model roles of this judge's tasks (role -> model name).
      options: Further judge task options (``-T``).
    """

    name: str
    judge: str
    model: str
    model_args: dict[str, Any] = field(default_factory=dict)
    base_url: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BenchmarkSpec:
    """One benchmark of the matrix: a dataset and its splits.

    Attributes:
      name: Label for listings (default: the dataset, or ``judgebench``).
      dataset: The judge task's ``dataset`` option (``None``: published JudgeBench).
      splits: The splits to judge.
      options: Further task options for this benchmark (e.g. ``categories``).
    """

    name: str
    dataset: str | None = None
    splits: tuple[str, ...] = ("gpt",)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SuiteSpec:
    """A spec file: judges x benchmarks (x their splits).

    Attributes:
      judges: The judges.
      benchmarks: The benchmarks.
      log_dir: The root log location named in the file, if any.
      source: The file it was read from (for messages).
    """

    judges: tuple[JudgeSpec, ...]
    benchmarks: tuple[BenchmarkSpec, ...]
    log_dir: str | None = None
    source: str = "<spec>"


@dataclass(frozen=True)
class Cell:
    """One task of the matrix.

    Attributes:
      index: Position in the matrix (judges outer, then benchmarks, then splits).
      judge: The judge.
      benchmark: The benchmark.
      split: The split.
    """

    index: int
    judge: JudgeSpec
    benchmark: BenchmarkSpec
    split: str

    @property
    def label(self) -> str:
        """``judge x benchmark/split`` for listings."""
        return f"{self.judge.name} x {self.benchmark.name}/{self.split}"

    def task_args(self) -> dict[str, Any]:
        """The judge task's arguments for this cell."""
        args: dict[str, Any] = {"judge": self.judge.judge, "split": self.split}
        if self.benchmark.dataset is not None:
            args["dataset"] = self.benchmark.dataset
        args.update(self.benchmark.options)
        args.update(self.judge.options)
        return args


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based).

    Attributes:
      index: This shard, 1..count.
      count: How many shards the matrix is split into.
    """

    index: int
    count: int

    @property
    def folder(self) -> str:
        """The shard's sub-folder of the root."""
        return SHARD_FOLDER.format(index=self.index, count=self.count)

    def takes(self, cell: Cell) -> bool:
        """Whether this shard runs the cell (cell ``k`` goes to shard ``k mod N + 1``).

        Args:
          cell: A cell of the matrix.
        """
        return cell.index % self.count == self.index - 1


# --------------------------------------------------------------------------- reading the spec


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(value).__name__}")
    return {str(k): v for k, v in value.items()}


def _text(value: Any, where: str, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: expected a non-empty string, got {value!r}")
    return value.strip()


def _known_keys(entry: dict[str, Any], keys: Sequence[str], where: str) -> None:
    for key in entry:
        if key not in keys:
            raise ConfigError(f"{where}: unknown field '{key}'{did_you_mean(key, keys)}; fields: {', '.join(keys)}")


def _entries(doc: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = doc.get(key)
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: '{key}' must be a non-empty list")
    return [_mapping(v, f"{where}: {key}[{i}]") for i, v in enumerate(value)]


def _options(entry: dict[str, Any], where: str) -> dict[str, Any]:
    options = _mapping(entry.get("options"), f"{where}.options")
    for name in _RESERVED_OPTIONS:
        if name in options:
            raise ConfigError(f"{where}.options: '{name}' is set by its own field, not in options")
    return options


def _judge(entry: dict[str, Any], where: str) -> JudgeSpec:
    _known_keys(entry, _JUDGE_KEYS, where)
    judge = _text(entry.get("judge"), f"{where}.judge")
    model = _text(entry.get("model"), f"{where}.model")
    assert judge is not None and model is not None
    roles = _mapping(entry.get("roles"), f"{where}.roles")
    for role, value in roles.items():
        _text(value, f"{where}.roles.{role}")
    config = _mapping(entry.get("config"), f"{where}.config")
    if config:
        from inspect_ai.model import GenerateConfig

        unknown = [k for k in config if k not in GenerateConfig.model_fields]
        if unknown:
            raise ConfigError(
                f"{where}.config: unknown generation setting '{unknown[0]}'{did_you_mean(unknown[0], GenerateConfig.model_fields)}"
            )
    return JudgeSpec(
        name=_text(entry.get("name"), f"{where}.name", required=False) or f"{judge}@{model}",
        judge=judge,
        model=model,
        model_args=_mapping(entry.get("model_args"), f"{where}.model_args"),
        base_url=_text(entry.get("base_url"), f"{where}.base_url", required=False),
        config=config,
        roles={k: str(v) for k, v in roles.items()},
        options=_options(entry, where),
    )


def _benchmark(entry: dict[str, Any], where: str) -> BenchmarkSpec:
    _known_keys(entry, _BENCHMARK_KEYS, where)
    dataset = _text(entry.get("dataset"), f"{where}.dataset", required=False)
    splits = entry.get("splits", ["gpt"])
    if isinstance(splits, str):
        splits = [s.strip() for s in splits.split(",")]
    if not isinstance(splits, list) or not splits:
        raise ConfigError(f"{where}.splits: expected a non-empty list of split names, got {splits!r}")
    names = tuple(str(_text(s, f"{where}.splits")) for s in splits)
    if len(set(names)) != len(names):
        raise ConfigError(f"{where}.splits: a split is named twice: {list(names)}")
    return BenchmarkSpec(
        name=_text(entry.get("name"), f"{where}.name", required=False) or (dataset or "judgebench"),
        dataset=dataset,
        splits=names,
        options=_options(entry, where),
    )


def parse_spec(doc: Any, source: str = "<spec>") -> SuiteSpec:
    """A spec from its parsed document (the contents of a YAML/JSON file).

    Args:
      doc: The document.
      source: Where it came from, for messages.

    Raises:
      ConfigError: Naming the file, the entry and the field that is wrong.
    """
    if not isinstance(doc, dict):
        raise ConfigError(f"{source}: expected a mapping with 'judges' and 'benchmarks', got {type(doc).__name__}")
    doc = {str(k): v for k, v in doc.items()}
    _known_keys(doc, _TOP_KEYS, source)
    judges = tuple(_judge(e, f"{source}: judges[{i}]") for i, e in enumerate(_entries(doc, "judges", source)))
    benchmarks = tuple(
        _benchmark(e, f"{source}: benchmarks[{i}]") for i, e in enumerate(_entries(doc, "benchmarks", source))
    )
    spec = SuiteSpec(judges, benchmarks, _text(doc.get("log_dir"), f"{source}: log_dir", required=False), source)
    _check_distinct(spec)
    return spec


def read_spec(path: str | Path) -> SuiteSpec:
    """Read a spec file (``.yaml``/``.yml`` or ``.json``).

    Args:
      path: The file.

    Raises:
      ConfigError: The file cannot be parsed, or an entry is wrong.
    """
    import yaml

    text = Path(path).read_text(encoding="utf-8")  # OSError: reported by the CLI
    try:
        doc = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as ex:
        raise ConfigError(f"{path}: not valid {'JSON' if str(path).endswith('.json') else 'YAML'}: {ex}") from None
    return parse_spec(doc, str(path))


def _identity(cell: Cell) -> str:
    """What makes two cells the same Inspect task (base URL and labels do not)."""
    j = cell.judge
    return json.dumps([j.model, j.model_args, j.config, j.roles, cell.task_args()], sort_keys=True, default=str)


def _check_distinct(spec: SuiteSpec) -> None:
    seen: dict[str, Cell] = {}
    for cell in matrix(spec):
        other = seen.setdefault(_identity(cell), cell)
        if other is not cell:
            raise ConfigError(
                f"{spec.source}: '{cell.label}' is the same task as '{other.label}' (same judge, model, "
                "model arguments, options, dataset and split); an eval-set needs distinct tasks"
            )


# --------------------------------------------------------------------------- the matrix


def matrix(spec: SuiteSpec) -> list[Cell]:
    """Every cell of the matrix: judges outer, then benchmarks, then their splits.

    Args:
      spec: The spec.
    """
    cells: list[Cell] = []
    for judge in spec.judges:
        for benchmark in spec.benchmarks:
            for split in benchmark.splits:
                cells.append(Cell(len(cells), judge, benchmark, split))
    return cells


def parse_shard(text: str) -> Shard:
    """``I/N`` (1 <= I <= N) as a :class:`Shard`.

    Args:
      text: The option's value.

    Raises:
      ConfigError: Not of the form ``I/N`` with ``1 <= I <= N``.
    """
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise ConfigError(f"--shard: expected I/N with 1 <= I <= N (e.g. 1/2), got {text!r}")
    return Shard(int(m.group(1)), int(m.group(2)))


def shard_cells(cells: Sequence[Cell], shard: Shard | None) -> list[Cell]:
    """The cells a shard runs (all of them without a shard).

    Args:
      cells: The matrix.
      shard: The shard, or ``None``.
    """
    return [c for c in cells if shard is None or shard.takes(c)]


def _join(root: str, name: str) -> str:
    return f"{root.rstrip('/')}/{name}"


def shard_log_dir(root: str, shard: Shard | None) -> str:
    """Where a shard's eval-set writes: the root itself, or its shard folder.

    Args:
      root: The one log location of the matrix.
      shard: The shard, or ``None`` for an unsharded run.
    """
    return root if shard is None else _join(root, shard.folder)


def check_layout(root: str, shard: Shard | None) -> None:
    """Refuse to mix an unsharded run, or another shard count, with this run in one root.

    An unsharded eval-set lists the root's logs recursively, so it would see
    the shards' logs; shards of another count hold other subsets of the
    matrix, so a report over the root would count tasks twice.

    Args:
      root: The root log location (local path or fsspec URL).
      shard: This run's shard, or ``None``.

    Raises:
      ConfigError: The root already holds a run of another layout.
    """
    from fsspec.core import url_to_fs

    fs, path = url_to_fs(root)
    if not fs.exists(path):
        return
    names = {str(p).rstrip("/").rsplit("/", 1)[-1] for p in fs.ls(path, detail=False)}
    counts = {int(m.group(2)) for n in names if (m := _SHARD_FOLDER_RE.match(n))}
    if shard is None and counts:
        raise ConfigError(
            f"{root} holds a sharded run (shard-*-of-{'/'.join(map(str, sorted(counts)))} folders): "
            f"run with --shard I/N, or use another --log-dir"
        )
    if shard is not None:
        if any(f in names for f in EVAL_SET_FILES):
            raise ConfigError(f"{root} holds an unsharded run (its eval-set files): run without --shard, or use another --log-dir")
        other = counts - {shard.count}
        if other:
            raise ConfigError(
                f"{root} holds shards of a {'/'.join(map(str, sorted(other)))}-way split: "
                f"use --shard I/{'/'.join(map(str, sorted(other)))}, or another --log-dir"
            )


# --------------------------------------------------------------------------- tasks


def cell_task(cell: Cell) -> "Task":
    """The ``judgebench/judge`` task of a cell, with its judge's model bound to it.

    Args:
      cell: The cell.
    """
    from inspect_ai import task_with
    from inspect_ai.model import GenerateConfig, get_model

    from judgebench.tasks import judge as judge_task

    j = cell.judge
    task = judge_task(**cell.task_args())
    model = get_model(j.model, config=GenerateConfig(**j.config), base_url=j.base_url, **j.model_args)
    roles = {role: get_model(name) for role, name in j.roles.items()} or None
    metadata = {**(task.metadata or {}), "suite": {"judge": j.name, "benchmark": cell.benchmark.name}}
    if roles:
        return task_with(task, model=model, model_roles=roles, metadata=metadata)
    return task_with(task, model=model, metadata=metadata)


# --------------------------------------------------------------------------- running


def remove_superseded(log_dir: str) -> list[str]:
    """Delete the ``started`` logs that a killed run left beside a finished log of the same task.

    Inspect's eval-set keeps a ``started`` log of another process, since it cannot
    know that process has stopped; a resumed task's new log is seeded from it, so
    once that new log has succeeded the old one holds nothing more, and a report
    would only list it as unfinished. This command is the one writer of its
    folder (one process per root or shard folder), so it removes them, after a
    successful eval-set only.

    Args:
      log_dir: The eval-set's folder (not searched below it).

    Returns:
      The removed logs.
    """
    from fsspec.core import url_to_fs
    from inspect_ai.log import list_eval_logs, read_eval_log

    headers = [(info, read_eval_log(info, header_only=True)) for info in list_eval_logs(log_dir, recursive=False)]
    done = {h.eval.task_id: info.mtime or 0.0 for info, h in headers if h.status == "success"}
    removed: list[str] = []
    for info, h in headers:
        if h.status == "started" and h.eval.task_id in done and (info.mtime or 0.0) <= done[h.eval.task_id]:
            fs, path = url_to_fs(info.name)
            fs.rm(path)
            removed.append(info.name)
    return removed



@dataclass(frozen=True)
class RunOptions:
    """Eval-set options the command passes through (``None``: Inspect's default).

    Attributes:
      limit: Samples per task.
      max_connections: Concurrent connections per model.
      max_tasks: Tasks run in parallel.
      retry_attempts: Eval-set's attempts for a failed task.
      retry_on_error: Retries of an errored sample.
      display: Inspect's progress display.
      log_realtime: Whether to log events in realtime.
    """

    limit: int | None = None
    max_connections: int | None = None
    max_tasks: int | None = None
    retry_attempts: int | None = None
    retry_on_error: int | None = None
    display: str | None = None
    log_realtime: bool | None = None


def run_suite(spec: SuiteSpec, root: str, shard: Shard | None = None, options: RunOptions = RunOptions()) -> bool:
    """Run (or resume) the matrix, or one shard of it, as one Inspect eval-set.

    Args:
      spec: The spec.
      root: The one log location of the matrix.
      shard: This machine's shard, or ``None`` for all of it.
      options: Eval-set options.

    Returns:
      Whether every task of this run succeeded.
    """
    from inspect_ai import eval_set

    check_layout(root, shard)
    cells = shard_cells(matrix(spec), shard)
    if not cells:
        print(f"shard {shard.index}/{shard.count}: no tasks (the matrix has fewer than {shard.count} cells)" if shard else "no tasks", file=sys.stderr)
        return True
    tasks = [cell_task(c) for c in cells]
    config: dict[str, Any] = {}
    if options.max_connections is not None:
        config["max_connections"] = options.max_connections
    success, _ = eval_set(
        tasks,
        log_dir=shard_log_dir(root, shard),
        model=None,  # each task carries its judge's model
        limit=options.limit,
        max_tasks=options.max_tasks,
        retry_attempts=options.retry_attempts,
        retry_on_error=options.retry_on_error,
        display=options.display,  # type: ignore[arg-type]
        log_realtime=options.log_realtime,
        **config,
    )
    if success:
        for name in remove_superseded(shard_log_dir(root, shard)):
            print(f"removed {name}: a killed run's unfinished log, superseded by the task's finished log", file=sys.stderr)
    return bool(success)


# --------------------------------------------------------------------------- command line


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {text}")
    return value


def configure(p: argparse.ArgumentParser) -> None:
    """Arguments of ``judgebench suite``.

    Args:
      p: The subcommand's parser.
    """
    p.add_argument("spec", metavar="SPEC", help="the matrix: a YAML or JSON file listing judges (judge, model, ...) and benchmarks (dataset, splits)")
    p.add_argument("--log-dir", metavar="ROOT", help="the one log location of the matrix (local folder or fsspec URL such as s3://...); default: the spec's log_dir")
    p.add_argument("--shard", metavar="I/N", help="run only shard I of N (task k goes to shard k mod N + 1), in ROOT/shard-I-of-N")
    p.add_argument("--limit", type=_positive, metavar="N", help="judge only the first N samples of each task")
    p.add_argument("--max-connections", type=_positive, metavar="N", help="concurrent connections per model (default: Inspect's)")
    p.add_argument("--max-tasks", type=_positive, metavar="N", help="tasks run in parallel (default: Inspect's, at least 10)")
    p.add_argument("--retry-attempts", type=_count, metavar="N", help="eval-set's attempts for a failed task (default: 10)")
    p.add_argument("--retry-on-error", type=_count, metavar="N", help="retries of an errored sample before it counts as an error")
    p.add_argument("--no-log-realtime", action="store_true", help="do not log events in realtime (less overhead; a killed task restarts its unfinished samples either way)")
    p.add_argument("--display", choices=("full", "rich", "plain", "log", "none"), help="Inspect's progress display (default: Inspect's)")
    p.add_argument("--dry-run", action="store_true", help="list this run's tasks and where their logs go; run nothing")


def run(args: argparse.Namespace) -> int:
    """``judgebench suite``: run the matrix (or a shard of it) as one eval-set.

    Args:
      args: The parsed arguments.

    Returns:
      0 when every task succeeded; 1 otherwise (or on bad input).
    """
    from inspect_ai._util.error import PrerequisiteError

    spec = read_spec(args.spec)
    root = args.log_dir or spec.log_dir
    if not root:
        raise ConfigError(f"{args.spec}: no log location: give --log-dir ROOT (or log_dir in the spec)")
    shard = parse_shard(args.shard) if args.shard else None
    if args.dry_run:
        cells = matrix(spec)
        mine = shard_cells(cells, shard)
        print(f"{len(mine)} of {len(cells)} task(s) -> {shard_log_dir(root, shard)}")
        for c in mine:
            print(f"  [{c.index}] {c.label}: model {c.judge.model}, task args {json.dumps(c.task_args(), default=str)}")
        return 0
    options = RunOptions(
        limit=args.limit,
        max_connections=args.max_connections,
        max_tasks=args.max_tasks,
        retry_attempts=args.retry_attempts,
        retry_on_error=args.retry_on_error,
        display=args.display,
        log_realtime=False if args.no_log_realtime else None,
    )
    try:
        ok = run_suite(spec, root, shard, options)
    except ConfigError:
        raise
    except PrerequisiteError as ex:  # Inspect's refusal, e.g. a log folder holding other tasks' logs
        from rich.text import Text

        message = ex.message if isinstance(ex.message, str) else str(ex)
        print(Text.from_markup(message).plain, file=sys.stderr)
        return 1
    if not ok:
        print(f"error: not every task succeeded; run the same command again to retry the rest ({shard_log_dir(root, shard)})", file=sys.stderr)
        return 1
    return 0


__all__ = [
    "BenchmarkSpec",
    "Cell",
    "JudgeSpec",
    "RunOptions",
    "Shard",
    "SuiteSpec",
    "cell_task",
    "check_layout",
    "configure",
    "matrix",
    "parse_shard",
    "parse_spec",
    "read_spec",
    "remove_superseded",
    "run",
    "run_suite",
    "shard_cells",
    "shard_log_dir",
]
