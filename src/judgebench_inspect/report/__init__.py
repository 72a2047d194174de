"""Reports on judge runs: leaderboards with intervals, paired comparisons, paper rows, plots, exports.

Typical use::

    from judgebench_inspect.report import StatsSettings, collect_runs, render, summarise_all

    runs, skipped = collect_runs(["logs/"])
    print(render("markdown", summarise_all(runs), StatsSettings()))
"""

from .export import ExportResult, bare_model_name, default_file_name, export_judged, judged_rows
from .runs import PairResult, ReportError, Run, infer_split, order_categories
from .plot import PlotError, plot_summaries
from .readers import Skipped, collect_runs, read_inspect_log, read_judged_file
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
