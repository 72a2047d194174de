"""Checkers for LiveBench reasoning tasks (web_of_lies_v2, spatial, zebra_puzzle).

The rules follow what LiveBench's scorers did in October 2024, when JudgeBench
graded its responses (our own code; facts read from LiveBench's public
`process_results` modules):

- web_of_lies_v2: the last bold span (`**...**`) must equal the three-word
  answer, or hold exactly three yes/no words and contain the answer.
- spatial: one of the last three bold spans must be the answer, the number
  spelled out as a word, or (for shape answers) a short phrase naming the shape.
- zebra_puzzle (2024 questions): the last `***word***` (or, when there is none,
  the last word of the reply) must be the answer, also accepting a digit for a
  number word and a missing trailing " movies". Newer questions (released from
  2024-11-25) ask for `<solution>a, b, c</solution>`; there every item must match
  (LiveBench gives partial credit; a pair needs right or wrong, so we require all).

These rules are lenient: both responses of a pair are sometimes accepted, which
is why they agree with JudgeBench's labels on fewer pairs than the MMLU-Pro
checker (see docs/checker-agreement.md).
"""

from __future__ import annotations

import re

from judgebench_inspect.generation.checkers import CheckResult
from judgebench_inspect.generation.sources import SourceQuestion

REASONING_TASKS = ("web_of_lies_v2", "spatial", "zebra_puzzle")

_BOLD_LAZY = re.compile(r"\*\*(.*?)\*\*")
_BOLD_NO_STAR = re.compile(r"\*\*([^*]+)\*\*")
_TRIPLE_BOLD_WORD = re.compile(r"\*\*\*(\w+)\*\*\*")
_WORD = re.compile(r"\b\w+\b")
_SOLUTION = re.compile(r"<solution>(.*?)</solution>", re.DOTALL)

_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_DIGIT_TO_WORD = {digit: word for word, digit in _NUMBER_WORDS.items() if 1 <= int(digit) <= 9}
_SHAPES = ("tetrahedra", "tetrahedron", "triangle", "square")

# Zebra questions released on or after this date use <solution> tags.
_ZEBRA_SOLUTION_FORMAT_DATE = "2024-11-25"


def check(response: str, item: SourceQuestion) -> CheckResult:
    """Check a response to a LiveBench reasoning question.

    Args:
        response: The model's full answer.
        item: The question; `item.task` selects the rule.

    Returns:
        The check result.

    Raises:
        ValueError: The task is not a supported reasoning task.
    """
    truth = item.ground_truth
    if item.task == "web_of_lies_v2":
        return check_web_of_lies(response, truth)
    if item.task == "spatial":
        return check_spatial(response, truth)
    if item.task == "zebra_puzzle":
        release = str(item.metadata.get("livebench_release_date") or "")[:10]
        if "<solution>" in item.prompt or release >= _ZEBRA_SOLUTION_FORMAT_DATE:
            return check_zebra_solution(response, truth)
        return check_zebra_word(response, truth)
    raise ValueError(
        f"No LiveBench reasoning checker for task {item.task!r}; supported: {REASONING_TASKS}"
    )


async def check_async(response: str, item: SourceQuestion) -> CheckResult:
    """Async form of `check` (string rules are fast; no worker needed).

    Args:
        response: The model's full answer.
        item: The question; `item.task` selects the rule.

    Returns:
        Same as `check`.
    """
    return check(response, item)


def check_web_of_lies(response: str, truth: str) -> CheckResult:
    """web_of_lies_v2: read the last bold span.

    Args:
        response: The model's full answer.
        truth: The answer, e.g. "yes, no, yes".

    Returns:
        Correct when the last bold span equals the answer, or names exactly
        three yes/no words and contains the answer.
    """
    spans = _BOLD_LAZY.findall(response)
    if not spans:
        return CheckResult(False, None, "no bold answer")
    last = spans[-1].lower()
    want = truth.lower()
    if last == want:
        return CheckResult(True, spans[-1], "last bold span equals the answer")
    # Counting substrings on purpose: LiveBench's rule counted "yes"/"no" text
    # occurrences, not whole words.
    if last.count("yes") + last.count("no") == 3 and want in last:
        return CheckResult(
            True, spans[-1], "last bold span holds three yes/no words including the answer"
        )
    return CheckResult(False, spans[-1], f"last bold span is not {truth!r}")


def check_spatial(response: str, truth: str) -> CheckResult:
    """spatial: look at the last three bold spans.

    Args:
        response: The model's full answer.
        truth: The answer, e.g. "3" or "triangle".

    Returns:
        Correct when one of the last three bold spans (latest first) is the
        answer, the answer as a number word, or a short phrase containing a
        shape answer (e.g. "two triangles" for "triangle").
    """
    spans = [s.strip().lower() for s in _BOLD_NO_STAR.findall(response)]
    if not spans:
        return CheckResult(False, None, "no bold answer")
    want = truth.strip().lower()
    for span in reversed(spans[-3:]):
        if span == want:
            return CheckResult(True, span, "bold span equals the answer")
        if _NUMBER_WORDS.get(span) == want:
            return CheckResult(True, span, "bold number word equals the answer")
        if want in _SHAPES and want in span and len(span) < 2 * len(want) + 5:
            return CheckResult(True, span, "bold phrase names the shape")
    return CheckResult(False, spans[-1], f"none of the last three bold spans is {truth!r}")


def check_zebra_word(response: str, truth: str) -> CheckResult:
    """zebra_puzzle (2024 format, one answer as `***X***`).

    Args:
        response: The model's full answer.
        truth: The one-word answer.

    Returns:
        Correct when the last `***word***` (or, without one, the last word of
        the response) equals the answer, is the digit of a number-word answer,
        or equals the answer without a trailing " movies".
    """
    marked = _TRIPLE_BOLD_WORD.findall(response)
    if marked:
        found, where = marked[-1], "last ***word***"
    else:
        words = _WORD.findall(response)
        found, where = (words[-1] if words else ""), "last word (no ***word***)"
    want = truth.lower()
    got = found.lower()
    if got == want or _DIGIT_TO_WORD.get(got) == want or got + " movies" == want:
        return CheckResult(True, found, f"{where} matches")
    return CheckResult(False, found or None, f"{where} is not {truth!r}")


def check_zebra_solution(response: str, truth: str) -> CheckResult:
    """zebra_puzzle (format from 2024-11-25: `<solution>a, b, c</solution>`).

    Args:
        response: The model's full answer.
        truth: Comma-separated answers.

    Returns:
        Correct only when every answer matches its item of the last solution
        tag (case-insensitive; hyphens read as spaces; an item that contains
        the answer counts).
    """
    found = _SOLUTION.findall(response)
    if not found:
        return CheckResult(False, None, "no <solution> tag")
    wanted = [_zebra_norm(part) for part in truth.split(",")]
    given = [_zebra_norm(part).replace("position", "").strip() for part in found[-1].split(",")]
    right = sum(1 for i, want in enumerate(wanted) if i < len(given) and want in given[i])
    if right == len(wanted):
        return CheckResult(True, found[-1], "every item matches")
    return CheckResult(False, found[-1], f"{right} of {len(wanted)} items match")


def _zebra_norm(text: str) -> str:
    return text.strip().lower().replace("-", " ")


__all__ = [
    "REASONING_TASKS",
    "check",
    "check_async",
    "check_web_of_lies",
    "check_spatial",
    "check_zebra_word",
    "check_zebra_solution",
]
