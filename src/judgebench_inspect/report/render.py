"""Writing the report: terminal table, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any, Callable, Sequence

from ..published import PAPER_REFERENCE
from ..stats import PairedComparison
from .analyses import Analyses
from .render_panels import analyses_dict, cost_dict, length_bias_dict, panel_lines, rates_dict
from .summary import OVERALL, Comparison, StatsSettings, Summary, report_categories

FORMATS = ("table", "markdown", "csv", "json")
_DASH = "-"


def _num(x: float | None, digits: int = 2, sign: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return _DASH
    if abs(x) < 0.5 * 10**-digits:
        x = 0.0  # no "-0.00"
    return f"{x:+.{digits}f}" if sign else f"{x:.{digits}f}"


def _cell(s: Summary, cat: str) -> str:
    acc = s.accuracy.get(cat)
    if acc is None or acc.n == 0:
        return _DASH
    return f"{_num(acc.value)} [{_num(acc.low, 1)}, {_num(acc.high, 1)}]"


def _paper_cell(s: Summary, cat: str) -> str:
    if s.paper is None:
        return ""
    published = s.paper.accuracy(cat)
    if published is None:
        return _DASH
    return f"{published:.2f} ({_num(s.paper_difference(cat), sign=True)})"


def _headers(cats: Sequence[str]) -> list[str]:
    return ["#", "run", "split", *cats, OVERALL, "inconsistent", "pos. bias", "no verdict", "pairs", "errored"]


def _rows(summaries: Sequence[Summary], cats: Sequence[str]) -> list[tuple[bool, list[str]]]:
    """(is a paper row, cells) for every line of the leaderboard."""
    rows: list[tuple[bool, list[str]]] = []
    for s in summaries:
        r = s.run
        split = r.split + (f" (epoch {r.epoch})" if r.epoch is not None else "")
        split += "" if r.complete else " (incomplete)"
        rows.append(
            (
                False,
                [
                    str(s.index),
                    r.name,
                    split,
                    *[_cell(s, c) for c in [*cats, OVERALL]],
                    _num(s.inconsistency),
                    _num(s.position_bias),
                    _num(s.no_verdict_rate),
                    str(s.pairs),
                    str(s.errored),
                ],
            )
        )
        if s.paper is not None:
            rows.append(
                (
                    True,
                    ["", f"paper: {s.paper.name}", "gpt", *[_paper_cell(s, c) for c in [*cats, OVERALL]]]
                    + [""] * 5,
                )
            )
    return rows


def _footer(summaries: Sequence[Summary], settings: StatsSettings, bullet: str, sub: str) -> list[str]:
    lines = [
        f"Accuracy in % of pairs [{settings.level:.0%} bootstrap interval over pairs, "
        f"{settings.resamples} resamples, seed {settings.seed}]. Inconsistent: % of two-game pairs whose "
        "verdicts disagree; pos. bias: % of decisive games choosing the response shown first (fair: 50); "
        "no verdict: % of games. Rows: best overall accuracy first; run: judge model · strategy "
        "[label from inspect eval --tags / --metadata].",
    ]
    if any(s.paper is not None for s in summaries):
        lines.append(f"Paper rows: published accuracy ({PAPER_REFERENCE}) and, in brackets, measured minus published.")
    lines.append("")
    lines.append("Rows:")
    for s in summaries:
        lines.append(f"{bullet}[{s.index}] {s.run.path}")
        for note in s.notes:
            lines.append(f"{sub}{note}")
    return lines


def _comparison_lines(
    comparisons: Sequence[Comparison], problems: Sequence[str], settings: StatsSettings, bullet: str, sub: str
) -> list[str]:
    adjusted = any(c.p_holm for c in comparisons)
    how = (
        f"p-values Holm-adjusted for the {len(comparisons)} comparisons (overall, and per category), shown as "
        "'Holm p' beside the unadjusted p"
        if adjusted
        else "p-values not adjusted for multiple comparisons"
    )
    lines = [
        "",
        f"Paired comparisons on common pairs (exact two-sided McNemar test; {settings.level:.0%} paired "
        f"bootstrap interval of the difference; {how}):",
    ]

    def one(c: PairedComparison, holm: float | None = None) -> str:
        return (
            f"{_num(100 * c.accuracy_a)} vs {_num(100 * c.accuracy_b)}, difference "
            f"{_num(100 * c.difference, sign=True)} [{_num(100 * c.ci[0], sign=True)}, {_num(100 * c.ci[1], sign=True)}]; "
            f"right only in one: {c.a_only} vs {c.b_only}; p = {c.p_value:.4g}"
            + (f", Holm p = {holm:.4g}" if holm is not None else "")
        )

    for c in comparisons:
        extra = ""
        if c.only_a or c.only_b:
            extra = f" ({c.only_a} pairs only in #{c.a}, {c.only_b} only in #{c.b}: not compared)"
        lines.append(f"{bullet}#{c.a} vs #{c.b}: {c.overall.n} common pairs{extra}")
        lines.append(f"{sub}overall: {one(c.overall, c.p_holm.get(OVERALL))}")
        for cat, pc in c.categories.items():
            lines.append(f"{sub}{cat}: {one(pc, c.p_holm.get(cat))}")
    for p in problems:
        lines.append(f"{bullet}not compared: {p}")
    if not comparisons and not problems:
        lines.append(f"{bullet}(fewer than two rows: nothing to compare)")
    return lines


def render_table(
    summaries: Sequence[Summary],
    settings: StatsSettings,
    comparisons: Sequence[Comparison] | None = None,
    problems: Sequence[str] = (),
    analyses: Analyses | None = None,
) -> str:
    """A plain-text leaderboard for the terminal, then the analysis panels."""
    cats = report_categories(summaries)
    headers = _headers(cats)
    rows = [cells for _, cells in _rows(summaries, cats)]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    left = {1, 2, 3}

    def fmt(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    lines = [fmt(headers), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) for r in rows]
    lines += [""] + _footer(summaries, settings, "", "    ")
    if comparisons is not None:
        lines += _comparison_lines(comparisons, problems, settings, "", "    ")
    lines += panel_lines(summaries, analyses, settings, markdown=False)
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(
    summaries: Sequence[Summary],
    settings: StatsSettings,
    comparisons: Sequence[Comparison] | None = None,
    problems: Sequence[str] = (),
    analyses: Analyses | None = None,
) -> str:
    """A Markdown leaderboard (paper rows in italics), then the analysis panels."""
    cats = report_categories(summaries)
    headers = _headers(cats)
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for is_paper, cells in _rows(summaries, cats):
        cells = [_md_escape(c) for c in cells]
        if is_paper:
            cells = [f"*{c}*" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [""] + _footer(summaries, settings, "- ", "  - ")
    if comparisons is not None:
        lines += _comparison_lines(comparisons, problems, settings, "- ", "  - ")
    lines += panel_lines(summaries, analyses, settings, markdown=True)
    return "\n".join(lines) + "\n"


def _r(x: float | None, digits: int = 4) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(float(x), digits)


def summary_dict(s: Summary) -> dict[str, Any]:
    """One row as plain data (percentages; ``None`` where undefined)."""
    r = s.run
    acc = {
        k: {"accuracy": _r(a.value), "low": _r(a.low), "high": _r(a.high), "correct": a.correct, "pairs": a.n}
        for k, a in s.accuracy.items()
    }
    paper = None
    if s.paper is not None:
        paper = {
            "name": s.paper.name,
            "accuracy": s.paper.as_dict(),
            "difference": {k: _r(s.paper_difference(k)) for k in s.paper.as_dict()},
        }
    return {
        "row": s.index,
        "path": r.path,
        "kind": r.kind,
        "judge": r.judge,
        "model": r.model,
        "name": r.name,
        "user_label": r.user_label,
        "split": r.split,
        "epoch": r.epoch,
        "games": r.games,
        "complete": r.complete,
        "options": {k: str(v) for k, v in r.options.items()},
        "pairs": s.pairs,
        "errored": s.errored,
        "errored_ids": list(r.errored),
        "accuracy": acc,
        "inconsistency": _r(s.inconsistency),
        "position_bias": _r(s.position_bias),
        "no_verdict_rate": _r(s.no_verdict_rate),
        "tie_rate": _r(s.tie_rate),
        "paper": paper,
        "unreadable_rate": _r(s.unreadable_rate),
        "judgebench_accuracy": (
            {k: _r(a.value) for k, a in s.judgebench_accuracy.items()} if s.judgebench_accuracy else None
        ),
        "notes": list(s.notes),
        "rates": rates_dict(s.rates),
        "length_bias": length_bias_dict(s.length_bias),
        "cost": cost_dict(s.cost),
        "benchmark": r.benchmark,
        "game_accuracy": {k: {"accuracy": _r(a.value), "low": _r(a.low), "high": _r(a.high), "right": a.correct,
                              "games": a.n} for k, a in s.game_accuracy.items()},  # fmt: skip
        "native": s.native,
    }


def _paired_dict(c: PairedComparison) -> dict[str, Any]:
    return {
        "pairs": c.n,
        "accuracy_a": _r(100 * c.accuracy_a),
        "accuracy_b": _r(100 * c.accuracy_b),
        "difference": _r(100 * c.difference),
        "low": _r(100 * c.ci[0]),
        "high": _r(100 * c.ci[1]),
        "right_only_a": c.a_only,
        "right_only_b": c.b_only,
        "p_value": c.p_value,
    }


def comparison_dict(c: Comparison) -> dict[str, Any]:
    """One comparison as plain data (percentages)."""
    return {
        "a": c.a,
        "b": c.b,
        "test": "exact two-sided McNemar on discordant pairs; paired percentile bootstrap interval",
        "only_in_a": c.only_a,
        "only_in_b": c.only_b,
        "overall": _paired_dict(c.overall),
        "categories": {k: _paired_dict(v) for k, v in c.categories.items()},
        "p_adjustment": "holm" if c.p_holm else None,
        "p_holm": {k: v for k, v in c.p_holm.items()} if c.p_holm else None,
    }


def render_json(
    summaries: Sequence[Summary],
    settings: StatsSettings,
    comparisons: Sequence[Comparison] | None = None,
    problems: Sequence[str] = (),
    skipped: Sequence[Any] = (),
    analyses: Analyses | None = None,
) -> str:
    """The report as one JSON document."""
    doc: dict[str, Any] = {
        "settings": {"level": settings.level, "resamples": settings.resamples, "seed": settings.seed},
        "rows": [summary_dict(s) for s in summaries],
        "skipped": [{"path": k.path, "reason": k.reason} for k in skipped],
    }
    if comparisons is not None:
        doc["comparisons"] = [comparison_dict(c) for c in comparisons]
        doc["not_compared"] = list(problems)
    if analyses is not None:
        doc.update(analyses_dict(analyses))
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_csv(
    summaries: Sequence[Summary],
    settings: StatsSettings,
    comparisons: Sequence[Comparison] | None = None,
    problems: Sequence[str] = (),
    analyses: Analyses | None = None,
) -> str:
    """The leaderboard as CSV (one line per row); with comparisons, a second
    table follows after one empty line."""
    cats = [*report_categories(summaries), OVERALL]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    head = ["row", "path", "kind", "judge", "model", "split", "epoch", "games", "complete", "pairs", "errored"]
    for c in cats:
        head += [c, f"{c}_low", f"{c}_high", f"{c}_pairs"]
    head += ["inconsistency", "position_bias", "no_verdict_rate", "tie_rate", "paper"]
    head += [f"paper_{c}" for c in cats] + [f"diff_{c}" for c in cats] + ["notes", "name", "user_label"]
    w.writerow(head)

    def v(x: float | None) -> str:
        y = _r(x)
        return "" if y is None else f"{y}"

    for s in summaries:
        r = s.run
        line: list[Any] = [s.index, r.path, r.kind, r.judge or "", r.model or "", r.split, r.epoch or "", r.games or "", r.complete, s.pairs, s.errored]
        for c in cats:
            a = s.accuracy.get(c)
            line += [v(a.value), v(a.low), v(a.high), a.n] if a else ["", "", "", 0]
        line += [v(s.inconsistency), v(s.position_bias), v(s.no_verdict_rate), v(s.tie_rate)]
        line += [s.paper.name if s.paper else ""]
        line += [v(s.paper.accuracy(c)) if s.paper else "" for c in cats]
        line += [v(s.paper_difference(c)) for c in cats]
        line += ["; ".join(s.notes), r.name, r.user_label or ""]
        w.writerow(line)
    if comparisons is not None:
        buf.write("\n")
        w.writerow(["a", "b", "category", "pairs", "accuracy_a", "accuracy_b", "difference", "low", "high", "right_only_a", "right_only_b", "p_value"])
        for comparison in comparisons:
            for name, pc in [(OVERALL, comparison.overall), *comparison.categories.items()]:
                d = _paired_dict(pc)
                w.writerow([comparison.a, comparison.b, name, d["pairs"], d["accuracy_a"], d["accuracy_b"], d["difference"], d["low"], d["high"], d["right_only_a"], d["right_only_b"], d["p_value"]])
    return buf.getvalue()


RENDERERS: dict[str, Callable[..., str]] = {
    "table": render_table,
    "markdown": render_markdown,
    "csv": render_csv,
}


def render(
    fmt: str,
    summaries: Sequence[Summary],
    settings: StatsSettings,
    comparisons: Sequence[Comparison] | None = None,
    problems: Sequence[str] = (),
    skipped: Sequence[Any] = (),
    analyses: Analyses | None = None,
) -> str:
    """Render the report in one of :data:`FORMATS`.

    Args:
      fmt: ``table``, ``markdown``, ``csv`` or ``json``.
      summaries: The rows.
      settings: Interval settings (shown in the footer).
      comparisons: Paired comparisons, if asked for.
      problems: Rows that could not be compared, one line each.
      skipped: Files left out (listed in the JSON; other formats print them to stderr).
      analyses: The cross-row panels (self-preference, solver vs judge,
        agreement); the per-row panels come with the summaries. CSV has the
        leaderboard only.
    """
    if fmt == "json":
        return render_json(summaries, settings, comparisons, problems, skipped, analyses)
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    return RENDERERS[fmt](summaries, settings, comparisons, problems, analyses)
