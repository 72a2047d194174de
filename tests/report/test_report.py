"""The report: recorded JudgeBench files, logs made here with scripted models, formats, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from inspect_ai import Task, eval, task_with
from inspect_ai.dataset import Sample
from inspect_ai.log import read_eval_log, write_eval_log
from inspect_ai.model import ChatMessage
from inspect_ai.scorer import match

from judgebench.tasks import judge
from judgebench_inspect.cli import main
from judgebench_inspect.published import PUBLISHED, find_published, normalise_model
from judgebench_inspect.report import StatsSettings, collect_runs, read_judged_file, summarise
from judgebench_inspect.stats import mcnemar_exact

from support import DATA, FAST, JUDGEBENCH, O1_MINI, O1_MINI_NUMBERS, PAIRS_GPT, first_reply, scripted_model, smart_reply, write_pairs


#: README of the shared data: K / R / M / C / overall of each recorded file.
RECORDED = {
    "judged-gpt-arena_hard-o1-mini.jsonl": ("arena_hard", (58.44, 62.24, 82.14, 78.57, 65.71)),
    "judged-gpt-reward-skywork-gemma-2-27b.jsonl": ("reward_model", (59.74, 66.33, 83.93, 50.00, 64.29)),
    "judged-gpt-reward-skywork-llama-3.1-8b.jsonl": ("reward_model", (59.09, 64.29, 76.79, 50.00, 62.29)),
    "judged-gpt-reward-internlm2-20b.jsonl": ("reward_model", (62.34, 69.39, 66.07, 50.00, 63.43)),
    "judged-gpt-reward-grm-gemma-2b.jsonl": ("reward_model", (62.99, 53.06, 64.29, 54.76, 59.43)),
}
KEYS = ("knowledge", "reasoning", "math", "coding", "overall")


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Logs made once for this module (in one eval call): a smart judge, an
    always-first judge, a run with errored samples, a failed run, another task."""
    root = tmp_path_factory.mktemp("report")
    pairs = write_pairs(root / "my-pairs.jsonl")

    def fails_on_two(messages: list[ChatMessage]) -> str:
        text = "\n".join(m.text for m in messages)
        return "" if "Question 7 " in text or "Question 8 " in text else smart_reply(messages)

    def judge_run(name: str, reply: Any, fail_on_error: bool = True) -> Task:
        task = judge(dataset=str(pairs), judge="vanilla")
        return task_with(task, name=name, model=scripted_model(reply), fail_on_error=fail_on_error)

    tasks = [
        judge_run("smart", smart_reply),
        judge_run("first", first_reply),
        judge_run("errored", fails_on_two, fail_on_error=False),
        judge_run("failed", fails_on_two),
        Task(dataset=[Sample(input="Say hi", target="hi")], scorer=match(), name="other", model=scripted_model(lambda m: "hi")),
    ]
    done = eval(tasks, display="none", log_dir=str(root / "logs"), max_tasks=5)
    out: dict[str, Path] = {"pairs": pairs}
    for log in done:
        out[log.eval.task] = Path(log.location)
    assert {k: Path(v).exists() for k, v in out.items()} == dict.fromkeys(out, True)
    statuses = {log.eval.task: log.status for log in done}
    assert statuses == {"smart": "success", "first": "success", "errored": "success", "failed": "error", "other": "success"}
    return out


def report_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code = main(["report", *args, "--format", "json", *FAST])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out.strip() else {}), captured.err


# --------------------------------------------------------------------------- recorded JudgeBench files


def test_recorded_files_reproduce_published_numbers() -> None:
    runs, skipped = collect_runs([JUDGEBENCH])
    assert {Path(s.path).name for s in skipped} == {"pairs-gpt.jsonl", "pairs-claude.jsonl"}
    assert all("without judgments" in s.reason for s in skipped)
    by_file = {Path(r.path).name: r for r in runs}
    assert set(by_file) == set(RECORDED)
    for name, (judge_name, numbers) in RECORDED.items():
        run = by_file[name]
        assert run.judge == judge_name and run.split == "gpt" and len(run.pairs) == 350
        s = summarise(run, settings=StatsSettings(resamples=200))
        got = tuple(round(s.accuracy[k].value, 2) for k in KEYS)
        assert got == numbers, name
        assert s.paper is not None, f"{name}: no paper row matched ({run.model})"
        assert tuple(s.paper.as_dict()[k] for k in KEYS) == numbers
        assert all(abs(s.paper_difference(k) or 0) < 0.005 for k in KEYS)
        for acc in s.accuracy.values():
            assert acc.low <= acc.value <= acc.high


def test_o1_mini_row_via_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, err = report_json(capsys, str(O1_MINI))
    assert code == 0 and err == ""
    (row,) = doc["rows"]
    assert row["judge"] == "arena_hard" and row["model"] == "o1-mini-2024-09-12" and row["split"] == "gpt"
    for k in KEYS:
        assert round(row["accuracy"][k]["accuracy"], 2) == O1_MINI_NUMBERS[k]
    assert row["accuracy"]["overall"]["correct"] == 230 and row["accuracy"]["overall"]["pairs"] == 350
    assert row["paper"]["name"] == "Arena-Hard (o1-mini)"
    assert row["paper"]["difference"]["overall"] == 0.0
    assert row["no_verdict_rate"] == 0.0 and row["games"] == 2
    lo, hi = row["accuracy"]["overall"]["low"], row["accuracy"]["overall"]["high"]
    assert 59 < lo < 65.71 < hi < 72  # about +-5 points for 350 pairs


def test_all_formats_on_recorded_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["report", str(JUDGEBENCH), *FAST]) == 0
    out, err = capsys.readouterr()
    assert "65.71 [" in out and "paper: Arena-Hard (o1-mini)" in out and "65.71 (+0.00)" in out
    assert err.count("skipped") == 2 and "pairs-gpt.jsonl" in err

    assert main(["report", str(O1_MINI), "--format", "markdown", *FAST]) == 0
    md = capsys.readouterr().out
    assert md.startswith("| # | run | split | knowledge |")
    assert "| *paper: Arena-Hard (o1-mini)* |" in md

    assert main(["report", str(JUDGEBENCH), "--format", "csv", *FAST]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5
    o1 = next(r for r in rows if r["judge"] == "arena_hard")
    assert float(o1["overall"]) == pytest.approx(65.7143, abs=1e-4) and o1["paper"] == "Arena-Hard (o1-mini)"
    assert float(o1["diff_overall"]) == 0.0 and o1["overall_pairs"] == "350"

    target = tmp_path / "out" / "report.md"
    assert main(["report", str(O1_MINI), "-f", "markdown", "-o", str(target), *FAST]) == 0
    assert target.read_text().startswith("| # |")


def test_compare_recorded_judges_mcnemar(capsys: pytest.CaptureFixture[str]) -> None:
    gemma = JUDGEBENCH / "judged-gpt-reward-skywork-gemma-2-27b.jsonl"
    code, doc, _ = report_json(capsys, str(O1_MINI), str(gemma), "--compare")
    assert code == 0
    (c,) = doc["comparisons"]
    o = c["overall"]
    assert o["pairs"] == 350 and round(o["accuracy_a"], 2) == 65.71 and round(o["accuracy_b"], 2) == 64.29
    # recount the discordant pairs independently of the report
    a = {p.pair_id: p.outcome.correct for p in read_judged_file(O1_MINI).pairs}
    b = {p.pair_id: p.outcome.correct for p in read_judged_file(gemma).pairs}
    a_only = sum(a[i] and not b[i] for i in a)
    b_only = sum(b[i] and not a[i] for i in a)
    assert (o["right_only_a"], o["right_only_b"]) == (a_only, b_only)
    assert o["p_value"] == pytest.approx(mcnemar_exact(a_only, b_only))
    assert o["low"] < o["difference"] < o["high"]
    assert set(c["categories"]) == {"knowledge", "reasoning", "math", "coding"}


# --------------------------------------------------------------------------- logs made here


def test_report_on_mock_logs(logs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, err = report_json(capsys, str(logs["smart"]), str(logs["first"]), "--compare")
    assert code == 0 and err == ""
    smart, first = doc["rows"]
    assert smart["judge"] == "vanilla" and smart["model"] == "mockllm/model" and smart["split"] == "my-pairs"
    acc = {k: round(v["accuracy"], 2) for k, v in smart["accuracy"].items()}
    assert acc == {"poetry": 66.67, "law": 33.33, "overall": 50.0}
    assert smart["inconsistency"] == 50.0 and smart["position_bias"] == 75.0 and smart["no_verdict_rate"] == 0.0
    assert smart["pairs"] == 12 and smart["errored"] == 0 and smart["paper"] is None
    assert first["accuracy"]["overall"]["accuracy"] == 0.0
    assert first["inconsistency"] == 100.0 and first["position_bias"] == 100.0
    assert first["accuracy"]["overall"]["low"] == 0.0 and first["accuracy"]["overall"]["high"] == 0.0
    (c,) = doc["comparisons"]
    assert (c["overall"]["right_only_a"], c["overall"]["right_only_b"]) == (6, 0)
    assert c["overall"]["p_value"] == pytest.approx(2 / 64)  # 2 * P(X <= 0), X ~ Bin(6, 1/2)
    assert c["categories"]["poetry"]["right_only_a"] == 4


def test_errored_samples_counted_not_scored(logs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, _ = report_json(capsys, str(logs["errored"]))
    assert code == 0
    (row,) = doc["rows"]
    assert row["errored"] == 2 and row["pairs"] == 10
    assert sorted(row["errored_ids"]) == ["p07", "p08"]
    assert any("2 sample(s) errored and are not scored" in n for n in row["notes"])
    # p07, p08 are the two easy law pairs: law has 0 of the 4 scored pairs right; poetry is untouched
    assert row["accuracy"]["law"]["pairs"] == 4 and row["accuracy"]["law"]["accuracy"] == 0.0
    assert row["accuracy"]["poetry"]["pairs"] == 6 and round(row["accuracy"]["poetry"]["accuracy"], 2) == 66.67
    assert main(["report", str(logs["errored"]), *FAST]) == 0
    assert "| errored" not in capsys.readouterr().out  # table, not markdown


def test_failed_log_and_other_task_are_skipped(logs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(logs["failed"]), str(logs["other"]), *FAST]) == 1
    err = capsys.readouterr().err
    assert re.search(r"skipped .*failed.*: incomplete log \(status 'error'; error: JudgeCallError", err)
    assert "inspect eval-retry" in err
    assert re.search(r"skipped .*other.*: not a judge log \(task '.*' is not scored by pair_scorer\)", err)
    assert "no usable judge results" in err

    code, doc, _ = report_json(capsys, str(logs["failed"]), "--include-incomplete")
    assert code == 0
    (row,) = doc["rows"]
    assert row["complete"] is False and row["pairs"] >= 1
    assert any("incomplete log" in n for n in row["notes"])

    # --strict: a skipped file fails the command even if other rows are fine
    assert main(["report", str(logs["smart"]), str(logs["other"]), "--strict", *FAST]) == 1


def test_folder_with_logs_and_junk(logs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = logs["smart"].parent  # all five logs of the fixture
    (tmp_path / "notes.txt").write_text("hello")
    args = (str(folder), str(logs["smart"]), str(tmp_path / "notes.txt"), str(tmp_path / "missing.eval"))
    code, doc, err = report_json(capsys, *args)
    assert code == 0
    assert sorted(Path(r["path"]).name for r in doc["rows"]) == sorted(logs[k].name for k in ("smart", "first", "errored"))
    skipped = {Path(s["path"]).name: s["reason"] for s in doc["skipped"]}
    assert set(skipped) == {logs["failed"].name, logs["other"].name, "notes.txt", "missing.eval"}
    assert err.count("skipped ") == 4
    assert "notes.txt: not an Inspect log" in err and "missing.eval: no such file or folder" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["report", str(empty)]) == 1
    assert "no Inspect logs" in capsys.readouterr().err


def test_json_log_format_reads_the_same(logs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    json_log = tmp_path / "smart.json"
    write_eval_log(read_eval_log(str(logs["smart"])), str(json_log))
    _, a, _ = report_json(capsys, str(logs["smart"]))
    code, b, _ = report_json(capsys, str(json_log))
    assert code == 0 and a["rows"][0]["accuracy"] == b["rows"][0]["accuracy"]


@pytest.mark.parametrize(
    "row,message",
    [
        ({"judge_name": "x", "judgments": [{"decision": "C>D"}, None]}, r"line 1, judgments\[0\], field 'decision': expected one of"),
        ({"judge_name": "x", "judgments": [{}, None]}, r"line 1, judgments\[0\], field 'decision': missing"),
        ({"judge_name": "x", "judgments": [None, None, None]}, r"line 1, field 'judgments': expected a list of 1 or 2"),
        ({"judgments": [None, None]}, r"line 1, field 'judge_name': missing"),
        ({"judge_name": "x", "judgments": [None, None], "label": "A=B"}, r"line 1, field 'label'"),
        ({"judge_name": "x", "judgments": [{"decision": "A>B", "judgment": {"response": "\ud800"}}, None]},
         r"line 1, field 'judgments': .*lone surrogate \\ud800"),
        ({"judge_name": "x", "judgments": [None, None], "original_id": True}, r"line 1, field 'original_id'"),
    ],
)
def test_bad_judged_rows_name_line_and_field(tmp_path: Path, row: dict[str, Any], message: str) -> None:
    base = {"pair_id": "p1", "source": "livecodebench", "question": "q", "response_A": "a", "response_B": "b", "label": "A>B"}
    path = tmp_path / "judged-bad.jsonl"
    path.write_text(json.dumps({**base, **row}) + "\n")
    runs, skipped = collect_runs([path])
    assert not runs
    assert len(skipped) == 1 and re.search(message, skipped[0].reason), skipped[0].reason


def test_judged_file_null_games_and_single_game(tmp_path: Path) -> None:
    base = {"source": "livebench-math", "question": "q", "response_A": "a", "response_B": "b", "judge_name": "vanilla"}
    rows = [
        # game 2 is in the swapped frame: "B>A" there means A for the pair -> right + right
        {**base, "pair_id": "p1", "label": "A>B", "judgments": [{"decision": "A>B"}, {"decision": "B>A"}]},
        {**base, "pair_id": "p2", "label": "A>B", "judgments": [{"decision": "A>B"}, None]},  # right + failed
        {**base, "pair_id": "p3", "label": "B>A", "judgments": [{"decision": "A>B"}, {"decision": "A>B"}]},  # wrong + right
    ]
    path = tmp_path / "judged.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    run = read_judged_file(path)
    s = summarise(run, settings=StatsSettings(resamples=100))
    assert [p.outcome.correct for p in run.pairs] == [True, True, False]
    assert s.accuracy["math"].value == pytest.approx(200 / 3)
    assert s.no_verdict_rate == pytest.approx(100 / 6) and s.inconsistency == pytest.approx(100 / 3)
    assert any("null" in n for n in s.notes)
    single = [{**r, "judgments": r["judgments"][:1]} for r in rows]
    path.write_text("".join(json.dumps(r) + "\n" for r in single))
    run = read_judged_file(path)
    assert run.games == 1 and [p.outcome.correct for p in run.pairs] == [True, True, False]


# --------------------------------------------------------------------------- export and round trip


def test_export_round_trip_gives_same_numbers(logs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "judged.jsonl"
    assert main(["export", str(logs["smart"]), "-o", str(out)]) == 0
    assert "wrote 12 pairs" in capsys.readouterr().err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 12 and all(r["judge_name"] == "vanilla" for r in rows)
    easy = next(r for r in rows if r["pair_id"] == "p02")  # label B>A, judged right in both orders
    assert [g["decision"] for g in easy["judgments"]] == ["B>A", "A>B"]  # judge's frame: game 2 not swapped
    first = next(r for r in rows if r["pair_id"] == "p06")  # label B>A, hard: "Output (a)" both games
    assert [g["decision"] for g in first["judgments"]] == ["A>B", "A>B"]
    assert first["judgments"][0]["judgment"]["judge_model"] == "model"
    assert first["judgments"][0]["judgment"]["response"] == "Output (a)"
    assert "Question 6 (hard)?" in first["judgments"][0]["judgment"]["prompt"]
    assert "Answer 6: wrong" in first["judgments"][1]["judgment"]["prompt"]
    assert first["category"] == "poetry"

    _, a, _ = report_json(capsys, str(logs["smart"]))
    _, b, _ = report_json(capsys, str(out))
    keep = ("accuracy", "inconsistency", "position_bias", "no_verdict_rate", "tie_rate", "pairs", "games")
    assert {k: a["rows"][0][k] for k in keep} == {k: b["rows"][0][k] for k in keep}
    assert b["rows"][0]["judge"] == "vanilla" and b["rows"][0]["kind"] == "judgebench"

    # a folder as -o gets JudgeBench's file name
    assert main(["export", str(logs["smart"]), "-o", str(tmp_path), "--no-prompts"]) == 0
    assert (tmp_path / "dataset=my-pairs,judge_name=vanilla,judge_model=model.jsonl").is_file()


def test_export_refuses_incomplete_and_errored(logs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(logs["errored"]), "-o", str(tmp_path / "x.jsonl")]) == 1
    assert "2 sample(s) errored" in capsys.readouterr().err and not (tmp_path / "x.jsonl").exists()
    assert main(["export", str(logs["errored"]), "-o", str(tmp_path / "x.jsonl"), "--partial"]) == 0
    assert "2 errored sample(s) left out" in capsys.readouterr().err
    assert len((tmp_path / "x.jsonl").read_text().splitlines()) == 10
    assert main(["export", str(logs["failed"]), "-o", str(tmp_path / "y.jsonl")]) == 1
    assert "incomplete log" in capsys.readouterr().err
    assert main(["export", str(logs["other"]), "-o", str(tmp_path / "z.jsonl")]) == 1
    assert "not a judge log" in capsys.readouterr().err


def test_export_published_pairs_uses_judgebench_file_name(tmp_path: Path) -> None:
    def reply(messages: list[ChatMessage]) -> str:
        return "Output (b)"

    log = eval(
        judge(dataset=str(PAIRS_GPT), judge="vanilla"),
        model=scripted_model(reply),
        limit=3,
        display="none",
        log_dir=str(tmp_path / "logs"),
    )[0]
    assert main(["export", str(log.location), "-o", str(tmp_path), "--no-prompts"]) == 0
    name = "dataset=judgebench,response_model=gpt-4o-2024-05-13,judge_name=vanilla,judge_model=model.jsonl"
    rows = [json.loads(x) for x in (tmp_path / name).read_text().splitlines()]
    assert len(rows) == 3 and "category" not in rows[0] and all(r["source"] for r in rows)
    run = read_judged_file(tmp_path / name)
    assert run.split == "gpt"
    # a 3-pair run of the gpt split is not compared with the paper, and says why
    s = summarise(run, settings=StatsSettings(resamples=50))
    assert s.paper is None


# --------------------------------------------------------------------------- published numbers


def test_paper_matching_by_judge_and_model() -> None:
    assert find_published("arena_hard", "openai/o1-mini").name == "Arena-Hard (o1-mini)"  # type: ignore[union-attr]
    assert find_published("arena_hard", "o1-mini-2024-09-12").name == "Arena-Hard (o1-mini)"  # type: ignore[union-attr]
    assert find_published("vanilla", "openai/gpt-4o-2024-05-13").name == "Vanilla (GPT-4o)"  # type: ignore[union-attr]
    assert find_published("arena_hard", "anthropic/claude-3-5-sonnet-20240620").overall == 64.29  # type: ignore[union-attr]
    assert find_published("arena_hard", "together/meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo").overall == 56.86  # type: ignore[union-attr]
    assert find_published("reward_model", "Skywork_Skywork-Reward-Gemma-2-27B").overall == 64.29  # type: ignore[union-attr]
    assert find_published("reward_model", "hf/Ray2333/GRM-Gemma-2B-rewardmodel-ft").overall == 59.43  # type: ignore[union-attr]
    assert find_published("vanilla", "openai/gpt-4o-mini") is None  # another model
    assert find_published("reward_model", "Skywork/Skywork-Reward-Gemma-2-27B-v0.2") is None
    assert find_published("vanilla", "openai/o1-mini") is None  # the paper has no such row
    assert find_published(None, "o1-mini") is None
    assert normalise_model("hf/Skywork/Skywork-Reward-Llama-3.1-8B") == "skywork-reward-llama-3.1-8b"


def test_published_table_matches_the_reference_document() -> None:
    doc = DATA.parent / "docs" / "judgebench-reference.md"
    if not doc.is_file():
        pytest.skip("reference document not available")
    section = doc.read_text().split("## 4.")[1].split("## 5.")[0]
    table = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"\d+\.\d\d", cells[-1]):
            table[cells[0]] = tuple(float(c) for c in cells[1:])
    ours = {r.name: (r.knowledge, r.reasoning, r.math, r.coding, r.overall) for r in PUBLISHED}
    assert ours == table


# --------------------------------------------------------------------------- plot and CLI


def test_plot_written(logs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    png, svg = tmp_path / "acc.png", tmp_path / "acc.svg"
    assert main(["report", str(logs["smart"]), str(logs["first"]), "--plot", str(png), *FAST]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["report", str(logs["smart"]), "--plot", str(svg), *FAST]) == 0
    assert "<svg" in svg.read_text()[:2000]
    assert main(["report", str(logs["smart"]), "--plot", str(tmp_path / "acc.gif"), *FAST]) == 1
    assert "unsupported plot file type" in capsys.readouterr().err


def test_plot_without_matplotlib_says_how_to_install(
    logs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails as if not installed
    assert main(["report", str(logs["smart"]), "--plot", str(tmp_path / "x.png"), *FAST]) == 1
    captured = capsys.readouterr()
    assert "pip install 'judgebench-inspect[plot]'" in captured.err
    assert captured.out == "" and not (tmp_path / "x.png").exists()


def test_cli_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["report"]) == 2
    assert main(["report", "x", "--format", "xml"]) == 2
    assert main(["report", "x", "--level", "1.5"]) == 2
    assert main(["--help"]) == 0
    assert "report" in capsys.readouterr().out


def test_compare_only_on_common_pairs_and_same_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = {"source": "livecodebench", "question": "q", "response_A": "a", "response_B": "b", "judge_name": "vanilla"}
    right = [{"decision": "A>B"}, {"decision": "B>A"}]  # right in both orders for label A>B

    def write(name: str, ids: list[str], label: str = "A>B") -> Path:
        path = tmp_path / name
        path.write_text("".join(json.dumps({**base, "pair_id": i, "label": label, "judgments": right}) + "\n" for i in ids))
        return path

    a = write("a.jsonl", ["p1", "p2", "p3"])
    b = write("b.jsonl", ["p2", "p3", "p4", "p5"])
    c = write("c.jsonl", ["p1"], label="B>A")  # same id, other label: not the same data
    code, doc, _ = report_json(capsys, str(a), str(b), str(c), "--compare")
    assert code == 0
    (ab,) = [x for x in doc["comparisons"] if (x["a"], x["b"]) == (1, 2)]
    assert ab["overall"]["pairs"] == 2 and (ab["only_in_a"], ab["only_in_b"]) == (1, 2)
    assert doc["not_compared"] == [
        "rows 1 and 3 give pair p1 different labels (not the same data)",
        "rows 2 and 3 share no pairs",
    ]
    assert main(["report", str(a), str(b), str(c), "--compare", *FAST]) == 0
    out = capsys.readouterr().out
    assert "#1 vs #2: 2 common pairs (1 pairs only in #1, 2 only in #2: not compared)" in out
    assert "not compared: rows 2 and 3 share no pairs" in out


def test_logs_in_the_earlier_layout_read_the_same(logs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Judge logs written before the texts were nested and the raw texts left the
    score (flat metadata, full game records in the score, nothing in the store)
    report and export exactly as before; a store that disagrees with the score is refused."""
    log = read_eval_log(str(logs["smart"]))
    assert log.samples
    for s in log.samples:
        texts = s.metadata.pop("texts")
        s.metadata.update(texts)
        score = s.scores["pair_scorer"]  # type: ignore[index]
        score.metadata["games"] = s.store.pop("judgebench_games")  # type: ignore[index]
        assert "raw" in score.metadata["games"][0]  # type: ignore[index]
    old = tmp_path / "old.eval"
    write_eval_log(log, str(old))

    _, new_report, _ = report_json(capsys, str(logs["smart"]))
    _, old_report, _ = report_json(capsys, str(old))
    keep = ("accuracy", "inconsistency", "position_bias", "no_verdict_rate", "tie_rate", "pairs", "games")
    assert {k: old_report["rows"][0][k] for k in keep} == {k: new_report["rows"][0][k] for k in keep}
    for name, path in (("new", logs["smart"]), ("old", old)):
        assert main(["export", str(path), "-o", str(tmp_path / f"{name}.jsonl"), "--no-prompts"]) == 0
    capsys.readouterr()
    assert (tmp_path / "old.jsonl").read_text() == (tmp_path / "new.jsonl").read_text()
    row = json.loads((tmp_path / "new.jsonl").read_text().splitlines()[0])
    assert row["question"].startswith("Question 1") and row["judgments"][0]["judgment"]["response"].startswith("Output")

    bad = read_eval_log(str(logs["smart"]))
    assert bad.samples
    stored = bad.samples[0].store["judgebench_games"]
    stored[0]["verdict"] = "B>A" if stored[0]["verdict"] == "A>B" else "A>B"
    write_eval_log(bad, str(tmp_path / "bad.eval"))
    code, _, err = report_json(capsys, str(tmp_path / "bad.eval"))
    assert code != 0 and "disagree with the pair score" in err


def test_empty_store_is_rebuilt_from_the_transcript_or_refused(
    logs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A sample whose store is empty (as after Inspect recovers a killed run) gets its
    game records back from the transcript's store events; if those are gone too, export
    and report say which sample lacks its judge text and exit 1 (no empty text is written)."""
    log = read_eval_log(str(logs["smart"]))
    assert log.samples
    for s in log.samples[:3]:
        s.store.clear()
    emptied = tmp_path / "emptied.eval"
    write_eval_log(log, str(emptied))
    for name, path in (("new", logs["smart"]), ("emptied", emptied)):
        assert main(["export", str(path), "-o", str(tmp_path / f"{name}.jsonl"), "--no-prompts"]) == 0
    capsys.readouterr()
    assert (tmp_path / "emptied.jsonl").read_text() == (tmp_path / "new.jsonl").read_text()

    first = log.samples[0]
    first.events = [e for e in first.events if e.event != "store"]
    lost = tmp_path / "lost.eval"
    write_eval_log(log, str(lost))
    assert main(["export", str(lost), "-o", str(tmp_path / "lost.jsonl")]) == 1
    err = capsys.readouterr().err
    assert f"sample {first.id}" in err and "judge's text" in err, err
    assert not (tmp_path / "lost.jsonl").exists()
    code, _, err = report_json(capsys, str(lost), str(logs["smart"]))
    assert code == 1 and f"sample {first.id}" in err and "lack some judge texts" in err, err
