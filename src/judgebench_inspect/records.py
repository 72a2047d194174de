"""The records that cross stages: what a solver keeps in the sample's store and a scorer,
the report or the pairs export reads back (game records, candidates, the store keys, the
generate task's log marker).

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

#: Marker the generate task puts in its metadata (found in ``log.eval.metadata``).
GENERATE_MARKER = ("judgebench_task", "generate")
#: The generate task's name, as error messages about its logs give it.
GENERATE_TASK_NAME = "judgebench/generate"

#: Candidate statuses that take part in pair building.
VERIFIED = ("correct", "incorrect")

#: Candidate statuses (see :class:`Candidate`).
STATUSES: tuple[str, ...] = (
    "correct",
    "incorrect",
    "unverified",
    "truncated",
    "empty",
    "grader_disagrees",
    "grader_no_verdict",
)

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


@dataclass
class Candidate:
    """One sampled response and what the checks said about it.

    The generate and solve solvers store it (as a dict), their scorers and the
    pairs export read it back.

    Attributes:
      index: 1-based number of the candidate within its question (and epoch).
      text: The full response.
      answer: The answer the checker extracted (``None`` if none).
      correct: The checker's verdict (``None`` when it could not decide).
      detail: The checker's explanation.
      status: ``correct`` / ``incorrect`` (usable in pairs), ``unverified``
        (checker could not decide: time-out, broken sandbox), ``truncated``
        (the reply hit ``max_tokens``), ``empty`` (no text), ``grader_disagrees``
        (the second grader said the opposite), ``grader_no_verdict`` (the second
        grader gave no readable verdict).
      stop_reason: The model's stop reason.
      grader: The second grader's verdict (``True``/``False``/``None``) and raw
        reply, when a second grader ran.
      epoch: The epoch the candidate was sampled in.
    """

    index: int
    text: str
    answer: str | None
    correct: bool | None
    detail: str
    status: str
    stop_reason: str = "stop"
    grader: dict[str, Any] | None = None
    epoch: int = 1

    @property
    def usable(self) -> bool:
        """Whether the candidate can be one side of a pair."""
        return self.status in VERIFIED

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Candidate":
        """Rebuild a candidate from its stored dict.

        Args:
          data: What ``dataclasses.asdict`` gave.
        """
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


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
    "GENERATE_MARKER",
    "GENERATE_TASK_NAME",
    "MODEL_KEY",
    "SCORE_FIELDS",
    "SOLVE_KEY",
    "STATUSES",
    "VERIFIED",
    "Candidate",
    "GameRecord",
    "game_line",
    "order_name",
]
