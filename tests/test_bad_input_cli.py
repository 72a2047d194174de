"""Bad pair files through the real `inspect eval` command: every kind is refused
with an error naming the file, line and field, and the command exits non-zero.

Most cases run Inspect's click command in-process (the same code as the
`inspect` executable, without paying its start-up per case); one case runs the
executable itself to show the process exit status and what the user sees.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner
from inspect_ai import eval
from inspect_ai._cli.main import inspect as inspect_cli

from judgebench.tasks import judge
from judgebench_inspect.dataset import PairDataError

from conftest import PAIRS_CLAUDE, PAIRS_GPT, scripted_model

INSPECT = str(Path(sys.executable).parent / "inspect")
IDENTICAL_PAIR = "a28a8dae-78a7-51a7-a46f-84a6e502068d"


def good_rows(n: int = 3) -> list[dict[str, Any]]:
    with PAIRS_GPT.open(encoding="utf-8") as f:
        return [json.loads(next(f)) for _ in range(n)]


def write_rows(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def judge_log(tmp: Path) -> Path:
    """A real Inspect log of the *judge* task (not a generation log)."""
    data = write_rows(tmp / "one.jsonl", good_rows(1))
    log = eval(
        judge(dataset=str(data), judge="vanilla"),
        model=scripted_model(lambda _m: "Output (a)"),
        display="none",
        log_dir=str(tmp / "judge-logs"),
    )[0]
    assert log.status == "success"
    return Path(log.location)


def _missing_field(tmp: Path) -> Path:
    rows = good_rows()
    del rows[1]["response_B"]
    return write_rows(tmp / "missing.jsonl", rows)


def _label(value: Any) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        rows = good_rows()
        rows[2]["label"] = value
        return write_rows(tmp / "label.jsonl", rows)

    return make


def _unknown_source(tmp: Path) -> Path:
    rows = good_rows()
    rows[0]["source"] = "mystery-bench"
    return write_rows(tmp / "source.jsonl", rows)


def _malformed(tmp: Path) -> Path:
    p = write_rows(tmp / "malformed.jsonl", good_rows(2))
    with p.open("a", encoding="utf-8") as f:
        f.write('{"pair_id": "x", "question": "unterminated\n')
    return p


def _duplicate(tmp: Path) -> Path:
    rows = good_rows()
    rows[2]["pair_id"] = rows[0]["pair_id"]
    return write_rows(tmp / "dup.jsonl", rows)


def _empty(tmp: Path) -> Path:
    p = tmp / "empty.jsonl"
    p.write_text("\n  \n", encoding="utf-8")
    return p


def _huge_line(tmp: Path) -> Path:
    rows = good_rows(2)
    rows[1]["response_A"] = "x" * (50 * 2**20)
    return write_rows(tmp / "huge.jsonl", rows)


def _not_a_log(tmp: Path) -> Path:
    p = tmp / "broken.eval"
    p.write_bytes(b"this is not an Inspect log")
    return p


def _not_a_dict(tmp: Path) -> Path:
    return write_rows(tmp / "list.jsonl", [good_rows(1)[0], ["A>B"]])


def _binary(tmp: Path) -> Path:
    p = tmp / "binary.jsonl"
    p.write_bytes(b"\xff\xfe\x00garbage")
    return p


#: (case, file maker, words the error must contain)
CASES: list[tuple[str, Callable[[Path], Path], tuple[str, ...]]] = [
    ("missing field", _missing_field, ("line 2", "field 'response_B'", "missing")),
    ("tie label", _label("A=B"), ("line 3", "field 'label'", "'A=B'")),
    ("unknown label", _label("A>>B"), ("line 3", "field 'label'", "'A>>B'")),
    ("lowercase label", _label("a>b"), ("line 3", "field 'label'", "'a>b'")),
    ("label not a string", _label(1), ("line 3", "field 'label'")),
    ("unknown source", _unknown_source, ("line 1", "field 'source'", "mystery-bench")),
    ("malformed JSON", _malformed, ("line 3", "not valid JSON")),
    ("duplicate pair ids", _duplicate, ("line 3", "field 'pair_id'", "duplicate", "line 1")),
    ("empty file", _empty, ("no pairs", "empty")),
    ("50 MB line", _huge_line, ("line 2", "MB")),
    ("row not an object", _not_a_dict, ("line 2", "JSON object")),
    ("not UTF-8", _binary, ("UTF-8",)),
    ("broken .eval file", _not_a_log, ("broken.eval", "not a readable Inspect log")),
    ("missing file", lambda tmp: tmp / "nowhere.jsonl", ("nowhere.jsonl", "no such file")),
]


@pytest.mark.parametrize("make,words", [(m, w) for _, m, w in CASES], ids=[c for c, _, _ in CASES])
def test_bad_file_is_refused_by_the_cli(tmp_path: Path, make: Callable[[Path], Path], words: tuple[str, ...]) -> None:
    path = make(tmp_path)
    result = CliRunner().invoke(
        inspect_cli,
        ["eval", "judgebench/judge", "--model", "mockllm/model", "-T", f"dataset={path}",
         "--display", "none", "--log-dir", str(tmp_path / "logs")],
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, PairDataError), repr(result.exception)
    message = str(result.exception)
    assert str(path.name) in message
    for word in words:
        assert word in message, message
    assert not (tmp_path / "logs").exists() or not any((tmp_path / "logs").iterdir())


def test_log_of_another_task_is_refused(tmp_path: Path) -> None:
    """An Inspect log of the judge task passed as -T dataset= is not a pairs file."""
    log = judge_log(tmp_path)
    result = CliRunner().invoke(
        inspect_cli,
        ["eval", "judgebench/judge", "--model", "mockllm/model", "-T", f"dataset={log}",
         "--display", "none", "--log-dir", str(tmp_path / "logs")],
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, PairDataError), repr(result.exception)
    message = str(result.exception)
    assert log.name in message and "judge" in message and "generate" in message, message


def test_the_inspect_process_exits_non_zero_and_names_the_problem(tmp_path: Path) -> None:
    """The real executable: exit status 1, the last line of stderr is the error."""
    path = _label("A=B")(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    proc = subprocess.run(
        [INSPECT, "eval", "judgebench/judge", "--model", "mockllm/model", "-T", f"dataset={path}",
         "--display", "none", "--log-dir", str(tmp_path / "logs")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("judgebench_inspect.dataset.PairDataError: ")
    assert f"{path}, line 3, field 'label': expected 'A>B' or 'B>A', got 'A=B'" in last


def test_identical_responses_are_warned_about_and_judged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The published claude split has one pair with two byte-identical responses."""
    with PAIRS_CLAUDE.open(encoding="utf-8") as f:
        rows = [r for r in map(json.loads, f) if r["pair_id"] == IDENTICAL_PAIR]
    assert len(rows) == 1 and rows[0]["response_A"] == rows[0]["response_B"]
    data = write_rows(tmp_path / "identical.jsonl", rows + good_rows(1))
    with caplog.at_level(logging.WARNING, logger="judgebench_inspect.dataset"):
        log = eval(
            judge(dataset=str(data), judge="arena_hard"),
            model=scripted_model(lambda _m: "Both are the same. [[A=B]]"),
            display="none",
            log_dir=str(tmp_path / "logs"),
        )[0]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(IDENTICAL_PAIR in w and "identical" in w for w in warnings), warnings
    assert log.status == "success"
    assert log.samples is not None
    sample = next(s for s in log.samples if s.id == IDENTICAL_PAIR)
    assert sample.error is None
    value = sample.scores["pair_scorer"].value
    assert value["games"] == 2 and value["ties"] == 2 and value["correct"] == 0
