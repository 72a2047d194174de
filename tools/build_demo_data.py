"""Build the data files that ``judgebench demo`` ships (run once; the output is committed).

Reads ``../shared/data/judgebench`` beside the checkout and writes two gzip
JSONL files under ``src/judgebench_inspect/demo/``:

- ``pairs-gpt.jsonl.gz``: the 350 pairs of JudgeBench's gpt split, rows as published.
- ``replies-o1-mini.jsonl.gz``: for each pair, only the two reply texts of
  JudgeBench's recorded Arena-Hard run with o1-mini (game 1 with response A
  shown first, game 2 swapped), as ``{"pair_id": ..., "replies": [text, text]}``.
  The recorded prompts and decisions are left out.

The gzip header carries no time stamp, so a rebuild gives the same bytes.

Usage: ``python tools/build_demo_data.py [--data DIR] [--out DIR]``
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parent.parent


def write_gzip_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write rows as JSONL into a reproducible gzip file (no name, no mtime in the header).

    Args:
      path: The ``.jsonl.gz`` file to write.
      rows: JSON objects, one per line.
    """
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as f:
        f.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file.

    Args:
      path: The file.
    """
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main() -> None:
    """Build both files (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "judgebench")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "judgebench_inspect" / "demo")
    args = parser.parse_args()
    pairs = read_jsonl(args.data / "pairs-gpt.jsonl")
    judged = read_jsonl(args.data / "judged-gpt-arena_hard-o1-mini.jsonl")
    if [p["pair_id"] for p in pairs] != [r["pair_id"] for r in judged]:
        raise SystemExit("the pairs and the recorded run do not list the same pairs in the same order")
    replies = [
        {
            "pair_id": row["pair_id"],
            "replies": [None if game is None else game["judgment"]["response"] for game in row["judgments"]],
        }
        for row in judged
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    write_gzip_jsonl(args.out / "pairs-gpt.jsonl.gz", pairs)
    write_gzip_jsonl(args.out / "replies-o1-mini.jsonl.gz", replies)
    print(f"wrote {len(pairs)} pairs and {sum(len(r['replies']) for r in replies)} replies to {args.out}")


if __name__ == "__main__":
    main()
