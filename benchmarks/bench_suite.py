"""Benchmark: the judges x benchmarks matrix as one eval-set, and sharding.

Against :mod:`judgebench_inspect.demo.fake_server` in its own process (recorded
o1-mini Arena-Hard texts after ``--explain-words`` words of explanation, after
``--latency`` seconds), side by side in one invocation:

1. The 2 x 2 matrix (judges vanilla and arena_hard, each on its own model name;
   two copies of the gpt split, 350 pairs = 700 games each) as ONE
   ``judgebench suite`` eval-set, vs the same four tasks as four
   ``inspect eval judgebench/judge`` runs one after another.
2. One run (arena_hard on the gpt split, 700 games) in one ``inspect eval``
   process at 50 connections, vs the same pairs as two halves run as two
   shards (``judgebench suite --shard 1/2`` and ``2/2`` at the same time) at
   25 connections each, so the connections in total and the latency bound are
   the same: what a second core (a second machine's worth of CPU) buys when
   the backend is fast and the harness's CPU is the limit. Also the matrix
   itself as two shards side by side (cell k goes to shard k mod 2 + 1, so
   each shard holds both judges on one dataset: two models, 2 x 50
   connections in each process).

Wall time is from spawn to exit (start-up included); CPU is ``os.wait4`` of
each harness process (summed over processes). The bound is games x latency /
connections in flight; Inspect pools connections per model, so the one
eval-set with two judge models has twice the connections of a single run.

Usage::

    PYTHONPATH=src /work/main/.venv/bin/python benchmarks/bench_suite.py [--pairs 350]

The results table (Markdown) is printed and written to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_judge import DATA, INSPECT, PAIRS, PYTHON, REPO, Server, machine  # noqa: E402

JUDGES = (("vanilla", "bench/judge-vanilla"), ("arena_hard", "bench/judge-arena"))
OPTIONS = ["--display", "none"]


@dataclass
class Row:
    """One measured configuration (one or more processes)."""

    name: str
    processes: int
    tasks: int
    games: int
    connections: int  # in flight, in total
    latency: float
    wall: float = 0.0
    cpu: float = 0.0
    requests: int = 0
    returncodes: list[int] = field(default_factory=list)
    load: float = 0.0  # 1-minute load average when the row started (other users of the 2 cores)

    @property
    def bound(self) -> float:
        return self.games * self.latency / self.connections

    def line(self) -> str:
        ok = "ok" if all(rc == 0 for rc in self.returncodes) else f"FAILED {self.returncodes}"
        return (f"| {self.name} | {self.processes} | {self.tasks} | {self.games} | {self.connections} | "
                f"{self.bound:.1f} | {self.wall:.1f} | {self.wall / self.bound:.2f} | {self.cpu:.1f} | "
                f"{1000 * self.cpu / self.games:.1f} | {self.requests} | {self.load:.1f} | {ok} |")


def environment(server: Server) -> dict[str, str]:
    env = dict(os.environ, BENCH_BASE_URL=server.base_url, BENCH_API_KEY="bench")
    env.setdefault("JUDGEBENCH_PROMPTS_DIR", str(DATA / "upstream"))
    return env


def measure(row: Row, server: Server, commands: list[list[str]]) -> Row:
    """Start the commands together, wait for all; wall to the last exit, CPU summed."""
    before = server.stats()["requests"]
    row.load = row.load or os.getloadavg()[0]
    start = time.perf_counter()
    procs = [subprocess.Popen(c, env=environment(server), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for c in commands]
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        row.cpu += usage.ru_utime + usage.ru_stime
        row.returncodes.append(os.waitstatus_to_exitcode(status))
        if row.returncodes[-1] != 0 and proc.stderr is not None:
            print(proc.stderr.read().decode(errors="replace")[-3000:], file=sys.stderr)
    row.wall = time.perf_counter() - start
    row.requests = server.stats()["requests"] - before
    print(row.line(), flush=True)
    return row


def sequential(row: Row, server: Server, commands: list[list[str]]) -> Row:
    """Run the commands one after another; wall and CPU summed."""
    row.load = os.getloadavg()[0]
    for c in commands:
        part = measure(Row("(part)", 1, 1, row.games // len(commands), row.connections, row.latency), server, [c])
        row.wall += part.wall
        row.cpu += part.cpu
        row.requests += part.requests
        row.returncodes += part.returncodes
    print(row.line(), flush=True)
    return row


def inspect_eval(judge: str, model: str, dataset: Path, log_dir: Path, connections: int) -> list[str]:
    return [INSPECT, "eval", "judgebench/judge", "--model", f"openai-api/{model}", "-T", f"judge={judge}",
            "-T", f"dataset={dataset}", "--max-connections", str(connections), "--log-dir", str(log_dir), *OPTIONS]


def suite(spec: Path, log_dir: Path, connections: int, *extra: str) -> list[str]:
    return [PYTHON, "-m", "judgebench_inspect.cli", "suite", str(spec), "--log-dir", str(log_dir),
            "--max-connections", str(connections), *OPTIONS, *extra]


def write_spec(path: Path, judges: tuple[tuple[str, str], ...], datasets: list[Path]) -> Path:
    spec = {
        "judges": [{"judge": j, "model": f"openai-api/{m}"} for j, m in judges],
        "benchmarks": [{"name": d.stem, "dataset": str(d)} for d in datasets],
    }
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--pairs", type=int, default=350, help="pairs of the gpt split per task (350 = all)")
    parser.add_argument("--explain-words", type=int, default=300)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--sections", nargs="+", choices=("matrix", "shards"), default=["matrix", "shards"],
                        help="matrix: one eval-set vs four runs (and the matrix in two shards); shards: one run in two shards")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results-suite.md")
    args = parser.parse_args(argv)
    n, lat, conn = args.pairs, args.latency, args.connections

    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp_name:
        tmp = Path(tmp_name)
        rows = PAIRS.read_text(encoding="utf-8").splitlines(keepends=True)[:n]
        first, second = tmp / "gpt-1.jsonl", tmp / "gpt-2.jsonl"  # the gpt split twice: two "benchmarks"
        first.write_text("".join(rows), encoding="utf-8")
        second.write_text("".join(rows), encoding="utf-8")
        half_a, half_b = tmp / "gpt-half-a.jsonl", tmp / "gpt-half-b.jsonl"
        half_a.write_text("".join(rows[: n // 2]), encoding="utf-8")
        half_b.write_text("".join(rows[n // 2:]), encoding="utf-8")
        matrix_spec = write_spec(tmp / "matrix.json", JUDGES, [first, second])
        halves_spec = write_spec(tmp / "halves.json", JUDGES[1:], [half_a, half_b])
        games = 2 * n

        server = Server(lat, args.explain_words)
        results: list[Row] = []
        try:
            print("| run | processes | tasks | games | connections | bound s | wall s | wall/bound | CPU s | CPU ms/game | requests | load | status |")
            if "matrix" in args.sections:
                results.append(measure(Row("matrix 2 x 2 as one eval-set (judgebench suite)", 1, 4, 4 * games, 2 * conn, lat),
                                       server, [suite(matrix_spec, tmp / "one-set", conn)]))
                results.append(sequential(
                    Row("matrix 2 x 2 as four inspect eval runs, one after another", 1, 4, 4 * games, conn, lat), server,
                    [inspect_eval(j, m, d, tmp / f"seq-{j}-{d.stem}", conn) for j, m in JUDGES for d in (first, second)]))
                results.append(measure(Row("matrix 2 x 2 as two shards side by side (judgebench suite --shard)", 2, 4, 4 * games, 4 * conn, lat),
                                       server, [suite(matrix_spec, tmp / "two-sets", conn, "--shard", f"{i}/2") for i in (1, 2)]))
            if "shards" in args.sections:
                results.append(measure(Row(f"one run, one process ({conn} conn.)", 1, 1, games, conn, lat),
                                       server, [inspect_eval("arena_hard", JUDGES[1][1], first, tmp / "single", conn)]))
                results.append(measure(Row(f"one run as two shards side by side ({conn // 2} conn. each)", 2, 2, games, conn, lat),
                                       server, [suite(halves_spec, tmp / "sharded", conn // 2, "--shard", f"{i}/2") for i in (1, 2)]))
        finally:
            server.stop()

    text = "\n".join([
        f"Machine: {machine()}; inspect-ai 0.3.285.",
        f"Fake server in its own process: recorded o1-mini texts after {args.explain_words} words of explanation, "
        f"latency {lat} s. Options: {' '.join(OPTIONS)}.",
        "",
        "| run | processes | tasks | games | connections | bound s | wall s | wall/bound | CPU s | CPU ms/game | requests | load | status |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *(r.line() for r in results),
        "",
    ])
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
