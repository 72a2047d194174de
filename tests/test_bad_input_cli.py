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
from judgebench_inspect.cli import main
from judgebench_inspect.dataset import PairDataError

from support import PAIRS_CLAUDE, PAIRS_GPT, scripted_model

INSPECT = str(Path(sys.executable).parent / "inspect")
JUDGEBENCH = str(Path(sys.executable).parent / "judgebench")
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


def _surrogate(tmp: Path) -> Path:
    """A ``\\ud800`` escape: valid JSON, but text no model request can carry."""
    rows = good_rows()
    rows[1]["response_A"] = "The answer is \ud800 (B)."
    return write_rows(tmp / "surrogate.jsonl", rows)  # json.dumps writes the escape


def _nested(tmp: Path) -> Path:
    p = write_rows(tmp / "nested.jsonl", good_rows(1))
    with p.open("a", encoding="utf-8") as f:
        f.write('{"pair_id": "deep", "question": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    return p


def _long_id(tmp: Path) -> Path:
    p = write_rows(tmp / "long-id.jsonl", good_rows(2))
    row = json.dumps({**good_rows(3)[2], "original_id": 0})
    with p.open("a", encoding="utf-8") as f:
        f.write(row.replace('"original_id": 0', '"original_id": ' + "7" * 5000) + "\n")
    return p


def _bool_id(tmp: Path) -> Path:
    rows = good_rows()
    rows[0]["original_id"] = True
    return write_rows(tmp / "bool-id.jsonl", rows)


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
    ("lone surrogate", lambda tmp: _surrogate(tmp), ("line 2", "field 'response_A'", "lone surrogate \\ud800")),
    ("deeply nested line", lambda tmp: _nested(tmp), ("line 2", "field 'question'", "nested too deeply")),
    ("5000-digit original_id", lambda tmp: _long_id(tmp), ("line 3", "field 'original_id'", "5,000 digits")),
    ("original_id true", lambda tmp: _bool_id(tmp), ("line 1", "field 'original_id'")),
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


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}


def _assert_short_error(proc: subprocess.CompletedProcess[str], words: tuple[str, ...]) -> None:
    """Exit status non-zero, at most 15 lines, no traceback, and the words (rich may wrap lines)."""
    shown = proc.stdout + proc.stderr
    assert proc.returncode != 0, shown[-2000:]
    assert "Traceback" not in shown, shown[-3000:]
    assert len(shown.strip().splitlines()) <= 15, shown[-3000:]
    flat = " ".join(shown.split())
    for word in words:
        assert word in flat, (word, shown[-2000:])


def test_the_inspect_process_exits_non_zero_and_names_the_problem(tmp_path: Path) -> None:
    """The real executable, as a user runs it: exit status 1 and the message alone."""
    path = _label("A=B")(tmp_path)
    proc = subprocess.run(
        [INSPECT, "eval", "judgebench/judge", "--model", "mockllm/model", "-T", f"dataset={path}",
         "--log-dir", str(tmp_path / "logs")],
        cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1
    _assert_short_error(proc, (f"{path}, line 3, field 'label': expected 'A>B' or 'B>A', got 'A=B'",))
    assert not (tmp_path / "logs").exists() or not any((tmp_path / "logs").iterdir())


def _bad_template(tmp: Path) -> Path:
    p = tmp / "latin1-template.txt"
    p.write_bytes("Question: {question}\nA: {answer_a}\nB: {answer_b}\nR\xe9ponds.".encode("latin-1"))
    return p


#: (case, task, -T options (a callable gets the temporary folder), words the error must contain)
TASK_CASES: list[tuple[str, str, Callable[[Path], list[str]], tuple[str, ...]]] = [
    ("deeply nested line", "judge", lambda t: [f"dataset={_nested(t)}"],
     ("nested.jsonl, line 2, field 'question'", "nested too deeply")),
    ("5000-digit original_id", "judge", lambda t: [f"dataset={_long_id(t)}"],
     ("long-id.jsonl, line 3, field 'original_id'", "5,000 digits")),
    ("lone surrogate", "judge", lambda t: [f"dataset={_surrogate(t)}"],
     ("surrogate.jsonl, line 2, field 'response_A'", "surrogate")),
    ("template not UTF-8", "judge", lambda t: [f"dataset={PAIRS_GPT}", f"template={_bad_template(t)}"],
     ("latin1-template.txt", "not UTF-8")),
    ("attempts=two", "judge", lambda t: [f"dataset={PAIRS_GPT}", "attempts=two"],
     ("option attempts", "whole number", "'two'")),
    ("max_tokens=-5", "judge", lambda t: [f"dataset={PAIRS_GPT}", "max_tokens=-5"],
     ("option max_tokens", "at least 1", "-5")),
    ("games=3", "judge", lambda t: [f"dataset={PAIRS_GPT}", "games=3"], ("option games", "1 or 2", "3")),
    ("unknown judge", "judge", lambda t: [f"dataset={PAIRS_GPT}", "judge=arenahard"],
     ("unknown judge 'arenahard' (did you mean arena_hard?)",)),
    ("unknown option", "judge", lambda t: [f"dataset={PAIRS_GPT}", "atempts=3"],
     ("no option(s) atempts (did you mean attempts?)",)),
    ("unknown category", "judge", lambda t: [f"dataset={PAIRS_GPT}", "categories=maths"],
     ("unknown categories", "maths", "(did you mean math?)")),
    ("unknown split", "judge", lambda t: ["split=gtp"], ("unknown split 'gtp' (did you mean gpt?)",)),
    ("unknown source in the data", "judge", lambda t: [f"dataset={_source(t, 'livebench-maths')}"],
     ("field 'source': unknown source 'livebench-maths' (did you mean livebench-math?)",)),
    ("missing dataset", "judge", lambda t: [f"dataset={t / 'nowhere.jsonl'}"], ("nowhere.jsonl", "no such file")),
    ("template without placeholders", "judge",
     lambda t: [f"dataset={PAIRS_GPT}", f"template={_write(t / 'plain.txt', 'Judge this.')}"],
     ("plain.txt", "missing placeholder")),
    ("unknown prompts mode", "judge", lambda t: [f"dataset={PAIRS_GPT}", "prompts=builtins"],
     ("prompts must be one of judgebench, builtin", "(did you mean builtin?)")),
    ("generate: unknown source", "generate", lambda t: ["source=mmlupro"],
     ("unknown source 'mmlupro' (did you mean mmlu_pro?)",)),
    ("generate: unknown option", "generate", lambda t: ["subject=law"],
     ("judgebench/generate: unknown option 'subject' (did you mean subjects?)",)),
    ("solve: unknown option", "solve", lambda t: [f"dataset={PAIRS_GPT}", "categores=math"],
     ("judgebench/solve: unknown option 'categores' (did you mean categories?)",)),
    ("generate: k=zero", "generate", lambda t: ["k=zero"], ("option k", "whole number", "'zero'")),
    ("solve: missing dataset", "solve", lambda t: [f"dataset={t / 'nowhere.jsonl'}"], ("nowhere.jsonl", "no such file")),
]


def _source(tmp: Path, source: str) -> Path:
    rows = good_rows()
    rows[0]["source"] = source
    return write_rows(tmp / "source.jsonl", rows)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("task,options,words", [c[1:] for c in TASK_CASES], ids=[c[0] for c in TASK_CASES])
def test_task_build_errors_are_short_through_the_cli(
    tmp_path: Path, task: str, options: Callable[[Path], list[str]], words: tuple[str, ...]
) -> None:
    """`inspect eval judgebench/<task>` with bad input or options, --display none as in scripts:
    exit status non-zero, the message names the file, line and field (or the option), no
    traceback, nothing run (no log)."""
    args = [a for opt in options(tmp_path) for a in ("-T", opt)]
    proc = subprocess.run(
        [INSPECT, "eval", f"judgebench/{task}", "--model", "mockllm/model", *args,
         "--display", "none", "--log-dir", str(tmp_path / "logs")],
        cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=300,
    )
    _assert_short_error(proc, words)
    assert not (tmp_path / "logs").exists() or not any((tmp_path / "logs").iterdir())


def test_changed_or_unreachable_prompt_files_are_short_errors(tmp_path: Path) -> None:
    """JudgeBench's prompt files changed, or neither a local copy nor the network: a short
    message naming the way out, no traceback, nothing run."""
    import shutil

    from support import UPSTREAM

    changed = tmp_path / "upstream"
    shutil.copytree(UPSTREAM, changed)
    target = changed / "utils/judges.py"
    target.chmod(0o644)
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    env = {**_clean_env(), "JUDGEBENCH_PROMPTS_DIR": str(changed)}
    proc = subprocess.run(
        [INSPECT, "eval", "judgebench/judge", "--model", "mockllm/model", "-T", f"dataset={PAIRS_GPT}",
         "--display", "none", "--log-dir", str(tmp_path / "logs")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    _assert_short_error(proc, ("utils/judges.py", "refusing to use a changed prompt"))
    # with -T prompts=builtin nothing of JudgeBench's is needed
    env = {**_clean_env(), "JUDGEBENCH_PROMPTS_DIR": str(tmp_path / "nowhere")}
    proc = subprocess.run(
        [INSPECT, "eval", "judgebench/judge", "--model", "mockllm/model", "-T", f"dataset={PAIRS_GPT}",
         "-T", "prompts=builtin", "--limit", "1", "--display", "none", "--log-dir", str(tmp_path / "logs2")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_judgebench_command_errors_are_one_line(tmp_path: Path) -> None:
    """`judgebench export` to a folder that cannot exist, and of a missing log: one line, exit 1."""
    log = judge_log(tmp_path)
    cases = [
        (["export", str(log), "-o", "/proc/nope/x.jsonl"], ("cannot write /proc/nope/x.jsonl",)),
        (["export", str(tmp_path / "missing.eval")], ("missing.eval",)),
    ]
    for argv, words in cases:
        proc = subprocess.run([JUDGEBENCH, *argv], cwd=tmp_path, env=_clean_env(),
                              capture_output=True, text=True, timeout=300)
        _assert_short_error(proc, words)
        assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("error: "), proc.stderr


def test_judgebench_command_suggests_names(tmp_path: Path) -> None:
    """A mistyped command, option or choice of `judgebench`: usage, the error and a suggestion."""
    cases = [
        (["reprot", "logs"], "invalid choice: 'reprot'", "(did you mean report?)"),
        (["demo", "--log-dri", "x"], "unrecognized arguments: --log-dri x", "(did you mean --log-dir?)"),
        (["report", "logs", "--format", "jsn"], "invalid choice: 'jsn'", "(did you mean json?)"),
    ]
    for argv, error, hint in cases:
        proc = subprocess.run([JUDGEBENCH, *argv], cwd=tmp_path, env=_clean_env(),
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 2
        _assert_short_error(proc, (error, hint))


def test_identical_responses_are_warned_about_and_judged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """The published claude split has one pair with two byte-identical responses: a
    warning, a list in the log's task metadata, and a note in the report."""
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
    # the warning is in the log too (invisible with --display none otherwise) ...
    assert log.eval.metadata is not None and log.eval.metadata["identical_responses"] == [IDENTICAL_PAIR]
    # ... and the report shows it
    assert main(["report", log.location, "--format", "json", "--resamples", "200"]) == 0
    notes = json.loads(capsys.readouterr().out)["rows"][0]["notes"]
    assert any("1 pair(s) have two identical responses" in n and IDENTICAL_PAIR in n for n in notes), notes
    assert main(["report", log.location, "--resamples", "200"]) == 0
    assert IDENTICAL_PAIR in capsys.readouterr().out
