"""Checkers for LiveBench math tasks (math_comp and AMPS_Hard).

The rules follow what LiveBench's scorers did in October 2024, when JudgeBench
graded its responses (our own code; facts read from LiveBench's public
`process_results` modules). No model is ever called.

- math_comp, multiple choice (AMC 12, SMC): the prompt asks for the answer letter
  written five times. Correct when the letter appears four times in a row
  anywhere in the response; failing that, when the last `\\boxed{}` holds the
  letter; failing that, when the text of the chosen option (read from the
  question's `\\textbf{(X)}` list) appears near the end of the response.
- math_comp, AIME: the three-digit answer must appear in the last 20 characters.
- AMPS_Hard: the last `\\boxed{}` answer is normalised (Minerva-style) and
  compared with the ground truth as LaTeX with sympy: equal when the simplified
  difference is 0 or its absolute value is below 1e-3. Parsing and simplifying
  run in a worker process with an outer timeout (see `_worker`); a timeout
  counts as incorrect with detail "timeout".

Both math rules are lenient (several repeated-letter runs, an answer value found
near the end), so they accept both responses of some published pairs.
"""

from __future__ import annotations

import re
import warnings

from judgebench_inspect.generation.checkers import CheckResult, _worker
from judgebench_inspect.generation.sources import SourceQuestion

MATH_TASKS = ("AMPS_Hard", "math_comp")

DEFAULT_TIMEOUT = 20.0
"""Seconds one AMPS_Hard comparison may take in its worker.

LiveBench allowed 8 s; we allow more because a timeout marks the response
incorrect, and on a busy machine slow but valid comparisons can take several
seconds. Callers building pairs should drop responses whose detail is "timeout"."""

_TOLERANCE = 1e-3
_AIME_TAIL = 20
_OPTION_TAIL_EXTRA = 20

# Workers load sympy and its LaTeX parser when they start (see `_warm_up`).
_worker.configure(
    warm_modules=(
        "sympy.parsing.latex._parse_latex_antlr",
        "judgebench_inspect.generation.checkers.livebench_math:_warm_up",
    )
)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def check(response: str, item: SourceQuestion, timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    """Check a response to a LiveBench math question (blocking).

    AMPS_Hard comparisons run in a worker process; this call blocks the calling
    thread until the worker answers or `timeout` passes. In async code use
    `check_async`.

    Args:
        response: The model's full answer.
        item: The question; `item.task` selects the rule.
        timeout: Seconds allowed for the sympy comparison.

    Returns:
        The check result (a timeout is incorrect with detail "timeout").

    Raises:
        ValueError: The task is not a supported math task.
    """
    ready = _string_rules(response, item)
    if isinstance(ready, CheckResult):
        return ready
    truth, answer = ready
    try:
        same = _worker.run_sync(latex_equivalent, truth, answer, timeout=timeout)
    except (_worker.WorkerTimeout, _worker.WorkerFailure) as ex:
        return _worker_failed(ex, answer)
    return _amps_result(same, answer, item.ground_truth)


async def check_async(
    response: str, item: SourceQuestion, timeout: float = DEFAULT_TIMEOUT
) -> CheckResult:
    """Check a response to a LiveBench math question without blocking the event loop.

    Arguments, result and errors as in `check` (`timeout` applies to AMPS_Hard only).
    """
    ready = _string_rules(response, item)
    if isinstance(ready, CheckResult):
        return ready
    truth, answer = ready
    try:
        same = await _worker.run_async(latex_equivalent, truth, answer, timeout=timeout)
    except (_worker.WorkerTimeout, _worker.WorkerFailure) as ex:
        return _worker_failed(ex, answer)
    return _amps_result(same, answer, item.ground_truth)


def _string_rules(response: str, item: SourceQuestion) -> CheckResult | tuple[str, str]:
    """Everything but the sympy comparison: a finished result, or (truth, answer) to compare.

    math_comp is decided by plain string rules (no worker); an AMPS_Hard response
    without a boxed answer is incorrect.
    """
    if item.task == "math_comp":
        return check_math_comp(response, item)
    if item.task == "AMPS_Hard":
        answer = extract_amps_answer(response)
        if answer is None:
            return CheckResult(False, None, "no \\boxed{} answer")
        return _clean_truth(item.ground_truth), answer
    raise ValueError(f"No LiveBench math checker for task {item.task!r}; supported: {MATH_TASKS}")


def _worker_failed(ex: Exception, answer: str) -> CheckResult:
    """The result of a comparison the worker did not finish (time-out or broken pool)."""
    if isinstance(ex, _worker.WorkerTimeout):
        return CheckResult(False, answer, "timeout")
    return CheckResult(False, answer, f"worker failure: {ex}")


def _amps_result(same: bool, answer: str, truth: str) -> CheckResult:
    if same:
        return CheckResult(True, answer, "equivalent to the ground truth")
    return CheckResult(False, answer, f"not equivalent to {truth!r}")


# --------------------------------------------------------------------------
# math_comp
# --------------------------------------------------------------------------


def check_math_comp(response: str, item: SourceQuestion) -> CheckResult:
    """math_comp: AMC/SMC letter questions and AIME three-digit questions.

    Args:
        response: The model's full answer.
        item: The question (its `metadata["subtask"]`, e.g. "amc_12a_2023" or
            "aime_i_2024", or else the shape of the ground truth, picks the rule).

    Returns:
        The check result.
    """
    truth = item.ground_truth.strip()
    subtask = str(item.metadata.get("subtask") or "")
    if subtask.startswith("aime") or (not subtask and truth.isdigit()):
        tail = response[-_AIME_TAIL:]
        if truth in tail:
            return CheckResult(True, truth, f"{truth} is in the last {_AIME_TAIL} characters")
        return CheckResult(
            False, _last_number(tail), f"{truth} is not in the last {_AIME_TAIL} characters"
        )

    if len(truth) != 1 or truth not in "ABCDE":
        return CheckResult(False, None, f"ground truth {truth!r} is not a letter A-E")
    if truth * 4 in response:
        return CheckResult(True, truth, f"{truth} written four or more times in a row")
    boxed = last_boxed(response)
    if boxed is not None and boxed.strip() == truth:
        return CheckResult(True, truth, "boxed letter")
    value = option_value(item.prompt, truth)
    if value is not None and value in response[-(len(value) + _OPTION_TAIL_EXTRA) :]:
        return CheckResult(True, value, "text of the right option near the end")
    found = _last_letter_run(response)
    return CheckResult(False, found, f"expected {truth}")


def option_value(question: str, letter: str) -> str | None:
    """Read the text of one option of an AMC-style question.

    Options are written as `\\textbf{(A) }text\\qquad\\textbf{(B) }...$`.

    Args:
        question: The question text.
        letter: Option letter.

    Returns:
        The option text without surrounding `$` and `~`, or None if the option
        cannot be found.
    """
    pattern = re.compile(r"\\textbf\{\(([A-E])\)\s?\}(.*?)(?:\\qquad|\$)")
    for found, text in pattern.findall(question):
        if found == letter:
            value = text.strip().strip("$").strip("~")
            return value or None
    return None


def _last_letter_run(response: str) -> str | None:
    runs = re.findall(r"([A-E])\1{3,}", response)
    return runs[-1] if runs else None


def _last_number(text: str) -> str | None:
    numbers = re.findall(r"\d+", text)
    return numbers[-1] if numbers else None


# --------------------------------------------------------------------------
# AMPS_Hard
# --------------------------------------------------------------------------


def last_boxed(text: str) -> str | None:
    """Return the content of the last `\\boxed{...}` (or `\\fbox{...}`) in the text.

    Braces are matched, so nested groups stay whole. The brace-less form
    `\\boxed 5` is read up to the next `$`.

    Args:
        text: Text to search.

    Returns:
        The content, or None when there is no complete box.
    """
    start = max(text.rfind("\\boxed"), text.rfind("\\fbox"))
    if start < 0:
        return None
    name_end = start + (len("\\boxed") if text.startswith("\\boxed", start) else len("\\fbox"))
    rest = text[name_end:]
    if rest.startswith(" "):
        return rest[1:].split("$")[0]
    if not rest.startswith("{"):
        return None
    depth = 0
    for i, char in enumerate(rest):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return rest[1:i]
    return None


def extract_amps_answer(response: str) -> str | None:
    """Read and normalise the final boxed answer of an AMPS_Hard response.

    Args:
        response: The model's full answer.

    Returns:
        The normalised LaTeX answer, or None when there is no boxed answer.
    """
    text = response
    for constant in ("+C", "+ C", "+ c", "+c"):  # integration constants
        text = text.replace(constant, "")
    text = text.replace("\\dfrac", "\\frac").replace("\\left", "").replace("\\right", "")
    content = last_boxed(text)
    if content is None:
        return None
    return normalize_answer(content)


def normalize_answer(answer: str) -> str:
    """Normalise a final answer (after the conventions of Lewkowycz et al., 2022).

    Keeps what follows the last "=", unwraps `$...$`, `\\text{}`, `\\textbf{}`,
    `\\overline{}` and `\\boxed{}`, expands shorthand like `\\frac12` and
    `\\sqrt2`, drops `$`, and removes thousands separators from plain integers.

    Args:
        answer: Raw answer text.

    Returns:
        The normalised text.
    """
    answer = answer.split("=")[-1]
    answer = re.sub(r"(.*?)\$(.*?)\$(.*)", r"$\2$", answer)
    for command in ("text", "textbf", "overline"):
        answer = re.sub(rf"\\{command}\{{(.*?)\}}", r"\1", answer)
    answer = re.sub(r"\\boxed\{(.*)\}", r"\1", answer)
    answer = re.sub(r"frac([^{])(.)", r"frac{\1}{\2}", answer)
    answer = re.sub(r"sqrt([^{\[])", r"sqrt{\1}", answer)
    answer = answer.replace("$", "")
    if answer.replace(",", "").isdigit():
        answer = answer.replace(",", "")
    return answer


def _clean_truth(truth: str) -> str:
    return truth.replace("\\left", "").replace("\\right", "")


def _warm_up() -> None:
    """Load sympy and the LaTeX parser (run once in each worker at start-up)."""
    latex_equivalent("1", "1")


def latex_equivalent(first: str, second: str) -> bool:
    """Whether two LaTeX expressions are mathematically equal (runs sympy; may be slow).

    Call through the worker (`check`, `check_async`): parsing or simplifying can
    take very long on some inputs.

    Args:
        first: LaTeX expression (e.g. the ground truth).
        second: LaTeX expression (e.g. the model's answer).

    Returns:
        True when `simplify(first - second)` is 0 or its absolute value is below
        1e-3; False otherwise, including when either side does not parse.
    """
    import sympy
    from sympy.parsing.latex import parse_latex

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            difference = parse_latex(first) - parse_latex(second)
        except Exception:
            return False
        try:
            simplified = sympy.simplify(difference)
        except Exception:
            return False
        try:
            if simplified == 0:
                return True
        except Exception:
            pass
        try:
            return bool(sympy.Abs(simplified) < _TOLERANCE)
        except Exception:  # symbolic remainder: no truth value
            return False


__all__ = [
    "DEFAULT_TIMEOUT",
    "MATH_TASKS",
    "check",
    "check_async",
    "check_math_comp",
    "extract_amps_answer",
    "last_boxed",
    "latex_equivalent",
    "normalize_answer",
    "option_value",
]
