"""PPE's human-preference set in its published schema: non-tie battles as pairs (ties counted,
never paired), one log category per pair by the flag priority, and PPE's accuracy per flag,
language and game (its ranking metrics n/a)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from inspect_ai.model import ChatMessage

from judgebench_inspect.benchmarks import benchmark_of, ppe, ppe_human
from judgebench_inspect.dataset import PairDataError
from judgebench_inspect.pair_rule import score_pair

from support import bad_row_message, judged_run, stub_hub

FLAGS = ("hard_prompt", "easy_prompt", "if_prompt", "math_prompt")


def _row(qid: str, winner: str, mode: str, language: str = "English", is_code: bool = False, **flags: bool) -> dict[str, Any]:
    """A row with every field of the card (``README.md`` of lmarena-ai/PPE-Human-Preference-V1), its types as published."""
    better = {"model_a": 1, "model_b": 2}.get(winner)
    return {
        "question_id": qid,
        "model_a": "gpt-4o-2024-05-13",
        "model_b": "llama-3-70b-instruct",
        "winner": winner,
        "prompt": f"{mode} prompt {qid}",
        **{f"response_{k}": f"response {k} of {qid} [{'human' if k == better else 'other'}]" for k in (1, 2)},
        "language": language,
        "conv_metadata": {
            "context_a_tokens": 12, "context_b_tokens": 12, "sum_assistant_a_tokens": 40,
            "sum_assistant_b_tokens": 55, "sum_user_tokens": 12, "turns": 1,
        },
        "is_code": is_code,
        "is_refusal": False,
        "category_tag": {
            "criteria_v0.1": {
                "complexity": False, "creativity": False, "domain_knowledge": True, "problem_solving": False,
                "real_world": True, "specificity": False, "technical_accuracy": True,
            },
            "if_v0.1": {"if": flags.get("if_prompt", False), "score": 2},
            "math_v0.1": {"math": flags.get("math_prompt", False)},
        },
        "sim": 0.41,
        "length_a": 180,
        "length_b": 240,
        "token_diff": -0.12,
        "longer_won": "B",
        **{f: flags.get(f, False) for f in FLAGS},
    }  # fmt: skip


def _rows() -> list[dict[str, Any]]:
    return [
        _row("q1", "model_a", "RIGHT", is_code=True, math_prompt=True, hard_prompt=True),  # math (first in order)
        _row("q2", "model_b", "RIGHT", is_code=True),  # coding
        _row("q3", "model_b", "WRONG", "Chinese", if_prompt=True, hard_prompt=True),  # instruction-following
        _row("q4", "tie", "RIGHT"),
        _row("q5", "tie (bothbad)", "RIGHT", "Chinese"),
        _row("q6", "model_a", "RIGHT", "Russian"),  # other
        _row("q7", "model_a", "WRONG", easy_prompt=True),  # easy-prompt
        _row("q8", "model_b", "RIGHT", hard_prompt=True),  # hard-prompt
        _row("q9", "tie", "RIGHT"),
    ]


def _reply(messages: list[ChatMessage]) -> str:
    """Names the human-preferred response for RIGHT prompts, the other one for WRONG prompts."""
    text = "\n".join(m.text for m in messages)
    mode = text.split("# Instruction:\n", 1)[1].split(" ", 1)[0]
    a = text.split("# Output (a):", 1)[1].split("# Output (b):", 1)[0]
    return "Output (a)" if ("[human]" in a) == (mode == "RIGHT") else "Output (b)"


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_non_tie_rows_become_pairs(tmp_path: Path) -> None:
    path = _write(tmp_path / "test.jsonl", _rows())
    assert benchmark_of(str(path)) is ppe_human
    assert not ppe.recognise(path)
    pairs = ppe_human.load(str(path))
    assert [p.pair_id for p in pairs] == [f"ppe-human-q{k}" for k in (1, 2, 3, 6, 7, 8)]
    assert [p.category for p in pairs] == ["math", "coding", "instruction-following", "other", "easy-prompt", "hard-prompt"]
    for p in pairs:
        better = p.response_A if p.label == "A>B" else p.response_B
        assert "[human]" in better and p.original_id == p.pair_id.removeprefix("ppe-human-")
        assert p.question.endswith(p.pair_id.removeprefix("ppe-human-")) and p.response_model is None
    meta = pairs[0].tags
    assert pairs[0].source == "ppe-human" and meta is not None
    assert meta == {
        "set": str(path), "rows": 9, "ties": {"tie": 2, "tie (bothbad)": 1},
        "language": "English", "flags": ["math_prompt", "is_code", "hard_prompt"],
    }  # fmt: skip


def test_parquet_folder_and_repeated_ids(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    folder = tmp_path / "PPE-Human-Preference-V1" / "data"
    folder.mkdir(parents=True)
    rows = [*_rows(), _row("q1", "model_b", "RIGHT")]
    pq.write_table(pa.Table.from_pylist(rows), folder / "test-00000-of-00001.parquet")
    top = folder.parent
    assert benchmark_of(str(top)) is ppe_human
    pairs = ppe_human.load(str(top))
    assert [p.pair_id for p in pairs][-2:] == ["ppe-human-q8", "ppe-human-q1.10"]


def test_hub_id_with_loader_stubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = stub_hub(monkeypatch, _rows())
    assert benchmark_of("lmarena-ai/PPE-Human-Preference-V1@abc123") is ppe_human
    pairs = ppe_human.load("lmarena-ai/PPE-Human-Preference-V1@abc123")
    assert calls == [("lmarena-ai/PPE-Human-Preference-V1", "test", "abc123")]
    assert len(pairs) == 6
    assert pairs[0].tags is not None and pairs[0].tags["set"] == "lmarena-ai/PPE-Human-Preference-V1@abc123 split test"


def test_only_ties_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "ties.jsonl", [_row("q4", "tie", "RIGHT"), _row("q5", "tie (bothbad)", "RIGHT")])
    with pytest.raises(PairDataError, match="no row with a clear human winner"):
        ppe_human.load(str(path))


@pytest.mark.parametrize(
    "change, message",
    [
        ({"winner": "model_c"}, "row 2, field 'winner': 'model_c' is not one of 'model_a', 'model_b', 'tie', 'tie (bothbad)'"),
        ({"response_2": None}, "row 2, field 'response_2': missing"),
        ({"prompt": ["turn 1", "turn 2"]}, "row 2, field 'prompt': expected a string, got list"),
        ({"question_id": 7}, "row 2, field 'question_id': expected a string, got int"),
        ({"hard_prompt": "yes"}, "row 2, field 'hard_prompt': expected a boolean, got str"),
        ({"is_code": None}, "row 2, field 'is_code': missing"),
        ({"language": 3}, "row 2, field 'language': expected a string, got int"),
    ],
)
def test_bad_rows_name_file_row_and_field(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    path = tmp_path / "test.jsonl"
    assert bad_row_message(ppe_human.load, path, _rows()[:2], change) == f"{path}, {message}"


def _scored(pair_id: str, label: str, verdicts: tuple[Any, ...], language: str, flags: list[str]) -> Any:
    meta = {"set": "s.jsonl", "rows": 10, "ties": {"tie": 3, "tie (bothbad)": 1}, "language": language, "flags": flags}
    return SimpleNamespace(
        pair_id=pair_id,
        category=ppe_human.category_of(flags),
        label=label,
        verdicts=verdicts,
        outcome=score_pair(verdicts, label),
        record={"source": "ppe-human", "tags": meta},
    )


def test_native_accuracy_per_flag_language_and_game() -> None:
    pairs = [
        _scored("a", "A>B", ("A>B", "A>B"), "English", ["math_prompt", "hard_prompt"]),  # right both
        _scored("b", "B>A", ("B>A", "A>B"), "English", ["hard_prompt"]),  # game 1 right, game 2 wrong
        _scored("c", "A>B", ("B>A", "B>A"), "Chinese", ["is_code"]),  # wrong both
        _scored("d", "B>A", ("B>A", "A=B"), "Chinese", []),  # game 1 right, game 2 tie: correct by the pair rule
        _scored("e", "A>B", ("A>B", None), "English", ["if_prompt"]),  # right, no verdict in game 2: correct
        _scored("f", "A>B", ("B>A", "A>B"), "English", ["hard_prompt"]),  # one each: not correct
    ]
    native = ppe_human.native(pairs)
    assert native["overall"] == pytest.approx({"pairs": 6, "accuracy": 50.0, "game_1": 400 / 6, "game_2": 200 / 6})
    expected = {
        "math_prompt": {"pairs": 1, "accuracy": 100.0, "game_1": 100.0, "game_2": 100.0},
        "is_code": {"pairs": 1, "accuracy": 0.0, "game_1": 0.0, "game_2": 0.0},
        "if_prompt": {"pairs": 1, "accuracy": 100.0, "game_1": 100.0, "game_2": 0.0},
        "hard_prompt": {"pairs": 3, "accuracy": 100 / 3, "game_1": 200 / 3, "game_2": 200 / 3},
    }
    assert list(native["flags"]) == list(expected)
    for flag, values in expected.items():
        assert native["flags"][flag] == pytest.approx(values), flag
    assert list(native["languages"]) == ["English", "Chinese"]
    assert native["languages"]["Chinese"]["accuracy"] == 50.0
    assert native["categories"]["hard-prompt"]["pairs"] == 2 and native["categories"]["math"]["pairs"] == 1
    assert native["ties"] == {"not_paired": {"tie": 3, "tie (bothbad)": 1}, "rows": 10, "sets": ["s.jsonl"]}
    assert native["not_applicable"] == list(ppe_human.RANKING_METRICS)
    assert ppe_human.headline(native) == "PPE human-preference accuracy: 50.00 on 6 non-tie pairs (4 tie rows not paired)"


def test_judge_run_per_category_metrics(tmp_path: Path) -> None:
    path = _write(tmp_path / "PPE-Human-Preference-V1.jsonl", _rows())
    log, run = judged_run(path, _reply, tmp_path / "logs")
    assert log.results is not None
    metrics = log.results.scores[0].metrics
    assert {c: metrics[c].value for c in ppe_human.CATEGORIES} == pytest.approx(
        {"math": 100, "coding": 100, "instruction-following": 0, "hard-prompt": 100, "easy-prompt": 0, "other": 100}
    )
    assert metrics["pair_accuracy"].value == pytest.approx(400 / 6)
    assert log.eval.metadata and log.eval.metadata["benchmark"] == "ppe-human"
    native = ppe_human.native(run.pairs)
    assert native["overall"] == pytest.approx({"pairs": 6, "accuracy": 400 / 6, "game_1": 400 / 6, "game_2": 400 / 6})
    assert native["flags"]["hard_prompt"]["accuracy"] == pytest.approx(200 / 3)  # q1, q8 right; q3 wrong
    assert native["languages"]["Chinese"]["accuracy"] == 0.0
    assert native["ties"] == {"not_paired": {"tie": 2, "tie (bothbad)": 1}, "rows": 9, "sets": [str(path)]}
