"""Benchmark: verification throughput of the answer checkers, and whether checking
stalls concurrent model calls.

For each checker it runs ``check_async`` over real responses (both responses of
every published JudgeBench pair of that source; for LiveCodeBench the project's
test fixtures with correct programs, repeated) with a concurrency of
``--concurrency``, while a "model call" probe runs beside it on the same event
loop: a coroutine that sleeps 50 ms again and again, as a request awaiting its
HTTP reply would. The probe's worst lateness is how long checking held the
event loop; if it stays in the milliseconds, verification never stalls model
calls.

Usage::

    /work/venv/bin/python benchmarks/bench_checks.py
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
PAIR_FILES = [DATA / "judgebench" / "pairs-gpt.jsonl", DATA / "judgebench" / "pairs-claude.jsonl"]
MMLU_ZIP = DATA / "sources" / "mmlu-pro" / "model_outputs_jamba-1.5-large_5shots.zip"
LIVEBENCH = DATA / "sources" / "livebench"
LCB_FIXTURE = REPO / "tests" / "fixtures" / "livecodebench" / "problems.jsonl"

#: Correct programs for the LiveCodeBench fixture problems (the project's own test fixtures).
LCB_SOLUTIONS = {
    "abc900_a": "t = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    print(a + b)\n",
    "1999B": "n = int(input())\nvalues = list(map(int, input().split()))\nprint(sum(values) / n)\n",
    "9001": (
        "class Solution:\n    def countPairs(self, nums: List[int], target: int) -> int:\n"
        "        return sum(1 for i in range(len(nums)) for j in range(i + 1, len(nums)) "
        "if nums[i] + nums[j] < target)\n"
    ),
    "9002": "class Solution:\n    def runningSum(self, nums):\n        return tuple(accumulate(nums))\n",
}

PROBE_PERIOD = 0.05


@dataclass
class Result:
    """One checker's run."""

    name: str
    checks: int
    seconds: float
    correct: int
    probe_wakeups: int
    probe_max_late_ms: float
    probe_p50_late_ms: float
    cpu_seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.checks / self.seconds if self.seconds else 0.0


def pair_rows(prefix: str) -> list[dict[str, Any]]:
    rows = []
    for path in PAIR_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["source"].startswith(prefix):
                rows.append(row)
    return rows


async def measure(name: str, jobs: list[Callable[[], Awaitable[Any]]], concurrency: int) -> Result:
    """Run the jobs ``concurrency`` at a time beside a 50 ms sleep probe."""
    lateness: list[float] = []
    done = asyncio.Event()

    async def probe() -> None:
        loop = asyncio.get_running_loop()
        while not done.is_set():
            start = loop.time()
            await asyncio.sleep(PROBE_PERIOD)
            lateness.append(loop.time() - start - PROBE_PERIOD)

    gate = asyncio.Semaphore(concurrency)

    async def run(job: Callable[[], Awaitable[Any]]) -> Any:
        async with gate:
            return await job()

    probe_task = asyncio.create_task(probe())
    await asyncio.sleep(0.2)  # the probe runs before checking starts
    cpu0 = time.process_time() + _children_cpu()
    t0 = time.perf_counter()
    results = await asyncio.gather(*(run(j) for j in jobs))
    seconds = time.perf_counter() - t0
    cpu = time.process_time() + _children_cpu() - cpu0
    done.set()
    await probe_task
    return Result(
        name=name,
        checks=len(jobs),
        seconds=seconds,
        correct=sum(1 for r in results if r.correct),
        probe_wakeups=len(lateness),
        probe_max_late_ms=1000 * max(lateness, default=0.0),
        probe_p50_late_ms=1000 * statistics.median(lateness) if lateness else 0.0,
        cpu_seconds=cpu,
    )


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


async def bench_mmlu(concurrency: int) -> Result:
    from judgebench_inspect.generation.checkers import mmlu_pro
    from judgebench_inspect.generation.sources.mmlu_pro import load_mmlu_pro

    by_id = {q.original_id: q for q in load_mmlu_pro(MMLU_ZIP)}
    jobs = [
        (lambda r=resp, q=by_id[row["original_id"]]: mmlu_pro.check_async(r, q))
        for row in pair_rows("mmlu-pro-")
        for resp in (row["response_A"], row["response_B"])
    ]
    return await measure("MMLU-Pro (repeated letter)", jobs, concurrency)


async def bench_math(concurrency: int) -> Result:
    from judgebench_inspect.generation.checkers import _worker
    from judgebench_inspect.generation.checkers import livebench_math as lm
    from judgebench_inspect.generation.sources.livebench import load_livebench

    by_prompt = {q.prompt: q for q in load_livebench("math", LIVEBENCH)}
    jobs = [
        (lambda r=resp, q=by_prompt[row["question"]]: lm.check_async(r, q, timeout=120))
        for row in pair_rows("livebench-math")
        for resp in (row["response_A"], row["response_B"])
    ]
    # warm the worker pool first, so the rate is of checking, not of starting workers
    amps = next(q for q in by_prompt.values() if q.task == "AMPS_Hard")
    await lm.check_async("\\boxed{1}", amps, timeout=120)
    result = await measure("LiveBench math (sympy in workers)", jobs, concurrency)
    result.notes.append(f"{sum(1 for q in by_prompt.values() if q.task == 'AMPS_Hard')} AMPS_Hard questions "
                        f"compared with sympy in {_worker._worker_count()} worker process(es)")
    return result


async def bench_code(concurrency: int, repeats: int) -> Result:
    from judgebench_inspect.generation.checkers import livecodebench as lcb
    from judgebench_inspect.generation.sources.livecodebench import load_livecodebench

    problems = {q.question_id: q for q in load_livecodebench(LCB_FIXTURE)}
    jobs = [
        (lambda c=code, q=problems[qid]: lcb.check_async(f"```python\n{c}```\n", q))
        for _ in range(repeats)
        for qid, code in LCB_SOLUTIONS.items()
    ]
    result = await measure("LiveCodeBench (sandboxed runner)", jobs, concurrency)
    tests = sum(len(json.loads(problems[q].ground_truth).get("tests", [])) if problems[q].ground_truth.startswith("{") else 0
                for q in LCB_SOLUTIONS)
    result.notes.append(f"{len(problems)} fixture problems x {repeats}; isolation: "
                        f"{lcb.isolation_report().get('namespaces', 'n/a')}" + (f"; {tests} tests per round" if tests else ""))
    return result


def table(results: list[Result], concurrency: int) -> str:
    lines = [
        "| checker | checks | correct | wall s | checks/s | CPU s (this process + ended subprocesses; not the math worker pool) | probe wake-ups | "
        "probe lateness p50 ms | probe lateness max ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.checks} | {r.correct} | {r.seconds:.2f} | {r.per_second:.1f} | "
            f"{r.cpu_seconds:.2f} | {r.probe_wakeups} | {r.probe_p50_late_ms:.1f} | {r.probe_max_late_ms:.1f} |"
        )
    notes = [f"- {r.name}: {n}" for r in results for n in r.notes]
    head = (f"Machine: {dt.date.today().isoformat()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, load average {os.getloadavg()[0]:.2f} at the end; "
            f"{concurrency} checks in flight; probe = a coroutine sleeping {int(PROBE_PERIOD * 1000)} ms "
            "in a loop on the same event loop (a model call awaiting its reply).\n\n")
    return head + "\n".join(lines) + ("\n\n" + "\n".join(notes) if notes else "") + "\n"


async def main_async(args: argparse.Namespace) -> list[Result]:
    results = [await bench_mmlu(args.concurrency), await bench_math(args.concurrency)]
    results.append(await bench_code(args.concurrency, args.code_repeats))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--code-repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results-checks.md")
    args = parser.parse_args(argv)
    results = asyncio.run(main_async(args))
    text = table(results, args.concurrency)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    from judgebench_inspect.generation.checkers import _worker

    _worker.shutdown()


if __name__ == "__main__":
    main()
