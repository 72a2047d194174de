"""A bar chart of per-category accuracy per judge, with the bootstrap intervals (needs matplotlib)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Sequence

from .summary import OVERALL, Summary, report_categories

#: File types the plot can be written as (by the output's suffix).
PLOT_SUFFIXES = (".png", ".svg", ".pdf")
INSTALL_HINT = "pip install 'judgebench-inspect[plot]'  (or: pip install matplotlib)"


class PlotError(RuntimeError):
    """The plot cannot be made (matplotlib missing, or an unsupported file type)."""


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only; never needs a display
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlotError(f"plotting needs matplotlib, which is not installed: {INSTALL_HINT}") from None
    return plt


def plot_summaries(summaries: Sequence[Summary], path: str | Path, title: str | None = None) -> Path:
    """Write grouped bars (one group per category plus overall, one bar per row) with interval whiskers.

    Args:
      summaries: The report rows.
      path: Output file; ``.png``, ``.svg`` or ``.pdf``.
      title: Chart title (default: a generic one).

    Raises:
      PlotError: matplotlib is missing or the suffix is not supported.
    """
    out = Path(path)
    if out.suffix.lower() not in PLOT_SUFFIXES:
        raise PlotError(f"{out}: unsupported plot file type; use one of {', '.join(PLOT_SUFFIXES)}")
    if not summaries:
        raise PlotError("nothing to plot (no rows)")
    plt = _pyplot()
    groups = [*report_categories(summaries), OVERALL]
    n = len(summaries)
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(max(6.0, 1.4 * len(groups) + 0.25 * n * len(groups)), 4.5))
    paper_drawn = False
    for i, s in enumerate(summaries):
        xs, ys, lo, hi, names = [], [], [], [], []
        for g, name in enumerate(groups):
            acc = s.accuracy.get(name)
            if acc is None or acc.n == 0 or math.isnan(acc.value):
                continue
            xs.append(g - 0.4 + width * (i + 0.5))
            ys.append(acc.value)
            lo.append(max(0.0, acc.value - acc.low))
            hi.append(max(0.0, acc.high - acc.value))
            names.append(name)
        label = f"[{s.index}] {s.run.name} ({s.run.split})"
        ax.bar(xs, ys, width=width * 0.95, label=label, yerr=[lo, hi], capsize=3)
        if s.paper is not None:  # the paper's number for this judge: a black dash across the bar
            published = s.paper.as_dict()
            for x, name in zip(xs, names):
                if name in published:
                    ax.hlines(published[name], x - width * 0.45, x + width * 0.45, colors="black",
                              linewidth=2, label=None if paper_drawn else "paper (JudgeBench)")
                    paper_drawn = True
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups)
    ax.set_ylim(0, 100)
    ax.set_ylabel("accuracy (% of pairs)")
    ax.axhline(50, color="grey", linewidth=0.8, linestyle=":")
    ax.set_title(title or "JudgeBench accuracy per category (whiskers: bootstrap interval)")
    # below the axes, never over the bars; the saved figure grows to hold it
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=1, frameon=False)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, bbox_inches="tight")
    plt.close(fig)
    return out


def cost_plot_path(path: str | Path) -> Path:
    """Where the accuracy-versus-cost plot goes beside the accuracy plot: ``NAME-cost.SUFFIX``.

    Args:
      path: The accuracy plot's file.
    """
    p = Path(path)
    return p.with_name(f"{p.stem}-cost{p.suffix}")


def plot_cost(summaries: Sequence[Summary], path: str | Path) -> Path | None:
    """Write overall accuracy (with its interval) against dollars per pair, one point per priced row.

    Args:
      summaries: The report rows (those with a cost in dollars are drawn).
      path: Output file; ``.png``, ``.svg`` or ``.pdf``.

    Returns:
      The file, or ``None`` when no row has a cost in dollars.

    Raises:
      PlotError: matplotlib is missing or the suffix is not supported.
    """
    out = Path(path)
    if out.suffix.lower() not in PLOT_SUFFIXES:
        raise PlotError(f"{out}: unsupported plot file type; use one of {', '.join(PLOT_SUFFIXES)}")
    priced = [s for s in summaries if s.cost is not None and s.cost.dollars_per_pair is not None]
    if not priced:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for s in priced:
        acc = s.accuracy[OVERALL]
        x = s.cost.dollars_per_pair  # type: ignore[union-attr]
        ax.errorbar([x], [acc.value], yerr=[[max(0.0, acc.value - acc.low)], [max(0.0, acc.high - acc.value)]],
                    fmt="o", capsize=3, label=f"[{s.index}] {s.run.name} ({s.run.split})")  # fmt: skip
        ax.annotate(f"[{s.index}]", (x, acc.value), textcoords="offset points", xytext=(5, 5), fontsize="small")
    ax.set_xlabel("cost per pair (dollars)")
    ax.set_ylabel("overall accuracy (% of pairs)")
    ax.set_ylim(0, 100)
    ax.set_xlim(left=0)
    ax.set_title("Accuracy versus cost (whiskers: bootstrap interval)")
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1, frameon=False)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, bbox_inches="tight")
    plt.close(fig)
    return out
