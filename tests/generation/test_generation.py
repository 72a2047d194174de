"""The generate task end to end with scripted models; its log as the judge task's dataset."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from support import DATA, REPO, scripted_model
from inspect_ai import eval
from inspect_ai.log import EvalLog, read_eval_log, write_eval_log
from inspect_ai.model import ChatMessage

from judgebench.tasks import generate
from judgebench.tasks import judge
from judgebench_inspect.dataset import PAIR_FIELDS, PairDataError, export_log, load_pairs, read_pairs_file
from judgebench_inspect.generation.checkers.mmlu_pro import extract_letter
from judgebench_inspect.generation.cli import main as cli_main
from judgebench_inspect.generation.kinds import SourceSelection, load_questions
from judgebench_inspect.generation.sources.mmlu_pro import read_mmlu_pro_rows
from judgebench_inspect.records import CANDIDATES_KEY

MMLU_ZIP = DATA / "sources" / "mmlu-pro" / "model_outputs_jamba-1.5-large_5shots.zip"
LIVEBENCH = DATA / "sources" / "livebench"
LCB_FIXTURES = REPO / "tests" / "generation" / "fixtures" / "livecodebench" / "problems.jsonl"

SUBJECTS = "law,physics"
N_PER_SUBJECT = 4
K = 4
QUOTA = 3


@pytest.fixture(scope="module")
def mmlu(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The four subjects these tests use, as a JSONL copy (loads much faster than the 13 MB zip)."""
    rows = [r for _, r in read_mmlu_pro_rows(MMLU_ZIP) if r["category"] in ("law", "physics", "history", "biology")]
    path = tmp_path_factory.mktemp("mmlu") / "mmlu-pro-subset.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def last_user_text(messages: list[ChatMessage]) -> str:
    return [m for m in messages if m.role == "user"][-1].text


def metrics(log: EvalLog) -> dict[str, float]:
    assert log.results is not None
    return {name: m.value for s in log.results.scores for name, m in s.metrics.items()}


class MmluAnswerer:
    """Alternates right and wrong letters per question; questions in `always_right` never miss."""

    def __init__(self, truth: dict[str, str], always_right: set[str]) -> None:
        self.truth = truth
        self.always_right = always_right
        self.calls: Counter[str] = Counter()

    def __call__(self, messages: list[ChatMessage]) -> str:
        prompt = last_user_text(messages)
        right = self.truth[prompt]
        n = self.calls[prompt]
        self.calls[prompt] += 1
        if prompt in self.always_right or n % 2 == 0:
            return f"Weighing the options, the best one is ({right}).\n\n{right * 5}"
        wrong = "A" if right != "A" else "B"
        return f"Weighing the options, the best one is ({wrong}).\n\n{wrong * 5}"


@pytest.fixture(scope="module")
def mmlu_run(tmp_path_factory: pytest.TempPathFactory, mmlu: str) -> dict[str, Any]:
    """One generate run over 8 MMLU-Pro questions, k=4; two questions are always answered right."""
    questions = load_questions(
        SourceSelection("mmlu_pro", mmlu, subjects=tuple(SUBJECTS.split(",")), n_per_subject=N_PER_SUBJECT)
    )
    truth = {q.prompt: q.ground_truth for q in questions}
    always_right = {questions[0].prompt, questions[-1].prompt}
    answerer = MmluAnswerer(truth, always_right)
    log_dir = tmp_path_factory.mktemp("gen-logs")
    task = generate(
        source="mmlu_pro",
        source_path=mmlu,
        subjects=SUBJECTS,
        n_per_subject=N_PER_SUBJECT,
        k=K,
        pair_quota=QUOTA,
        pair_seed=7,
    )
    [log] = eval(task, model=scripted_model(answerer), display="none", log_dir=str(log_dir))
    return {"log": log, "questions": questions, "truth": truth, "always_right": always_right, "dir": log_dir}


def truth_by_question(questions: list[Any]) -> dict[str, str]:
    return {q.prompt: q.ground_truth for q in questions}


def test_generate_stores_k_checked_candidates_per_question(mmlu_run: dict[str, Any]) -> None:
    log: EvalLog = mmlu_run["log"]
    assert log.status == "success"
    assert log.samples is not None and len(log.samples) == 2 * N_PER_SUBJECT
    for s in log.samples:
        stored = s.store[CANDIDATES_KEY]
        assert len(stored) == K and {c["index"] for c in stored} == set(range(1, K + 1))
        truth = mmlu_run["truth"][s.input]
        for c in stored:
            assert c["answer"] == extract_letter(c["text"])
            assert c["status"] == ("correct" if c["answer"] == truth else "incorrect")
        score = s.scores["generation_scorer"]
        assert score.value["candidates"] == K
        # The explanation lists every candidate's extracted answer and verdict.
        for c in stored:
            assert f"| {c['index']} | {c['answer']} | {c['status']} |" in score.explanation
        assert s.metadata["source"] in ("mmlu-pro-law", "mmlu-pro-physics")
    m = metrics(log)
    # 6 questions half right (2 of 4), 2 always right (4 of 4): 20/32 correct; 6/8 give a pair.
    assert m["solve_rate"] == pytest.approx(100 * 20 / 32)
    assert m["pair_yield"] == pytest.approx(75.0)
    assert set(m) >= {"solve_rate/mmlu-pro-law", "solve_rate/mmlu-pro-physics", "pair_yield/mmlu-pro-law"}
    assert m["excluded_candidates"] == 0


def test_export_builds_checked_pairs_with_the_runs_quota_and_seed(mmlu_run: dict[str, Any]) -> None:
    log: EvalLog = mmlu_run["log"]
    export = export_log(log.location)
    assert export.questions == 8 and export.with_pair == 6
    assert export.pair_quota == QUOTA and export.pair_seed == 7
    assert sorted(export.quota.items()) == [("mmlu-pro-law", (3, 3)), ("mmlu-pro-physics", (3, 3))]
    by_text = {q.prompt: q for q in mmlu_run["questions"]}
    for row in export.pairs:
        assert tuple(row) == PAIR_FIELDS
        q = by_text[row["question"]]
        assert row["question"] not in mmlu_run["always_right"]
        assert row["original_id"] == q.original_id and row["source"] == q.source
        assert row["response_model"] == "model"
        right = row["response_A"] if row["label"] == "A>B" else row["response_B"]
        wrong = row["response_B"] if row["label"] == "A>B" else row["response_A"]
        assert extract_letter(right) == q.ground_truth != extract_letter(wrong)
    # Deterministic: the same log gives the same rows; another seed can place them differently.
    assert export_log(log.location).pairs == export.pairs
    everything = export_log(log.location, pair_quota=None, pair_seed=8)
    assert len(everything.pairs) == 6
    assert {p["pair_id"] for p in export.pairs} <= {p["pair_id"] for p in everything.pairs}


def mmlu_judge(truth: dict[str, str]):
    """A Vanilla-format judge that picks the output whose five-letter run is the answer."""

    def reply(messages: list[ChatMessage]) -> str:
        text = last_user_text(messages)
        m = re.search(r"# Question:\n(.*)\n\n# Output \(a\):\n(.*)\n\n# Output \(b\):\n(.*)\n\n# Which", text, re.S)
        assert m, text[:300]
        question, a, b = m.groups()
        return "Output (a)" if extract_letter(a) == truth[question] else "Output (b)"

    return reply


def test_judge_runs_on_the_generate_log_and_on_the_exported_file(mmlu_run: dict[str, Any], tmp_path: Path) -> None:
    log: EvalLog = mmlu_run["log"]
    judge_model = scripted_model(mmlu_judge(mmlu_run["truth"]))

    [on_log] = eval(judge(dataset=log.location, judge="vanilla", prompts="builtin"), model=judge_model, display="none", log_dir=str(tmp_path))
    assert on_log.status == "success"
    assert on_log.samples is not None and len(on_log.samples) == 2 * QUOTA
    assert metrics(on_log)["pair_accuracy"] == 100.0

    out = tmp_path / "pairs.jsonl"
    assert cli_main(["pairs", log.location, "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [tuple(r) for r in rows] == [PAIR_FIELDS] * len(rows)
    assert rows == export_log(log.location).pairs
    assert [p.pair_id for p in read_pairs_file(out)] == [p.pair_id for p in load_pairs(log.location)]

    [on_file] = eval(judge(dataset=str(out), judge="vanilla", prompts="builtin"), model=judge_model, display="none", log_dir=str(tmp_path))
    assert metrics(on_file)["pair_accuracy"] == 100.0
    assert sorted(s.id for s in on_file.samples or []) == sorted(s.id for s in on_log.samples)

    # A log of another task is refused, naming the file and its task.
    with pytest.raises(PairDataError, match=r"a log of task (judgebench/)?judge, expected judgebench/generate"):
        load_pairs(on_log.location)
    assert cli_main(["pairs", on_log.location, "-o", str(tmp_path / "x.jsonl")]) == 1


def test_incomplete_logs_are_refused_or_reported(mmlu_run: dict[str, Any], tmp_path: Path) -> None:
    from inspect_ai.log import EvalError

    log = read_eval_log(mmlu_run["log"].location)
    assert log.samples is not None
    broken = log.samples[1]
    broken.error = EvalError(message="RuntimeError: connection reset", traceback="", traceback_ansi="")
    broken.store = {}
    log.status = "error"
    path = tmp_path / "broken.eval"
    write_eval_log(log, str(path))

    with pytest.raises(PairDataError, match=r"broken.eval: incomplete generate log: the run's status is 'error'"):
        load_pairs(str(path))
    with pytest.raises(PairDataError, match=rf"without a result: {broken.id} \(epoch 1: RuntimeError"):
        export_log(path)
    export = export_log(path, allow_incomplete=True)
    assert export.questions == 7 and any(str(broken.id) in u for u in export.unfinished)
    assert "unfinished samples (not exported)" in export.summary()
    out = tmp_path / "partial.jsonl"
    assert cli_main(["pairs", str(path), "-o", str(out)]) == 1
    assert cli_main(["pairs", str(path), "-o", str(out), "--allow-incomplete", "--quota", "none"]) == 0
    assert len(out.read_text().splitlines()) == export_log(path, allow_incomplete=True, pair_quota=None).with_pair


def test_a_failed_model_call_fails_its_sample_and_is_never_a_pair(tmp_path: Path, mmlu: str) -> None:
    questions = load_questions(SourceSelection("mmlu_pro", mmlu, subjects=("biology",), n_per_subject=2))
    answerer = MmluAnswerer(truth_by_question(questions), set())
    doomed = questions[0].prompt

    def reply(messages: list[ChatMessage]) -> str:
        if last_user_text(messages) == doomed:
            raise RuntimeError("provider exploded")
        return answerer(messages)

    task = generate(source="mmlu_pro", source_path=mmlu, subjects="biology", n_per_subject=2, k=2)
    [log] = eval(task, model=scripted_model(reply), display="none", log_dir=str(tmp_path), fail_on_error=False)
    assert log.samples is not None
    failed = [s for s in log.samples if s.error is not None]
    assert [s.id for s in failed] == [questions[0].question_id]
    with pytest.raises(PairDataError, match=rf"1 sample\(s\) without a result: {questions[0].question_id} "):
        export_log(log.location)
    partial = export_log(log.location, allow_incomplete=True)
    assert partial.questions == 1 and len(partial.pairs) == 1
    assert partial.pairs[0]["original_id"] == questions[1].original_id


def test_candidates_of_several_epochs_are_pooled(tmp_path: Path, mmlu: str) -> None:
    """k=1 with two epochs: the first answer is right, the second wrong; pooled they give a pair."""
    questions = load_questions(SourceSelection("mmlu_pro", mmlu, subjects=("law",), n_per_subject=1))
    answerer = MmluAnswerer(truth_by_question(questions), set())
    task = generate(source="mmlu_pro", source_path=mmlu, subjects="law", n_per_subject=1, k=1)
    [log] = eval(task, model=scripted_model(answerer), display="none", log_dir=str(tmp_path), epochs=2)
    assert log.status == "success" and len(log.samples or []) == 2
    assert all(s.scores["generation_scorer"].value["pair"] == 0 for s in log.samples or [])
    export = export_log(log.location)
    assert export.questions == 1 and export.statuses == {"correct": 1, "incorrect": 1}
    assert len(export.pairs) == 1


def test_second_grader_drops_candidates_it_disagrees_with(tmp_path: Path, mmlu: str) -> None:
    questions = load_questions(SourceSelection("mmlu_pro", mmlu, subjects=("history",), n_per_subject=2))
    truth = truth_by_question(questions)
    answerer = MmluAnswerer(truth, set())
    seen: list[str] = []

    def grader(messages: list[ChatMessage]) -> str:
        text = last_user_text(messages)
        seen.append(text)
        response = text.split("## Response to check\n", 1)[1]
        # A strict grader: calls every answer to option A wrong, agrees otherwise.
        letter = extract_letter(response)
        reference = re.search(r"## Reference answer\n\((\w)\)", text).group(1)  # type: ignore[union-attr]
        ok = letter == reference and letter != "A"
        return f"The response picks {letter}.\nGRADE: {'CORRECT' if ok else 'INCORRECT'}"

    task = generate(source="mmlu_pro", source_path=mmlu, subjects="history", n_per_subject=2, k=2, second_grader=True)
    [log] = eval(
        task,
        model=scripted_model(answerer),
        model_roles={"grader": scripted_model(grader)},
        display="none",
        log_dir=str(tmp_path),
    )
    assert log.status == "success" and log.samples is not None
    assert len(seen) == 4  # every checked candidate was graded by the grader role
    for s in log.samples:
        for c in s.store[CANDIDATES_KEY]:
            assert c["grader"] is not None and c["grader"]["raw"].startswith("The response picks")
            expected = "correct" if c["answer"] == truth[s.input] else "incorrect"
            if c["grader"]["correct"] != (expected == "correct"):
                expected = "grader_disagrees"
            assert c["status"] == expected


def test_dates_from_the_command_line_are_accepted() -> None:
    """`-T end_date=2024-07-26` arrives as a datetime.date (YAML); both forms work, bad ones fail."""
    import datetime

    early = generate(source="livebench_reasoning", source_path=str(LIVEBENCH), tasks="zebra_puzzle", end_date=datetime.date(2024, 7, 26))
    same = generate(source="livebench_reasoning", source_path=str(LIVEBENCH), tasks="zebra_puzzle", end_date="2024-07-26")
    everything = generate(source="livebench_reasoning", source_path=str(LIVEBENCH), tasks="zebra_puzzle")
    assert [s.id for s in early.dataset] == [s.id for s in same.dataset]
    assert (len(early.dataset), len(everything.dataset)) == (50, 100)
    with pytest.raises(ValueError, match="end_date must be a date"):
        generate(source="livebench_reasoning", source_path=str(LIVEBENCH), end_date="July")


def test_second_grader_refused_for_livecodebench() -> None:
    with pytest.raises(ValueError, match="second_grader is not available for livecodebench"):
        generate(source="livecodebench", source_path=str(LCB_FIXTURES), second_grader=True)


def test_bad_source_and_options_fail_at_once(mmlu: str) -> None:
    with pytest.raises(ValueError, match="unknown source 'mmlu'"):
        generate(source="mmlu")
    with pytest.raises(ValueError, match="k must be at least 1"):
        generate(source="mmlu_pro", source_path=mmlu, k=0)
    with pytest.raises(ValueError, match="pair_quota"):
        generate(source="mmlu_pro", source_path=mmlu, pair_quota=0)


def test_livebench_reasoning_and_math(tmp_path: Path) -> None:
    """Web of lies (bold answer), math_comp (letter run) and AMPS_Hard (sympy): first candidate right, second wrong."""
    runs = [
        ("livebench_reasoning", "web_of_lies_v2", lambda truth: (f"**{truth}**", "**no, no, no**" if truth != "no, no, no" else "**yes, yes, yes**")),
        ("livebench_math", "math_comp", None),
        # AMPS_Hard compares LaTeX with sympy in worker processes (never on the event loop).
        ("livebench_math", "AMPS_Hard", lambda truth: (f"$\\boxed{{{truth}}}$", "$\\boxed{12345}$")),
    ]
    for source, task_name, answers in runs:
        questions = load_questions(SourceSelection(source, str(LIVEBENCH), tasks=(task_name,), n=2, seed=1))
        truth = truth_by_question(questions)
        calls: Counter[str] = Counter()

        def reply(messages: list[ChatMessage], truth: dict[str, str] = truth, answers: Any = answers) -> str:
            prompt = last_user_text(messages)
            n = calls[prompt]
            calls[prompt] += 1
            t = truth[prompt]
            if answers is not None:
                return "Reasoning...\n" + answers(t)[n % 2]
            if len(t) == 1:  # multiple choice: the letter five times
                other = "A" if t != "A" else "B"
                return f"So the answer is {(t if n % 2 == 0 else other) * 5}"
            return f"The answer is {t if n % 2 == 0 else '999' if t != '999' else '998'}"

        [log] = eval(
            generate(source=source, source_path=str(LIVEBENCH), tasks=task_name, n=2, seed=1, k=2),
            model=scripted_model(reply),
            display="none",
            log_dir=str(tmp_path),
        )
        assert log.status == "success", log.error
        export = export_log(log.location)
        assert export.with_pair == 2, export.statuses
        for row in export.pairs:
            assert row["question"] in truth  # the LiveBench prompt (turns[0]) as published
            assert row["original_id"] is None and row["source"] == source.replace("_", "-")


# LiveCodeBench fixtures: one right and one wrong program per problem.
LCB_RIGHT = {
    "abc900_a": "t = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    print(a + b)",
    "1999B": "n = int(input())\nxs = list(map(int, input().split()))\nprint(sum(xs) / n)",
    "9001": (
        "class Solution:\n    def countPairs(self, nums, target):\n"
        "        return sum(1 for i in range(len(nums)) for j in range(i + 1, len(nums)) if nums[i] + nums[j] < target)"
    ),
    "9002": (
        "class Solution:\n    def runningSum(self, nums):\n        out, s = [], 0\n"
        "        for x in nums:\n            s += x\n            out.append(s)\n        return out"
    ),
}
LCB_WRONG = {
    "abc900_a": "t = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    print(a - b)",
    "1999B": "n = int(input())\nxs = list(map(int, input().split()))\nprint(sum(xs) // n)",
    "9001": "class Solution:\n    def countPairs(self, nums, target):\n        return 0",
    "9002": "class Solution:\n    def runningSum(self, nums):\n        return nums",
}


def test_livecodebench_end_to_end_in_the_local_sandbox(tmp_path: Path) -> None:
    questions = load_questions(SourceSelection("livecodebench", str(LCB_FIXTURES)))
    by_prompt = {q.prompt: q for q in questions}
    calls: Counter[str] = Counter()

    def reply(messages: list[ChatMessage]) -> str:
        prompt = last_user_text(messages)
        q = by_prompt[prompt]
        n = calls[prompt]
        calls[prompt] += 1
        code = (LCB_RIGHT if n % 2 == 0 else LCB_WRONG)[q.question_id]
        return f"Here is a solution.\n\n```python\n{code}\n```\n"

    task = generate(source="livecodebench", source_path=str(LCB_FIXTURES), k=2)
    assert task.sandbox is not None and task.sandbox.type == "local"
    [log] = eval(task, model=scripted_model(reply), display="none", log_dir=str(tmp_path))
    assert log.status == "success", log.error
    export = export_log(log.location)
    assert export.statuses == {"correct": 4, "incorrect": 4}, [
        c["detail"] for s in log.samples or [] for c in s.store[CANDIDATES_KEY]
    ]
    assert len(export.pairs) == 4
    statements = {q.metadata["question_content"]: q for q in questions}
    for row in export.pairs:
        q = statements[row["question"]]  # the bare statement, as JudgeBench publishes coding questions
        right = row["response_A"] if row["label"] == "A>B" else row["response_B"]
        assert LCB_RIGHT[q.question_id] in right


def test_source_revision_is_read_and_recorded(monkeypatch: pytest.MonkeyPatch, mmlu: str) -> None:
    """Hub loading reads the asked revision (or the source's pinned default) and the task
    metadata records it with the commit it resolved to; local data records its path."""
    import datasets
    import huggingface_hub

    def first_rows(category: str, task: str) -> list[dict[str, Any]]:
        return [json.loads(line) for line in (LIVEBENCH / category / task / "question.jsonl").open()][:3]

    rows = {"livebench/reasoning": first_rows("reasoning", "spatial"), "livebench/math": first_rows("math", "AMPS_Hard")}
    loads: list[tuple[str, str]] = []
    resolved: list[tuple[str, str | None]] = []

    def fake_load(path: str, split: str, revision: str) -> list[dict[str, Any]]:
        loads.append((path, revision))
        return rows[path]

    class FakeApi:
        def dataset_info(self, repo_id: str, revision: str | None = None) -> Any:
            resolved.append((repo_id, revision))
            return type("Info", (), {"sha": "f" * 40 if revision == "main" else str(revision)})()

    monkeypatch.setattr(datasets, "load_dataset", fake_load)
    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)

    task = generate(source="livebench_reasoning", tasks="spatial")
    assert loads[-1] == ("livebench/reasoning", "main")
    assert task.metadata is not None
    assert {k: task.metadata[k] for k in ("source_repo", "source_revision", "source_commit")} == {
        "source_repo": "livebench/reasoning", "source_revision": "main", "source_commit": "f" * 40,
    }
    task = generate(source="livebench_reasoning", tasks="spatial", source_revision="abc1234")
    assert loads[-1] == ("livebench/reasoning", "abc1234") and task.metadata["source_commit"] == "abc1234"  # type: ignore[index]

    # a hub that cannot say which commit: the run goes on, the commit is left empty
    class DownApi:
        def dataset_info(self, repo_id: str, revision: str | None = None) -> Any:
            raise ConnectionError("offline")

    monkeypatch.setattr(huggingface_hub, "HfApi", DownApi)
    task = generate(source="livebench_math", tasks="AMPS_Hard")
    assert task.metadata["source_revision"] == "bb66571c8ccf32d3df9e6f48b920d3770ff4aacb"  # type: ignore[index]
    assert task.metadata["source_commit"] is None  # type: ignore[index]

    local = generate(source="mmlu_pro", source_path=mmlu, n_per_subject=1)
    assert local.metadata is not None and local.metadata["source_path"] == mmlu and "source_commit" not in local.metadata


def test_source_revision_and_version_tag_need_the_hub(mmlu: str) -> None:
    with pytest.raises(ValueError, match="hub loading only"):
        generate(source="mmlu_pro", source_path=mmlu, source_revision="abc")
    with pytest.raises(ValueError, match="version_tag applies to source=livecodebench only"):
        generate(source="mmlu_pro", version_tag="release_v2")


def test_livecodebench_hub_release_and_revision(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub

    downloads: list[tuple[str, str, str | None]] = []

    def fake_download(repo_id: str, filename: str, repo_type: str, revision: str | None) -> str:
        downloads.append((repo_id, filename, revision))
        return str(LCB_FIXTURES)

    class FakeApi:
        def dataset_info(self, repo_id: str, revision: str | None = None) -> Any:
            return type("Info", (), {"sha": "c" * 40})()

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", fake_download)
    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    task = generate(source="livecodebench", version_tag="release_v1", source_revision="abc1234")
    assert downloads == [("livecodebench/code_generation_lite", "test.jsonl", "abc1234")]
    assert task.metadata is not None
    assert (task.metadata["version_tag"], task.metadata["source_revision"], task.metadata["source_commit"]) == (
        "release_v1", "abc1234", "c" * 40,
    )
    with pytest.raises(ValueError, match="Unknown version_tag"):
        generate(source="livecodebench", version_tag="release_v99")
