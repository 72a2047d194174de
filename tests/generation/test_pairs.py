"""Pair building of the generation pipeline: pure functions, no model calls."""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from support import DATA, PAIRS_CLAUDE, PAIRS_GPT

from judgebench_inspect.dataset import (
    PAIR_FIELDS,
    PairDataError,
    looks_like_inspect_log,
    read_pairs_file,
    write_pairs_jsonl,
)
from judgebench_inspect.generation.checkers import CheckResult
from judgebench_inspect.generation.grader import grader_messages, parse_grade
from judgebench_inspect.generation.kinds import (
    SourceSelection,
    load_questions,
    published_question,
    reference_answer,
    status_of,
)
from judgebench_inspect.generation.pairs import (
    PAIR_NAMESPACE,
    QuestionResult,
    apply_quota,
    build_pair,
    build_pairs,
    check_quota,
    choose_pair,
    final_status,
    make_pair_id,
)
from judgebench_inspect.generation.sources import SourceQuestion
from judgebench_inspect.records import Candidate
from judgebench_inspect.solvers.generate import candidate_cache

MMLU_ZIP = DATA / "sources" / "mmlu-pro" / "model_outputs_jamba-1.5-large_5shots.zip"


def cand(index: int, status: str, text: str | None = None) -> Candidate:
    return Candidate(
        index=index,
        text=text if text is not None else f"response {index} ({status})",
        answer="X",
        correct={"correct": True, "incorrect": False}.get(status),
        detail="",
        status=status,
    )


def result(qid: str, statuses: list[str], source: str = "mmlu-pro-law", model: str = "m") -> QuestionResult:
    return QuestionResult(
        source=source,
        question_id=qid,
        original_id=int(qid) if qid.isdigit() else None,
        question=f"question {qid}",
        response_model=model,
        candidates=tuple(cand(i + 1, s) for i, s in enumerate(statuses)),
    )


# --------------------------------------------------------------------------- ids and placement


def test_pair_id_is_a_deterministic_uuid5() -> None:
    a = make_pair_id("mmlu-pro-law", "1420", "gpt-4o")
    assert a == make_pair_id("mmlu-pro-law", "1420", "gpt-4o")
    assert uuid.UUID(a).version == 5
    assert a == str(uuid.uuid5(PAIR_NAMESPACE, "mmlu-pro-law\n1420\ngpt-4o"))
    others = {
        make_pair_id("mmlu-pro-law", "1421", "gpt-4o"),
        make_pair_id("mmlu-pro-physics", "1420", "gpt-4o"),
        make_pair_id("mmlu-pro-law", "1420", "claude"),
    }
    assert a not in others and len(others) == 3


def test_row_has_the_judgebench_schema_in_order() -> None:
    row = build_pair(result("7", ["incorrect", "correct"]), pair_seed=0)
    assert row is not None
    assert tuple(row) == PAIR_FIELDS
    assert row["original_id"] == 7 and row["source"] == "mmlu-pro-law" and row["response_model"] == "m"
    assert row["question"] == "question 7"
    assert row["label"] in ("A>B", "B>A")
    correct_side = row["response_A"] if row["label"] == "A>B" else row["response_B"]
    wrong_side = row["response_B"] if row["label"] == "A>B" else row["response_A"]
    assert correct_side == "response 2 (correct)" and wrong_side == "response 1 (incorrect)"


def test_placement_is_seeded_per_question_and_balanced() -> None:
    results = [result(str(i), ["correct", "incorrect", "correct", "incorrect"]) for i in range(400)]
    first = [build_pair(r, 3) for r in results]
    assert first == [build_pair(r, 3) for r in results]  # same seed, same pairs
    labels = [p["label"] for p in first if p]
    share_a = labels.count("A>B") / len(labels)
    assert 0.4 < share_a < 0.6
    other_seed = [build_pair(r, 4) for r in results]
    assert [p["label"] for p in other_seed if p] != labels
    # Processing order does not matter.
    shuffled = results[:]
    random.Random(1).shuffle(shuffled)
    assert build_pairs(shuffled, 3)[0] == build_pairs(results, 3)[0]


@pytest.mark.parametrize(
    "statuses",
    [
        ["correct", "correct"],
        ["incorrect", "incorrect", "incorrect"],
        ["correct", "unverified", "truncated", "empty", "grader_disagrees", "grader_no_verdict"],
        [],
    ],
)
def test_no_pair_without_a_usable_correct_and_incorrect(statuses: list[str]) -> None:
    assert build_pair(result("1", statuses), 0) is None


def test_unusable_candidates_are_never_paired() -> None:
    statuses = ["unverified", "correct", "truncated", "incorrect", "grader_disagrees", "empty"]
    for seed in range(50):
        chosen = choose_pair(result("9", statuses).candidates, seed, "mmlu-pro-law", "9")
        assert chosen is not None
        good, bad, _ = chosen
        assert (good.index, bad.index) == (2, 4)


def test_second_grader_combination() -> None:
    assert final_status("correct", True, graded=True) == "correct"
    assert final_status("incorrect", False, graded=True) == "incorrect"
    assert final_status("correct", False, graded=True) == "grader_disagrees"
    assert final_status("incorrect", True, graded=True) == "grader_disagrees"
    assert final_status("correct", None, graded=True) == "grader_no_verdict"
    assert final_status("unverified", True, graded=True) == "unverified"
    assert final_status("incorrect", None, graded=False) == "incorrect"


# --------------------------------------------------------------------------- quota


def test_quota_keeps_at_most_n_per_source_seeded() -> None:
    results = [result(str(i), ["correct", "incorrect"], source="mmlu-pro-law") for i in range(30)]
    results += [result(str(100 + i), ["correct", "incorrect"], source="mmlu-pro-physics") for i in range(5)]
    results += [result(str(200 + i), ["correct", "correct"], source="mmlu-pro-math") for i in range(5)]
    rows, counts = build_pairs(results, pair_seed=0, pair_quota=11)
    assert counts == {"mmlu-pro-law": (30, 11), "mmlu-pro-physics": (5, 5)}
    by_source = [r["source"] for r in rows]
    assert by_source.count("mmlu-pro-law") == 11 and by_source.count("mmlu-pro-physics") == 5
    assert rows == build_pairs(results, pair_seed=0, pair_quota=11)[0]
    assert rows != build_pairs(results, pair_seed=1, pair_quota=11)[0]
    all_rows, _ = build_pairs(results, pair_seed=0)
    assert len(all_rows) == 35
    assert [r for r in all_rows if r in rows] == rows  # kept rows stay in order
    kept, _ = apply_quota(all_rows, None, 0)
    assert kept == all_rows


@pytest.mark.parametrize("bad", [0, -1, 1.5, "3", True])
def test_bad_quota_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="pair_quota"):
        check_quota(bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- files


def test_written_pairs_load_as_a_judgebench_file(tmp_path: Path) -> None:
    rows, _ = build_pairs([result(str(i), ["correct", "incorrect"]) for i in range(4)], 0)
    out = tmp_path / "pairs.jsonl"
    assert write_pairs_jsonl(rows, out) == 4
    loaded = read_pairs_file(out)
    assert [p.pair_id for p in loaded] == [r["pair_id"] for r in rows]
    assert all(p.category == "knowledge" for p in loaded)
    first = json.loads(out.read_text().splitlines()[0])
    assert tuple(first) == PAIR_FIELDS
    assert not looks_like_inspect_log(out)


def test_a_json_file_that_is_not_a_log_is_not_taken_for_one(tmp_path: Path) -> None:
    f = tmp_path / "pairs.json"
    f.write_text('{"pair_id": "x"}\n')
    assert not looks_like_inspect_log(f)
    assert looks_like_inspect_log(tmp_path / "whatever.eval")


def test_broken_eval_file_is_reported(tmp_path: Path) -> None:
    from judgebench_inspect.dataset import load_pairs

    bad = tmp_path / "broken.eval"
    bad.write_bytes(b"not a zip")
    with pytest.raises(PairDataError, match="broken.eval: not a readable Inspect log"):
        load_pairs(str(bad))


# --------------------------------------------------------------------------- sources


def test_mmlu_pro_question_text_matches_the_published_layout() -> None:
    """Question and options are byte-identical to JudgeBench's; only the closing
    instruction is this project's own wording (or the user's -T instruction file)."""
    from judgebench_inspect.generation.sources.mmlu_pro import MMLU_PRO_INSTRUCTION

    questions = {q.original_id: q for q in load_questions(SourceSelection("mmlu_pro", str(MMLU_ZIP), n_per_subject="all"))}
    checked = 0
    for path in (PAIRS_GPT, PAIRS_CLAUDE):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            if not row["source"].startswith("mmlu-pro-"):
                continue
            q = questions[row["original_id"]]
            text = published_question(q)
            assert q.source == row["source"]
            assert text.endswith(MMLU_PRO_INSTRUCTION)
            body = text[: -len(MMLU_PRO_INSTRUCTION)]
            assert row["question"].startswith(body)
            # The published closing instruction also asks for the letter five times.
            assert "five times" in row["question"][len(body):]
            checked += 1
    assert checked == 308


@pytest.fixture(scope="module")
def law_and_math(tmp_path_factory: pytest.TempPathFactory) -> str:
    """MMLU-Pro's law and math questions as a JSONL copy (faster to load than the zip)."""
    from judgebench_inspect.generation.sources.mmlu_pro import read_mmlu_pro_rows

    rows = [r for _, r in read_mmlu_pro_rows(MMLU_ZIP) if r["category"] in ("law", "math")]
    path = tmp_path_factory.mktemp("mmlu") / "law-math.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def test_instruction_file_replaces_the_closing_line(tmp_path: Path, law_and_math: str) -> None:
    f = tmp_path / "instruction.txt"
    f.write_text("Write the letter of your choice five times, e.g. KKKKK.\n")
    qs = load_questions(SourceSelection("mmlu_pro", law_and_math, subjects=("law",), n_per_subject=2, instruction=str(f)))
    assert len(qs) == 2 and all(q.prompt.endswith("e.g. KKKKK.") for q in qs)


def test_default_draw_is_100_per_mmlu_pro_subject(law_and_math: str) -> None:
    qs = load_questions(SourceSelection("mmlu_pro", law_and_math, subjects=("law", "math")))
    assert len(qs) == 200 and {q.task for q in qs} == {"law", "math"}
    assert qs == load_questions(SourceSelection("mmlu_pro", law_and_math, subjects=("law", "math")))
    assert qs != load_questions(SourceSelection("mmlu_pro", law_and_math, subjects=("law", "math"), seed=1))
    few = load_questions(SourceSelection("mmlu_pro", law_and_math, subjects=("law", "math"), n_per_subject=5, n=3))
    assert len(few) == 3


@pytest.mark.parametrize(
    "selection, message",
    [
        (SourceSelection("mmlu_pro", str(MMLU_ZIP), tasks=("spatial",)), "tasks applies"),
        (SourceSelection("livebench_math", "x", subjects=("law",)), "subjects applies"),
        (SourceSelection("mmlu_pro", str(MMLU_ZIP), start_date="2024-01-01"), "start_date"),
        (SourceSelection("mmlu_pro", str(MMLU_ZIP), n_per_subject=0), "n_per_subject"),
        (SourceSelection("mmlu_pro", str(MMLU_ZIP), n_per_subject="many"), "n_per_subject"),
        (SourceSelection("livecodebench", "x", n_per_subject=3), "n_per_subject does not apply"),
    ],
)
def test_options_that_do_not_apply_are_refused(selection: SourceSelection, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_questions(selection)


def test_livecodebench_pair_question_is_the_statement() -> None:
    q = SourceQuestion(
        source="livecodebench",
        question_id="1",
        original_id=None,
        prompt="Write a program...\n\nProblem:\n\nAdd two numbers.\n\nPut your code in a block.",
        ground_truth="{}",
        task="code_generation",
        metadata={"question_content": "Add two numbers."},
    )
    assert published_question(q) == "Add two numbers."
    mmlu = replace(q, source="mmlu-pro-law", ground_truth="B", metadata={"options": ["yes", "no"]})
    assert published_question(mmlu) == mmlu.prompt
    assert reference_answer(mmlu) == "(B) no"


@pytest.mark.parametrize(
    "detail, status",
    [
        ("answered B", "correct"),
        ("timeout", "unverified"),
        ("worker failure: the worker pool broke repeatedly", "unverified"),
        ("sandbox error: the runner stopped before reporting", "unverified"),
        ("timeout: the whole check ran out of time", "unverified"),
        ("timeout on test 3; passed 2/5", "incorrect"),
    ],
)
def test_checker_results_that_decide_nothing_are_unverified(detail: str, status: str) -> None:
    assert status_of(CheckResult(status == "correct", None, detail)) == status


# --------------------------------------------------------------------------- grader and cache


def test_grader_prompt_and_parser() -> None:
    messages = grader_messages("What is 2+2?", "4", "It is four.")
    text = messages[-1].text
    assert "What is 2+2?" in text and "## Reference answer\n4" in text and "It is four." in text
    assert parse_grade("The response says 4.\nGRADE: CORRECT") is True
    assert parse_grade("GRADE: correct ... on reflection\nGRADE: **INCORRECT**") is False
    assert parse_grade("I think it is right") is None
    assert parse_grade("GRADE: CORRECTLY") is None


def test_candidates_get_distinct_cache_entries() -> None:
    from inspect_ai.model import CachePolicy

    assert candidate_cache(None, 1) is False
    assert candidate_cache(False, 1) is False
    one, two = candidate_cache(True, 1), candidate_cache(True, 2)
    assert isinstance(one, CachePolicy) and one.scopes != two.scopes
    custom = candidate_cache(CachePolicy(expiry="1D", scopes={"run": "x"}), 3)
    assert custom.expiry == "1D" and custom.scopes == {"run": "x", "judgebench_candidate": "3"}
