"""Logs and pairs files on S3: every command reads and writes where Inspect does.

A real S3-compatible server (moto's ``moto_server``) runs on a free 127.0.0.1 port for this module,
reached through ``AWS_ENDPOINT_URL`` with dummy credentials (no network). A judge run writes its log
there, reading its pairs from there; its model fails once, so the run errs and ``eval_retry``
finishes it there. Then ``judgebench report``, ``export`` and ``pairs`` read those logs (and write
their outputs) on S3, and the report is the same as for a local copy of the folder.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest
from support import FAST, output, smart_reply, write_pairs
from inspect_ai import Task, eval, eval_retry, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import EvalLog, list_eval_logs, read_eval_log
from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput, modelapi
from inspect_ai.scorer import match
from inspect_ai.solver import generate
from inspect_ai.solver._task_state import sample_state

from judgebench.tasks import judge
from judgebench_inspect import storage
from judgebench_inspect.cli import main
from judgebench_inspect.dataset import PairDataError, load_pairs, read_pairs_file

pytest.importorskip("s3fs", reason="s3fs not installed (optional extra 's3'): logs on S3 not tested")
pytest.importorskip("moto.server", reason="moto[server] not installed (extra 'dev'): no local S3 server to test against")

BUCKET = "s3://judgebench-test"
LOGS = f"{BUCKET}/logs"
PAIRS = f"{BUCKET}/data/pairs.jsonl.gz"

#: The one judge call that fails (the first time only): a game of this question.
FAILS_ON = "Question 3 "
_failed: set[str] = set()


class FlakyJudge(ModelAPI):
    """Answers like ``support.smart_reply``; the first call about :data:`FAILS_ON` raises.

    A registered provider (``remote-test/judge``), so that ``eval_retry`` builds it again from the log.
    """

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), **model_args: Any) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)

    async def generate(self, input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        text = "\n".join(m.text for m in input)
        if FAILS_ON in text and FAILS_ON not in _failed:
            _failed.add(FAILS_ON)
            raise RuntimeError("the judge's provider failed once")
        return output(smart_reply(input))


@modelapi(name="remote-test")
def _flaky_provider() -> type[ModelAPI]:
    return FlakyJudge


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3() -> Iterator[str]:
    """A moto S3 server on 127.0.0.1 for this module, with the bucket made; yields its URL."""
    import s3fs

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "moto_server exited"
                assert time.monotonic() < deadline, "moto_server did not start"
                time.sleep(0.1)
        with pytest.MonkeyPatch.context() as mp:
            for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
                mp.delenv(key, raising=False)
            mp.setenv("AWS_ENDPOINT_URL", url)
            mp.setenv("AWS_ACCESS_KEY_ID", "testing")
            mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
            mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
            mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
            s3fs.S3FileSystem.clear_instance_cache()
            s3fs.S3FileSystem().mkdir(BUCKET.removeprefix("s3://"))
            yield url
            s3fs.S3FileSystem.clear_instance_cache()
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def judged(s3: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[EvalLog, EvalLog]:
    """A judge run reading its pairs from S3 and logging there, errored once, then retried there."""
    local = write_pairs(tmp_path_factory.mktemp("pairs") / "pairs.jsonl")
    storage.write_text(PAIRS, local.read_text(encoding="utf-8"))  # gzip by the name
    task_ = judge(dataset=PAIRS, judge="vanilla", prompts="builtin")
    [first] = eval(task_, model="remote-test/judge", log_dir=LOGS, display="none")
    assert first.status == "error" and first.location.startswith(LOGS + "/")
    [retried] = eval_retry(first.location, log_dir=LOGS, display="none")
    return first, retried


def test_judge_log_written_and_retried_on_s3(judged: tuple[EvalLog, EvalLog]) -> None:
    first, retried = judged
    assert FAILS_ON in _failed
    assert retried.status == "success" and retried.location.startswith(LOGS + "/")
    assert sorted(i.name for i in list_eval_logs(LOGS)) == sorted([first.location, retried.location])
    log = read_eval_log(retried.location)
    assert log.samples is not None and len(log.samples) == 12
    assert all(s.error is None for s in log.samples)
    assert round(log.results.scores[0].metrics["pair_accuracy"].value, 2) == 50.0  # poetry 4/6 + law 2/6


def _report(paths: list[str], out: str) -> dict[str, Any]:
    assert main(["report", *paths, "--format", "json", "-o", out, *FAST]) == 0
    with storage.open_text(out) as f:
        return json.loads(f.read())  # type: ignore[no-any-return]


def _without(root: str, report: dict[str, Any]) -> Any:
    return json.loads(json.dumps(report).replace(root, "<ROOT>"))


def test_report_of_s3_folder_equals_report_of_local_copy(judged: tuple[EvalLog, EvalLog], tmp_path: Path) -> None:
    import s3fs

    copy = tmp_path / "copy"
    s3fs.S3FileSystem().get(LOGS.removeprefix("s3://") + "/", str(copy), recursive=True)
    assert len(list(copy.rglob("*.eval"))) == 2
    remote = _report([LOGS], f"{BUCKET}/reports/report.json")  # the output on S3 too
    local = _report([str(copy)], str(tmp_path / "report.json"))
    assert _without(LOGS, remote) == _without(str(copy), local)
    (row,) = remote["rows"]
    assert row["pairs"] == 12 and round(row["accuracy"]["overall"]["accuracy"], 2) == 50.0
    # the errored first log is named and skipped, with its S3 location
    assert [s["path"] for s in remote["skipped"]] == [judged[0].location]


def test_report_of_missing_s3_folder_is_skipped(judged: tuple[EvalLog, EvalLog], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", f"{BUCKET}/nothing-here", *FAST]) == 1
    assert f"skipped {BUCKET}/nothing-here: no such file or folder" in capsys.readouterr().err


def test_export_from_and_to_s3_reads_back_the_same(judged: tuple[EvalLog, EvalLog]) -> None:
    retried = judged[1].location
    out = f"{BUCKET}/exports/judged-vanilla.jsonl"
    assert main(["export", retried, "-o", out]) == 0
    with storage.open_text(out) as f:
        rows = [json.loads(line) for line in f]
    assert len(rows) == 12 and all(len(r["judgments"]) == 2 for r in rows)
    from_export = _report([out], f"{BUCKET}/reports/export.json")
    from_log = _report([retried], f"{BUCKET}/reports/log.json")
    assert from_export["rows"][0]["accuracy"] == from_log["rows"][0]["accuracy"]
    # a folder URL (a prefix with nothing under it yet) gets JudgeBench's file name inside it
    assert main(["export", retried, "-o", f"{BUCKET}/judged/", "--no-prompts"]) == 0
    [named] = storage.find(f"{BUCKET}/judged", ".jsonl")
    assert storage.name(named).startswith("dataset=pairs,judge_name=vanilla,judge_model=")


# --------------------------------------------------------------------------- pairs from a log on S3

#: id -> (question, right answer, wrong answer); epoch 1 answers right, epoch 2 wrong.
QUESTIONS = {"add": ("What is 2 + 2?", "4", "5"), "cap": ("What is the capital of France?", "Paris", "Lyon")}


def _answer(messages: list[ChatMessage]) -> str:
    state = sample_state()
    assert state is not None
    text = [m for m in messages if m.role == "user"][-1].text
    _, right, wrong = next(v for v in QUESTIONS.values() if v[0] in text)
    return f"ANSWER: {right if state.epoch == 1 else wrong}"


@task
def two_questions() -> Task:
    samples = [Sample(id=sid, input=q, target=right) for sid, (q, right, _) in QUESTIONS.items()]
    return Task(dataset=MemoryDataset(samples, name="two"), solver=generate(), scorer=match())


def test_pairs_from_s3_log_to_s3_and_as_dataset(s3: str) -> None:
    from support import scripted_model

    [log] = eval(two_questions(), model=scripted_model(_answer), epochs=2, log_dir=f"{BUCKET}/other", display="none")
    out = f"{BUCKET}/data/two-pairs.jsonl"
    assert main(["pairs", log.location, "-o", out]) == 0
    written = read_pairs_file(out)
    assert len(written) == 2
    # -T dataset= takes the remote log itself, and the remote pairs file, with the same pairs
    assert [p.pair_id for p in load_pairs(log.location)] == [p.pair_id for p in written]
    assert [p.pair_id for p in load_pairs(out)] == [p.pair_id for p in written]


def test_bad_remote_pairs_file_names_file_line_and_field(s3: str) -> None:
    good = {"pair_id": "p1", "question": "Q?", "response_A": "a", "response_B": "b", "label": "A>B", "category": "x"}
    bad = {**good, "pair_id": "p2", "label": "A=B"}
    path = f"{BUCKET}/bad/pairs.jsonl"
    storage.write_text(path, json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(PairDataError, match=rf"^{path}, line 2.*'label'"):
        load_pairs(path)
    with pytest.raises(PairDataError, match=rf"^{BUCKET}/bad/missing.jsonl: no such file"):
        load_pairs(f"{BUCKET}/bad/missing.jsonl")
    broken = f"{BUCKET}/bad/pairs.jsonl.gz"
    with storage.open_text(f"{BUCKET}/bad/plain.jsonl", "w") as f:
        f.write("not gzip\n")
    import s3fs

    s3fs.S3FileSystem().copy(f"{BUCKET}/bad/plain.jsonl".removeprefix("s3://"), broken.removeprefix("s3://"))
    with pytest.raises(PairDataError, match=rf"^{broken}: not a readable gzip file"):
        load_pairs(broken)
