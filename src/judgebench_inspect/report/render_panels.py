"""The analysis panels of the report as text (terminal or Markdown) and as plain data (JSON).

Panels: length bias, position bias and consistency per category, cost (one
line per row and group), and the cross-row panels: self-preference, solver vs
judge, agreement.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from .analyses import Analyses
from .bias import GameRates, LengthBias, Rate
from .cost import Cost
from .self_preference import SPLITS, DiffInDiff, SelfPreference
from .solving import SolverJudge
from .summary import Accuracy, StatsSettings, Summary

_DASH = "-"


def _num(x: float | None, digits: int = 2, sign: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return _DASH
    if abs(x) < 0.5 * 10**-digits:
        x = 0.0
    return f"{x:+.{digits}f}" if sign else f"{x:.{digits}f}"


def _r(x: float | None, digits: int = 4) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(float(x), digits)


def _rate(r: Rate) -> str:
    if r.n == 0:
        return _DASH
    return f"{_num(r.value)} [{_num(r.low, 1)}, {_num(r.high, 1)}] ({r.count}/{r.n})"


def _acc(a: Accuracy) -> str:
    if a.n == 0:
        return _DASH
    return f"{_num(a.value)} [{_num(a.low, 1)}, {_num(a.high, 1)}] ({a.correct}/{a.n})"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool) -> list[str]:
    """A table as lines: Markdown, or columns aligned for the terminal (first two left-aligned).

    Args:
      headers: Column names.
      rows: Cells.
      markdown: Markdown instead of plain text.
    """
    if markdown:
        esc = [[c.replace("|", "\\|") for c in r] for r in rows]
        return (
            ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
            + ["| " + " | ".join(r) + " |" for r in esc]
        )
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [fmt(headers), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


def _heading(title: str, markdown: bool) -> list[str]:
    return ["", f"### {title}" if markdown else f"{title}:", ""]


def panel_lines(
    summaries: Sequence[Summary], analyses: Analyses | None, settings: StatsSettings, markdown: bool
) -> list[str]:
    """Every panel that has something to show, as lines.

    Args:
      summaries: The report rows.
      analyses: The cross-row panels (``None``: only the per-row panels).
      settings: Interval settings (named in the panels' notes).
      markdown: Markdown instead of plain text.
    """
    bullet, sub = ("- ", "  - ") if markdown else ("", "    ")
    level = f"{settings.level:.0%}"
    lines: list[str] = []

    rows = []
    for s in summaries:
        for group, lb in (s.length_bias or {}).items():
            rows.append([f"#{s.index}", group, _rate(lb.longer_chosen), _rate(lb.correct_longer),
                         _rate(lb.accuracy_correct_longer), _rate(lb.accuracy_correct_shorter),
                         str(lb.equal_length + lb.no_text)])  # fmt: skip
    if rows:
        lines += _heading("Length bias (response lengths in characters)", markdown)
        lines += table(
            ["row", "group", "longer chosen", "correct is longer", "acc. if correct longer",
             "acc. if correct shorter", "left out"], rows, markdown,
        )  # fmt: skip
        lines += [
            "",
            f"Longer chosen: % of decisive games that chose the longer response; correct is longer: % of pairs "
            f"whose correct response is the longer (the base rate a length-blind judge would match); acc.: pair "
            f"accuracy on those pairs. [{level} bootstrap interval over pairs] (count/total). Left out: pairs "
            "with two responses of equal length (or without texts).",
        ]

    rows = []
    for s in summaries:
        for group, g in s.rates.items():
            rows.append([f"#{s.index}", group, _rate(g.position_bias), _rate(g.inconsistency),
                         _rate(g.tie_rate), _rate(g.no_verdict_rate)])  # fmt: skip
    if rows:
        lines += _heading("Position bias and consistency per category", markdown)
        lines += table(["row", "group", "pos. bias", "inconsistent", "ties", "no verdict"], rows, markdown)
        lines += [
            "",
            f"Pos. bias: % of decisive games that chose the response shown first (fair: 50); inconsistent: % of "
            f"two-game pairs whose decisive verdicts disagree; ties, no verdict: % of games. [{level} bootstrap "
            "interval over pairs] (count/total).",
        ]

    costs = [(s, s.cost) for s in summaries if s.cost is not None]
    if costs:
        lines += _heading("Cost", markdown)
        priced = any(c.dollars is not None for _, c in costs)
        head = ["row", "run", "input tokens", "output tokens", "tokens/pair", "tokens/correct pair"]
        head += ["dollars", "$/pair", "$/correct pair"] if priced else []
        rows = []
        for s, c in costs:
            cells = [f"#{s.index}", s.run.name, str(c.input_tokens), str(c.output_tokens),
                     _num(c.tokens_per_pair, 1), _num(c.tokens_per_correct, 1)]  # fmt: skip
            if priced:
                cells += [_num(c.dollars, 4), _num(c.dollars_per_pair, 6), _num(c.dollars_per_correct, 6)]
            rows.append(cells)
        lines += table(head, rows, markdown)
        lines += ["", "Tokens of the scored pairs from Inspect's model usage (input includes cache reads and "
                  "writes); dollars from --prices (per million tokens)."]  # fmt: skip

    if analyses is None:
        return lines

    if analyses.self_preference:
        lines += _heading("Self-preference (gpt split: GPT-4o's responses; claude split: Claude-3.5-Sonnet's)", markdown)
        for e in analyses.self_preference:
            lines.append(f"{bullet}{_pref_line(e)}")
        for d in analyses.diff_in_diff:
            lines.append(f"{bullet}{_did_line(d)}")
        lines += [
            "",
            f"Difference: gpt minus claude accuracy, percentage points [{level} unpaired bootstrap interval: the "
            "splits share no pairs]; (own) marks the split written by the judge's own model family (set with "
            "--family MODEL=FAMILY). Difference in differences: the two judges' gaps subtracted, which cancels "
            "how much harder one split is [bootstrap over the common pairs of each split].",
        ]

    if analyses.solver_judge or analyses.problems:
        lines += _heading("Solver vs judge", markdown)
        for p in analyses.solver_judge:
            lines.append(f"{bullet}{p.model}: solve log {p.solve_path} beside row #{p.row}")
            if p.unmatched:
                lines.append(f"{sub}left out: {p.unmatched} judged pair(s) whose question is not in the solve log")
            if p.unchecked:
                lines.append(f"{sub}left out: {p.unchecked} judged pair(s) whose question the checker could not decide")
            lines += [f"{sub}{note}" for note in p.notes]
            lines.append("")
            groups = list(p.solving)
            lines += table(
                ["group", "", "solving", "judging", "judging if solved", "judging if not solved"],
                [[g, "", _acc(p.solving[g]), _acc(p.judging[g]), _acc(p.judged_if_solved[g]),
                  _acc(p.judged_if_not_solved[g])] for g in groups],
                markdown,
            )  # fmt: skip
            lines.append("")
        for problem in analyses.problems:
            lines.append(f"{bullet}{problem}")
        lines.append(
            f"Solving: % of the questions answered right (the solve task's checker); judging: pair accuracy on "
            f"the pairs of those questions (joined on pair_id, else on source and original_id). [{level} "
            "bootstrap interval] (correct/total)."
        )

    if analyses.agreement:
        lines += _heading("Agreement (Cohen's kappa on right/wrong per common pair)", markdown)
        for a in analyses.agreement:
            lines.append(
                f"{bullet}#{a.a} vs #{a.b}: {a.pairs} common pairs, same outcome on {_num(a.agree)}%, "
                f"kappa {_num(a.kappa, 3)} [{_num(a.low, 3)}, {_num(a.high, 3)}]"
            )

    rows = []
    for s in summaries:
        if s.run.benchmark != "judgebench" or any(o.run.benchmark != "judgebench" for o in summaries):
            for group, ga in s.game_accuracy.items():
                rows.append([f"#{s.index}", s.run.benchmark, group, _rate_of(ga)])
    if rows:
        lines += _heading("Benchmarks: game accuracy", markdown)
        lines += table(["row", "benchmark", "group", "game accuracy"], rows, markdown)
        lines += ["", f"% of games whose verdict names the better response [{level} bootstrap interval over pairs] "
                  "(right/games); each benchmark's own score is in the row's notes and the JSON report (native)."]  # fmt: skip

    if analyses is not None and analyses.rank_agreement:
        lines += _heading("Rank agreement of judges between benchmarks (Kendall's tau of pair accuracy)", markdown)
        for r in analyses.rank_agreement:
            lines.append(
                f"{bullet}{r.a} vs {r.b}: {len(r.judges)} judges, tau {_num(r.tau, 3)} "
                f"[{_num(r.low, 3)}, {_num(r.high, 3)}] ({level} bootstrap interval, pairs resampled within each benchmark)"
            )
    return lines


def _rate_of(a: Any) -> str:
    return f"{_num(a.value)} [{_num(a.low)}, {_num(a.high)}] ({a.correct}/{a.n})"


def _pref_line(e: SelfPreference) -> str:
    cells = []
    for sp in SPLITS:
        own = " (own)" if e.own_split == sp else ""
        cells.append(f"{sp}{own} {_acc(e.accuracy[sp])}")
    family = e.family or "family unknown"
    return (
        f"{e.model or '?'} · {e.judge or '?'} ({family}; rows #{e.rows[0]}, #{e.rows[1]}): {'; '.join(cells)}; "
        f"difference {_num(e.difference, sign=True)} [{_num(e.low, sign=True)}, {_num(e.high, sign=True)}]"
    )


def _did_line(d: DiffInDiff) -> str:
    return (
        f"difference in differences, {d.a.model} ({d.a.family}) minus {d.b.model} ({d.b.family}): "
        f"{_num(d.value, sign=True)} [{_num(d.low, sign=True)}, {_num(d.high, sign=True)}] "
        f"on {d.pairs[SPLITS[0]]} gpt and {d.pairs[SPLITS[1]]} claude common pairs"
    )


# --------------------------------------------------------------------------- JSON


def rate_dict(r: Rate) -> dict[str, Any]:
    """A rate as plain data (percent)."""
    return {"value": _r(r.value), "low": _r(r.low), "high": _r(r.high), "count": r.count, "n": r.n}


def _acc_dict(a: Accuracy) -> dict[str, Any]:
    return {"accuracy": _r(a.value), "low": _r(a.low), "high": _r(a.high), "correct": a.correct, "pairs": a.n}


def length_bias_dict(lb: dict[str, LengthBias] | None) -> dict[str, Any] | None:
    """Length bias per group as plain data."""
    if lb is None:
        return None
    return {
        g: {
            "longer_chosen": rate_dict(b.longer_chosen),
            "correct_longer": rate_dict(b.correct_longer),
            "accuracy_correct_longer": rate_dict(b.accuracy_correct_longer),
            "accuracy_correct_shorter": rate_dict(b.accuracy_correct_shorter),
            "equal_length_pairs": b.equal_length,
            "pairs_without_texts": b.no_text,
        }
        for g, b in lb.items()
    }


def rates_dict(rates: dict[str, GameRates]) -> dict[str, Any]:
    """Position bias, inconsistency, tie and no-verdict rates per group as plain data."""
    return {
        g: {
            "position_bias": rate_dict(r.position_bias),
            "inconsistency": rate_dict(r.inconsistency),
            "tie_rate": rate_dict(r.tie_rate),
            "no_verdict_rate": rate_dict(r.no_verdict_rate),
        }
        for g, r in rates.items()
    }


def cost_dict(c: Cost | None) -> dict[str, Any] | None:
    """Tokens and dollars as plain data."""
    if c is None:
        return None
    return {
        "input_tokens": c.input_tokens,
        "output_tokens": c.output_tokens,
        "total_tokens": c.total_tokens,
        "tokens_per_pair": _r(c.tokens_per_pair),
        "tokens_per_correct_pair": _r(c.tokens_per_correct),
        "dollars": _r(c.dollars, 8),
        "dollars_per_pair": _r(c.dollars_per_pair, 8),
        "dollars_per_correct_pair": _r(c.dollars_per_correct, 8),
        "unpriced_models": list(c.unpriced),
    }


def _pref_dict(e: SelfPreference) -> dict[str, Any]:
    return {
        "judge": e.judge,
        "model": e.model,
        "family": e.family,
        "rows": list(e.rows),
        "accuracy": {sp: _acc_dict(e.accuracy[sp]) for sp in SPLITS},
        "difference": _r(e.difference),
        "low": _r(e.low),
        "high": _r(e.high),
        "own_split": e.own_split,
    }


def _solver_dict(p: SolverJudge) -> dict[str, Any]:
    return {
        "solve_log": p.solve_path,
        "row": p.row,
        "model": p.model,
        "unmatched_pairs": p.unmatched,
        "unchecked_pairs": p.unchecked,
        "categories": {
            g: {
                "solving": _acc_dict(p.solving[g]),
                "judging": _acc_dict(p.judging[g]),
                "judging_if_solved": _acc_dict(p.judged_if_solved[g]),
                "judging_if_not_solved": _acc_dict(p.judged_if_not_solved[g]),
            }
            for g in p.solving
        },
        "notes": list(p.notes),
    }


def analyses_dict(analyses: Analyses) -> dict[str, Any]:
    """The cross-row panels as plain data (top-level keys of the JSON report)."""
    return {
        "self_preference": [_pref_dict(e) for e in analyses.self_preference],
        "diff_in_diff": [
            {
                "a": _pref_dict(d.a) | {"rows": list(d.a.rows)},
                "b": _pref_dict(d.b) | {"rows": list(d.b.rows)},
                "value": _r(d.value),
                "low": _r(d.low),
                "high": _r(d.high),
                "common_pairs": dict(d.pairs),
            }
            for d in analyses.diff_in_diff
        ],
        "solver_vs_judge": [_solver_dict(p) for p in analyses.solver_judge],
        "solver_vs_judge_problems": list(analyses.problems),
        "agreement": [
            {"a": a.a, "b": a.b, "pairs": a.pairs, "agree": _r(a.agree), "kappa": _r(a.kappa),
             "low": _r(a.low), "high": _r(a.high)}  # fmt: skip
            for a in analyses.agreement
        ],
        "families": dict(analyses.families),
        "rank_agreement": [
            {"a": r.a, "b": r.b, "judges": list(r.judges), "kendall_tau": _r(r.tau), "low": _r(r.low), "high": _r(r.high)}
            for r in analyses.rank_agreement
        ],
    }


__all__ = ["analyses_dict", "cost_dict", "length_bias_dict", "panel_lines", "rate_dict", "rates_dict", "table"]
