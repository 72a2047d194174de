"""Best-of-N groups rebuilt from a run's scored pairs, and the scalar scores a reward model gave.

A benchmark whose rows hold several responses to one prompt (RewardBench 2,
RM-Bench, PPE, RMB's best-of-N set) is judged as pairs whose ids end in
``-c<i>-r<j>``: a chosen (correct) response ``i`` against a rejected
(incorrect) response ``j`` of the group named by the rest of the id. This
module is the one place that reads those ids back and that recovers, from a
reward model's games, the one scalar score each response got, so that a
benchmark can score a reward model by its own definition (the chosen response
must score highest, ...) instead of by pairwise verdicts.

A reward model scores each response once per run (its judge keeps the scores
of responses it has seen), and records both scores of every game
(``extra["scores"]``, in the order shown); a response's score is read from
any game that showed it. Scores of one response that differ between games
(a run resumed on other hardware) are averaged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence, TypeVar

from .rows import GROUP_PAIRS

#: The end of a member pair's id: chosen ``i`` against rejected ``j``.
_MEMBERS = re.compile(r"^(?P<group>.+)-c(?P<chosen>\d+)-r(?P<rejected>\d+)$")

#: A group's key (``(category, group id)`` from :func:`group_pairs`, or a benchmark's own).
K = TypeVar("K")

#: A response of a group: ``("c", i)`` the chosen (correct) response ``i``, ``("r", j)`` a rejected one.
Member = tuple[str, int]


@dataclass(frozen=True)
class PairId:
    """A member pair's id, read back.

    Attributes:
      group: The group's id (the pair id without ``-c<i>-r<j>``).
      chosen: The chosen response's number within the group.
      rejected: The rejected response's number within the group.
    """

    group: str
    chosen: int
    rejected: int


def parse_pair_id(pair_id: str) -> PairId:
    """The group and members a pair id names (``rewardbench2-17-c0-r2`` -> group ``rewardbench2-17``, 0, 2).

    Args:
      pair_id: The pair's id.

    Raises:
      ValueError: The id does not end in ``-c<i>-r<j>``.
    """
    match = _MEMBERS.match(pair_id)
    if match is None:
        raise ValueError(f"pair id {pair_id!r} does not name a group's members (<group>-c<i>-r<j>)")
    return PairId(match["group"], int(match["chosen"]), int(match["rejected"]))


def group_pairs(pairs: Iterable[Any]) -> dict[tuple[str, str], list[Any]]:
    """A run's pairs by category and group, in the order met.

    Args:
      pairs: Scored pairs (``pair_id``, ``category``).
    """
    groups: dict[tuple[str, str], list[Any]] = {}
    for p in pairs:
        groups.setdefault((p.category, parse_pair_id(p.pair_id).group), []).append(p)
    return groups


def expected_size(pair: Any) -> int | None:
    """How many pairs the pair's group has, as its loader tagged it (``None``: not tagged, an older log).

    Args:
      pair: A scored pair (``record["tags"]``).
    """
    tags = (getattr(pair, "record", None) or {}).get("tags")
    size = tags.get(GROUP_PAIRS) if isinstance(tags, Mapping) else None
    return size if isinstance(size, int) and not isinstance(size, bool) else None


def complete_groups(groups: Mapping[K, list[Any]]) -> tuple[dict[K, list[Any]], list[K]]:
    """The groups all of whose pairs were scored, and the keys of those that were not.

    A group some of whose samples errored (or were left out with ``--limit``)
    cannot say whether its chosen response is best: it is left out of the
    benchmark's group scores and named, never scored on the pairs it has. A
    group whose pairs carry no size (a lone pair, an older log) counts as complete.

    Args:
      groups: The pairs of each group, under any key (:func:`group_pairs` gives one).
    """
    complete: dict[K, list[Any]] = {}
    incomplete: list[K] = []
    for key, group in groups.items():
        size = expected_size(group[0])
        if size is None or len(group) >= size:
            complete[key] = group
        else:
            incomplete.append(key)
    return complete, incomplete


def left_out(ids: Iterable[str]) -> dict[str, Any]:
    """What a benchmark's score says of the groups :func:`complete_groups` left out (nothing if none).

    Args:
      ids: The ids of the incomplete groups.
    """
    shown = sorted(ids)
    return {"incomplete_groups": {"count": len(shown), "ids": shown[:20]}} if shown else {}


def left_out_text(score: Mapping[str, Any], what: str = "group(s)") -> str:
    """The report line's remark on the groups left out (``""`` if none).

    Args:
      score: A benchmark's score (what its ``native`` gave).
      what: What a group is called in that benchmark.
    """
    gaps = score.get("incomplete_groups")
    return f" ({gaps['count']} {what} with unscored pairs left out)" if gaps else ""


def _game_scores(game: Mapping[str, Any]) -> dict[str, float] | None:
    """The scalar scores of one game's two responses by the pair's letters (``{"A": 1.5, "B": -0.2}``)."""
    extra = game.get("extra")
    scores = extra.get("scores") if isinstance(extra, Mapping) else None
    order = game.get("order")
    if (
        not isinstance(scores, (list, tuple))
        or not isinstance(order, (list, tuple))
        or len(scores) != 2
        or sorted(order) != ["A", "B"]
        or not all(isinstance(s, (int, float)) and not isinstance(s, bool) for s in scores)
    ):
        return None
    return {str(letter): float(score) for letter, score in zip(order, scores)}


def pair_scores(pair: Any) -> tuple[float, float] | None:
    """The scalar scores of a pair's chosen and rejected response, if its games carry them.

    Args:
      pair: A scored pair (``label``, ``record["games"]``).
    """
    seen: dict[str, list[float]] = {"A": [], "B": []}
    for game in (getattr(pair, "record", None) or {}).get("games") or ():
        scores = _game_scores(game) if isinstance(game, Mapping) else None
        if scores is None:
            return None
        for letter, score in scores.items():
            seen[letter].append(score)
    if not seen["A"]:
        return None
    a, b = (sum(v) / len(v) for v in (seen["A"], seen["B"]))
    return (a, b) if pair.label == "A>B" else (b, a)


def run_scores(pairs: Iterable[Any]) -> dict[str, tuple[float, float]] | None:
    """Each pair's chosen and rejected scores, by pair id, when every pair carries them (a reward
    model's run); ``None`` otherwise, or when there are no pairs.

    Args:
      pairs: A run's scored pairs.
    """
    out: dict[str, tuple[float, float]] = {}
    for p in pairs:
        scores = pair_scores(p)
        if scores is None:
            return None
        out[p.pair_id] = scores
    return out or None


def member_scores(group: Sequence[Any]) -> dict[Member, float] | None:
    """Each response's scalar score in a group (``None`` unless every game of every pair carries scores).

    Args:
      group: The group's scored pairs.
    """
    found: dict[Member, list[float]] = {}
    for p in group:
        scores = pair_scores(p)
        if scores is None:
            return None
        ids = parse_pair_id(p.pair_id)
        found.setdefault(("c", ids.chosen), []).append(scores[0])
        found.setdefault(("r", ids.rejected), []).append(scores[1])
    return {m: sum(v) / len(v) for m, v in found.items()}


def scored_groups(groups: Mapping[tuple[str, str], Sequence[Any]]) -> dict[tuple[str, str], dict[Member, float]] | None:
    """Every group's member scores, or ``None`` when some group lacks them (not a reward model's run).

    Args:
      groups: What :func:`group_pairs` gave.
    """
    out = {}
    for key, group in groups.items():
        scores = member_scores(group)
        if scores is None:
            return None
        out[key] = scores
    return out


def chosen_wins_all(group: Sequence[Any]) -> bool:
    """Whether the chosen response wins every pair of its group by the pair rule.

    Args:
      group: The group's scored pairs (``outcome``).
    """
    return all(p.outcome.correct for p in group)


__all__ = [
    "Member",
    "PairId",
    "chosen_wins_all",
    "complete_groups",
    "expected_size",
    "group_pairs",
    "left_out",
    "left_out_text",
    "member_scores",
    "pair_scores",
    "parse_pair_id",
    "run_scores",
    "scored_groups",
]
