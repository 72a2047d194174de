"""A bare client against the same fake server: what the server and the OpenAI SDK allow.

Sends the 700 Arena-Hard prompts of the gpt split (both orders of every pair) with
the OpenAI SDK from N concurrent workers, with no Inspect, no transcript and no log,
and reports wall time against the bound (requests x latency / N) and the CPU of this
process. It starts the fake server in its own process and stops it.

Usage::

    /work/venv/bin/python benchmarks/bare_client.py                 # 10 and 50 workers
    /work/venv/bin/python benchmarks/bare_client.py --connections 10
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time

from bench_judge import PAIRS, Server

from judgebench_inspect.dataset import read_pairs_file
from judgebench_inspect.judges._prompted import prompt_messages
from judgebench_inspect.judges.arena_hard import ARENA_HARD_TEMPLATE


def prompts() -> list[list[dict[str, str]]]:
    """Both games' opening messages of every published gpt pair, as OpenAI messages."""
    out = []
    for p in read_pairs_file(PAIRS):
        for first, second in ((p.response_A, p.response_B), (p.response_B, p.response_A)):
            messages = prompt_messages(ARENA_HARD_TEMPLATE, p.question, first, second)
            out.append([{"role": m.role, "content": m.text} for m in messages])
    return out


async def send_all(base_url: str, jobs: list[list[dict[str, str]]], workers: int) -> float:
    """Send every job, ``workers`` at a time; the wall seconds it took."""
    from openai import AsyncOpenAI

    client = AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0)
    queue: asyncio.Queue[list[dict[str, str]]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def worker() -> None:
        while not queue.empty():
            job = queue.get_nowait()
            reply = await client.chat.completions.create(
                model="gpt-4o-mini", messages=job, max_tokens=4096, temperature=0  # type: ignore[arg-type]
            )
            if not reply.choices[0].message.content:
                raise RuntimeError("empty reply")

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    await client.close()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--connections", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--explain-words", type=int, default=300)
    args = parser.parse_args(argv)
    jobs = prompts()
    print("| run | requests | bound s | wall s | wall/bound | CPU s (this process, cumulative) |")
    print("|---|---|---|---|---|---|")
    for n in args.connections:
        server = Server(args.latency, args.explain_words)
        try:
            wall = asyncio.run(send_all(server.base_url, jobs, n))
            answered = server.stats()["requests"]
        finally:
            server.stop()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        bound = len(jobs) * args.latency / n
        print(f"| bare client: {n} conn. | {answered} | {bound:.1f} | {wall:.1f} | {wall / bound:.2f} | "
              f"{usage.ru_utime + usage.ru_stime:.1f} |", flush=True)


if __name__ == "__main__":
    main()
