"""The records that cross stages: what a solver keeps in the sample's store and a scorer,
the report or the pairs export reads back.

Solvers write these records, scorers and readers read them; neither imports the
other. The store keys are plain strings (not an Inspect ``StoreModel``, whose
keys are ``Class:field``) because logs written by earlier versions are read with
these exact keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .verdicts import Verdict

#: Key of the game records in ``state.store`` (the full records, raw judge text included).
GAMES_KEY = "judgebench_games"
#: Key of the generate task's checked candidates in ``state.store``.
CANDIDATES_KEY = "judgebench_candidates"
#: Key of the model that wrote the generate task's candidates.
MODEL_KEY = "judgebench_response_model"
#: Key of the solve task's one checked answer in ``state.store``.
SOLVE_KEY = "judgebench_solve"

#: Fields of a game record that the pair score repeats in its metadata. The raw
#: text and judge-specific extras stay in the store (and the transcript) only:
#: Inspect keeps every score in memory until the run's final metrics.
SCORE_FIELDS: tuple[str, ...] = ("game", "order", "seen", "verdict", "note", "upstream", "unreadable", "exact")


@dataclass
class GameRecord:
    """One game as kept in the sample's store and shown in the score.

    Attributes:
      game: 1 or 2.
      order: Which response was shown first and second, e.g. ``["B", "A"]``.
      seen: Verdict in the frame the judge saw.
      verdict: Verdict mapped back to the pair's frame.
      raw: The judge's text the verdict was read from.
      note: Why there is no verdict, or other parsing remarks.
      extra: Judge-specific details.
      upstream: The verdict JudgeBench's own parser reads from the same
        reply, in the pair's frame (ours where JudgeBench has no parser).
      unreadable: The reply could not be read and the judge's rule made it a tie.
      exact: The game's requests were exactly JudgeBench's (``None``: the
        judge sends no prompt, as a reward model).
      request: What was sent: ``prompts`` mode, ``exact``, ``why`` not, model family.
    """

    game: int
    order: list[str]
    seen: Verdict
    verdict: Verdict
    raw: str
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    upstream: Verdict = None
    unreadable: bool = False
    exact: bool | None = None
    request: dict[str, Any] = field(default_factory=dict)


def order_name(order: Sequence[str]) -> str:
    """``"A first"`` or ``"B first"``.

    Args:
      order: The order the responses were shown in, e.g. ``["B", "A"]``.
    """
    return f"{order[0]} first"


def game_line(game: Mapping[str, Any]) -> str:
    """One game in a line, e.g. ``game 2, B first: A>B (= B>A for the pair) [note]``.

    Args:
      game: A game record as stored (the dict of a :class:`GameRecord`, or
        the :data:`SCORE_FIELDS` of one).
    """
    seen = game["seen"] or "no verdict"
    mapped = f" (= {game['verdict']} for the pair)" if game["order"][0] == "B" and game["verdict"] else ""
    note = f" [{game['note']}]" if game.get("note") else ""
    return f"game {game['game']}, {order_name(game['order'])}: {seen}{mapped}{note}"


__all__ = [
    "CANDIDATES_KEY",
    "GAMES_KEY",
    "MODEL_KEY",
    "SCORE_FIELDS",
    "SOLVE_KEY",
    "GameRecord",
    "game_line",
    "order_name",
]
