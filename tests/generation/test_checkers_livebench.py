"""LiveBench checkers: unit cases, worker timeouts, agreement with JudgeBench's labels.

The agreement test applies the checkers to both responses of every LiveBench
pair of both published splits and compares with the labels; its table is the
one written down in docs/checker-agreement.md (run with `-s` to print it).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter

import pytest

from judgebench_inspect.generation.checkers import CheckResult, _worker
from judgebench_inspect.generation.checkers import livebench_math as lm
from judgebench_inspect.generation.checkers import livebench_reasoning as lr
from judgebench_inspect.generation.sources import SourceQuestion
from judgebench_inspect.generation.sources.livebench import load_livebench

from support import DATA, REPO

LIVEBENCH = DATA / "sources" / "livebench"
PAIR_FILES = {
    "gpt": DATA / "judgebench" / "pairs-gpt.jsonl",
    "claude": DATA / "judgebench" / "pairs-claude.jsonl",
}
TASKS = ("web_of_lies_v2", "spatial", "zebra_puzzle", "AMPS_Hard", "math_comp")

#: Agreement per task over both splits (the October-2024 LiveBench scorers give the same).
EXPECTED_AGREE = {
    "web_of_lies_v2": 59,
    "spatial": 37,
    "zebra_puzzle": 37,
    "AMPS_Hard": 31,
    "math_comp": 40,
}
EXPECTED_TOTAL = {
    "web_of_lies_v2": 59,
    "spatial": 43,
    "zebra_puzzle": 47,
    "AMPS_Hard": 35,
    "math_comp": 55,
}

# A wrong AMPS answer whose sympy comparison takes seconds (used for timeouts).
SLOW_TRUTH = (
    "\\frac{\\log (10) \\left(-\\frac{2 \\cos \\left(\\sqrt{x+8}\\right)}{x}-\\frac{\\log (5 x) "
    "\\sin \\left(\\sqrt{x+8}\\right)}{\\sqrt{x+8}}\\right)}{2 \\log ^2(5 x)}"
)
SLOW_RESPONSE = (
    "$\\boxed{\\frac{log(10) \\cdot (-sin(\\sqrt{x+8})) \\cdot (1/2(x+8)^{-1/2}) \\cdot log(5x) "
    "- log(10)cos(\\sqrt{x+8}) \\cdot (1/x)}{(log(5x))^2}}$"
)


def _item(task: str, truth: str, prompt: str = "question", **metadata: object) -> SourceQuestion:
    source = "livebench-math" if task in lm.MATH_TASKS else "livebench-reasoning"
    return SourceQuestion(source, "id", None, prompt, truth, task, dict(metadata))


# ---------------------------------------------------------------- reasoning


@pytest.mark.parametrize(
    ("response", "correct"),
    [
        ("Thinking... **yes, no, yes**", True),
        ("**Yes, No, Yes**", True),
        ("The answers: **no, yes, yes**", False),
        ("**yes, no, yes** but wait, actually **no**", False),  # only the last bold counts
        ("So: **yes, no, yes.**", True),  # three yes/no words that contain the answer
        ("yes, no, yes", False),  # no bold
    ],
)
def test_web_of_lies(response: str, correct: bool) -> None:
    assert lr.check(response, _item("web_of_lies_v2", "yes, no, yes")).correct is correct


@pytest.mark.parametrize(
    ("response", "truth", "correct"),
    [
        ("There are **4** pieces.", "4", True),
        ("**four**", "4", True),
        ("**4** ... **5** ... **6** ... **7**", "4", False),  # outside the last three
        ("**4** then **5** then **6**", "4", True),
        ("They are **two triangles**.", "triangle", True),
        ("**circle, square and triangle**", "triangle", False),  # too long a phrase
        ("4 pieces", "4", False),
    ],
)
def test_spatial(response: str, truth: str, correct: bool) -> None:
    assert lr.check(response, _item("spatial", truth)).correct is correct


def test_zebra_word_format() -> None:
    item = _item("zebra_puzzle", "three", livebench_release_date="2024-06-24")
    assert lr.check("... so ***3***", item).correct
    assert lr.check("***three***", item).correct
    assert not lr.check("***4***", item).correct
    assert lr.check("no markers, the answer is three", item).correct  # last word
    movies = _item("zebra_puzzle", "action movies", livebench_release_date="2024-06-24")
    assert lr.check("***action***", movies).correct
    result = lr.check("***tea*** and later ***juice***", _item("zebra_puzzle", "tea"))
    assert not result.correct and result.extracted == "juice"


def test_zebra_solution_format() -> None:
    item = _item(
        "zebra_puzzle", "1, filmmaking, police-officer", livebench_release_date="2024-11-25"
    )
    assert lr.check("<solution>1, Filmmaking, police officer</solution>", item).correct
    partial = lr.check("<solution>2, filmmaking, police-officer</solution>", item)
    assert not partial.correct and partial.detail == "2 of 3 items match"
    assert not lr.check("***1***", item).correct


def test_reasoning_async_form() -> None:
    item = _item("spatial", "4")
    assert asyncio.run(lr.check_async("**4**", item)) == lr.check("**4**", item)


def test_reasoning_rejects_other_tasks() -> None:
    with pytest.raises(ValueError, match="No LiveBench reasoning checker"):
        lr.check("x", _item("AMPS_Hard", "1"))


# ---------------------------------------------------------------- math_comp

AMC_PROMPT = (
    "What is it? $\\textbf{(A) }4\\qquad\\textbf{(B) }8\\qquad\\textbf{(C) }10\\qquad"
    "\\textbf{(D) }12\\qquad\\textbf{(E) }14$ If unsure, guess; write the letter five times."
)


@pytest.mark.parametrize(
    ("response", "correct", "detail"),
    [
        ("So the answer is EEEEE", True, "four or more"),
        ("EEEEEEEE", True, "four or more"),
        ("I pick \\boxed{E}", True, "boxed letter"),
        ("The sum is \\boxed{14}", True, "text of the right option"),
        ("The sum is 14, which is not among... actually it is, final DDDDD", False, "expected E"),
        ("EEE", False, "expected E"),
    ],
)
def test_math_comp_letters(response: str, correct: bool, detail: str) -> None:
    item = _item("math_comp", "E", AMC_PROMPT, subtask="smc")
    result = lm.check(response, item)
    assert result.correct is correct
    assert detail in result.detail


def test_math_comp_option_value_and_aime() -> None:
    assert lm.option_value(AMC_PROMPT, "C") == "10"
    assert lm.option_value(AMC_PROMPT, "F") is None
    aime = _item("math_comp", "055", subtask="aime_ii_2024")
    assert lm.check("Thus the answer is \\boxed{055}.", aime).correct
    assert not lm.check("The answer is 055." + " Let me double-check everything." * 2, aime).correct


# ---------------------------------------------------------------- AMPS_Hard


def test_last_boxed_and_normalisation() -> None:
    assert lm.last_boxed("a \\boxed{1} b \\boxed{\\frac{1}{2}} c") == "\\frac{1}{2}"
    assert lm.last_boxed("\\fbox{x^{2}}") == "x^{2}"
    assert lm.last_boxed("$\\boxed 5$") == "5"
    assert lm.last_boxed("\\boxed{unclosed") is None
    assert lm.last_boxed("no box") is None
    assert lm.normalize_answer("y = \\frac12") == " \\frac{1}{2}"
    assert lm.normalize_answer("\\text{undefined}") == "undefined"
    assert lm.normalize_answer("1,000") == "1000"
    assert lm.extract_amps_answer("\\boxed{e^{x} + C}") == "e^{x} "
    assert lm.extract_amps_answer("\\boxed{\\left(x\\right)}") == "(x)"


@pytest.mark.parametrize(
    ("truth", "response", "correct"),
    [
        ("\\frac{2}{2 x+1}", "\\boxed{\\frac{2}{2x+1}}", True),
        (
            "\\frac{2}{2 x+1}",
            "\\boxed{\\frac{1}{x + \\frac{1}{2}}}",
            True,
        ),  # equal after simplification
        ("\\frac{29}{\\sqrt{2}}", "\\boxed{20.5061}", True),  # within 1e-3
        ("\\frac{29}{\\sqrt{2}}", "\\boxed{20.51}", False),
        ("e^{\\sqrt{4 x+2}}", "\\boxed{e^{\\sqrt{4x + 2}} + C}", True),
        ("\\frac{529}{2}", "\\boxed{\\text{undefined}}", False),
    ],
)
def test_amps_hard_sync(truth: str, response: str, correct: bool) -> None:
    result = lm.check(response, _item("AMPS_Hard", truth), timeout=60)
    assert result.correct is correct, result


def test_amps_hard_without_box_is_incorrect() -> None:
    result = lm.check("The answer is 5.", _item("AMPS_Hard", "5"))
    assert result == CheckResult(False, None, "no \\boxed{} answer")


def test_math_rejects_other_tasks() -> None:
    with pytest.raises(ValueError, match="No LiveBench math checker"):
        lm.check("x", _item("olympiad", "1"))


# ---------------------------------------------------------------- worker


def test_async_timeout_is_reported_and_the_pool_recovers() -> None:
    async def main() -> tuple[CheckResult, float, CheckResult]:
        await _worker.run_async(lm._warm_up, timeout=120)  # pool up before timing
        start = time.monotonic()
        slow = await lm.check_async(SLOW_RESPONSE, _item("AMPS_Hard", SLOW_TRUTH), timeout=0.05)
        elapsed = time.monotonic() - start
        after = await lm.check_async("\\boxed{2}", _item("AMPS_Hard", "2"), timeout=120)
        return slow, elapsed, after

    slow, elapsed, after = asyncio.run(main())
    assert slow == CheckResult(False, lm.extract_amps_answer(SLOW_RESPONSE), "timeout")
    assert elapsed < 2
    assert after.correct


def test_sync_timeout_and_recovery() -> None:
    with pytest.raises(_worker.WorkerTimeout):
        _worker.run_sync(time.sleep, 60, timeout=0.3)
    assert lm.check("\\boxed{3}", _item("AMPS_Hard", "3"), timeout=120).correct


def test_waiting_for_a_worker_does_not_block_the_event_loop() -> None:
    async def main() -> int:
        await _worker.run_async(lm._warm_up, timeout=120)
        ticks = 0
        done = asyncio.Event()

        async def tick() -> None:
            nonlocal ticks
            while not done.is_set():
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())
        await _worker.run_async(time.sleep, 1.0, timeout=60)
        done.set()
        await ticker
        return ticks

    assert asyncio.run(main()) >= 20  # the loop kept running while the worker slept


# ---------------------------------------------------------------- agreement


def _pairs() -> list[tuple[str, SourceQuestion, str, str]]:
    """(split, question, winner response, loser response) for every LiveBench pair."""
    by_prompt = {
        q.prompt: q for cat in ("reasoning", "math") for q in load_livebench(cat, LIVEBENCH)
    }
    rows = []
    for split, file in PAIR_FILES.items():
        for line in file.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            if not pair["source"].startswith("livebench-"):
                continue
            item = by_prompt[pair["question"]]
            winner, loser = (
                (pair["response_A"], pair["response_B"])
                if pair["label"] == "A>B"
                else (pair["response_B"], pair["response_A"])
            )
            rows.append((split, item, winner, loser))
    return rows


async def _check_all(
    rows: list[tuple[str, SourceQuestion, str, str]],
) -> list[tuple[CheckResult, CheckResult]]:
    async def one(item: SourceQuestion, response: str) -> CheckResult:
        if item.task in lm.MATH_TASKS:
            # Generous timeout: a timeout here would be load, not the checker.
            return await lm.check_async(response, item, timeout=300)
        return lr.check(response, item)

    results = await asyncio.gather(*(one(item, r) for _, item, w, lo in rows for r in (w, lo)))
    return [(results[2 * i], results[2 * i + 1]) for i in range(len(rows))]


OUTCOMES = {
    (True, False): "agree",
    (True, True): "both accepted",
    (False, False): "both rejected",
    (False, True): "reversed",
}


def _table(
    rows: list[tuple[str, SourceQuestion, str, str]],
    results: list[tuple[CheckResult, CheckResult]],
) -> list[str]:
    """Markdown table rows, one per task and one for all tasks (columns as in the doc)."""
    count: Counter[tuple[str, str, str]] = Counter()
    for (split, item, _, _), (win, lose) in zip(rows, results, strict=True):
        for task in (item.task, "all"):
            count[(task, split, OUTCOMES[(win.correct, lose.correct)])] += 1
            count[(task, split, "pairs")] += 1

    def both(task: str, what: str) -> int:
        return count[(task, "gpt", what)] + count[(task, "claude", what)]

    lines = []
    for task in (*TASKS, "all"):
        splits = [
            f"{count[(task, s, 'agree')]}/{count[(task, s, 'pairs')]}" for s in ("gpt", "claude")
        ]
        name = "**all**" if task == "all" else task
        cells = [
            name,
            *splits,
            f"{both(task, 'agree')}/{both(task, 'pairs')}",
            *(str(both(task, o)) for o in ("both accepted", "both rejected", "reversed")),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def test_agreement_with_judgebench_labels_on_all_239_livebench_pairs() -> None:
    rows = _pairs()
    assert len(rows) == 239
    results = asyncio.run(_check_all(rows))
    assert not [r for pair in results for r in pair if r.detail == "timeout"]

    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for (_, item, _, _), (win, lose) in zip(rows, results, strict=True):
        total[item.task] += 1
        agree[item.task] += win.correct and not lose.correct
    assert dict(total) == EXPECTED_TOTAL
    assert dict(agree) == EXPECTED_AGREE
    assert sum(agree.values()) >= 204

    table = _table(rows, results)
    print("\n".join(table))
    doc = (REPO / "docs" / "checker-agreement.md").read_text(encoding="utf-8")
    for line in table:
        assert line in doc, f"docs/checker-agreement.md is out of date; expected row:\n{line}"
