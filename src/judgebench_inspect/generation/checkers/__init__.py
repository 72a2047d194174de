"""Answer checkers: grade a response model's answer against a source's ground truth.

Each checker module exposes `check(response, item) -> CheckResult` and an
async `check_async(response, item)`; the LiveBench math one runs its sympy work
in a worker process with a timeout, so async callers never block.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    """Outcome of checking one response.

    Args:
        correct: Whether the response's final answer matches the ground truth.
        extracted: The answer the checker read from the response (None when it
            found none).
        detail: Short human-readable reason (e.g. "no \\boxed{} answer",
            "timeout").
    """

    correct: bool
    extracted: str | None
    detail: str


__all__ = ["CheckResult"]
