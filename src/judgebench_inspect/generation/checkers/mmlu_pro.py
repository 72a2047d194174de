"""Checker for MMLU-Pro responses in JudgeBench's format.

The prompt asks the model to finish by writing its chosen letter five times in
a row (e.g. "KKKKK"). The checker reads the last such run: one capital letter
written five or more times in a row. Longer runs must count: some labelled-correct
published responses end with "CCCCCC" or "CCCCCCCCCC", and requiring exactly five
letters would get 5 gpt-split pairs wrong. With this rule the checker reproduces
JudgeBench's labels on all 308 published MMLU-Pro pairs (154 per split); the
official MMLU-Pro "answer is (X)" extraction does not.
"""

from __future__ import annotations

import re

from judgebench_inspect.generation.checkers import CheckResult
from judgebench_inspect.generation.sources import SourceQuestion

# Maximal runs of one capital letter; runs shorter than five are ignored.
_RUN = re.compile(r"([A-Z])\1*")
_RUN_LENGTH = 5


def extract_letter(response: str) -> str | None:
    """Return the letter of the last run of five or more identical capital letters.

    Args:
        response: The model's full answer.

    Returns:
        The letter, or None if no such run exists.
    """
    letter: str | None = None
    for match in _RUN.finditer(response):
        if len(match.group(0)) >= _RUN_LENGTH:
            letter = match.group(1)
    return letter


def check(response: str, item: SourceQuestion) -> CheckResult:
    """Check an MMLU-Pro response against the answer letter.

    Args:
        response: The model's full answer.
        item: The question (its `ground_truth` is the answer letter).

    Returns:
        Correct when the last five-letter run spells the answer letter.
    """
    letter = extract_letter(response)
    if letter is None:
        return CheckResult(False, None, "no letter written five times in a row")
    truth = item.ground_truth.strip().upper()
    if letter == truth:
        return CheckResult(True, letter, f"answered {letter}")
    return CheckResult(False, letter, f"answered {letter}, expected {truth}")


async def check_async(response: str, item: SourceQuestion) -> CheckResult:
    """Async form of `check` (the rule is a fast string match; no worker needed).

    Args:
        response: The model's full answer.
        item: The question.

    Returns:
        Same as `check`.
    """
    return check(response, item)


__all__ = ["check", "check_async", "extract_letter"]
