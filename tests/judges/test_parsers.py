"""Parsers of the vanilla and Arena-Hard judges, on recorded outputs and edge cases."""

from __future__ import annotations

import json

import pytest

from judgebench_inspect.judges.arena_hard import parse_arena_hard
from judgebench_inspect.judges.vanilla import parse_vanilla
from judgebench_inspect.verdicts import swap

from support import O1_MINI


def test_arena_hard_parser_reproduces_every_recorded_decision() -> None:
    """All 700 recorded o1-mini texts parse to the decision JudgeBench recorded."""
    n = 0
    for line in O1_MINI.open():
        row = json.loads(line)
        for game in row["judgments"]:
            verdict, _ = parse_arena_hard(game["judgment"]["response"])
            assert verdict == game["decision"], game["judgment"]["response"][-200:]
            n += 1
    assert n == 700


@pytest.mark.parametrize(
    "text,verdict",
    [
        ("My final verdict is: [[A>>B]]", "A>B"),
        ("so [[A>B]]", "A>B"),
        ("tie [[A=B]]", "A=B"),
        ("[[B>A]]", "B>A"),
        ("[[B>>A]]\n", "B>A"),
        ("I said [[A>B]] and again [[A>B]]", "A>B"),  # same label twice is fine
        ("[[A>>B]] ... on reflection [[A>B]]", None),  # two distinct labels
        ("first [[A>B]] then [[B>A]]", None),
        ("no label at all", None),
        ("[[ A>B ]]", None),  # whitespace inside is not a label
        ("[[A<B]]", None),  # not one of the five
        ("[[]]", None),
    ],
)
def test_arena_hard_parser_edges(text: str, verdict: str | None) -> None:
    assert parse_arena_hard(text)[0] == verdict


def test_arena_hard_notes() -> None:
    assert "several" in parse_arena_hard("[[A>B]] [[B>A]]")[1]
    assert parse_arena_hard("nothing")[1] == "no verdict label"


@pytest.mark.parametrize(
    "text,verdict",
    [
        ("Output (a)", "A>B"),
        ("  Output (b)\n", "B>A"),
        ("Output (a).", None),
        ("output (a)", None),
        ("Output (a) is better", None),
        ("Output (c)", None),
        ("", None),
    ],
)
def test_vanilla_parser(text: str, verdict: str | None) -> None:
    assert parse_vanilla(text) == verdict


def test_swap_of_arena_labels() -> None:
    assert swap(parse_arena_hard("[[B>>A]]")[0]) == "A>B"
