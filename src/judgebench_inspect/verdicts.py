"""Verdict labels and the order swap: the one place these ideas live.

A verdict says which of two responses a judge preferred. It is always one of
``"A>B"``, ``"B>A"``, ``"A=B"`` (tie) or ``None`` (no parseable verdict).
A verdict is either in the *frame the judge saw* (``A`` = the response shown
first) or in the *pair's frame* (``A`` = ``response_A`` of the pair row).
"""

from __future__ import annotations

from typing import Final, Literal, Optional

A_BETTER: Final = "A>B"
B_BETTER: Final = "B>A"
TIE: Final = "A=B"

Label = Literal["A>B", "B>A"]
Verdict = Optional[Literal["A>B", "B>A", "A=B"]]

#: Labels a pair can carry (the correct response is A or B).
LABELS: tuple[str, ...] = (A_BETTER, B_BETTER)
#: Verdicts a judge can give (a tie is allowed, ``None`` is "no verdict").
VERDICTS: tuple[str, ...] = (A_BETTER, B_BETTER, TIE)

_SWAPPED = {A_BETTER: B_BETTER, B_BETTER: A_BETTER, TIE: TIE, None: None}

#: The two presentation orders of a pair: game 1 shows (A, B), game 2 (B, A).
ORDERS: tuple[tuple[str, str], ...] = (("A", "B"), ("B", "A"))


def swap(verdict: Verdict) -> Verdict:
    """Mirror a verdict between the two presentation orders.

    Args:
      verdict: A verdict (or ``None``).

    Returns:
      ``A>B`` <-> ``B>A``; ties and ``None`` are unchanged.
    """
    if verdict not in _SWAPPED:
        raise ValueError(f"not a verdict: {verdict!r} (expected one of {VERDICTS} or None)")
    return _SWAPPED[verdict]  # type: ignore[return-value]


def to_pair_frame(verdict: Verdict, order: tuple[str, str]) -> Verdict:
    """Map a verdict given in the frame the judge saw back to the pair's frame.

    Args:
      verdict: Verdict in the judge's frame (``A`` = first shown).
      order: The presentation order, ``("A", "B")`` or ``("B", "A")``.
    """
    if order == ("A", "B"):
        return verdict
    if order == ("B", "A"):
        return swap(verdict)
    raise ValueError(f"not a presentation order: {order!r}")


def from_winner(first_wins: bool | None) -> Verdict:
    """Verdict (judge's frame) from "did the first-shown response win?" (None = tie)."""
    if first_wins is None:
        return TIE
    return A_BETTER if first_wins else B_BETTER
