"""``judgebench pairs LOG... -o pairs.jsonl``: export Inspect logs as JudgeBench pairs.

A ``judgebench/generate`` log is exported with its run's pair rule
(:func:`judgebench_inspect.dataset.export_log`); the log of any other eval run
with two or more epochs gives one pair per sample with a right and a wrong
epoch (:func:`judgebench_inspect.dataset.export_eval_log`).

:func:`add_pairs_parser` adds the subcommand to the ``judgebench`` console
command's subparsers; :func:`main` runs it on its own
(``python -m judgebench_inspect.generation.cli pairs LOG -o pairs.jsonl``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from ..dataset import (
    EvalLogExport,
    LogExport,
    PairDataError,
    export_eval_log,
    export_log,
    is_generate_log,
    pair_line,
    read_inspect_log,
    write_pairs_jsonl,
)

#: Default of --quota: keep the run's pair_quota (a non-string, so argparse does not convert it).
_FROM_LOG: object = type("FromLog", (), {"__repr__": lambda self: "the run's pair_quota"})()

_HELP = "export Inspect logs as a JudgeBench pairs .jsonl: judgebench/generate logs, or any eval run with --epochs 2 or more"


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
    parser.add_argument(
        "logs",
        nargs="+",
        metavar="LOG",
        help="Inspect logs (.eval or .json; local or URLs such as s3://bucket/logs/x.eval): of judgebench/generate, "
        "or of any eval run with --epochs 2 or more whose scorer marks each answer correct or incorrect",
    )
    parser.add_argument(
        "-o", "--output", required=True, help="output .jsonl file, local or a URL ('-' for standard output)"
    )
    parser.add_argument(
        "--seed",
        "--pair-seed",
        dest="pair_seed",
        metavar="N",
        type=int,
        default=None,
        help="seed of the draw of each pair and of the correct response's position "
        "(default: a generate log's own pair_seed; 0 for the logs of other evals)",
    )
    generate = parser.add_argument_group("judgebench/generate logs")
    generate.add_argument(
        "--quota",
        type=_quota,
        default=_FROM_LOG,
        help="pairs kept per source, or 'none' for all (default: the run's pair_quota)",
    )
    generate.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="export a log that did not finish; its unfinished samples are listed, not exported",
    )
    other = parser.add_argument_group("logs of other evals")
    other.add_argument(
        "--scorer",
        metavar="NAME",
        help="the scorer whose values say correct or incorrect (needed when the samples have several)",
    )
    other.add_argument(
        "--key",
        metavar="KEY",
        help="the key to read in a dict-valued score (needed when the dict has more than one key)",
    )
    other.add_argument(
        "--category",
        metavar="FIELD",
        help="sample metadata field giving each pair's category (default: the task's name)",
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


def _check_options(args: argparse.Namespace, generate_logs: int, other_logs: int) -> None:
    """Refuse options that apply to no log given."""
    given = {
        "--quota": args.quota is not _FROM_LOG,
        "--allow-incomplete": args.allow_incomplete,
        "--scorer": args.scorer is not None,
        "--key": args.key is not None,
        "--category": args.category is not None,
    }
    for options, count, kind in (
        (("--quota", "--allow-incomplete"), generate_logs, "judgebench/generate logs"),
        (("--scorer", "--key", "--category"), other_logs, "the logs of other evals"),
    ):
        unused = [o for o in options if given[o]]
        if unused and not count:
            raise PairDataError(f"{', '.join(unused)}: only for {kind}, and none was given")


def _export(path: str, args: argparse.Namespace) -> tuple[LogExport | EvalLogExport, bool]:
    log = read_inspect_log(path)
    if is_generate_log(log):
        quota = "log" if args.quota is _FROM_LOG else args.quota
        return export_log(log, pair_seed=args.pair_seed, pair_quota=quota, allow_incomplete=args.allow_incomplete), True
    export = export_eval_log(
        log, scorer=args.scorer, key=args.key, pair_seed=args.pair_seed, category_field=args.category
    )
    return export, False


def run_pairs(args: argparse.Namespace) -> int:
    """Run the ``pairs`` subcommand.

    Args:
      args: Parsed arguments (``logs``, ``output``, ``pair_seed``, ``quota``,
        ``allow_incomplete``, ``scorer``, ``key``, ``category``).

    Returns:
      The exit status: 0 when pairs were written, 1 on an error or no pairs.
    """
    exports: list[tuple[str, LogExport | EvalLogExport]] = []
    pairs: list[dict[str, Any]] = []
    first_seen: dict[str, str] = {}
    try:
        kinds = []
        for path in args.logs:
            export, is_generate = _export(path, args)
            kinds.append(is_generate)
            for p in export.pairs:
                if p["pair_id"] in first_seen:
                    raise PairDataError(
                        f"{path}: pair {p['pair_id']} also comes from {first_seen[p['pair_id']]} (the same log given twice?)"
                    )
                first_seen[p["pair_id"]] = path
            exports.append((path, export))
            pairs.extend(export.pairs)
        _check_options(args, sum(kinds), len(kinds) - sum(kinds))
    except PairDataError as ex:
        print(f"judgebench pairs: error: {ex}", file=sys.stderr)
        return 1
    if args.output == "-":
        for p in pairs:
            sys.stdout.write(pair_line(p))
        where = "standard output"
    else:
        write_pairs_jsonl(pairs, args.output)  # a local file (its folder is created) or a URL
        where = args.output
    for path, export in exports:
        print(export.summary() if len(exports) == 1 else f"{path}:\n{export.summary()}", file=sys.stderr)
    print(f"wrote {len(pairs)} pairs to {where}", file=sys.stderr)
    if not pairs:
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
