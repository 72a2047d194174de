"""The report's panels across rows: self-preference, solver vs judge, agreement.

Per-row figures (length and position bias per category, cost) live on each
:class:`~judgebench_inspect.report.summary.Summary`; this module gathers the
figures that set several rows (or a solve log) side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .agreement import Agreement, agreement
from .benchmarks import RankAgreement, rank_agreement
from .runs import SolveRun
from .self_preference import DiffInDiff, SelfPreference, self_preference
from .solving import SolverJudge, solver_vs_judge
from .summary import StatsSettings, Summary

__all__ = ["Analyses", "analyse"]


@dataclass
class Analyses:
    """The cross-row panels of a report.

    Attributes:
      self_preference: Judges run on both published splits.
      diff_in_diff: Two judges of different families, each on both splits.
      solver_judge: Solve logs beside judge runs of the same model.
      agreement: Cohen's kappa of every two rows sharing pairs.
      rank_agreement: Kendall's tau of judges between every two benchmarks
        with at least three judges in common.
      problems: Lines about what could not be set side by side.
      families: The user's model -> family overrides.
    """

    self_preference: list[SelfPreference] = field(default_factory=list)
    diff_in_diff: list[DiffInDiff] = field(default_factory=list)
    solver_judge: list[SolverJudge] = field(default_factory=list)
    agreement: list[Agreement] = field(default_factory=list)
    rank_agreement: list[RankAgreement] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    families: dict[str, str] = field(default_factory=dict)


def analyse(
    summaries: Sequence[Summary],
    settings: StatsSettings,
    solves: Sequence[SolveRun] = (),
    families: Mapping[str, str] | None = None,
) -> Analyses:
    """Compute the cross-row panels.

    Args:
      summaries: The report rows.
      settings: Interval settings.
      solves: Solve logs to set beside judge runs of the same model.
      families: The user's model -> family overrides (``--family``).
    """
    prefs, dids = self_preference(summaries, settings, families)
    panels, problems = solver_vs_judge(summaries, solves, settings)
    return Analyses(
        self_preference=prefs,
        diff_in_diff=dids,
        solver_judge=panels,
        agreement=agreement(summaries, settings),
        rank_agreement=rank_agreement(summaries, settings),
        problems=problems,
        families=dict(families or {}),
    )
