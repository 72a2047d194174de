"""MMLU-Pro checker: unit cases and agreement with JudgeBench's labels on all 308 pairs."""

from __future__ import annotations

import asyncio
import json

import pytest

from judgebench_inspect.generation.checkers.mmlu_pro import check, check_async, extract_letter
from judgebench_inspect.generation.sources import SourceQuestion
from judgebench_inspect.generation.sources.mmlu_pro import load_mmlu_pro

from support import DATA

ZIP = DATA / "sources" / "mmlu-pro" / "model_outputs_jamba-1.5-large_5shots.zip"
PAIR_FILES = {
    "gpt": DATA / "judgebench" / "pairs-gpt.jsonl",
    "claude": DATA / "judgebench" / "pairs-claude.jsonl",
}


def _item(answer: str) -> SourceQuestion:
    return SourceQuestion("mmlu-pro-math", "1", 1, "prompt", answer, "math")


@pytest.mark.parametrize(
    ("response", "letter"),
    [
        ("The answer is (K).\nKKKKK", "K"),
        ("First I thought AAAAA, but on reflection: BBBBB.", "B"),
        ("Final: CCCCCC", "C"),  # longer runs count (published labels need it)
        ("CCCCCCCCCC", "C"),
        ("**DDDDD**", "D"),
        ("The answer is E. EEEE", None),  # four is not enough
        ("eeeee", None),  # lower case does not count
        ("ABCDE FGHIJ", None),
        ("", None),
    ],
)
def test_extract_letter(response: str, letter: str | None) -> None:
    assert extract_letter(response) == letter


def test_check_compares_with_the_answer_letter() -> None:
    right = check("so the answer is (B)\nBBBBB", _item("B"))
    assert right.correct and right.extracted == "B"
    wrong = check("AAAAA", _item("B"))
    assert not wrong.correct and wrong.extracted == "A" and "expected B" in wrong.detail
    none = check("The answer is (B).", _item("B"))
    assert not none.correct and none.extracted is None
    assert asyncio.run(check_async("BBBBB", _item("B"))) == check("BBBBB", _item("B"))


def test_reproduces_judgebench_labels_on_all_308_pairs() -> None:
    """For every MMLU-Pro pair: the labelled winner is correct and the loser is not."""
    by_id = {q.original_id: q for q in load_mmlu_pro(ZIP)}
    agree: dict[str, int] = {}
    misses: list[tuple[str, int]] = []
    for split, file in PAIR_FILES.items():
        for line in file.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            if not pair["source"].startswith("mmlu-pro-"):
                continue
            item = by_id[pair["original_id"]]
            winner, loser = (
                (pair["response_A"], pair["response_B"])
                if pair["label"] == "A>B"
                else (pair["response_B"], pair["response_A"])
            )
            if check(winner, item).correct and not check(loser, item).correct:
                agree[split] = agree.get(split, 0) + 1
            else:
                misses.append((split, pair["original_id"]))
    assert misses == []
    assert agree == {"gpt": 154, "claude": 154}
