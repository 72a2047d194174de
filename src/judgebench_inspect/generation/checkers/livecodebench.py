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
import secrets
import signal
import subprocess
import sys
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from judgebench_inspect.generation.checkers import CheckResult
from judgebench_inspect.generation.sources import SourceQuestion

RUNNER_PATH = Path(__file__).with_name("_sandbox_runner.py")
"""The standalone runner script (standard library only)."""

DOCKER_COMPOSE_PATH = Path(__file__).with_name("livecodebench_compose.yaml")
"""Compose file of the Docker sandbox (`-T sandbox=docker`): no network at all."""

K8S_VALUES_PATH = Path(__file__).with_name("livecodebench_k8s_values.yaml")
"""Helm values of the Kubernetes sandbox (`-T sandbox=k8s`, package inspect-k8s-sandbox):
no allowed domains, addresses or entities, so no network beyond the cluster's DNS."""

SANDBOX_RUNNER_DIR = ".judgebench"
"""Where runner copies are written inside an Inspect sandbox (relative to its cwd).

Each check writes its own copy under a fresh name (the k candidates of a
question are checked concurrently in the same sandbox), and the runner deletes
it once started.
"""

DEFAULT_TIMEOUT_PER_TEST = 6.0
"""Seconds per test, as in LiveCodeBench."""

_PYTHON_TAGS = {"", "python", "python3", "py", "py3"}
_logger = logging.getLogger(__name__)
_warned: set[str] = set()
_RUNNER_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}


class RunnerRun(NamedTuple):
    """What one run of the runner gave.

    Args:
        stdout: Everything the runner printed.
        timed_out: The whole run overran its backstop and was stopped.
        returncode: The runner's exit status (negative: killed by that
            signal; None when unknown, e.g. after a time-out).
    """

    stdout: str
    timed_out: bool
    returncode: int | None


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
        The request dict, with a fresh random `secret` that the runner must
        echo in its report.
    """
    mode, func_name, tests = read_test_suite(item)
    return {
        "secret": secrets.token_hex(16),
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


def parse_runner_output(stdout: str, code: str, *, secret: str, returncode: int | None = 0) -> CheckResult:
    """Turn the runner's output lines into a `CheckResult`.

    Only lines that carry the request's `secret` count: the tested code never
    sees the secret, so a line it managed to slip into the runner's output is
    ignored. Once the tested code has started (the "ready" line), a runner
    that was killed by a signal or exited non-zero gives no trusted report:
    the check is a failure, whatever its output says.

    Args:
        stdout: Everything the runner printed.
        code: The code that was tested (becomes `extracted`).
        secret: The `secret` of the request (see `build_request`).
        returncode: The runner's exit status (negative: killed by that
            signal; None: unknown).

    Returns:
        The result: "passed N/N", "failed test K: wrong answer (...)",
        "timeout on test K", "runtime error on test K: ...", ...; details
        starting with "sandbox error" mean the infrastructure, not the code,
        failed after the tests had started.

    Raises:
        SandboxError: The runner never reported that its set-up finished, or
            it refused the request.
        ValueError: `secret` is empty.
    """
    if not secret:
        raise ValueError("parse_runner_output needs the request's secret")
    ready = None
    reports: list[dict[str, Any]] = []
    refusal = None
    for line in stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            message = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            continue
        if not isinstance(message, dict):
            continue
        if message.get("ok") is False and ready is None:
            refusal = message  # only before any tested code ran (it carries no secret)
        elif message.get("secret") != secret:
            continue
        elif message.get("ready") and ready is None:
            ready = message
        elif message.get("ok") is True and ready is not None:
            reports.append(message)
    if ready is None:
        if refusal is not None:
            raise SandboxError(f"runner refused the request: {refusal.get('error')}")
        raise SandboxError(f"runner did not start: {stdout.strip()[-500:] or 'no output'}")
    _warn_about_weak_isolation(ready.get("isolation") or {})
    if returncode is not None and returncode != 0:
        how = f"was killed by signal {_signal_name(-returncode)}" if returncode < 0 else f"exited with status {returncode}"
        return CheckResult(False, code, f"runner {how} while the tested code ran; its report is not trusted")
    if len(reports) > 1:
        return CheckResult(False, code, "runner printed more than one report; none is trusted")
    if not reports:
        return CheckResult(False, code, "sandbox error: the runner stopped before reporting")
    return _result_from_report(reports[0], code)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def _warn_about_weak_isolation(isolation: Mapping[str, Any]) -> None:
    """Log once per process which strong layers are missing."""
    missing = []
    if "net" not in (isolation.get("namespaces") or []):
        if isolation.get("socket_filter"):
            missing.append("namespaces (no unshare: network blocked by a seccomp filter on socket())")
        else:
            missing.append("namespaces and seccomp (network blocked only by an in-process hook)")
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


_GUARD_GRACE = 15.0
"""Seconds the runner's guard gets, after SIGTERM, to kill everything below it."""


def run_request_direct(request: Mapping[str, Any], *, no_namespaces: bool = False) -> RunnerRun:
    """Run the runner as a child process and wait (blocking).

    Args:
        request: The runner request.
        no_namespaces: Skip the namespace layer (for tests of the other layers).

    Returns:
        What the run gave. On time-out the runner's guard is asked (SIGTERM)
        to end the run and everything below it, then its process group is
        killed.
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
        return RunnerRun(out.decode("utf-8", errors="replace"), False, process.returncode)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            out, _ = process.communicate(timeout=_GUARD_GRACE)
        except subprocess.TimeoutExpired:
            _kill_group(process.pid)
            out, _ = process.communicate()
        return RunnerRun(out.decode("utf-8", errors="replace"), True, None)
    finally:
        # Only while it has not been reaped: a reaped pid may be reused.
        if process.returncode is None:
            _kill_group(process.pid)
            process.kill()
            process.wait()


async def run_request_direct_async(request: Mapping[str, Any], *, no_namespaces: bool = False) -> RunnerRun:
    """Like `run_request_direct`, with an asyncio subprocess.

    Args:
        request: The runner request.
        no_namespaces: Skip the namespace layer.

    Returns:
        What the run gave.
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
        return RunnerRun(out.decode("utf-8", errors="replace"), False, process.returncode)
    except asyncio.TimeoutError:
        return RunnerRun("", True, None)
    finally:
        # Also runs on cancellation: never leave the runner behind (its
        # namespace and test processes die with it). Only while it has not
        # been reaped: a reaped pid may be reused.
        if process.returncode is None:
            process.terminate()  # the guard ends the runner and all below it
            try:
                await asyncio.wait_for(process.wait(), timeout=_GUARD_GRACE)
            except asyncio.TimeoutError:
                pass
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
) -> RunnerRun:
    """Copy the runner into an Inspect sandbox and run the request there.

    Every call writes its own copy of the runner under a fresh name (which the
    runner deletes once it has started), so concurrent checks in one sandbox
    never run a half-written file.

    Args:
        request: The runner request.
        environment: An Inspect `SandboxEnvironment`.
        python: Interpreter to use inside the sandbox (default: this process's
            interpreter for `local`, `python3` otherwise).

    Returns:
        What the run gave.

    Raises:
        SandboxError: The runner could not be copied or started.
    """
    runner_file = f"{SANDBOX_RUNNER_DIR}/runner-{uuid.uuid4().hex}.py"
    try:
        await environment.write_file(runner_file, RUNNER_PATH.read_text(encoding="utf-8"))
    except Exception as ex:
        raise SandboxError(f"could not copy the runner into the sandbox: {ex}") from ex
    command = [python or _sandbox_python(environment), "-I", runner_file, "--remove-self"]
    try:
        result = await environment.exec(
            command,
            input=json.dumps(request),
            env=dict(_RUNNER_ENV),
            timeout=int(_overall_timeout(request)) + 1,
        )
    except TimeoutError:
        return RunnerRun("", True, None)
    if not result.stdout.strip() and not result.success:
        raise SandboxError(f"runner failed in the sandbox: {result.stderr.strip()[-500:]}")
    return RunnerRun(result.stdout, False, result.returncode)


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
    return grade_run(run_request_direct(request), request)


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
        run = await run_request_in_sandbox(request, environment)
    else:
        run = await run_request_direct_async(request)
    return grade_run(run, request)


def grade_run(run: RunnerRun, request: Mapping[str, Any]) -> CheckResult:
    """Grade one run of the runner.

    Args:
        run: What `run_request_direct` (or another way of running) gave.
        request: The request that was run (its code and secret).

    Returns:
        The result (see `parse_runner_output`).

    Raises:
        SandboxError: The runner did not start or refused the request.
    """
    code = str(request["code"])
    if run.timed_out:
        return CheckResult(False, code, "timeout: the whole check ran out of time")
    return parse_runner_output(run.stdout, code, secret=str(request["secret"]), returncode=run.returncode)


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
        "secret": secrets.token_hex(16),
        "code": "print(1)",
        "mode": "stdin",
        "tests": [{"input": "", "output": "1"}],
        "timeout": 10.0,
    }
    stdout = run_request_direct(request, no_namespaces=no_namespaces).stdout
    for line in stdout.splitlines():
        message = json.loads(line)
        if "isolation" in message and message.get("secret") == request["secret"]:
            return dict(message["isolation"])
    raise SandboxError(f"runner gave no report: {stdout[-500:]}")


__all__ = [
    "DEFAULT_TIMEOUT_PER_TEST",
    "DOCKER_COMPOSE_PATH",
    "K8S_VALUES_PATH",
    "RUNNER_PATH",
    "RunnerRun",
    "SandboxError",
    "build_request",
    "check",
    "check_async",
    "check_code",
    "check_code_async",
    "extract_code",
    "grade_run",
    "isolation_report",
    "parse_runner_output",
    "run_request_direct",
    "run_request_direct_async",
    "run_request_in_sandbox",
    "read_test_suite",
]
