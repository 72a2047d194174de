"""Benchmark: judging through the real CLI against a fake OpenAI server.

Runs ``inspect eval judgebench/judge --model openai/gpt-4o-mini`` (start-up
included) against :mod:`judgebench_inspect.demo.fake_server`, which runs in its own
process and answers with the recorded o1-mini Arena-Hard texts (padded with a
few hundred words of explanation, the size of a real chain-of-thought
judgment) after a fixed latency. For every run it reports wall time against
the bound ``games x latency / connections``, the CPU seconds of the harness
(the ``inspect`` process and its children, from ``os.wait4``), CPU per game,
peak RSS, the requests that reached the server, and the pair accuracy (must
be the published 65.71 on the full gpt split).

Usage::

    /work/venv/bin/python benchmarks/bench_judge.py            # throughput + cache
    /work/venv/bin/python benchmarks/bench_judge.py --scale    # + 1,000 vs 10,000 pairs

The results table (Markdown) is printed and written to ``--out``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "judgebench"
PAIRS = DATA / "pairs-gpt.jsonl"
REPLAY = DATA / "judged-gpt-arena_hard-o1-mini.jsonl"
PYTHON = sys.executable
INSPECT = str(Path(sys.executable).parent / "inspect")
#: Inspect's floor: the same two calls per pair and nothing else (see floor_task.py).
FLOOR_TASK = f"{Path(__file__).resolve().parent / 'floor_task.py'}@floor"

#: JudgeBench's own script on the same kind of fake server (measured by the project lead).
JUDGEBENCH_REFERENCE = {10: 1.08, 50: 1.31, "cpu_ms_per_game": 6.4, "peak_mb": 114}
#: Options of every run: no terminal display (its cost is not the judge's).
DEFAULT_OPTIONS = "--display none"
#: Inspect options that cut its per-sample overhead without losing transcripts.
TUNED_OPTIONS = "--display none --no-log-realtime --no-score-display"
#: Targets of this project: wall time over the bound, per connection count.
TARGETS = {10: 1.05, 50: 1.20}


@dataclass
class Run:
    """One measured ``inspect eval`` process."""

    name: str
    pairs: int
    games: int
    latency: float
    connections: int
    wall: float = 0.0
    judging: float | None = None
    cpu: float = 0.0
    maxrss_mb: float = 0.0
    requests: int = 0
    returncode: int = 0
    status: str = ""
    accuracy: float | None = None
    errors: int = 0
    samples: int = 0
    args: list[str] = field(default_factory=list)
    task: str = "judgebench/judge"

    @property
    def bound(self) -> float:
        return self.games * self.latency / self.connections

    @property
    def ratio(self) -> float | None:
        return self.wall / self.bound if self.bound else None

    @property
    def cpu_ms_per_game(self) -> float:
        return 1000 * self.cpu / self.games if self.games else 0.0


class Server:
    """The fake OpenAI server in a separate process (so the harness's CPU is its own)."""

    def __init__(self, latency: float, explain_words: int) -> None:
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "judgebench_inspect.demo.fake_server", "--replay", str(REPLAY),
             "--port", "0", "--latency", str(latency), "--explain-words", str(explain_words)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if "http://" not in line:
            self.stop()
            raise RuntimeError(f"fake server did not start: {line!r}")
        self.base_url = line.strip().split()[-1]

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.base_url}/stats", timeout=10) as r:
            return json.loads(r.read())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run_inspect(server: Server, run: Run, dataset: Path, log_dir: Path, extra: list[str],
                env_extra: dict[str, str] | None = None) -> Run:
    """Run the CLI once and measure it (wall from spawn to exit; rusage of the child tree)."""
    args = [INSPECT, "eval", run.task, "--model", "openai/gpt-4o-mini",
            "-T", f"dataset={dataset}", "--max-connections", str(run.connections),
            "--log-dir", str(log_dir), *extra]
    run.args = args[1:]
    env = dict(os.environ, OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="bench",
               **(env_extra or {}))
    # JudgeBench's prompt files for the default prompts=judgebench (no download)
    env.setdefault("JUDGEBENCH_PROMPTS_DIR", str(DATA / "upstream"))
    before = server.stats()["requests"]
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage (with its waited-for children), not the server's
    _, status, usage = os.wait4(proc.pid, 0)
    run.wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    run.returncode = proc.returncode
    run.cpu = usage.ru_utime + usage.ru_stime
    run.maxrss_mb = usage.ru_maxrss / 1024
    stats = server.stats()
    run.requests = stats["requests"] - before
    if stats.get("first_request") and stats.get("last_answer"):
        run.judging = stats["last_answer"] - stats["first_request"]
    if proc.returncode != 0:
        print(stderr[-3000:], file=sys.stderr)
    read_result(run, log_dir)
    return run


def read_result(run: Run, log_dir: Path) -> None:
    """Status, sample count, errors and accuracy of the run's log (newest in log_dir)."""
    from inspect_ai.log import list_eval_logs, read_eval_log

    logs = list_eval_logs(str(log_dir))
    if not logs:
        run.status = "no log"
        return
    log = read_eval_log(logs[0], header_only=True)
    run.status = log.status
    if log.results is not None:
        run.samples = log.results.completed_samples
        for s in log.results.scores:
            if "pair_accuracy" in s.metrics:
                run.accuracy = round(s.metrics["pair_accuracy"].value, 2)
    run.errors = run.pairs - run.samples


def scaled_pairs(n: int, out: Path) -> Path:
    """A file of ``n`` pairs: the published gpt pairs repeated, each copy with new pair ids."""
    rows = [json.loads(line) for line in PAIRS.open(encoding="utf-8") if line.strip()]
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            row = dict(rows[i % len(rows)])
            copy = i // len(rows)
            if copy:
                row["pair_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{row['pair_id']}/{copy}"))
            f.write(json.dumps(row) + "\n")
    return out


def _tag(options: str) -> str:
    return {TUNED_OPTIONS: "tuned", DEFAULT_OPTIONS: "plain"}.get(options, options)


def fmt(x: float | None, spec: str = ".2f") -> str:
    return "-" if x is None else format(x, spec)


def table(runs: list[Run]) -> str:
    head = ("| run | pairs | games | latency s | conn. | bound s | wall s | wall/bound | target | "
            "judging s | judging/bound | "
            "CPU s | CPU ms/game | peak RSS MB | requests | samples ok | accuracy |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in runs:
        target = TARGETS.get(r.connections) if r.latency and r.pairs == 350 and "cache" not in r.name else None
        lines.append(
            f"| {r.name} | {r.pairs} | {r.games} | {r.latency:g} | {r.connections} | "
            f"{fmt(r.bound or None, '.1f')} | {r.wall:.1f} | {fmt(r.ratio)} | "
            f"{'<= ' + format(target, '.2f') if target else '-'} | {fmt(r.judging, '.1f')} | "
            f"{fmt(r.judging / r.bound if r.judging and r.bound else None)} | {r.cpu:.1f} | "
            f"{r.cpu_ms_per_game:.1f} | {r.maxrss_mb:.0f} | {r.requests} | "
            f"{r.samples}/{r.pairs} | {fmt(r.accuracy)} |"
        )
    return "\n".join(lines)


def machine() -> str:
    load = os.getloadavg()
    return (f"{dt.date.today().isoformat()}, {platform.node() or 'host'}: {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, load average {load[0]:.2f} at the end")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--connections", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--pairs", type=int, default=350, help="pairs per throughput run")
    parser.add_argument("--explain-words", type=int, default=300,
                        help="words of explanation before each recorded verdict")
    parser.add_argument("--extra", action="append", default=None,
                        help="inspect eval options of one configuration (one string; repeat to compare "
                             "configurations side by side). Default: plain and tuned (see BENCHMARKS.md)")
    parser.add_argument("--no-cache", action="store_true", help="skip the --cache runs")
    parser.add_argument("--scale", action="store_true", help="also 1,000 vs 10,000 pairs at latency 0")
    parser.add_argument("--only-scale", action="store_true", help="only the scale runs (implies --scale)")
    parser.add_argument("--scale-sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--floor", action="store_true",
                        help="also run Inspect's floor task (benchmarks/floor_task.py: the same two calls "
                             "per pair and nothing else) beside each throughput run")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a source tree of an earlier version (e.g. the src/ of a git worktree): every "
                             "run is repeated with it on PYTHONPATH, side by side ('base' rows)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results-judge.md")
    args = parser.parse_args(argv)
    configs = args.extra or [DEFAULT_OPTIONS, TUNED_OPTIONS]

    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="bench-judge-") as tmp_s:
        tmp = Path(tmp_s)
        dataset = PAIRS if args.pairs == 350 else scaled_pairs(args.pairs, tmp / f"pairs-{args.pairs}.jsonl")

        def go_once(run: Run, data: Path, options: list[str], env: dict[str, str] | None = None) -> None:
            log_dir = tmp / f"logs-{len(runs)}"
            server = Server(run.latency, args.explain_words)  # a fresh server per run: its clock is the run's
            try:
                run_inspect(server, run, data, log_dir, options, env)
            finally:
                server.stop()
            runs.append(run)
            print(table([run]).splitlines()[-1], flush=True)

        def go(run: Run, data: Path, options: list[str], env: dict[str, str] | None = None) -> None:
            if args.baseline is not None:  # the earlier version first, then this one, back to back
                base = replace(run, name=f"base {run.name}")
                base_env = {**(env or {}), "PYTHONPATH": str(args.baseline.resolve())}
                if "INSPECT_CACHE_DIR" in base_env:  # a cache of its own
                    base_env["INSPECT_CACHE_DIR"] += "-base"
                go_once(base, data, options, base_env)
            go_once(run, data, options, env)

        print(table([]), flush=True)
        one = scaled_pairs(1, tmp / "pairs-1.jsonl")
        if args.only_scale:
            args.scale, args.no_cache, configs_run = True, True, []
        else:
            configs_run = configs
        for options in configs_run:
            extra = shlex.split(options)
            tag = _tag(options)
            if args.floor:
                go_once(Run(f"floor {tag}: start-up (1 pair)", 1, 2, 0.0, 10, task=FLOOR_TASK), one, extra)
            go(Run(f"{tag}: start-up (1 pair)", 1, 2, 0.0, 10), one, extra)
            for c in args.connections:
                if args.floor:
                    go_once(Run(f"floor {tag}: {c} conn.", args.pairs, 2 * args.pairs, args.latency, c,
                                task=FLOOR_TASK), dataset, extra)
                go(Run(f"{tag}: {c} conn.", args.pairs, 2 * args.pairs, args.latency, c), dataset, extra)

        extra, tag = shlex.split(configs[-1]), _tag(configs[-1])
        if not args.no_cache:
            cache_env = {"INSPECT_CACHE_DIR": str(tmp / "cache")}
            c = max(args.connections)
            for nth in ("1st", "2nd"):
                go(Run(f"{tag}: --cache, {nth} run", args.pairs, 2 * args.pairs, args.latency, c),
                   dataset, [*extra, "--cache"], cache_env)
        if args.scale:
            for n in args.scale_sizes:
                data = scaled_pairs(n, tmp / f"pairs-{n}.jsonl")
                if args.floor:
                    go_once(Run(f"floor {tag}: {n:,} pairs, latency 0", n, 2 * n, 0.0, 50, task=FLOOR_TASK),
                            data, extra)
                go(Run(f"{tag}: {n:,} pairs, latency 0", n, 2 * n, 0.0, 50), data, extra)

    text = (
        f"Machine: {machine()}.\n"
        f"Configurations: plain = `{DEFAULT_OPTIONS}`, tuned = `{TUNED_OPTIONS}`; fake server "
        f"in its own process: recorded o1-mini texts after "
        f"{args.explain_words} words of explanation.\n"
        f"JudgeBench's own script on the same kind of server: wall/bound "
        f"{JUDGEBENCH_REFERENCE[10]} (10 conn.), {JUDGEBENCH_REFERENCE[50]} (50 conn.), "
        f"{JUDGEBENCH_REFERENCE['cpu_ms_per_game']} ms CPU per game, {JUDGEBENCH_REFERENCE['peak_mb']} MB peak.\n\n"
        + table(runs) + "\n"
    )
    print()
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    bad = [r.name for r in runs if r.returncode != 0 or r.status != "success" or r.samples != r.pairs]
    if bad:
        print(f"FAILED runs: {bad}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
