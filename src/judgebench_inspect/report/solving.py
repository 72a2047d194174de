"""Solver vs judge: a model's accuracy answering the questions beside its accuracy judging their pairs.

A solve log (``judgebench/solve``: the model answers each pair's question
itself, checked by the source's checker) and a judge log of the same model are
joined pair by pair: on the pair's ``pair_id`` where the solve log has it, else
on the pair's source question (``source`` and ``original_id``, the MMLU-Pro
question id), so a solve log of one split also serves pairs of the other split
built from the same MMLU-Pro questions. Questions the checker could not decide
are left out and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from ..published import normalise_model
from .runs import OVERALL, PairResult, SolveResult, SolveRun, order_categories
from .summary import Accuracy, StatsSettings, Summary, accuracy_of

__all__ = ["SolverJudge", "solver_vs_judge"]


@dataclass(frozen=True)
class SolverJudge:
    """One model solving and judging the same questions.

    Attributes:
      solve_path: The solve log.
      row: The judge run's report row.
      model: The model.
      solving: Per category and ``overall``: questions answered right / questions
        checked, over the questions of the judge run's pairs.
      judging: The judge's pair accuracy on the same questions' pairs.
      judged_if_solved: Per category and ``overall``: judge accuracy on pairs
        whose question the model solved.
      judged_if_not_solved: The same on pairs whose question it did not solve.
      unmatched: Judge pairs whose question is not in the solve log.
      unchecked: Judge pairs whose question the checker could not decide.
    """

    solve_path: str
    row: int
    model: str
    solving: dict[str, Accuracy]
    judging: dict[str, Accuracy]
    judged_if_solved: dict[str, Accuracy]
    judged_if_not_solved: dict[str, Accuracy]
    unmatched: int
    unchecked: int
    notes: list[str] = field(default_factory=list)


def _question_key(source: Any, original_id: Any) -> tuple[str, str] | None:
    return None if original_id is None else (str(source), str(original_id))


def _join(pairs: Sequence[PairResult], solve: SolveRun) -> tuple[list[tuple[PairResult, SolveResult]], int]:
    by_pair = {r.pair_id: r for r in solve.results}
    by_question = {
        key: r for r in solve.results if (key := _question_key(r.source, r.original_id)) is not None
    }
    joined, unmatched = [], 0
    for p in pairs:
        found = by_pair.get(p.pair_id)
        if found is None:
            key = _question_key(p.record.get("source"), p.record.get("original_id"))
            found = by_question.get(key) if key is not None else None
        if found is None:
            unmatched += 1
        else:
            joined.append((p, found))
    return joined, unmatched


def _grouped(items: Sequence[tuple[str, bool]], cats: Sequence[str], settings: StatsSettings) -> dict[str, Accuracy]:
    out = {c: accuracy_of([ok for cat, ok in items if cat == c], settings) for c in cats}
    out[OVERALL] = accuracy_of([ok for _, ok in items], settings)
    return out


def solver_vs_judge(
    summaries: Sequence[Summary], solves: Sequence[SolveRun], settings: StatsSettings
) -> tuple[list[SolverJudge], list[str]]:
    """Join every solve log with the judge runs of the same model.

    Args:
      summaries: The report rows.
      solves: The solve logs.
      settings: Interval settings.

    Returns:
      The panels, and one line per solve log that found no judge run of its model.
    """
    panels: list[SolverJudge] = []
    problems: list[str] = []
    for solve in solves:
        same = [s for s in summaries if s.run.model and normalise_model(s.run.model) == normalise_model(solve.model)]
        if not same:
            problems.append(f"{solve.path}: no judge run of the same model ({solve.model}) to set beside it")
            continue
        for s in same:
            joined, unmatched = _join(s.run.pairs, solve)
            checked = [(p, r) for p, r in joined if r.correct is not None]
            cats = order_categories({p.category for p, _ in checked})
            solving_items = [(p.category, bool(r.correct)) for p, r in checked]
            judged = [(p.category, p.outcome.correct) for p, _ in checked]
            panel = SolverJudge(
                solve_path=solve.path,
                row=s.index,
                model=solve.model,
                solving=_grouped(solving_items, cats, settings),
                judging=_grouped(judged, cats, settings),
                judged_if_solved=_grouped(
                    [(p.category, p.outcome.correct) for p, r in checked if r.correct], cats, settings
                ),
                judged_if_not_solved=_grouped(
                    [(p.category, p.outcome.correct) for p, r in checked if not r.correct], cats, settings
                ),
                unmatched=unmatched,
                unchecked=len(joined) - len(checked),
            )
            if not checked:
                panel.notes.append("no pair of the judge run matches a checked question of the solve log")
            panels.append(panel)
    return panels, problems
