"""``judgebench demo``: JudgeBench's o1-mini row, reproduced offline from shipped data.

The package ships JudgeBench's gpt split (350 pairs) and the 700 reply texts of
JudgeBench's recorded Arena-Hard run with o1-mini (see ``README.md`` in this
folder for their origin and licence). The demo starts a fake OpenAI-compatible
server on a free loopback port that answers each judge request with the
recorded reply of that pair and order, runs the real ``judgebench/judge`` task
through Inspect against it, stops the server and prints the results.
"""

from __future__ import annotations

import gzip
import json
import sys
from contextlib import contextmanager
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any, Iterator

from inspect_ai.log import EvalLog

#: The shipped pairs (JudgeBench's gpt split, rows as published).
PAIRS_FILE = "pairs-gpt.jsonl.gz"
#: The shipped reply texts: ``{"pair_id", "replies": [game 1, game 2]}`` per line.
REPLIES_FILE = "replies-o1-mini.jsonl.gz"
#: The model name the demo runs under: Inspect's OpenAI-compatible provider,
#: service ``replay`` (the local server), model o1-mini.
DEMO_MODEL = "openai-api/replay/o1-mini-2024-09-12"
#: JudgeBench's published row for Arena-Hard with o1-mini on the gpt split.
PUBLISHED = {"knowledge": 58.44, "reasoning": 62.24, "math": 82.14, "coding": 78.57, "overall": 65.71}


def read_gzip_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """The JSON objects of a gzip-compressed JSONL file.

    Args:
      path: The ``.jsonl.gz`` file.
    """
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@contextmanager
def shipped_file(name: str) -> Iterator[Path]:
    """A path to one of the demo's data files (package data of this module).

    Args:
      name: :data:`PAIRS_FILE` or :data:`REPLIES_FILE`.
    """
    with as_file(files(__name__).joinpath(name)) as path:
        yield Path(path)


def replay_rows() -> list[dict[str, Any]]:
    """The shipped pairs joined with their recorded replies, as the replay server reads them.

    Each row has the pair's fields and ``judgments``: two games (game 1 with
    response A shown first), each ``{"judgment": {"response": text}}`` or
    ``None`` where nothing was recorded.
    """
    with shipped_file(PAIRS_FILE) as pairs_path, shipped_file(REPLIES_FILE) as replies_path:
        pairs = read_gzip_jsonl(pairs_path)
        replies = {r["pair_id"]: r["replies"] for r in read_gzip_jsonl(replies_path)}
    return [
        {
            **pair,
            "judgments": [
                None if text is None else {"judgment": {"response": text}}
                for text in replies[pair["pair_id"]]
            ],
        }
        for pair in pairs
    ]


def demo_scores(log: EvalLog) -> dict[str, float]:
    """The run's accuracy per category and overall, rounded as the paper shows them.

    Args:
      log: The finished judge log.
    """
    metrics = {k: m.value for s in (log.results.scores if log.results else []) for k, m in s.metrics.items()}
    names = {"overall": "pair_accuracy"}
    return {key: round(float(metrics.get(names.get(key, key), float("nan"))), 2) for key in PUBLISHED}


def run_demo(log_dir: str | Path = "logs", display: str | None = None) -> int:
    """Judge the shipped pairs against the recorded o1-mini replies and print the result.

    Args:
      log_dir: Folder for the Inspect log.
      display: Inspect's display (``full``, ``rich``, ``plain``, ``none``);
        ``None`` for Inspect's default.

    Returns:
      The exit code: 0 when the run succeeded.
    """
    from inspect_ai import eval as inspect_eval

    from judgebench.tasks import judge

    from .fake_server import FakeOpenAIServer, ReplayResponder
    from ..report import StatsSettings, collect_runs, render, summarise_all

    log_dir = Path(log_dir).resolve()
    print(
        "judgebench demo: JudgeBench's gpt split (350 pairs, shipped with this package) judged with "
        "the Arena-Hard judge against o1-mini's recorded replies (JudgeBench's published run), "
        "replayed by a local server: no API key, no network.\n"
        "It uses -T prompts=builtin: the replies are recorded, so JudgeBench's exact prompt files "
        "(downloaded for real runs) are not needed.",
        flush=True,
    )
    responder = ReplayResponder(rows=replay_rows())
    with FakeOpenAIServer(responder) as server, shipped_file(PAIRS_FILE) as pairs_path:
        print(f"replay server at {server.base_url}", flush=True)
        logs = inspect_eval(
            judge(dataset=str(pairs_path), judge="arena_hard", prompts="builtin"),
            model=DEMO_MODEL,
            model_base_url=server.base_url,
            model_args={"api_key": "demo", "responses_api": False},
            log_dir=str(log_dir),
            display=display,  # type: ignore[arg-type]
            max_connections=20,
        )
    log = logs[0]
    if log.status != "success":
        print(f"the demo run did not finish: {log.status} {log.error or ''}", file=sys.stderr)
        return 1
    got = demo_scores(log)
    runs, _ = collect_runs([log.location])
    settings = StatsSettings()
    print()
    print(render("table", summarise_all(runs, settings), settings, None, [], []), end="")
    same = "matches" if got == PUBLISHED else "DIFFERS FROM"
    print(
        f"\nThis run (knowledge / reasoning / math / coding / overall): "
        f"{' / '.join(f'{v:.2f}' for v in got.values())}\n"
        f"{same} JudgeBench's published o1-mini row: {' / '.join(f'{v:.2f}' for v in PUBLISHED.values())}"
    )
    print(f"\nlog: {log.location}")
    print(f"open it: inspect view --log-dir {log_dir}")
    return 0 if got == PUBLISHED else 1
