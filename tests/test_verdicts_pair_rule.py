"""The pair rule and the order swap (reference section 2)."""

from __future__ import annotations

import json

import pytest

from judgebench_inspect.categories import category_of
from judgebench_inspect.pair_rule import game_points, score_pair
from judgebench_inspect.verdicts import swap, to_pair_frame

from support import JUDGEBENCH, O1_MINI, O1_MINI_NUMBERS


def test_swap_and_frames() -> None:
    assert swap("A>B") == "B>A" and swap("B>A") == "A>B"
    assert swap("A=B") == "A=B" and swap(None) is None
    assert to_pair_frame("A>B", ("B", "A")) == "B>A"
    assert to_pair_frame("A>B", ("A", "B")) == "A>B"
    with pytest.raises(ValueError):
        swap("A>>B")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "verdicts,label,correct,inconsistent",
    [
        (["A>B", "A>B"], "A>B", True, False),  # right + right
        (["A>B", "A=B"], "A>B", True, False),  # right + tie
        (["A>B", None], "A>B", True, False),  # right + none
        (["A>B", "B>A"], "A>B", False, True),  # inconsistent
        (["A=B", "A=B"], "A>B", False, False),  # tie + tie
        ([None, None], "A>B", False, False),
        (["B>A", "A=B"], "A>B", False, False),
        (["B>A", "B>A"], "B>A", True, False),
        (["A=B", "B>A"], "B>A", True, False),
    ],
)
def test_pair_rule(verdicts: list, label: str, correct: bool, inconsistent: bool) -> None:
    out = score_pair(verdicts, label)
    assert out.correct is correct
    assert out.inconsistent is inconsistent
    assert out.points == sum(game_points(v, label) for v in verdicts)


def test_single_game_and_position() -> None:
    assert score_pair(["A>B"], "A>B").correct
    assert not score_pair(["A=B"], "A>B").correct
    # game 2 saw (B, A): a pair-frame "A>B" in game 2 means the judge chose the SECOND shown
    out = score_pair(["A>B", "A>B"], "A>B")
    assert out.first_chosen == 1 and out.decisive == 2
    # always-first judge: game 1 A>B, game 2 (seen A>B) -> B>A in the pair frame
    out = score_pair(["A>B", "B>A"], "A>B")
    assert out.first_chosen == 2 and not out.correct
    with pytest.raises(ValueError):
        score_pair(["A>B"], "A=B")


def test_categories() -> None:
    assert category_of("mmlu-pro-computer science") == "knowledge"
    assert category_of("livebench-reasoning") == "reasoning"
    assert category_of("livebench-math") == "math"
    assert category_of("livecodebench") == "coding"
    assert category_of("mmlu") is None


@pytest.mark.parametrize("name", sorted(p.name for p in JUDGEBENCH.glob("judged-*.jsonl")))
def test_recorded_decisions_recount(name: str) -> None:
    """Re-counting recorded decisions with the rule gives the published numbers (a sanity check
    of the rule itself; the replay tests feed the raw texts through the judges)."""
    expected = {
        "judged-gpt-arena_hard-o1-mini.jsonl": 65.71,
        "judged-gpt-reward-skywork-gemma-2-27b.jsonl": 64.29,
        "judged-gpt-reward-skywork-llama-3.1-8b.jsonl": 62.29,
        "judged-gpt-reward-internlm2-20b.jsonl": 63.43,
        "judged-gpt-reward-grm-gemma-2b.jsonl": 59.43,
    }[name]
    rows = [json.loads(line) for line in (JUDGEBENCH / name).open()]
    correct = 0
    for r in rows:
        ds = [g["decision"] if g else None for g in r["judgments"]]
        correct += score_pair([ds[0], swap(ds[1])], r["label"]).correct
    assert round(100 * correct / len(rows), 2) == expected
    if name == O1_MINI.name:
        assert expected == O1_MINI_NUMBERS["overall"]
