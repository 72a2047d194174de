"""The ``judgebench`` console command.

Subcommands are small functions registered in :data:`COMMANDS`; adding one
means writing a ``configure(parser)`` and a ``run(args) -> exit code`` and
appending a :class:`Command` to that list.

Run as ``judgebench ...`` (console script) or ``python -m judgebench_inspect.cli ...``.
Exit codes: 0 success; 1 nothing usable / the command failed; 2 bad usage.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from dataclasses import dataclass
from typing import Callable, NoReturn, Sequence

from . import suite
from .errors import ConfigError, did_you_mean
from .stats import DEFAULT_LEVEL, DEFAULT_RESAMPLES, DEFAULT_SEED


@dataclass(frozen=True)
class Command:
    """One subcommand.

    Attributes:
      name: What the user types after ``judgebench``.
      help: One line for ``judgebench --help``.
      configure: Adds the subcommand's arguments to its parser.
      run: Does the work; returns the exit code.
    """

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _err(message: str) -> None:
    print(message, file=sys.stderr)


# --------------------------------------------------------------------------- report


def _level(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if 50 <= value < 100:
        value /= 100.0  # also accept a percentage: --level 95
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"level must be a fraction such as 0.95 (or a percentage such as 95), got {text}")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def configure_report(p: argparse.ArgumentParser) -> None:
    """Arguments of ``judgebench report``."""
    from .report import FORMATS

    p.add_argument("paths", nargs="+", metavar="PATH", help="Inspect logs (.eval/.json), JudgeBench outputs (judged-*.jsonl), or folders of them, local or URLs as Inspect takes them (s3://bucket/logs); a judgebench/solve log is set beside the judge logs of the same model (solver vs judge)")
    p.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE (local or a URL) instead of standard output")
    p.add_argument("--compare", action="store_true", help="compare every two rows on their common pairs (exact McNemar test, paired bootstrap interval)")
    p.add_argument("--plot", metavar="FILE", help="also write a per-category bar chart with intervals (.png, .svg or .pdf; needs matplotlib)")
    p.add_argument("--level", type=_level, default=DEFAULT_LEVEL, help=f"confidence level of the intervals (default: {DEFAULT_LEVEL})")
    p.add_argument("--resamples", type=_positive, default=DEFAULT_RESAMPLES, help=f"bootstrap resamples (default: {DEFAULT_RESAMPLES})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed of the resampling (default: {DEFAULT_SEED})")
    p.add_argument("--prices", metavar="FILE", help='JSON prices for the cost in dollars: {"<model as Inspect names it>": {"input": $/M tokens, "output": $/M tokens}}')
    p.add_argument("--family", action="append", default=[], metavar="MODEL=FAMILY", help="the family of a judge model for self-preference (default from the name: gpt/o1/o3/o4/chatgpt -> OpenAI, claude -> Anthropic); repeatable")
    p.add_argument("--include-incomplete", action="store_true", help="also report unfinished or failed logs (their rows are marked incomplete)")
    p.add_argument("--strict", action="store_true", help="exit 1 if any file was skipped")


def run_report(args: argparse.Namespace) -> int:
    """``judgebench report``: read logs and judged files, print a leaderboard."""
    from .report import (
        PlotError,
        StatsSettings,
        analyse,
        collect_results,
        compare_all,
        plot_summaries,
        render,
        summarise_all,
    )
    from .report.cost import read_prices
    from .report.plot import _pyplot, cost_plot_path, plot_cost
    from .report.self_preference import parse_families

    families = parse_families(args.family)
    prices = read_prices(args.prices) if args.prices else None

    if args.plot:
        try:
            _pyplot()  # fail before the work if matplotlib is missing
        except PlotError as ex:
            _err(f"error: {ex}")
            return 1
    found = collect_results(args.paths, include_incomplete=args.include_incomplete)
    runs, skipped = found.runs, found.skipped
    for s in skipped:
        _err(s.line())
    if not runs:
        extra = " (a solve log is reported beside a judge log of the same model)" if found.solves else ""
        _err(f"error: no usable judge results in the given paths{extra}")
        return 1
    settings = StatsSettings(level=args.level, resamples=args.resamples, seed=args.seed)
    summaries = summarise_all(runs, settings, prices)
    comparisons, problems = compare_all(summaries, settings) if args.compare else (None, [])
    analyses = analyse(summaries, settings, found.solves, families)
    text = render(args.format, summaries, settings, comparisons, problems, skipped, analyses)
    if args.output:
        from .storage import write_text

        write_text(args.output, text)  # a local file or a URL (s3://...)
        _err(f"report written to {args.output}")
    else:
        sys.stdout.write(text)
    if args.plot:
        try:
            out = plot_summaries(summaries, args.plot)
        except PlotError as ex:
            _err(f"error: {ex}")
            return 1
        _err(f"plot written to {out}")
        try:
            cost_out = plot_cost(summaries, cost_plot_path(args.plot))
        except PlotError as ex:
            _err(f"error: {ex}")
            return 1
        if cost_out is not None:
            _err(f"accuracy-versus-cost plot written to {cost_out}")
    damaged = [s for s in skipped if s.damaged]
    if damaged:
        _err(f"error: {len(damaged)} judge log(s) lack some judge texts and were left out (see above)")
        return 1
    if args.strict and skipped:
        _err(f"error: {len(skipped)} file(s) skipped (--strict)")
        return 1
    return 0


# --------------------------------------------------------------------------- export


def configure_export(p: argparse.ArgumentParser) -> None:
    """Arguments of ``judgebench export``."""
    p.add_argument("log", metavar="LOG", help="an Inspect log of the judge task (.eval or .json; local or a URL such as s3://bucket/logs/x.eval)")
    p.add_argument("--output", "-o", metavar="PATH", help="output .jsonl file, or a folder, local or a URL (default: JudgeBench's file name in the current folder)")
    p.add_argument("--partial", action="store_true", help="allow an unfinished log or errored samples: write only the scored pairs")
    p.add_argument("--epoch", type=_positive, help="the epoch to export when the log has several")
    p.add_argument("--no-prompts", action="store_true", help="leave the judge prompts empty (faster; they are read from the log's events)")


def run_export(args: argparse.Namespace) -> int:
    """``judgebench export``: write a judge log as a JudgeBench output file."""
    from .report import ReportError, export_judged

    try:
        result = export_judged(
            args.log, args.output, partial=args.partial, epoch=args.epoch, prompts=not args.no_prompts
        )
    except ReportError as ex:
        _err(f"error: {args.log}: {ex}")
        return 1
    left = f"; {result.errored} errored sample(s) left out" if result.errored else ""
    _err(f"wrote {result.pairs} pairs to {result.path}{left}")
    return 0


# --------------------------------------------------------------------------- pairs (from Inspect logs)


def configure_pairs(p: argparse.ArgumentParser) -> None:
    """Arguments of ``judgebench pairs`` (defined with the generation pipeline)."""
    from .generation.cli import configure_pairs_parser

    configure_pairs_parser(p)


def run_pairs(args: argparse.Namespace) -> int:
    """``judgebench pairs``: export judgebench/generate logs, or other evals' multi-epoch logs, as JudgeBench pairs."""
    from .generation.cli import run_pairs as run

    return int(run(args))


# --------------------------------------------------------------------------- demo


def configure_demo(p: argparse.ArgumentParser) -> None:
    """Arguments of ``judgebench demo``."""
    p.add_argument("--log-dir", default="logs", metavar="DIR", help="folder for the Inspect log (default: ./logs)")
    p.add_argument("--display", choices=("full", "rich", "plain", "none"), help="Inspect's progress display (default: Inspect's)")


def run_demo(args: argparse.Namespace) -> int:
    """``judgebench demo``: reproduce JudgeBench's o1-mini row offline from shipped data."""
    from .demo import run_demo as run

    return run(args.log_dir, args.display)


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


#: Every subcommand, in the order ``--help`` lists them. Add new ones here.
COMMANDS: list[Command] = [
    Command("demo", "judge the gpt split against o1-mini's recorded replies, offline: reproduces JudgeBench's row", configure_demo, run_demo),
    Command("report", "leaderboard of judge runs: accuracy per category with intervals, paper numbers, comparisons", configure_report, run_report),
    Command("export", "write a judge log as a JudgeBench output file (judged .jsonl)", configure_export, run_export),
    Command("suite", "run judges x benchmarks x splits from a spec file as one resumable, shardable Inspect eval-set", suite.configure, suite.run),
]
# the generation pipeline's subcommand, imported only when used
if _has_module("judgebench_inspect.generation.cli"):
    COMMANDS.append(
        Command("pairs", "export Inspect logs (judgebench/generate, or any eval run with --epochs 2+) as a JudgeBench pairs .jsonl", configure_pairs, run_pairs)
    )


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors suggest the closest valid name."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error, with a suggestion for a mistyped name; exit 2.

        Args:
          message: argparse's message.
        """
        hint = ""
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            hint = did_you_mean(choice.group(1), re.findall(r"'([^']*)'", choice.group(2)))
        elif message.startswith("unrecognized arguments:"):
            flags = [o for action in self._actions for o in action.option_strings]
            words = message.split(":", 1)[1].split()
            hint = "".join(did_you_mean(w.split("=")[0], flags) for w in words if w.startswith("-"))
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}{hint}\n")


def build_parser(commands: Sequence[Command] | None = None) -> argparse.ArgumentParser:
    """The argument parser with one subparser per command.

    Args:
      commands: The subcommands (default: :data:`COMMANDS`).
    """
    parser = _Parser(
        prog="judgebench",
        description="JudgeBench on Inspect: an offline demo, reports and exports of judge runs.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for cmd in commands if commands is not None else COMMANDS:
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        cmd.configure(p)
        p.set_defaults(_run=cmd.run, _parser=p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
      argv: Arguments without the program name (default: ``sys.argv[1:]``).

    Returns:
      The exit code.
    """
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(list(argv) if argv is not None else None)
        if extra:  # named by the subcommand's parser, which knows its options
            args._parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as ex:  # --help or a usage error
        return int(ex.code or 0)
    try:
        return int(args._run(args))
    except (ConfigError, OSError) as ex:  # bad input, or a file that cannot be read or written
        _err(f"error: {ex}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
