"""The JudgeBench pair rule: how the verdicts of one pair's games become a score.

Each game gives +1 if its verdict (in the pair's frame) equals the label, -1 if
it names the other response, 0 for a tie or no verdict. With two games the pair
is correct only if the sum is positive; with one game only if the verdict equals
the label. See ``docs/judgebench-reference.md`` section 2 of the project brief.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .verdicts import A_BETTER, B_BETTER, TIE, Verdict, swap


def game_points(verdict: Verdict, label: str) -> int:
    """Points of one game: +1 right, -1 wrong, 0 tie or no verdict.

    Args:
      verdict: The game's verdict in the pair's frame.
      label: The pair's label, ``A>B`` or ``B>A``.
    """
    if verdict is None or verdict == TIE:
        return 0
    return 1 if verdict == label else -1


@dataclass(frozen=True)
class PairOutcome:
    """What the pair rule says about one pair.

    Attributes:
      correct: The pair counts as judged correctly.
      points: Sum of the games' points.
      games: Number of games played (1 or 2).
      inconsistent: Two decisive verdicts that disagree (two-game mode only).
      ties: Games whose verdict was a tie.
      no_verdict: Games without a parseable verdict.
      decisive: Games that picked a side.
      first_chosen: Decisive games that picked the response shown first.
    """

    correct: bool
    points: int
    games: int
    inconsistent: bool
    ties: int
    no_verdict: int
    decisive: int
    first_chosen: int


def score_pair(
    verdicts: Sequence[Verdict],
    label: str,
    *,
    seen: Sequence[Verdict] | None = None,
) -> PairOutcome:
    """Apply the pair rule.

    Args:
      verdicts: One verdict per game, in the pair's frame (game 2 already
        swapped back). One game = single-game mode.
      label: The pair's label, ``A>B`` or ``B>A``.
      seen: The same verdicts in the frame each judge saw (for position bias).
        Defaults to deriving them: game 1 unchanged, game 2 swapped.
    """
    if label not in (A_BETTER, B_BETTER):
        raise ValueError(f"label must be 'A>B' or 'B>A', got {label!r}")
    if len(verdicts) not in (1, 2):
        raise ValueError(f"a pair has 1 or 2 games, got {len(verdicts)}")
    if seen is None:
        seen = [v if i == 0 else swap(v) for i, v in enumerate(verdicts)]
    points = sum(game_points(v, label) for v in verdicts)
    correct = points > 0 if len(verdicts) == 2 else verdicts[0] == label
    decisive = [v for v in verdicts if v in (A_BETTER, B_BETTER)]
    return PairOutcome(
        correct=correct,
        points=points,
        games=len(verdicts),
        inconsistent=len(decisive) == 2 and decisive[0] != decisive[1],
        ties=sum(v == TIE for v in verdicts),
        no_verdict=sum(v is None for v in verdicts),
        decisive=len(decisive),
        first_chosen=sum(s == A_BETTER for s in seen),
    )
