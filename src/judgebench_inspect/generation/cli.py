"""``judgebench pairs LOG -o pairs.jsonl``: export a generate log as JudgeBench pairs.

:func:`add_pairs_parser` adds the subcommand to the ``judgebench`` console
command's subparsers; :func:`main` runs it on its own
(``python -m judgebench_inspect.generation.cli pairs LOG -o pairs.jsonl``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

from ..dataset import PairDataError, export_log, pair_line, write_pairs_jsonl

#: Default of --quota: keep the run's pair_quota (a non-string, so argparse does not convert it).
_FROM_LOG: object = type("FromLog", (), {"__repr__": lambda self: "the run's pair_quota"})()

_HELP = "export a judgebench/generate log as a JudgeBench pairs .jsonl"


def _quota(value: str) -> int | None:
    if value.strip().lower() in ("none", "all", "0"):
        return None
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer or 'none', got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer or 'none', got {value!r}")
    return n


def configure_pairs_parser(parser: argparse.ArgumentParser) -> None:
    """Add the ``pairs`` arguments to a parser.

    Args:
      parser: The (sub)parser.
    """
    parser.add_argument("log", help="log of judgebench/generate (.eval or .json)")
    parser.add_argument(
        "-o", "--output", required=True, help="output .jsonl file ('-' for standard output)"
    )
    parser.add_argument(
        "--quota",
        type=_quota,
        default=_FROM_LOG,
        help="pairs kept per source, or 'none' for all (default: the run's pair_quota)",
    )
    parser.add_argument(
        "--pair-seed", type=int, default=None, help="seed placing the pairs (default: the run's pair_seed)"
    )
    parser.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="export a log that did not finish; its unfinished samples are listed, not exported",
    )
    parser.set_defaults(func=run_pairs)


def add_pairs_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``pairs`` on an ``argparse`` subparsers object.

    Args:
      subparsers: What ``ArgumentParser.add_subparsers()`` returned.
    """
    parser = subparsers.add_parser("pairs", help=_HELP, description=_HELP)
    configure_pairs_parser(parser)
    return parser


def run_pairs(args: argparse.Namespace) -> int:
    """Run the ``pairs`` subcommand.

    Args:
      args: Parsed arguments (``log``, ``output``, ``quota``, ``pair_seed``,
        ``allow_incomplete``).

    Returns:
      The exit status: 0 when pairs were written, 1 on an error or no pairs.
    """
    try:
        export = export_log(
            args.log,
            pair_seed=args.pair_seed,
            pair_quota="log" if args.quota is _FROM_LOG else args.quota,
            allow_incomplete=args.allow_incomplete,
        )
    except PairDataError as ex:
        print(f"judgebench pairs: error: {ex}", file=sys.stderr)
        return 1
    if args.output == "-":
        for p in export.pairs:
            sys.stdout.write(pair_line(p))
        where = "standard output"
    else:
        out = Path(args.output)
        if out.parent and not out.parent.exists():
            out.parent.mkdir(parents=True)
        write_pairs_jsonl(export.pairs, out)
        where = str(out)
    print(f"{export.summary()}\nwrote {len(export.pairs)} pairs to {where}", file=sys.stderr)
    if not export.pairs:
        print("judgebench pairs: error: no question gave a pair", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry: ``python -m judgebench_inspect.generation.cli pairs ...``.

    Args:
      argv: Arguments (default ``sys.argv[1:]``).
    """
    parser = argparse.ArgumentParser(prog="judgebench")
    sub = parser.add_subparsers(dest="command", required=True)
    add_pairs_parser(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
