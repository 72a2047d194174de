"""LiveCodeBench: loader, private-test decoding, code extraction and the isolated checker.

The hostile-code tests check effects on the host (files, processes, a listening
socket), not only the reported result.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import pickle
import shutil
import socket
import subprocess
import threading
import time
import uuid
import zlib
from pathlib import Path
from typing import Any

import pytest
from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.scorer import CORRECT, INCORRECT, Score, Target, accuracy, scorer
from inspect_ai.solver import TaskState, generate

from judgebench_inspect.generation.checkers import CheckResult
from judgebench_inspect.generation.checkers._sandbox_runner import _landlock_abi
from judgebench_inspect.generation.checkers.livecodebench import (
    SandboxError,
    _current_sandbox,
    build_request,
    check,
    check_async,
    check_code,
    extract_code,
    grade_run,
    isolation_report,
    parse_runner_output,
    run_request_direct,
)
from judgebench_inspect.generation.sources import SourceDataError, SourceQuestion, SourceUnavailableError
from judgebench_inspect.generation.sources.livecodebench import (
    decode_private_tests,
    encode_private_tests,
    load_livecodebench,
)

from support import REPO, scripted_model

FIXTURE = Path(__file__).parent / "fixtures" / "livecodebench" / "problems.jsonl"

SUM_OK = """t = int(input())
for _ in range(t):
    a, b = map(int, input().split())
    print(a + b)
"""
MEAN_OK = "n = int(input())\nvalues = list(map(int, input().split()))\nprint(sum(values) / n)\n"
COUNT_OK = """class Solution:
    def countPairs(self, nums: List[int], target: int) -> int:
        return sum(1 for i in range(len(nums)) for j in range(i + 1, len(nums)) if nums[i] + nums[j] < target)
"""
RUNNING_OK = """class Solution:
    def runningSum(self, nums):
        return tuple(accumulate(nums))
"""


def fenced(code: str, tag: str = "python") -> str:
    return f"Here is my solution.\n\n```{tag}\n{code.rstrip()}\n```\n"


def one_test_item(expected: str, stdin: str = "") -> SourceQuestion:
    """A stdin problem with one test, for hostile programs (fast: one process)."""
    suite = {"testtype": "stdin", "func_name": None, "tests": [{"input": stdin, "output": expected}]}
    return SourceQuestion("livecodebench", "hostile", None, "", json.dumps(suite), "code_generation", {})


def processes_with(marker: str) -> list[int]:
    """Host processes whose command line contains `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if marker.encode() in handle.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def namespaces_available() -> bool:
    return "net" in isolation_report().get("namespaces", [])


LANDLOCK_ABI = _landlock_abi()
"""Landlock ABI of this kernel (0: none); 6 and above also scope signals."""

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="privilege drop needs root")
needs_unshare = pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare not installed")


@pytest.fixture(scope="module")
def problems() -> dict[str, SourceQuestion]:
    return {q.question_id: q for q in load_livecodebench(FIXTURE)}


# --------------------------------------------------------------------------
# Loader


def test_loads_both_kinds_with_public_and_private_tests(problems: dict[str, SourceQuestion]) -> None:
    assert sorted(problems) == ["1999B", "9001", "9002", "abc900_a"]
    stdin = problems["abc900_a"]
    assert stdin.source == "livecodebench" and stdin.original_id is None
    assert stdin.task == "code_generation"
    suite = json.loads(stdin.ground_truth)
    assert suite["testtype"] == "stdin" and suite["func_name"] is None
    assert len(suite["tests"]) == 3  # 1 public + 2 private, public first
    assert suite["tests"][0] == {"input": "2\n1 2\n3 4\n", "output": "3\n7\n"}
    assert stdin.metadata["n_public_tests"] == 1 and stdin.metadata["n_private_tests"] == 2
    assert stdin.metadata["platform"] == "atcoder" and stdin.metadata["contest_date"] == "2023-08-05T00:00:00"
    functional = json.loads(problems["9001"].ground_truth)
    assert functional["testtype"] == "functional" and functional["func_name"] == "countPairs"


def test_prompts_ask_for_one_python_block(problems: dict[str, SourceQuestion]) -> None:
    stdin = problems["abc900_a"].prompt
    assert "standard input" in stdin and "```python" in stdin and "class Solution" not in stdin
    functional = problems["9001"].prompt
    assert "class Solution:\n    def countPairs(self, nums: List[int], target: int) -> int:" in functional
    assert "standard input" not in functional and "```python" in functional


def test_filters_and_seeded_draw() -> None:
    by_date = load_livecodebench(FIXTURE, start_date="2023-09-01", end_date="2024-03-01")
    assert [q.question_id for q in by_date] == ["1999B", "9001"]
    assert [q.question_id for q in load_livecodebench(FIXTURE, platforms="LeetCode")] == ["9001", "9002"]
    assert [q.question_id for q in load_livecodebench(FIXTURE, difficulties=["medium"])] == ["1999B", "9002"]
    first = [q.question_id for q in load_livecodebench(FIXTURE, n=2, seed=7)]
    assert first == [q.question_id for q in load_livecodebench(FIXTURE, n=2, seed=7)]
    assert len(first) == 2
    assert len(load_livecodebench(FIXTURE, n=10)) == 4
    with pytest.raises(ValueError, match="start_date"):
        load_livecodebench(FIXTURE, start_date="last tuesday")


def test_hub_loading_fetches_the_release_files(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub

    calls: list[tuple[str, str, str, str | None]] = []

    def fake_download(repo_id: str, filename: str, repo_type: str, revision: str | None) -> str:
        calls.append((repo_id, filename, repo_type, revision))
        return str(FIXTURE)

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", fake_download)
    questions = load_livecodebench(version_tag="release_v2", revision="abc123", platforms="atcoder")
    assert [q.question_id for q in questions] == ["abc900_a", "abc900_a"]  # one per file
    assert calls == [
        ("livecodebench/code_generation_lite", "test.jsonl", "dataset", "abc123"),
        ("livecodebench/code_generation_lite", "test2.jsonl", "dataset", "abc123"),
    ]
    with pytest.raises(ValueError, match="Unknown version_tag"):
        load_livecodebench(version_tag="release_v99")


def test_hub_unreachable_is_a_clear_error() -> None:
    with pytest.raises(SourceUnavailableError, match="source_path"):
        load_livecodebench(version_tag="release_v1")  # HF_HUB_OFFLINE=1 in tests


def _rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in FIXTURE.read_text().splitlines()]


def _write(tmp_path: Path, rows: list[Any]) -> Path:
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (lambda r: r.pop("question_content"), "question_content", "missing"),
        (lambda r: r.update(starter_code=3), "starter_code", "expected a string"),
        (lambda r: r.update(public_test_cases="[{"), "public_test_cases", "malformed JSON"),
        (lambda r: r.update(private_test_cases="%%%"), "private_test_cases", "neither JSON nor base64"),
        (lambda r: r.update(contest_date="soon"), "contest_date", "not an ISO date"),
        (lambda r: r.update(metadata="{}"), "metadata", "func_name"),
    ],
)
def test_bad_rows_name_file_line_and_field(tmp_path: Path, change: Any, field: str, problem: str) -> None:
    rows = _rows()
    change(rows[2])  # the first functional problem, line 3
    path = _write(tmp_path, rows)
    with pytest.raises(SourceDataError) as info:
        load_livecodebench(path)
    message = str(info.value)
    assert str(path) in message and "line 3" in message and f"field '{field}'" in message
    assert problem in message


def test_malformed_json_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(FIXTURE.read_text().splitlines()[0] + "\n{not json\n")
    with pytest.raises(SourceDataError, match="line 2.*malformed JSON"):
        load_livecodebench(path)


class _Exploit:
    """Pickles to a call of os.system (what a hostile blob would contain)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_malicious_pickle_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    blob = base64.b64encode(zlib.compress(pickle.dumps(_Exploit(marker)))).decode()
    with pytest.raises(ValueError, match="refused to load global (posix|os).system"):
        decode_private_tests(blob)
    rows = _rows()
    rows[0]["private_test_cases"] = blob
    with pytest.raises(SourceDataError, match="line 1, field 'private_test_cases'.*refused"):
        load_livecodebench(_write(tmp_path, rows))
    assert not marker.exists()


def test_private_test_decoding_variants() -> None:
    tests = json.dumps([{"input": "1", "output": "2", "testtype": "stdin"}])
    assert decode_private_tests(encode_private_tests(tests)) == tests
    assert decode_private_tests(tests) == tests  # plain JSON is accepted as is
    not_a_string = base64.b64encode(zlib.compress(pickle.dumps([1, 2]))).decode()
    with pytest.raises(ValueError, match="holds list"):
        decode_private_tests(not_a_string)
    with pytest.raises(ValueError, match="more than 10 bytes"):
        decode_private_tests(encode_private_tests(tests), max_bytes=10)


# --------------------------------------------------------------------------
# Extraction


def test_extract_code_takes_the_last_python_block() -> None:
    reply = "```python\nfirst\n```\ntext\n```\nsecond\n```\n```text\nsample output\n```\n"
    assert extract_code(reply) == "second"
    assert extract_code("```py\nx = 1\n```") == "x = 1"
    assert extract_code("no code here") is None
    assert extract_code("```python\nunfinished") is None
    assert extract_code("```python\ndone\n```\n```python\ncut off") == "done"
    assert extract_code("1. Code:\n   ```Python\n   if x:\n       y()\n   ```") == "if x:\n    y()"


# --------------------------------------------------------------------------
# Checking correct and wrong answers


@pytest.mark.parametrize(
    ("qid", "code"),
    [("abc900_a", SUM_OK), ("1999B", MEAN_OK), ("9001", COUNT_OK), ("9002", RUNNING_OK)],
    ids=["stdin-sum", "stdin-mean", "functional-count", "functional-list"],
)
def test_correct_solutions_pass(problems: dict[str, SourceQuestion], qid: str, code: str) -> None:
    result = check(fenced(code), problems[qid])
    assert result == CheckResult(True, code.rstrip("\n"), "passed 3/3")


def test_numbers_compare_by_value(problems: dict[str, SourceQuestion]) -> None:
    code = 'n = int(input())\nv = list(map(int, input().split()))\nprint("%.2f" % (sum(v) / n))\n'
    assert check(fenced(code), problems["1999B"]).correct  # "1.50" matches "1.5"


def test_wrong_answer_stops_at_the_failing_test(problems: dict[str, SourceQuestion]) -> None:
    code = "t = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    print(a + b if a >= 0 else 1)\n"
    result = check(fenced(code), problems["abc900_a"])
    assert not result.correct
    assert result.detail.startswith("failed test 2: wrong answer (line 1 differs: got '1', expected '0')")
    assert result.detail.endswith("passed 1/3")


def test_functional_wrong_value_and_missing_method(problems: dict[str, SourceQuestion]) -> None:
    wrong = check(fenced("class Solution:\n    def runningSum(self, nums):\n        return nums\n"), problems["9002"])
    assert wrong.detail.startswith("failed test 1: wrong answer (returned [1, 2, 3], expected [1, 3, 6])")
    missing = check(fenced("class Solution:\n    def other(self):\n        return 1\n"), problems["9002"])
    assert missing.detail.startswith("runtime error on test 1: AttributeError: class Solution has no method")


def test_runtime_error_timeout_and_missing_block(problems: dict[str, SourceQuestion]) -> None:
    crash = check(fenced("raise ValueError('boom')"), problems["abc900_a"])
    assert crash == CheckResult(False, "raise ValueError('boom')", "runtime error on test 1: ValueError: boom; passed 0/3")
    started = time.monotonic()
    slow = check(fenced("while True:\n    pass"), problems["abc900_a"], timeout_per_test=1)
    assert slow.detail == "timeout on test 1; passed 0/3"
    assert time.monotonic() - started < 8
    assert check("I would loop over the pairs.", problems["abc900_a"]) == CheckResult(False, None, "no code block")


def test_segfault_and_output_flood_are_failures() -> None:
    crash = check(fenced("import ctypes\nctypes.string_at(0)"), one_test_item("x"))
    assert crash.detail.startswith("runtime error on test 1: killed by signal SIGSEGV")
    flood = check(fenced("while True:\n    print('x' * 4096)"), one_test_item("x"), timeout_per_test=5)
    assert flood.detail.startswith("failed test 1: output or file size limit exceeded")


def test_judgebench_style_bare_code(problems: dict[str, SourceQuestion]) -> None:
    bare = "# YOUR CODE HERE\n" + SUM_OK
    assert check_code(bare, problems["abc900_a"]).correct
    assert check(bare, problems["abc900_a"]).detail == "no code block"
    assert check(bare, problems["abc900_a"], allow_bare_code=True).correct


def test_convenience_names_and_work_dir() -> None:
    # LiveCodeBench's grader pre-imports gcd, defaultdict, List, ...; so do we.
    code = """d = defaultdict(int)
d["a"] += gcd(12, 18)
values: List[int] = [d["a"]]
with open("scratch.txt", "w") as handle:
    handle.write(str(values[0]))
print(open("scratch.txt").read())
"""
    assert check(fenced(code), one_test_item("6")) == CheckResult(True, code.rstrip(), "passed 1/1")


def test_runner_failures_raise_instead_of_grading() -> None:
    secret = "0123456789abcdef"
    with pytest.raises(SandboxError, match="did not start"):
        parse_runner_output("", "print(1)", secret=secret)
    with pytest.raises(SandboxError, match="refused the request"):
        parse_runner_output(json.dumps({"ok": False, "error": "ValueError: bad"}), "print(1)", secret=secret)
    late = parse_runner_output(json.dumps({"ready": True, "secret": secret, "isolation": {}}), "print(1)", secret=secret)
    assert late == CheckResult(False, "print(1)", "sandbox error: the runner stopped before reporting")


def test_code_that_crashes_the_compiler_is_a_wrong_program() -> None:
    """A short expression nested too deeply for the compiler (RecursionError in
    compile) is the program's failure, not the runner's."""
    terms = 4000
    code = "print(" + "+".join(["1"] * terms) + ")"
    with pytest.raises(RecursionError):
        compile(code, "deep.py", "exec")
    result = check_code(code, one_test_item(str(terms)))
    assert not result.correct
    assert result.detail.startswith("runtime error on test 1: RecursionError"), result.detail


# --------------------------------------------------------------------------
# Hostile code: contained and reported as a failed test


def test_isolation_layers_in_force_here() -> None:
    report = isolation_report()
    assert report["rlimits"]["memory_mb"] == 1024 and report["socket_audit_hook"] is True
    assert report["landlock"] == LANDLOCK_ABI
    if os.geteuid() == 0 and shutil.which("unshare"):
        assert {"net", "mount", "pid"} <= set(report["namespaces"])
        assert report["privileges_dropped"] is True
        assert "tmpfs:/tmp" in report["mounts"] and "readonly:/" in report["mounts"]


def test_memory_bomb() -> None:
    # Asks for 8 GB at once; RLIMIT_AS (1 GiB) refuses it without touching pages.
    result = check(fenced("cells = [0] * 10**9\nprint(len(cells))"), one_test_item("1000000000"))
    assert result.detail.startswith("runtime error on test 1: MemoryError")


@needs_root
def test_fork_storm_is_bounded() -> None:
    marker = f"lcbfork{uuid.uuid4().hex[:10]}"
    code = f"""import os, time
made = 0
for _ in range(200):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        try:
            os.execvp("sleep", ["{marker}", "60"])
        finally:
            os._exit(0)
    made += 1
print(made)
"""
    result = check(fenced(code), one_test_item("200"))
    assert not result.correct
    made = int(result.detail.split("got '")[1].split("'")[0])
    assert made < 40  # RLIMIT_NPROC (32) stopped the storm
    assert processes_with(marker) == []


@needs_root
@pytest.mark.parametrize("no_namespaces", [False, True], ids=["namespaces", "fallback"])
def test_writes_outside_the_work_dir_do_not_reach_the_host(no_namespaces: bool) -> None:
    tag = uuid.uuid4().hex
    targets = [f"/tmp/lcb-escape-{tag}", f"/var/tmp/lcb-escape-{tag}", f"/dev/shm/lcb-escape-{tag}", str(REPO / f"lcb-escape-{tag}")]
    code = f"""import os
for path in {targets!r}:
    try:
        with open(path, "w") as handle:
            handle.write("escaped")
        print("wrote", path)
    except OSError as ex:
        print("blocked", path, ex.errno)
with open("inside.txt", "w") as handle:
    handle.write("fine")
print("cwd ok")
"""
    request = build_request(code, one_test_item("never"))
    result = grade_run(run_request_direct(request, no_namespaces=no_namespaces), request)
    assert not result.correct
    # The repo write must have failed (nothing cleans the repo); the temp-dir
    # writes went to private tmpfs mounts, or (fallback) were removed afterwards.
    for target in targets:
        assert not os.path.exists(target), target


def test_environment_secrets_are_not_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = f"s3cr3t-{uuid.uuid4().hex}"
    monkeypatch.setenv("JB_FAKE_SECRET", secret)
    code = f"""import os
found = os.environ.get("JB_FAKE_SECRET", "absent")
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            with open("/proc/%s/environ" % pid, "rb") as handle:
                if b"{secret}" in handle.read():
                    found = "{secret}"
        except OSError:
            pass
print(found)
"""
    result = check(fenced(code), one_test_item(secret))
    assert not result.correct
    assert "got 'absent'" in result.detail
    assert "JB_FAKE_SECRET" not in result.detail


class _Listener:
    """A TCP listener on 127.0.0.1 that records whether anyone connected."""

    def __init__(self) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(5)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.settimeout(1)
            try:
                self.received.append(conn.recv(100))
            except OSError:
                pass
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.server.close()


def _network_code(port: int) -> str:
    return f"""import socket
try:
    conn = socket.create_connection(("127.0.0.1", {port}), timeout=2)
    conn.sendall(b"leaked")
    conn.close()
    print("connected")
except OSError as ex:
    print("blocked", type(ex).__name__)
"""


def test_network_is_unreachable() -> None:
    listener = _Listener()
    try:
        result = check(fenced(_network_code(listener.port)), one_test_item("connected"))
    finally:
        listener.close()
    assert not result.correct and "blocked" in result.detail
    assert listener.connections == 0 and listener.received == []


@needs_unshare
def test_network_namespace_alone_blocks_connections() -> None:
    if not namespaces_available():
        pytest.skip("namespaces are not permitted here")
    listener = _Listener()
    try:
        code = _network_code(listener.port)
        request = build_request(
            code, one_test_item("connected"), isolation={"block_sockets": False, "socket_filter": False, "landlock": False}
        )
        result = grade_run(run_request_direct(request), request)
    finally:
        listener.close()
    assert "got 'blocked OSError'" in result.detail  # ENETUNREACH, not the audit hook
    assert listener.connections == 0


def test_socket_hook_alone_blocks_connections_without_namespaces() -> None:
    listener = _Listener()
    try:
        code = _network_code(listener.port)
        request = build_request(code, one_test_item("connected"), isolation={"socket_filter": False, "landlock": False})
        result = grade_run(run_request_direct(request, no_namespaces=True), request)
    finally:
        listener.close()
    assert "got 'blocked PermissionError'" in result.detail
    assert listener.connections == 0


def _daemon_code(marker: str) -> str:
    return f"""import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["{marker}", "120"])
    os._exit(0)
print("ok")
"""


@pytest.mark.parametrize("no_namespaces", [False, True], ids=["namespaces", "fallback"])
def test_daemonized_children_do_not_survive(no_namespaces: bool) -> None:
    marker = f"lcbdaemon{uuid.uuid4().hex[:10]}"
    code = _daemon_code(marker)
    request = build_request(code, one_test_item("ok"))
    result = grade_run(run_request_direct(request, no_namespaces=no_namespaces), request)
    assert result.correct  # the program itself printed the right answer
    assert processes_with(marker) == []


@needs_root
def test_runner_started_by_an_unprivileged_user_still_confines_code(tmp_path: Path) -> None:
    """The fallback for non-root users: a user namespace, tests as its uid 0
    without capabilities."""
    setpriv, python = shutil.which("setpriv"), "/usr/bin/python3"
    if setpriv is None or not os.path.exists(python):
        pytest.skip("needs setpriv and /usr/bin/python3")
    import tempfile

    from judgebench_inspect.generation.checkers.livecodebench import RUNNER_PATH

    shared = Path(tempfile.mkdtemp(prefix="lcb-unpriv-"))
    try:
        shared.chmod(0o755)
        runner = shared / "runner.py"
        shutil.copy(RUNNER_PATH, runner)
        runner.chmod(0o644)
        code = """import subprocess
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
remount = subprocess.run(["mount", "-o", "remount,rw", "/"], capture_output=True).returncode
print(int(status["CapEff"], 16), int(status["CapBnd"], 16), remount != 0)
"""
        request = build_request(code, one_test_item("0 0 True"))
        process = subprocess.run(
            [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", python, "-I", str(runner)],
            input=json.dumps(request).encode(),
            capture_output=True,
            timeout=60,
        )
        result = parse_runner_output(process.stdout.decode(), code, secret=request["secret"], returncode=process.returncode)
    finally:
        shutil.rmtree(shared, ignore_errors=True)
    assert result.correct, result.detail


def test_check_async_does_not_block_the_event_loop() -> None:
    async def scenario() -> tuple[CheckResult, int]:
        ticks = 0
        done = asyncio.Event()

        async def ticker() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0.05)

        tick_task = asyncio.create_task(ticker())
        result = await check_async(fenced("while True:\n    pass"), one_test_item("x"), timeout_per_test=1)
        done.set()
        await tick_task
        return result, ticks

    result, ticks = asyncio.run(scenario())
    assert result.detail == "timeout on test 1; passed 0/1"
    assert ticks >= 10


# --------------------------------------------------------------------------
# Inside an Inspect eval, through the sample's sandbox


def test_checker_in_an_inspect_eval_with_the_local_sandbox(problems: dict[str, SourceQuestion]) -> None:
    replies = {
        "abc900_a": fenced(SUM_OK),
        "9001": fenced(COUNT_OK),
        "9002": fenced("class Solution:\n    def runningSum(self, nums):\n        return nums\n"),
    }

    @scorer(metrics=[accuracy()])
    def lcb_scorer():  # type: ignore[no-untyped-def]
        async def score(state: TaskState, target: Target) -> Score:
            item = problems[str(state.sample_id)]
            in_sandbox = _current_sandbox(None) is not None
            result = await check_async(state.output.completion, item, use_sandbox=True)
            return Score(
                value=CORRECT if result.correct else INCORRECT,
                answer=result.extracted,
                explanation=result.detail,
                metadata={"in_sandbox": in_sandbox},
            )

        return score

    def reply(messages: Any) -> str:
        prompt = messages[-1].text
        for qid, text in replies.items():
            if problems[qid].prompt == prompt:
                return text
        return "no idea"

    task = Task(
        dataset=[Sample(id=qid, input=problems[qid].prompt) for qid in replies],
        solver=generate(),
        scorer=lcb_scorer(),
        sandbox="local",
    )
    [log] = eval(task, model=scripted_model(reply), display="none")
    assert log.status == "success"
    scores = {str(s.id): s.scores["lcb_scorer"] for s in log.samples or []}
    assert scores["abc900_a"].value == CORRECT and scores["abc900_a"].explanation == "passed 3/3"
    assert scores["9001"].value == CORRECT
    assert scores["9002"].value == INCORRECT
    assert scores["9002"].explanation.startswith("failed test 1: wrong answer")
    assert all(s.metadata == {"in_sandbox": True} for s in scores.values())


def test_use_sandbox_true_outside_a_sample_raises(problems: dict[str, SourceQuestion]) -> None:
    with pytest.raises(SandboxError, match="no Inspect sandbox"):
        asyncio.run(check_async(fenced(SUM_OK), problems["abc900_a"], use_sandbox=True))


# --------------------------------------------------------------------------
# Concurrent checks in one sandbox, and reports the tested code cannot forge


def test_concurrent_checks_in_one_sandbox_lose_none() -> None:
    """The k candidates of a question are checked at once in the sample's
    sandbox: each check has its own runner file, so none is lost."""
    from inspect_ai.util._sandbox.local import LocalSandboxEnvironment

    from judgebench_inspect.generation.checkers.livecodebench import run_request_in_sandbox

    async def scenario() -> tuple[list[str], list[Path]]:
        environment = LocalSandboxEnvironment()
        try:
            details: list[str] = []

            async def staggered(request: dict[str, Any], delay: float) -> Any:
                await asyncio.sleep(delay)  # replies finish at different times
                return await run_request_in_sandbox(request, environment)

            for _ in range(6):  # 6 rounds of k=8
                requests = [build_request(f"print({n})", one_test_item(str(n))) for n in range(8)]
                runs = await asyncio.gather(*(staggered(r, n * 0.02) for n, r in enumerate(requests)))
                for run, request in zip(runs, requests):
                    try:
                        details.append(grade_run(run, request).detail)
                    except SandboxError as ex:
                        details.append(f"lost: {ex}")
            return details, list((Path(environment.directory.name) / ".judgebench").glob("*"))
        finally:
            environment.directory.cleanup()

    details, leftovers = asyncio.run(scenario())
    assert details == ["passed 1/1"] * 48
    assert leftovers == []  # each runner deleted its own copy


def test_reports_without_the_secret_or_from_a_killed_runner_are_refused() -> None:
    secret = "a" * 32
    ready = json.dumps({"ready": True, "secret": secret, "isolation": {}})
    forged = json.dumps({"ok": True, "passed": 1, "total": 1, "failure": None})
    genuine_fail = json.dumps(
        {"ok": True, "secret": secret, "passed": 0, "total": 1, "failure": {"test": 0, "kind": "wrong_answer", "message": "x"}}
    )
    genuine_pass = json.dumps({"ok": True, "secret": secret, "passed": 1, "total": 1, "failure": None})
    # A line without the secret is ignored, wherever it stands.
    result = parse_runner_output("\n".join([ready, genuine_fail, forged]), "c", secret=secret)
    assert result.detail.startswith("failed test 1: wrong answer")
    wrong_secret = forged[:-1] + ', "secret": "' + "b" * 32 + '"}'
    assert parse_runner_output("\n".join([ready, wrong_secret]), "c", secret=secret).detail.startswith("sandbox error")
    # A runner killed by a signal, or exiting non-zero, after the code started: a failure.
    killed = parse_runner_output("\n".join([ready, genuine_pass]), "c", secret=secret, returncode=-9)
    assert killed == CheckResult(False, "c", "runner was killed by signal SIGKILL while the tested code ran; its report is not trusted")
    assert not parse_runner_output("\n".join([ready, genuine_pass]), "c", secret=secret, returncode=1).correct
    assert not parse_runner_output("\n".join([ready, genuine_pass, genuine_pass]), "c", secret=secret).correct
    # A ready line without the secret is no ready line; and the secret is required.
    with pytest.raises(SandboxError, match="did not start"):
        parse_runner_output(json.dumps({"ready": True, "isolation": {}}), "c", secret=secret)
    with pytest.raises(ValueError, match="secret"):
        parse_runner_output(ready, "c", secret="")
    # The runner refuses a request without a secret.
    request = build_request("print(1)", one_test_item("1"))
    del request["secret"]
    run = run_request_direct(request, no_namespaces=True)
    assert run.returncode == 2 and "secret" in run.stdout


# --------------------------------------------------------------------------
# Hostile programs in every mode this machine allows
#
# namespaces:   the default (root here: namespaces, mounts, throwaway uid, limits)
# fallback:     no namespaces (as in a default Docker container): throwaway uid, limits
# unprivileged: the checker and the runner as uid 65534 without namespaces (a
#               non-root user where user namespaces are forbidden): the tested
#               code runs under their uid; only limits, the seccomp filter, the
#               non-dumpable runner, the report secret and the exit-status check
#               stand in its way. A stand-in for the checker (the same uid)
#               starts the runner and holds its stdout pipe, as Inspect would.

MODES = ["namespaces", "fallback", "unprivileged"]
_UNPRIVILEGED_PYTHON = "/usr/bin/python3"


_CHECKER_STAND_IN = """import json, subprocess, sys
runner = subprocess.Popen([sys.executable, "-I", sys.argv[1], "--no-namespaces"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
out, _ = runner.communicate(sys.stdin.buffer.read(), timeout=50)
print(json.dumps({"stdout": out.decode("utf-8", "replace"), "returncode": runner.returncode}))
"""


@pytest.fixture(scope="module")
def unprivileged_runner() -> Any:
    """The command that checks as uid 65534: a checker stand-in and a copy of
    the runner that this uid can read (removed afterwards)."""
    import tempfile

    from judgebench_inspect.generation.checkers.livecodebench import RUNNER_PATH

    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None or not os.path.exists(_UNPRIVILEGED_PYTHON):
        yield None
        return
    shared = Path(tempfile.mkdtemp(prefix="lcb-unpriv-"))
    shared.chmod(0o755)
    runner = shared / "runner.py"
    shutil.copy(RUNNER_PATH, runner)
    runner.chmod(0o644)
    try:
        yield [
            setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
            _UNPRIVILEGED_PYTHON, "-I", "-c", _CHECKER_STAND_IN, str(runner),
        ]  # fmt: skip
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def check_in_mode(mode: str, code: str, item: SourceQuestion, unprivileged: list[str] | None, **options: Any) -> CheckResult:
    """Check `code` with the runner started the way `mode` says."""
    request = build_request(code, item, **options)
    if mode == "namespaces":
        if not namespaces_available():
            pytest.skip("namespaces are not permitted here")
        return grade_run(run_request_direct(request), request)
    if mode == "fallback":
        if os.geteuid() != 0:
            pytest.skip("the fallback drops privileges only when the runner is root")
        return grade_run(run_request_direct(request, no_namespaces=True), request)
    if unprivileged is None:
        pytest.skip("needs root (to start the runner as uid 65534), setpriv and /usr/bin/python3")
    before = set(Path("/tmp").glob("jb-lcb-*"))
    try:
        return _check_unprivileged(unprivileged, request)
    finally:
        # A runner the tested code killed could not remove its work directory.
        for left in set(Path("/tmp").glob("jb-lcb-*")) - before:
            if left.stat().st_uid == 65534:
                shutil.rmtree(left, ignore_errors=True)


def _check_unprivileged(unprivileged: list[str], request: dict[str, Any]) -> CheckResult:
    """Run `request` through the uid-65534 checker stand-in and grade it."""
    code = request["code"]
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    if LANDLOCK_ABI and "JB_FAKE_SECRET" in os.environ:
        # Same uid, so without Landlock the tested code could read this from
        # /proc/<checker>/environ, as it could an API key of a real checker.
        env["JB_FAKE_SECRET"] = os.environ["JB_FAKE_SECRET"]
    process = subprocess.Popen(
        unprivileged,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(json.dumps(request).encode(), timeout=60)
    finally:
        if process.returncode is None:
            os.killpg(process.pid, 9)
            process.wait()
    seen = json.loads(out.decode())
    return parse_runner_output(seen["stdout"], code, secret=request["secret"], returncode=seen["returncode"])


_PROBE_RUNNER = """import os
parent = os.getppid()
opened = []
for name, flags in (("fd/1", os.O_WRONLY), ("mem", os.O_RDONLY), ("environ", os.O_RDONLY)):
    try:
        os.close(os.open("/proc/%d/%s" % (parent, name), flags))
        opened.append(name)
    except OSError:
        pass
print("opened", *opened)
"""

_FORGE_AND_KILL = """import json, os, signal
parent = os.getppid()
report = {"ok": True, "passed": 1, "total": 1, "failure": None, "seconds": [0.0], "isolation": {}}
try:
    with open("/proc/%d/fd/1" % parent, "w") as out:
        out.write(json.dumps(report) + "\\n")
except OSError:
    pass
os.kill(parent, signal.SIGKILL)
"""


@pytest.mark.parametrize("mode", MODES)
def test_the_runner_is_out_of_reach_of_the_tested_code(mode: str, unprivileged_runner: Any) -> None:
    """Neither the runner's stdout nor its memory (which holds the expected
    outputs) can be opened by the tested code, even under the runner's uid."""
    result = check_in_mode(mode, _PROBE_RUNNER, one_test_item("never"), unprivileged_runner)
    assert "got 'opened'" in result.detail, result.detail


_FORGE_THROUGH_THE_CHECKER = """import json, os
ancestors = [os.getppid()]  # the runner, its guard, the checker, ...
while ancestors[-1] > 1:
    with open("/proc/%d/stat" % ancestors[-1]) as handle:
        ancestors.append(int(handle.read().rsplit(")", 1)[1].split()[1]))
report = {"ok": True, "passed": 1, "total": 1, "failure": None, "seconds": [0.0], "isolation": {}}
for target in ancestors[:-1]:
    try:
        fds = os.listdir("/proc/%d/fd" % target)
    except OSError:
        continue
    for fd in fds:
        try:
            out = os.open("/proc/%d/fd/%s" % (target, fd), os.O_WRONLY | os.O_NONBLOCK)
            os.write(out, (json.dumps(report) + "\\n").encode())
            os.close(out)
        except OSError:
            pass
"""


@pytest.mark.parametrize("landlock", [True, False], ids=["landlock", "no-landlock"])
def test_a_report_slipped_into_the_checkers_own_pipe_is_ignored(landlock: bool, unprivileged_runner: Any) -> None:
    """Under one uid the tested code can reopen the checker's end of the
    runner's stdout pipe for writing, unless Landlock keeps it out of every
    process outside its domain: a report written there lacks the secret and
    is ignored."""
    if unprivileged_runner is None:
        pytest.skip("needs root (to start the checker as uid 65534), setpriv and /usr/bin/python3")
    request = build_request(_FORGE_THROUGH_THE_CHECKER, one_test_item("never"), isolation={"landlock": landlock})
    process = subprocess.run(
        unprivileged_runner, input=json.dumps(request).encode(), capture_output=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )  # fmt: skip
    seen = json.loads(process.stdout.decode())
    forged_in = '"passed": 1' in seen["stdout"]
    assert forged_in is not (landlock and LANDLOCK_ABI > 0)  # Landlock: the checker's fds cannot be opened
    result = parse_runner_output(seen["stdout"], request["code"], secret=request["secret"], returncode=seen["returncode"])
    assert result.detail.startswith("failed test 1: wrong answer"), result.detail


@pytest.mark.parametrize("landlock", [True, False], ids=["landlock", "no-landlock"])
@pytest.mark.parametrize("mode", MODES)
def test_a_forged_report_and_a_killed_runner_are_a_failure(mode: str, landlock: bool, unprivileged_runner: Any) -> None:
    result = check_in_mode(
        mode, _FORGE_AND_KILL, one_test_item("never"), unprivileged_runner, isolation={"landlock": landlock}
    )
    assert not result.correct
    if mode == "unprivileged" and landlock and LANDLOCK_ABI >= 6:  # signals cannot leave the Landlock domain
        assert result.detail.startswith("runtime error on test 1: PermissionError"), result.detail
    elif mode == "unprivileged":  # same uid: the kill lands, and the report is refused
        assert result.detail.startswith("runner was killed by signal SIGKILL"), result.detail


@pytest.mark.parametrize("mode", MODES)
def test_the_tested_code_has_a_private_tmpdir(mode: str, unprivileged_runner: Any) -> None:
    code = """import os, tempfile
handle, path = tempfile.mkstemp()
os.close(handle)
print(os.path.dirname(path) == os.path.join(os.getcwd(), "tmp"))
"""
    assert check_in_mode(mode, code, one_test_item("True"), unprivileged_runner).correct


_DAEMON = """import os, signal, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        late = "import time; time.sleep(0.5); print('escaped', flush=True); time.sleep(60)"
        os.execv(sys.executable, [sys.executable, "-c", late, "{marker}"])
    os._exit(0)
"""
"""Starts a daemon (setsid, double fork) that prints "escaped" if it outlives the test."""

_DAEMON_THEN_KILL = _DAEMON + """time.sleep(0.2)  # the daemon is on its own by now
targets = [os.getppid()]  # the runner; {and_guard} its guard too
if {and_guard}:
    with open("/proc/%d/stat" % targets[0]) as handle:
        targets.append(int(handle.read().rsplit(")", 1)[1].split()[1]))
for target in targets:
    try:
        os.kill(target, signal.SIGKILL)
    except OSError:
        pass
"""


@pytest.mark.parametrize("landlock", [True, False], ids=["landlock", "no-landlock"])
@pytest.mark.parametrize("mode", MODES)
def test_a_daemon_dies_even_when_the_runner_is_killed(mode: str, landlock: bool, unprivileged_runner: Any) -> None:
    """A daemon (setsid, double fork) outlives the test process, whose code
    then kills the runner: the runner's guard, a subreaper, kills it. Under
    other uids (root modes) or with Landlock the kill fails and the runner
    sweeps it itself."""
    marker = f"lcbdaemonkill{uuid.uuid4().hex[:10]}"
    code = _DAEMON_THEN_KILL.replace("{marker}", marker).replace("{and_guard}", "False")
    result = check_in_mode(mode, code, one_test_item("escaped"), unprivileged_runner, isolation={"landlock": landlock})
    assert not result.correct, result.detail
    if mode == "unprivileged" and not (landlock and LANDLOCK_ABI >= 6):
        assert result.detail.startswith("runner was killed by signal SIGKILL"), result.detail
    assert processes_with(marker) == []


@pytest.mark.parametrize("landlock", [True, False], ids=["landlock", "no-landlock"])
def test_killing_the_runner_and_its_guard_needs_no_landlock(landlock: bool, unprivileged_runner: Any) -> None:
    """The one escape left in the unprivileged mode: under the runner's own
    uid, code that kills both the runner and its guard orphans its daemon to
    init, beyond the reach of any process of the checker. Landlock (ABI 6+,
    signals scoped) refuses both kills; without it the report is refused
    (graded incorrect) but the daemon lives on, and this test ends it."""
    if LANDLOCK_ABI < 6 and landlock:
        pytest.skip("this kernel's Landlock does not scope signals")
    marker = f"lcbdaemonguard{uuid.uuid4().hex[:10]}"
    code = _DAEMON_THEN_KILL.replace("{marker}", marker).replace("{and_guard}", "True")
    try:
        result = check_in_mode("unprivileged", code, one_test_item("escaped"), unprivileged_runner, isolation={"landlock": landlock})
        assert not result.correct, result.detail
        if landlock:
            assert processes_with(marker) == []
        else:
            assert result.detail.startswith("runner was killed by signal SIGKILL"), result.detail
    finally:
        for pid in processes_with(marker):
            os.kill(pid, 9)


def functional_item(expected: str) -> SourceQuestion:
    """A functional problem (method `solve` of no arguments) with one test."""
    suite = {"testtype": "functional", "func_name": "solve", "tests": [{"input": "", "output": expected}]}
    return SourceQuestion("livecodebench", "hostile-f", None, "", json.dumps(suite), "code_generation", {})


# Each program prints "escaped" (the expected output) only if its attack worked,
# so an attack that worked would be graded correct.
HOSTILE: dict[str, str] = {
    "fork_bomb": """import os, select
# Every process forks again: 512 of them without a process limit.
done, report = os.pipe()
first = os.getpid()
for _ in range(9):
    try:
        os.fork()
    except OSError:
        break
os.write(report, b"+")
if os.getpid() != first:
    os.execvp("sleep", ["{marker}", "30"])
os.close(report)
count = 0
while select.select([done], [], [], 1.0)[0]:
    data = os.read(done, 4096)
    if not data:
        break
    count += len(data)
print("escaped" if count >= 512 else count)
""",
    "busy_loop": "while True:\n    pass\n",
    "alloc_8gb": "block = bytearray(8 << 30)\nprint('escaped')\n",
    "huge_file": """with open("big", "wb") as out:
    for _ in range(256):
        out.write(b"x" * (1 << 20))
print("escaped")
""",
    "write_outside": """done = []
for path in {outside!r}:
    try:
        with open(path, "w") as out:
            out.write("escaped")
        done.append(path)
    except OSError:
        pass
print("escaped" if any(not p.startswith(("/tmp/", "/dev/shm/")) for p in done) else "blocked")
""",
    "read_secrets": """import os
found = os.environ.get("JB_FAKE_SECRET", "")
for path in ["{secret_file}"] + ["/proc/%s/environ" % p for p in os.listdir("/proc") if p.isdigit()]:
    try:
        with open(path, "rb") as handle:
            if b"{secret}" in handle.read():
                found = "{secret}"
    except OSError:
        pass
print("escaped" if found == "{secret}" else "nothing")
""",
    "sockets": """import ctypes, subprocess, sys, socket, struct
ways = []
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    ways.append("socket")
except Exception:
    pass
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.socket(2, 1, 0)
if fd >= 0:
    addr = struct.pack("=H", 2) + struct.pack("!H", {port}) + bytes([127, 0, 0, 1]) + bytes(8)
    if libc.connect(fd, ctypes.c_char_p(addr), 16) == 0:
        ways.append("ctypes")
child = "import socket; socket.create_connection(('127.0.0.1', {port}), timeout=2); print('in')"
try:
    if "in" in subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=5).stdout:
        ways.append("child")
except Exception:
    pass
print("escaped" if ways else "blocked")
""",
    "kill_the_runner": """import os, signal
try:
    os.kill(os.getppid(), signal.SIGKILL)
    print("escaped")
except OSError:
    print("blocked")
""",
    "daemon": _DAEMON,
    "forged_report": _FORGE_AND_KILL,
    "monkeypatched_eq": """import builtins, json
class Equal(list):
    def __eq__(self, other):
        return True
    __hash__ = None
builtins.isinstance = lambda *args: True
class Solution:
    def solve(self):
        return Equal(["nothing"])
""",
    "monkeypatched_builtins": """import builtins, json, os
builtins.print = lambda *a, **k: None
json.dumps = lambda *a, **k: '{"value": "escaped"'
os.write = lambda *a: 0
class Solution:
    def solve(self):
        return "nothing"
""",
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("attack", sorted(HOSTILE))
def test_hostile_programs_are_contained_and_graded_incorrect(
    attack: str, mode: str, unprivileged_runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = uuid.uuid4().hex[:12]
    marker = f"lcbhostile{tag}"
    secret = f"s3cr3t-{tag}"
    monkeypatch.setenv("JB_FAKE_SECRET", secret)
    # A file of the unprivileged mode's own user, in a directory all may
    # enter: only Landlock keeps that mode's tested code from reading it.
    secret_dir = Path("/var/tmp") / f"lcb-secret-{tag}"
    secret_dir.mkdir(mode=0o755)
    secret_file = secret_dir / "secret.txt"
    secret_file.write_text(secret)
    secret_file.chmod(0o600)
    if os.geteuid() == 0:
        os.chown(secret_file, 65534, 65534)
    outside = [f"/tmp/lcb-escape-{tag}", f"/dev/shm/lcb-escape-{tag}", str(REPO / f"lcb-escape-{tag}"), f"/etc/lcb-escape-{tag}"]
    listener = _Listener() if attack == "sockets" else None
    code = HOSTILE[attack]
    for key, value in {"marker": marker, "secret": secret, "secret_file": str(secret_file), "outside": outside}.items():
        code = code.replace("{" + key + "}", value if isinstance(value, str) else repr(value)).replace(
            "{" + key + "!r}", repr(value)
        )
    code = code.replace("{port}", str(listener.port if listener else 9))
    item = functional_item('"escaped"') if attack.startswith("monkeypatched") else one_test_item("escaped")
    started = time.monotonic()
    try:
        result = check_in_mode(mode, code, item, unprivileged_runner, timeout_per_test=2)
    finally:
        shutil.rmtree(secret_dir, ignore_errors=True)
        if listener is not None:
            listener.close()
    assert not result.correct, result.detail
    assert time.monotonic() - started < 30
    assert processes_with(marker) == []
    if listener is not None:
        assert listener.connections == 0 and listener.received == []
    if attack == "write_outside":
        for path in outside:
            if mode == "unprivileged" and not LANDLOCK_ABI and path.startswith(("/tmp/", "/dev/shm/")) and os.path.exists(path):
                # Not contained in this mode without Landlock: a world-writable
                # directory takes the file, as it would from any program of that user.
                assert os.stat(path).st_uid == 65534
                os.unlink(path)
                continue
            assert not os.path.exists(path), path


# --------------------------------------------------------------------------
# Memory of a whole test (all its processes)

FOUR_TIMES_700MB = """import os
children = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        try:
            block = bytearray(700 << 20)
            for i in range(0, len(block), 4096):
                block[i] = 1
            os._exit(0)
        except MemoryError:
            os._exit(1)
    children.append(pid)
print("escaped" if all(os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) == 0 for p in children) else "stopped")
"""


@pytest.mark.parametrize("mode", MODES)
def test_memory_is_capped_for_the_whole_test(mode: str, unprivileged_runner: Any) -> None:
    """Four processes of 700 MB each stay under the 1 GiB per-process limit, but
    not under the cap for the test as a whole."""
    result = check_in_mode(mode, FOUR_TIMES_700MB, one_test_item("escaped"), unprivileged_runner, timeout_per_test=20)
    assert result.detail.startswith("runtime error on test 1: memory limit exceeded"), result.detail


def test_the_whole_test_memory_cap_is_stated() -> None:
    report = isolation_report()
    cap = report["test_memory"]
    if cap.startswith("cgroup v2"):
        assert "1024 MiB and 32 processes for the whole test" in cap
    else:  # this machine: no cgroup v2 memory controller; say what holds instead
        assert cap.startswith("sampled every 50 ms: 1024 MiB") and "up to 1024 MiB per process and 32 processes" in cap
        assert any(note.startswith("whole-test memory cap only sampled") for note in report["notes"])
    one_process = "block = bytearray(300 << 20)\nfor i in range(0, len(block), 4096):\n    block[i] = 1\nprint('fine')\n"
    assert check_code(one_process, one_test_item("fine")).correct  # a big but allowed program still passes


def test_cgroup_group_is_made_with_the_limits(tmp_path: Path) -> None:
    """The cgroup v2 steps, on a directory laid out like a cgroup (no cgroup v2
    memory controller on these machines to try the real one)."""
    from judgebench_inspect.generation.checkers._sandbox_runner import _TestCgroup

    limits = {"memory_mb": 1024, "nproc": 32}
    parent = tmp_path / "parent"
    home = parent / "runner"
    home.mkdir(parents=True)
    (home / "cgroup.controllers").write_text("cpu memory pids\n")
    (home / "cgroup.procs").write_text("")
    group, note = _TestCgroup.create(limits, (str(home), False))
    assert group is not None and note == "cgroup v2: 1024 MiB and 32 processes for the whole test"
    made = Path(group.path)
    assert made.parent == parent and made.name.startswith("jb-lcb-")
    assert (made / "memory.max").read_text() == str(1024 << 20)
    assert (made / "pids.max").read_text() == "32" and (made / "memory.swap.max").read_text() == "0"
    group.enter()
    assert (made / "cgroup.procs").read_text() == "0"
    group.leave()
    assert (home / "cgroup.procs").read_text() == "0"
    (made / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    assert group.out_of_memory() and not group.out_of_memory()
    # At the root of a hierarchy the group is a child, after enabling the controllers.
    (home / "cgroup.subtree_control").write_text("")
    child, _ = _TestCgroup.create(limits, (str(home), True))
    assert child is not None and Path(child.path).parent == home
    assert (home / "cgroup.subtree_control").read_text() == "+memory +pids"
    (home / "cgroup.controllers").write_text("cpu\n")
    assert _TestCgroup.create(limits, (str(home), False)) == (
        None,
        "cgroup v2 without the memory and pids controllers for this group",
    )


# --------------------------------------------------------------------------
# The Docker sandbox (no Docker engine here: the file itself is checked)


def test_docker_sandbox_has_no_network() -> None:
    import yaml

    from judgebench_inspect.generation.checkers.livecodebench import DOCKER_COMPOSE_PATH
    from judgebench_inspect.tasks.generate import check_sandbox

    assert check_sandbox("docker") == ("docker", str(DOCKER_COMPOSE_PATH))
    assert check_sandbox("local") == "local" and check_sandbox("none") is None
    compose = yaml.safe_load(DOCKER_COMPOSE_PATH.read_text(encoding="utf-8"))
    services = compose["services"]
    assert list(services) == ["default"]  # the sandbox Inspect execs in
    service = services["default"]
    assert service["network_mode"] == "none"
    assert "networks" not in service and "ports" not in service and "networks" not in compose
    assert service["image"].startswith("python:3") and service["init"] is True
    assert service["pids_limit"] > 0 and service["mem_limit"]
