"""Pairs from the log of any Inspect eval run with several epochs (`judgebench pairs LOG...`).

Real logs are made here, offline: a tiny task (a few questions, `generate()`, `match()`), run for
three epochs on a scripted mockllm that answers right or wrong by (question, epoch).
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any, Callable, Collection

import pytest
from support import scripted_model
from inspect_ai import Task, eval, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import read_eval_log, write_eval_log
from inspect_ai.model import ChatMessage
from inspect_ai.scorer import CORRECT, INCORRECT, Score, Target, accuracy, match, scorer
from inspect_ai.solver import TaskState, generate, prompt_template, system_message
from inspect_ai.solver._task_state import sample_state

from judgebench.tasks import judge
from judgebench_inspect.dataset import PairDataError, export_eval_log, load_pairs, read_pairs_file, score_correct
from judgebench_inspect.generation.cli import main as cli_main
from judgebench_inspect.generation.pairs import PAIR_NAMESPACE

#: id -> (question, right answer, wrong answer, subject)
QUESTIONS: dict[str, tuple[str, str, str, str]] = {
    "add": ("What is 2 + 2?", "4", "5", "arithmetic"),
    "mul": ("What is 3 * 3?", "9", "6", "arithmetic"),
    "cap": ("What is the capital of France?", "Paris", "Lyon", "geography"),
    "sky": ("What colour is a clear daytime sky?", "blue", "green", "nature"),
    "ice": ("What does water become below 0 C?", "ice", "steam", "nature"),
}

#: id -> which epochs (1-based) answer right; the others answer wrong.
RIGHT_EPOCHS: dict[str, set[int]] = {
    "add": {1, 3},  # pair
    "mul": {1, 2, 3},  # only correct
    "cap": set(),  # only incorrect
    "sky": {2},  # pair
    "ice": {3},  # pair
}

#: A fixed eval id written into the logs, so that pair ids and draws are the same in every test run.
EVAL_ID = "test-eval-id-0001"

#: The pairs of the three-epoch log at seed 0: id -> (right epoch, wrong epoch, label).
EXPECTED = {"add": (1, 2, "A>B"), "sky": (2, 3, "B>A"), "ice": (3, 1, "A>B")}


def answer(sid: str, epoch: int) -> str:
    _, right, wrong, _ = QUESTIONS[sid]
    return f"Thinking (epoch {epoch})... ANSWER: {right if epoch in RIGHT_EPOCHS[sid] else wrong}"


def _sid_of(messages: list[ChatMessage]) -> str:
    text = [m for m in messages if m.role == "user"][-1].text
    return next(sid for sid, (q, *_rest) in QUESTIONS.items() if q in text)


def answerer(fail: Collection[tuple[str, int]] = ()) -> Callable[[list[ChatMessage]], str]:
    """Answers by (question, epoch); raises for the (id, epoch) in `fail`."""

    def reply(messages: list[ChatMessage]) -> str:
        state = sample_state()
        assert state is not None
        sid = _sid_of(messages)
        if (sid, state.epoch) in fail:
            raise RuntimeError("provider exploded")
        return answer(sid, state.epoch)

    return reply


@task
def tiny_task(scorers: Any = None, solver: Any = None) -> Task:
    samples = [
        Sample(id=sid, input=q, target=right, metadata={"subject": subject})
        for sid, (q, right, _wrong, subject) in QUESTIONS.items()
    ]
    return Task(dataset=MemoryDataset(samples, name="tiny"), solver=solver or generate(), scorer=scorers or match())


def run(
    tmp: Path, name: str, *, epochs: int = 3, scorers: Any = None, solver: Any = None,
    fail: Collection[tuple[str, int]] = (), **kw: Any,
) -> Path:
    """Run the tiny task and write its log with the fixed eval id; returns the log's path."""
    [log] = eval(
        tiny_task(scorers, solver), model=scripted_model(answerer(fail)), epochs=epochs, display="none",
        log_dir=str(tmp / "runs"), **kw,
    )
    log.eval.eval_id = EVAL_ID
    path = tmp / f"{name}.eval"
    write_eval_log(log, str(path))
    return path


@pytest.fixture(scope="module")
def three_epochs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run(tmp_path_factory.mktemp("eval-log"), "tiny-3")


def expected_id(sid: str, right: int, wrong: int, eval_id: str = EVAL_ID) -> str:
    return str(uuid.uuid5(PAIR_NAMESPACE, f"{eval_id}\n{sid}\n{right}\n{wrong}"))


def epochs_of(row: dict[str, Any]) -> tuple[int, int]:
    """(epoch of the correct response, epoch of the incorrect one), read from the answers' text."""
    good, bad = ("response_A", "response_B") if row["label"] == "A>B" else ("response_B", "response_A")
    found = [re.search(r"\(epoch (\d)\)", row[k]) for k in (good, bad)]
    assert found[0] and found[1]
    return int(found[0].group(1)), int(found[1].group(1))


def check_pair(row: dict[str, Any], sid: str, right: int, wrong: int, label: str) -> None:
    question, _, _, _ = QUESTIONS[sid]
    good, bad = answer(sid, right), answer(sid, wrong)
    assert row["pair_id"] == expected_id(sid, right, wrong)
    assert row["label"] == label
    assert (row["response_A"], row["response_B"]) == ((good, bad) if label == "A>B" else (bad, good))
    assert row["question"] == question
    assert row["original_id"] == sid
    assert row["source"] == "tiny_task" and row["response_model"] == "mockllm/model"


def test_three_epochs_give_one_labelled_pair_per_mixed_sample(three_epochs: Path) -> None:
    export = export_eval_log(three_epochs)
    assert [r["original_id"] for r in export.pairs] == list(EXPECTED)  # the dataset's order
    for row in export.pairs:
        check_pair(row, row["original_id"], *EXPECTED[row["original_id"]])
        assert row["category"] == "tiny_task"
    assert export.only_correct == ["mul"] and export.only_incorrect == ["cap"] and export.unusable == []
    assert export.samples == 5 and export.epochs == 3 and export.scorer == "match"
    assert sum(export.skipped_epochs.values()) == 0
    # stable: the same log gives the same pairs; another seed draws again, with the same labels' meaning
    assert export_eval_log(three_epochs).pairs == export.pairs
    other = export_eval_log(three_epochs, pair_seed=7)
    assert {r["original_id"] for r in other.pairs} == set(EXPECTED)
    assert any(a != b for a, b in zip(other.pairs, export.pairs))
    for row in other.pairs:
        sid = row["original_id"]
        right, wrong = epochs_of(row)
        check_pair(row, sid, right, wrong, row["label"])
        assert right in RIGHT_EPOCHS[sid] and wrong not in RIGHT_EPOCHS[sid]


def test_cli_writes_pairs_the_judge_task_accepts(three_epochs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tiny-pairs.jsonl"
    assert cli_main(["pairs", str(three_epochs), "-o", str(out), "--category", "subject"]) == 0
    err = capsys.readouterr().err
    assert "5 samples, 3 with a pair" in err and "only correct 1, only incorrect 1" in err, err
    assert f"wrote 3 pairs to {out}" in err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["category"] for r in rows] == ["arithmetic", "nature", "nature"]
    assert [r["pair_id"] for r in rows] == [expected_id(sid, *EXPECTED[sid][:2]) for sid in EXPECTED]
    pairs = read_pairs_file(out)
    assert [(p.category, p.source, p.label) for p in pairs] == [
        ("arithmetic", "tiny_task", "A>B"), ("nature", "tiny_task", "B>A"), ("nature", "tiny_task", "A>B")
    ]

    truth = {q: right for q, right, _, _ in QUESTIONS.values()}

    def judge_reply(messages: list[ChatMessage]) -> str:
        text = [m for m in messages if m.role == "user"][-1].text
        m = re.search(r"# Question:\n(.*)\n\n# Output \(a\):\n(.*)\n\n# Output \(b\):\n(.*)\n\n# Which", text, re.S)
        assert m, text[:300]
        question, a, _b = m.groups()
        return "Output (a)" if a.endswith(f"ANSWER: {truth[question]}") else "Output (b)"

    [on_file] = eval(judge(dataset=str(out), judge="vanilla", prompts="builtin"), model=scripted_model(judge_reply),
                     display="none", log_dir=str(tmp_path / "judge"))
    assert on_file.status == "success" and on_file.results is not None
    values = {name: m.value for s in on_file.results.scores for name, m in s.metrics.items()}
    assert values["pair_accuracy"] == 100.0 and values["arithmetic"] == 100.0 and values["nature"] == 100.0

    # the log itself as -T dataset=: the same pairs, the task's name as category
    [on_log] = eval(judge(dataset=str(three_epochs), judge="vanilla", prompts="builtin"), model=scripted_model(judge_reply),
                    display="none", log_dir=str(tmp_path / "judge"))
    assert on_log.status == "success" and on_log.samples is not None
    assert sorted(str(s.id) for s in on_log.samples) == sorted(r["pair_id"] for r in rows)
    assert {p.category for p in load_pairs(str(three_epochs))} == {"tiny_task"}


def test_the_question_is_the_user_text_the_model_saw(tmp_path: Path) -> None:
    solver = [system_message("Be brief."), prompt_template("Answer this: {prompt}"), generate()]
    path = run(tmp_path, "templated", epochs=2, solver=solver)
    export = export_eval_log(path)
    assert {r["original_id"]: r["question"] for r in export.pairs} == {
        "add": "Answer this: What is 2 + 2?", "sky": "Answer this: What colour is a clear daytime sky?"
    }


def test_errored_and_unscored_epochs_are_counted_never_paired(tmp_path: Path) -> None:
    @scorer(metrics=[accuracy()])
    def match_but_not_sky_epoch_2() -> Any:
        inner = match()

        async def score(state: TaskState, target: Target) -> Score | None:
            if state.sample_id == "sky" and state.epoch == 2:
                return None
            return await inner(state, target)

        return score

    # add: its only wrong epoch (2) errors; ice: its wrong epoch 1 errors (wrong epoch 2 is left);
    # sky: its only right epoch (2) has no score
    path = run(tmp_path, "errors", scorers=match_but_not_sky_epoch_2(), fail={("add", 2), ("ice", 1)}, fail_on_error=False)
    log = read_eval_log(str(path))
    assert sum(s.error is not None for s in log.samples or []) == 2
    export = export_eval_log(path)
    assert export.skipped_epochs["errored"] == 2 and export.skipped_epochs["no score"] == 1
    [row] = export.pairs
    assert row["original_id"] == "ice" and epochs_of(row) == (3, 2)  # never the errored epoch 1
    assert row["pair_id"] == expected_id("ice", 3, 2)
    assert export.only_correct == ["add", "mul"] and export.only_incorrect == ["cap", "sky"]
    assert "errored 2" in export.summary() and "no score 1" in export.summary()


def test_a_dict_valued_score_is_read_by_key(tmp_path: Path) -> None:
    @scorer(metrics={"*": [accuracy()]})
    def graded() -> Any:
        async def score(state: TaskState, target: Target) -> Score:
            right = state.output.completion.endswith(f"ANSWER: {target.text}")
            return Score(value={"correct": CORRECT if right else INCORRECT, "length": 0.25})

        return score

    path = run(tmp_path, "dict", scorers=graded())
    with pytest.raises(PairDataError, match=r"a dict of values \(correct, length\): choose one with --key"):
        export_eval_log(path)
    export = export_eval_log(path, key="correct")
    assert {r["original_id"]: r["label"] for r in export.pairs} == {sid: e[2] for sid, e in EXPECTED.items()}
    assert export.key == "correct" and "graded[correct]" in export.summary()
    with pytest.raises(PairDataError, match=r"no score of scorer graded reads as correct or incorrect"):
        export_eval_log(path, key="length")
    with pytest.raises(PairDataError, match=r"no score of scorer graded has the key 'corect' \(did you mean correct\?\) \(its keys: correct, length\)"):
        export_eval_log(path, key="corect")
    assert cli_main(["pairs", str(path), "-o", str(tmp_path / "d.jsonl"), "--key", "correct"]) == 0
    assert cli_main(["pairs", str(path), "-o", str(tmp_path / "d.jsonl")]) == 1


def test_two_scorers_need_scorer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """match() and a scorer that passes every answer: --scorer chooses, and the choice changes the pairs."""

    @scorer(metrics=[accuracy()])
    def lenient() -> Any:
        async def score(state: TaskState, target: Target) -> Score:
            return Score(value=1)

        return score

    path = run(tmp_path, "two", scorers=[match(), lenient()])
    with pytest.raises(PairDataError, match=r"several scorers \(match, lenient\): choose one with --scorer"):
        export_eval_log(path)
    with pytest.raises(PairDataError, match=r"no scores of scorer 'matc' \(did you mean match\?\); the samples have match, lenient"):
        export_eval_log(path, scorer="matc")
    assert {r["original_id"] for r in export_eval_log(path, scorer="match").pairs} == set(EXPECTED)
    lenient_export = export_eval_log(path, scorer="lenient")
    assert lenient_export.pairs == [] and len(lenient_export.only_correct) == 5
    out = tmp_path / "two.jsonl"
    assert cli_main(["pairs", str(path), "-o", str(out)]) == 1
    assert "--scorer" in capsys.readouterr().err
    assert cli_main(["pairs", str(path), "-o", str(out), "--scorer", "match"]) == 0
    assert len(out.read_text().splitlines()) == 3
    assert cli_main(["pairs", str(path), "-o", str(out), "--scorer", "lenient"]) == 1


def test_one_epoch_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = run(tmp_path, "one", epochs=1)
    with pytest.raises(PairDataError, match=r"one\.eval: task tiny_task ran each sample once .* --epochs 2 or more"):
        export_eval_log(path)
    with pytest.raises(PairDataError, match=r"--epochs 2 or more"):
        load_pairs(str(path))
    assert cli_main(["pairs", str(path), "-o", str(tmp_path / "x.jsonl")]) == 1


def test_several_logs_and_options_of_the_other_kind(three_epochs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = read_eval_log(str(three_epochs))
    log.eval.eval_id = "another-run"
    second = tmp_path / "second.eval"
    write_eval_log(log, str(second))
    out = tmp_path / "both.jsonl"
    assert cli_main(["pairs", str(three_epochs), str(second), "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["original_id"] for r in rows] == list(EXPECTED) * 2
    for row in rows[3:]:  # the second run's ids: its eval id, and its own draw
        right, wrong = epochs_of(row)
        assert row["pair_id"] == expected_id(row["original_id"], right, wrong, eval_id="another-run")
    assert len({r["pair_id"] for r in rows}) == 6
    capsys.readouterr()
    assert cli_main(["pairs", str(three_epochs), str(three_epochs), "-o", str(out)]) == 1
    assert "the same log given twice" in capsys.readouterr().err
    assert cli_main(["pairs", str(three_epochs), "-o", str(out), "--quota", "2"]) == 1
    assert "--quota: only for judgebench/generate logs" in capsys.readouterr().err


@pytest.mark.parametrize(
    "value,expected",
    [("C", True), ("I", False), ("c", True), ("true", True), ("False", False), (1, True), (0, False),
     (1.0, True), (0.0, False), (True, True), (False, False), ("1", True), ("0.0", False),
     ("P", None), ("N", None), (0.5, None), ([1], None), (None, None)],
)
def test_score_values(value: Any, expected: bool | None) -> None:
    assert score_correct(value) is expected


def test_a_json_log_gives_the_same_pairs(three_epochs: Path, tmp_path: Path) -> None:
    as_json = tmp_path / "tiny-3.json"
    write_eval_log(read_eval_log(str(three_epochs)), str(as_json))
    assert export_eval_log(as_json).pairs == export_eval_log(three_epochs).pairs
    assert [p.pair_id for p in load_pairs(str(as_json))] == [p.pair_id for p in load_pairs(str(three_epochs))]


def test_a_metadata_field_missing_is_named(three_epochs: Path) -> None:
    with pytest.raises(PairDataError, match=r"sample add, metadata field 'subjekt': missing \(did you mean subject\?\)"):
        export_eval_log(three_epochs, category_field="subjekt")
