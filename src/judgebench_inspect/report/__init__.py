"""Reports on judge runs: leaderboards with intervals, paired comparisons, paper rows, plots, exports.

Typical use::

    from judgebench_inspect.report import StatsSettings, collect_runs, render, summarise_all

    runs, skipped = collect_runs(["logs/"])
    print(render("markdown", summarise_all(runs), StatsSettings()))
"""

from .analyses import Analyses, analyse
from .export import ExportResult, bare_model_name, default_file_name, export_judged, judged_rows
from .runs import PairResult, ReportError, Run, SolveResult, SolveRun, infer_split, order_categories
from .plot import PlotError, plot_summaries
from .readers import Collected, Skipped, collect_results, collect_runs, read_inspect_log, read_judged_file, read_solve_log
from .render import FORMATS, render
from .summary import (
    OVERALL,
    Accuracy,
    Comparison,
    NotComparable,
    StatsSettings,
    Summary,
    compare_all,
    compare_summaries,
    summarise,
    summarise_all,
)

__all__ = [
    "Analyses",
    "Collected",
    "SolveResult",
    "SolveRun",
    "analyse",
    "collect_results",
    "read_solve_log",
    "FORMATS",
    "OVERALL",
    "Accuracy",
    "Comparison",
    "ExportResult",
    "NotComparable",
    "PairResult",
    "PlotError",
    "ReportError",
    "Run",
    "Skipped",
    "StatsSettings",
    "Summary",
    "bare_model_name",
    "collect_runs",
    "compare_all",
    "compare_summaries",
    "default_file_name",
    "export_judged",
    "infer_split",
    "judged_rows",
    "order_categories",
    "plot_summaries",
    "read_inspect_log",
    "read_judged_file",
    "render",
    "summarise",
    "summarise_all",
]
