"""The solve task (solver vs judge): the model answers JudgeBench's questions itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support import DATA, PAIRS_GPT, REPO, scripted_model
from inspect_ai import eval
from inspect_ai.log import EvalLog
from inspect_ai.model import ChatMessage

from judgebench.tasks import solve
from judgebench_inspect.dataset import PairRecord, read_pairs_file
from judgebench_inspect.generation.checkers import livebench_math, livebench_reasoning, mmlu_pro
from judgebench_inspect.generation.match import match_pairs

MMLU_ZIP = DATA / "sources" / "mmlu-pro" / "model_outputs_jamba-1.5-large_5shots.zip"
LIVEBENCH = DATA / "sources" / "livebench"
LCB_FIXTURES = REPO / "tests" / "generation" / "fixtures" / "livecodebench" / "problems.jsonl"

RUNNING_SUM = (
    "class Solution:\n    def runningSum(self, nums):\n        out, s = [], 0\n"
    "        for x in nums:\n            s += x\n            out.append(s)\n        return out"
)


def right_and_wrong(p: PairRecord) -> tuple[str, str]:
    return (p.response_A, p.response_B) if p.label == "A>B" else (p.response_B, p.response_A)


def checker_agrees(p: PairRecord, question: Any) -> bool:
    """Only pairs where the checker accepts the correct response and rejects the other."""
    right, wrong = right_and_wrong(p)
    if p.source.startswith("mmlu-pro-"):
        check = mmlu_pro.check
    elif p.source == "livebench-reasoning":
        check = livebench_reasoning.check
    elif question.task == "math_comp":
        check = livebench_math.check_math_comp
    else:
        return False
    return check(right, question).correct and not check(wrong, question).correct


@pytest.fixture(scope="module")
def pairs_file(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """3 knowledge, 2 reasoning, 2 math pairs of the gpt split (checker agrees with the label),
    one published coding pair (no tests offline), one coding pair on a fixture problem,
    and one knowledge pair whose original_id is not in MMLU-Pro."""
    rows = [json.loads(line) for line in PAIRS_GPT.read_text().splitlines()]
    pool = read_pairs_file(PAIRS_GPT)
    wanted = {"knowledge": 3, "reasoning": 2, "math": 2}
    reasoning_and_math = [p for p in pool if p.category in ("reasoning", "math")][:60]
    knowledge = [p for p in pool if p.category == "knowledge"][:10]
    # Only the MMLU-Pro rows these pairs need, as JSONL (the 13 MB zip is slow to load twice).
    from judgebench_inspect.generation.sources.mmlu_pro import read_mmlu_pro_rows

    ids = {p.original_id for p in knowledge}
    mmlu = tmp_path_factory.mktemp("mmlu") / "mmlu-pro-subset.jsonl"
    mmlu.write_text("".join(json.dumps(r) + "\n" for _, r in read_mmlu_pro_rows(MMLU_ZIP) if r["question_id"] in ids))
    chosen: list[PairRecord] = []
    for m in match_pairs(knowledge + reasoning_and_math, str(mmlu), str(LIVEBENCH)):
        if m.question is not None and wanted.get(m.pair.category, 0) > 0 and checker_agrees(m.pair, m.question):
            wanted[m.pair.category] -= 1
            chosen.append(m.pair)
    assert not any(wanted.values()), wanted
    chosen_ids = {p.pair_id for p in chosen}
    out_rows = [r for r in rows if r["pair_id"] in chosen_ids]
    out_rows.append(next(r for r in rows if r["source"] == "livecodebench"))
    fixture = [json.loads(line) for line in LCB_FIXTURES.read_text().splitlines()]
    statement = next(r["question_content"] for r in fixture if r["question_id"] == "9002")
    out_rows.append(
        {**out_rows[-1], "pair_id": "coding-fixture-9002", "question": statement, "response_A": "x", "response_B": "y"}
    )
    out_rows.append({**out_rows[0], "pair_id": "unknown-mmlu-id", "original_id": 99999999})
    path = tmp_path_factory.mktemp("solve") / "pairs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in out_rows))
    return {"path": path, "pairs": {p.pair_id: p for p in read_pairs_file(path)}, "mmlu": str(mmlu)}


def metrics(log: EvalLog) -> dict[str, float]:
    assert log.status == "success", log.error
    assert log.results is not None
    return {k: v.value for s in log.results.scores for k, v in s.metrics.items()}


def test_solve_checks_the_models_own_answers(pairs_file: dict[str, Any], tmp_path: Path) -> None:
    pairs: dict[str, PairRecord] = pairs_file["pairs"]
    by_question = {p.question: p for p in pairs.values() if p.category != "coding"}

    def reply(messages: list[ChatMessage]) -> str:
        prompt = [m for m in messages if m.role == "user"][-1].text
        if prompt in by_question:
            p = by_question[prompt]
            right, wrong = right_and_wrong(p)
            # Knowledge and math answered right (the published correct response), reasoning wrong.
            return wrong if p.category == "reasoning" else right
        assert "runningSum" in prompt, prompt[:200]  # the coding prompt asks for a fenced block
        return f"```python\n{RUNNING_SUM}\n```"

    task = solve(
        dataset=str(pairs_file["path"]),
        mmlu_pro_path=pairs_file["mmlu"],
        livebench_path=str(LIVEBENCH),
        livecodebench_path=str(LCB_FIXTURES),
    )
    assert task.metadata is not None and task.metadata["sources"] == {
        "livebench_math": {"source_path": str(LIVEBENCH)},
        "livebench_reasoning": {"source_path": str(LIVEBENCH)},
        "livecodebench": {"source_path": str(LCB_FIXTURES)},
        "mmlu_pro": {"source_path": pairs_file["mmlu"]},
    }
    [log] = eval(task, model=scripted_model(reply), display="none", log_dir=str(tmp_path))
    m = metrics(log)
    assert m["knowledge"] == 100.0 and m["reasoning"] == 0.0 and m["math"] == 100.0 and m["coding"] == 100.0
    assert m["accuracy"] == pytest.approx(100 * 6 / 8)
    assert m["unverifiable"] == 2
    samples = {s.id: s for s in log.samples or []}
    assert len(samples) == len(pairs)  # nothing dropped
    unknown = samples["unknown-mmlu-id"].scores["solve_scorer"]
    assert unknown.value == {"correct": 0, "verified": 0}
    assert "original_id 99999999 not found in MMLU-Pro" in (unknown.explanation or "")
    published_coding = next(s for s in samples.values() if s.metadata["source"] == "livecodebench" and s.id != "coding-fixture-9002")
    assert "not found in the LiveCodeBench data" in (published_coding.scores["solve_scorer"].explanation or "")
    assert not published_coding.output.completion  # no model call for an unverifiable question


def test_without_livecodebench_tests_coding_pairs_are_unverifiable(pairs_file: dict[str, Any], tmp_path: Path) -> None:
    task = solve(dataset=str(pairs_file["path"]), categories="coding")
    assert task.sandbox is None
    assert task.metadata is not None and task.metadata["sources"] == {}  # no tests asked for, none read
    [log] = eval(task, model=scripted_model(lambda _m: "unused"), display="none", log_dir=str(tmp_path))
    m = metrics(log)
    assert m["unverifiable"] == 2
    assert all(
        "no LiveCodeBench tests given" in (s.scores["solve_scorer"].explanation or "") for s in log.samples or []
    )


def test_missing_source_data_is_a_clear_error(pairs_file: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="could not load LiveBench reasoning.*-T livebench_path=PATH"):
        solve(dataset=str(pairs_file["path"]), categories="reasoning")
