"""LiveCodeBench checker: run a response's code against the problem's tests.

The code is taken from the last fenced code block of the reply and run against
every test (public, then private) until one fails, each test in a fresh child
Python process with resource limits, a throwaway uid, no network and a private
work directory (see `_sandbox_runner.py` for the layers and when each applies).

Two ways to run the runner script, with the same isolation inside:

- Inside an Inspect sample with a sandbox (`sandbox="local"` by default, or
  `docker`): the script is copied into the sandbox and started with
  `sandbox().exec(...)`.
- Anywhere else (unit tests, benchmarks, scripts): the script is started
  directly as a subprocess of this process.

`check_async` picks the sandbox when one is available and never blocks the
event loop; `check` is the synchronous direct path.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from judgebench_inspect.checkers import CheckResult
from judgebench_inspect.sources import SourceQuestion

RUNNER_PATH = Path(__file__).with_name("_sandbox_runner.py")
"""The standalone runner script (standard library only)."""

SANDBOX_RUNNER_FILE = ".judgebench/livecodebench_runner.py"
"""Where the runner is written inside an Inspect sandbox (relative to its cwd)."""

DEFAULT_TIMEOUT_PER_TEST = 6.0
"""Seconds per test, as in LiveCodeBench."""

_PYTHON_TAGS = {"", "python", "python3", "py", "py3"}
_logger = logging.getLogger(__name__)
_warned: set[str] = set()
_RUNNER_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}


class SandboxError(RuntimeError):
    """The runner could not be started or set up (before any untrusted code ran).

    Raised instead of returning an incorrect `CheckResult`, so an infrastructure
    problem is never mistaken for a wrong answer.
    """


# --------------------------------------------------------------------------
# Extraction and test suites


def extract_code(response: str) -> str | None:
    """Return the code of the last fenced code block of a reply.

    Blocks are delimited by lines starting with three backticks (leading
    spaces allowed; the fence's indentation is removed from the body). Only
    blocks tagged as Python (`python`, `py`, `python3`) or untagged count; an
    unclosed block at the end (a cut-off reply) is ignored.

    Args:
        response: The model's reply.

    Returns:
        The code (without the fences), or None when there is no such block.
    """
    blocks: list[str] = []
    inside = False
    tag = ""
    indent = 0
    body: list[str] = []
    for line in response.splitlines():
        stripped = line.strip()
        if not inside:
            if stripped.startswith("```"):
                inside = True
                tag = stripped[3:].strip().lower()
                tag = tag.split()[0] if tag else ""
                indent = len(line) - len(line.lstrip())
                body = []
        elif stripped.startswith("```") and stripped.strip("`").strip() == "":
            inside = False
            if tag in _PYTHON_TAGS:
                blocks.append("\n".join(body))
        else:
            # A fence indented inside a list item indents its body too.
            margin = len(line) - len(line.lstrip(" "))
            body.append(line[min(indent, margin) :])
    return blocks[-1] if blocks else None


def read_test_suite(item: SourceQuestion) -> tuple[str, str | None, list[dict[str, str]]]:
    """Read the tests of a LiveCodeBench question.

    Args:
        item: A question from `load_livecodebench` (its `ground_truth` is the
            JSON test suite).

    Returns:
        (mode, func_name, tests): mode is "stdin" or "functional"; each test is
        {"input", "output"}.

    Raises:
        ValueError: The ground truth is not a LiveCodeBench test suite.
    """
    try:
        suite = json.loads(item.ground_truth)
    except json.JSONDecodeError as ex:
        raise ValueError(f"question {item.question_id}: ground_truth is not JSON: {ex.msg}") from ex
    if not isinstance(suite, dict) or not isinstance(suite.get("tests"), list):
        raise ValueError(f"question {item.question_id}: ground_truth has no 'tests' list")
    mode = suite.get("testtype")
    if mode not in ("stdin", "functional"):
        raise ValueError(f"question {item.question_id}: unknown testtype {mode!r}")
    func_name = suite.get("func_name")
    if mode == "functional" and not func_name:
        raise ValueError(f"question {item.question_id}: functional tests need func_name")
    return mode, func_name, suite["tests"]


def build_request(
    code: str,
    item: SourceQuestion,
    *,
    timeout_per_test: float = DEFAULT_TIMEOUT_PER_TEST,
    limits: Mapping[str, int] | None = None,
    isolation: Mapping[str, bool] | None = None,
) -> dict[str, Any]:
    """Build the runner's JSON request for one piece of code.

    Args:
        code: Python source to test.
        item: The question (its tests).
        timeout_per_test: Wall-clock seconds per test.
        limits: Override runner limits (memory_mb, nproc, fsize_mb, nofile,
            stack_mb).
        isolation: Switch runner layers off (drop_privileges, block_sockets);
            only for tests of the layers themselves.

    Returns:
        The request dict.
    """
    mode, func_name, tests = read_test_suite(item)
    return {
        "code": code,
        "mode": mode,
        "func_name": func_name,
        "tests": tests,
        "timeout": float(timeout_per_test),
        "limits": dict(limits or {}),
        "isolation": dict(isolation or {}),
        "stop_on_failure": True,
    }


def _overall_timeout(request: Mapping[str, Any]) -> float:
    """Backstop for a whole run: every test at its limit plus set-up slack."""
    return len(request["tests"]) * (float(request["timeout"]) + 1.0) + 30.0


# --------------------------------------------------------------------------
# Reports


def parse_runner_output(stdout: str, code: str) -> CheckResult:
    """Turn the runner's output lines into a `CheckResult`.

    Args:
        stdout: Everything the runner printed.
        code: The code that was tested (becomes `extracted`).

    Returns:
        The result: "passed N/N", "failed test K: wrong answer (...)",
        "timeout on test K", "runtime error on test K: ...", ...; details
        starting with "sandbox error" mean the infrastructure, not the code,
        failed after the tests had started.

    Raises:
        SandboxError: The runner never reported that its set-up finished, or
            it refused the request.
    """
    ready = None
    report = None
    for line in stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("ready"):
            ready = message
        elif "ok" in message:
            report = message
    if report is not None and not report.get("ok"):
        raise SandboxError(f"runner refused the request: {report.get('error')}")
    if ready is not None:
        _warn_about_weak_isolation(ready.get("isolation") or {})
    if report is None:
        if ready is None:
            raise SandboxError(f"runner did not start: {stdout.strip()[-500:] or 'no output'}")
        return CheckResult(False, code, "sandbox error: the runner stopped before reporting")
    return _result_from_report(report, code)


def _warn_about_weak_isolation(isolation: Mapping[str, Any]) -> None:
    """Log once per process which strong layers are missing."""
    missing = []
    if "net" not in (isolation.get("namespaces") or []):
        missing.append("namespaces (no unshare: network blocked only by an in-process hook)")
    if not isolation.get("privileges_dropped"):
        missing.append("privilege drop (test code runs as the runner's user)")
    for what in missing:
        if what not in _warned:
            _warned.add(what)
            _logger.warning("LiveCodeBench sandbox without %s", what)


def _result_from_report(report: Mapping[str, Any], code: str) -> CheckResult:
    total = int(report["total"])
    passed = int(report["passed"])
    failure = report.get("failure")
    if failure is None:
        if total == 0:
            return CheckResult(False, code, "no tests to run")
        return CheckResult(passed == total, code, f"passed {passed}/{total}")
    number = int(failure["test"]) + 1
    kind = failure.get("kind")
    message = failure.get("message") or ""
    if kind == "timeout":
        detail = f"timeout on test {number}"
        if message.startswith("CPU"):
            detail += " (CPU time limit)"
    elif kind == "wrong_answer":
        detail = f"failed test {number}: wrong answer ({message})"
    elif kind == "runtime_error":
        detail = f"runtime error on test {number}: {message}"
    elif kind == "output_limit":
        detail = f"failed test {number}: {message}"
    elif kind == "setup_error":
        detail = f"sandbox error on test {number}: {message}"
    else:
        detail = f"failed test {number}: {kind}: {message}"
    return CheckResult(False, code, f"{detail}; passed {passed}/{total}")


# --------------------------------------------------------------------------
# Direct path (a subprocess of this process)


def _runner_command(no_namespaces: bool = False) -> list[str]:
    command = [sys.executable, "-I", str(RUNNER_PATH)]
    if no_namespaces:
        command.append("--no-namespaces")
    return command


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def run_request_direct(request: Mapping[str, Any], *, no_namespaces: bool = False) -> tuple[str, bool]:
    """Run the runner as a child process and wait (blocking).

    Args:
        request: The runner request.
        no_namespaces: Skip the namespace layer (for tests of the other layers).

    Returns:
        (stdout, timed_out). On time-out the runner's process group is killed.
    """
    process = subprocess.Popen(
        _runner_command(no_namespaces),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(_RUNNER_ENV),
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(json.dumps(request).encode("utf-8"), timeout=_overall_timeout(request))
        return out.decode("utf-8", errors="replace"), False
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        out, _ = process.communicate()
        return out.decode("utf-8", errors="replace"), True
    finally:
        # Only while it has not been reaped: a reaped pid may be reused.
        if process.returncode is None:
            _kill_group(process.pid)
            process.kill()
            process.wait()


async def run_request_direct_async(
    request: Mapping[str, Any], *, no_namespaces: bool = False
) -> tuple[str, bool]:
    """Like `run_request_direct`, with an asyncio subprocess.

    Args:
        request: The runner request.
        no_namespaces: Skip the namespace layer.

    Returns:
        (stdout, timed_out).
    """
    process = await asyncio.create_subprocess_exec(
        *_runner_command(no_namespaces),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=dict(_RUNNER_ENV),
        start_new_session=True,
    )
    payload = json.dumps(request).encode("utf-8")
    try:
        out, _ = await asyncio.wait_for(process.communicate(payload), timeout=_overall_timeout(request))
        return out.decode("utf-8", errors="replace"), False
    except asyncio.TimeoutError:
        return "", True
    finally:
        # Also runs on cancellation: never leave the runner behind (its
        # namespace and test processes die with it). Only while it has not
        # been reaped: a reaped pid may be reused.
        if process.returncode is None:
            _kill_group(process.pid)
            try:
                process.kill()
            except ProcessLookupError:
                pass
            await process.wait()


# --------------------------------------------------------------------------
# Inspect sandbox path


def _current_sandbox(name: str | None) -> Any | None:
    """The sample's sandbox, or None outside a sample / without sandboxes."""
    try:
        from inspect_ai.util import sandbox
    except ImportError:  # pragma: no cover - inspect_ai is a dependency
        return None
    try:
        return sandbox(name)
    except ProcessLookupError:
        return None


def _sandbox_python(environment: Any) -> str:
    """Interpreter inside the sandbox: this one for `local`, else python3."""
    try:
        from inspect_ai.util._sandbox.local import LocalSandboxEnvironment

        if isinstance(environment, LocalSandboxEnvironment):
            return sys.executable
    except ImportError:  # pragma: no cover
        pass
    return "python3"


async def run_request_in_sandbox(
    request: Mapping[str, Any], environment: Any, *, python: str | None = None
) -> tuple[str, bool]:
    """Copy the runner into an Inspect sandbox and run the request there.

    Args:
        request: The runner request.
        environment: An Inspect `SandboxEnvironment`.
        python: Interpreter to use inside the sandbox (default: this process's
            interpreter for `local`, `python3` otherwise).

    Returns:
        (stdout, timed_out).

    Raises:
        SandboxError: The runner could not be copied or started.
    """
    try:
        await environment.write_file(SANDBOX_RUNNER_FILE, RUNNER_PATH.read_text(encoding="utf-8"))
    except Exception as ex:
        raise SandboxError(f"could not copy the runner into the sandbox: {ex}") from ex
    command = [python or _sandbox_python(environment), "-I", SANDBOX_RUNNER_FILE]
    try:
        result = await environment.exec(
            command,
            input=json.dumps(request),
            env=dict(_RUNNER_ENV),
            timeout=int(_overall_timeout(request)) + 1,
        )
    except TimeoutError:
        return "", True
    if not result.stdout.strip() and not result.success:
        raise SandboxError(f"runner failed in the sandbox: {result.stderr.strip()[-500:]}")
    return result.stdout, False


# --------------------------------------------------------------------------
# Public checks


def _code_of(response: str, allow_bare_code: bool) -> str | None:
    code = extract_code(response)
    if code is None and allow_bare_code and "```" not in response and response.strip():
        return response
    return code


def check(
    response: str,
    item: SourceQuestion,
    *,
    timeout_per_test: float = DEFAULT_TIMEOUT_PER_TEST,
    limits: Mapping[str, int] | None = None,
    allow_bare_code: bool = False,
) -> CheckResult:
    """Check a reply synchronously (direct path, no Inspect sandbox).

    Args:
        response: The model's reply (code in a fenced block).
        item: The LiveCodeBench question.
        timeout_per_test: Wall-clock seconds per test.
        limits: Override runner limits (memory_mb, nproc, ...).
        allow_bare_code: Treat a reply without any fence as code (JudgeBench's
            published coding responses are bare code).

    Returns:
        The result; `extracted` is the code that was run.

    Raises:
        SandboxError: The runner could not be started.
    """
    code = _code_of(response, allow_bare_code)
    if code is None:
        return CheckResult(False, None, "no code block")
    return check_code(code, item, timeout_per_test=timeout_per_test, limits=limits)


def check_code(
    code: str,
    item: SourceQuestion,
    *,
    timeout_per_test: float = DEFAULT_TIMEOUT_PER_TEST,
    limits: Mapping[str, int] | None = None,
) -> CheckResult:
    """Check bare code (no extraction), synchronously.

    JudgeBench's published coding responses are bare code; use this to re-grade
    them.

    Args:
        code: Python source.
        item: The LiveCodeBench question.
        timeout_per_test: Wall-clock seconds per test.
        limits: Override runner limits.

    Returns:
        The result.
    """
    request = build_request(code, item, timeout_per_test=timeout_per_test, limits=limits)
    stdout, timed_out = run_request_direct(request)
    if timed_out:
        return CheckResult(False, code, "timeout: the whole check ran out of time")
    return parse_runner_output(stdout, code)


async def check_async(
    response: str,
    item: SourceQuestion,
    *,
    timeout_per_test: float = DEFAULT_TIMEOUT_PER_TEST,
    use_sandbox: bool | None = None,
    sandbox_name: str | None = None,
    limits: Mapping[str, int] | None = None,
    allow_bare_code: bool = False,
) -> CheckResult:
    """Check a reply without blocking the event loop.

    Inside an Inspect sample with a sandbox the runner runs through
    `sandbox().exec`; otherwise as an asyncio subprocess of this process.

    Args:
        response: The model's reply (code in a fenced block).
        item: The LiveCodeBench question.
        timeout_per_test: Wall-clock seconds per test.
        use_sandbox: True requires an Inspect sandbox, False never uses one,
            None (default) uses one when available.
        sandbox_name: Which sandbox of the sample (None = default).
        limits: Override runner limits.
        allow_bare_code: Treat a reply without any fence as code.

    Returns:
        The result; `extracted` is the code that was run.

    Raises:
        SandboxError: The runner could not be started, or `use_sandbox=True`
            outside a sample with a sandbox.
    """
    code = _code_of(response, allow_bare_code)
    if code is None:
        return CheckResult(False, None, "no code block")
    return await check_code_async(
        code,
        item,
        timeout_per_test=timeout_per_test,
        use_sandbox=use_sandbox,
        sandbox_name=sandbox_name,
        limits=limits,
    )


async def check_code_async(
    code: str,
    item: SourceQuestion,
    *,
    timeout_per_test: float = DEFAULT_TIMEOUT_PER_TEST,
    use_sandbox: bool | None = None,
    sandbox_name: str | None = None,
    limits: Mapping[str, int] | None = None,
) -> CheckResult:
    """Check bare code (no extraction) without blocking the event loop.

    Args:
        code: Python source.
        item: The LiveCodeBench question.
        timeout_per_test: Wall-clock seconds per test.
        use_sandbox: See `check_async`.
        sandbox_name: See `check_async`.
        limits: Override runner limits.

    Returns:
        The result.
    """
    request = build_request(code, item, timeout_per_test=timeout_per_test, limits=limits)
    environment = _current_sandbox(sandbox_name) if use_sandbox is not False else None
    if use_sandbox and environment is None:
        raise SandboxError("use_sandbox=True but no Inspect sandbox is available here")
    if environment is not None:
        stdout, timed_out = await run_request_in_sandbox(request, environment)
    else:
        stdout, timed_out = await run_request_direct_async(request)
    if timed_out:
        return CheckResult(False, code, "timeout: the whole check ran out of time")
    return parse_runner_output(stdout, code)


def isolation_report(*, no_namespaces: bool = False) -> dict[str, Any]:
    """Which isolation layers the direct path has on this machine.

    Runs a trivial program through the runner and returns its report.

    Args:
        no_namespaces: Report for the fallback without namespaces.

    Returns:
        {"namespaces", "mounts", "uid", "privileges_dropped",
        "socket_audit_hook", "rlimits", "notes"}.
    """
    request = {
        "code": "print(1)",
        "mode": "stdin",
        "tests": [{"input": "", "output": "1"}],
        "timeout": 10.0,
    }
    stdout, _ = run_request_direct(request, no_namespaces=no_namespaces)
    for line in stdout.splitlines():
        message = json.loads(line)
        if "isolation" in message:
            return dict(message["isolation"])
    raise SandboxError(f"runner gave no report: {stdout[-500:]}")


__all__ = [
    "DEFAULT_TIMEOUT_PER_TEST",
    "RUNNER_PATH",
    "SandboxError",
    "build_request",
    "check",
    "check_async",
    "check_code",
    "check_code_async",
    "extract_code",
    "isolation_report",
    "parse_runner_output",
    "run_request_direct",
    "run_request_direct_async",
    "run_request_in_sandbox",
    "read_test_suite",
]
