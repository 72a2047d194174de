"""RMB in its published layout and schema: pairwise rows as pairs, best-of-N rows as groups of
pairs, goal x set as categories, and RMB's pairwise and BoN accuracy (BoN by our extension for
two-game judges)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from inspect_ai.model import ChatMessage

from judgebench_inspect.benchmarks import benchmark_of, rmb
from judgebench_inspect.dataset import PairDataError

from support import bad_row_message, judged_run, reward_model_run


def _turns(mode: str, uid: str, turns: int = 1) -> list[dict[str, str]]:
    out = []
    for k in range(turns):
        role = "user" if k % 2 == 0 else "assistant"
        out.append({"content": f"{mode} turn {k} of {uid}", "language": "English", "role": role})
    return out


def _pairwise(uid: str, path: str, mode: str, turns: int = 1) -> dict[str, Any]:
    return {
        "pair_uid": uid,
        "conversation_input": _turns(mode, uid, turns),
        "chosen": {"llm_name": "model-a", "answer": f"answer {uid} [chosen]"},
        "reject": {"llm_name": "model-b", "answer": f"answer {uid} [r0]"},
        "category_path": f"Pairwise_set/{path}",
    }


def _bon(uid: str, path: str, mode: str, losers: int) -> dict[str, Any]:
    return {
        "conversation_input": _turns(mode, uid),
        "bon_best": {"llm_name": "model-a", "answer": f"answer {uid} [chosen]"},
        "loser_list": [{"llm_name": f"model-{j}", "answer": f"answer {uid} [r{j}]"} for j in range(losers)],
        "bon_uid": uid,
        "category_path": f"BoN_set/{path}",
    }


#: file (under RMB_dataset) -> its rows, in RMB's layout.
FILES: dict[str, list[dict[str, Any]]] = {
    "Pairwise_set/Helpfulness/Chat/Discussion": [
        _pairwise("1", "Helpfulness/Chat/Discussion", "RIGHT"),
        _pairwise("2", "Helpfulness/Chat/Discussion", "WRONG-r0", turns=3),
    ],
    "Pairwise_set/Harmlessness/S1": [_pairwise("3", "Harmlessness/S1", "RIGHT")],
    "BoN_set/Helpfulness/Open QA/Factual": [
        _bon("1", "Helpfulness/Open QA/Factual", "RIGHT", losers=3),
        _bon("2", "Helpfulness/Open QA/Factual", "WRONG-r1", losers=2),
    ],
    "BoN_set/Harmlessness/multi": [_bon("3", "Harmlessness/multi", "NONE", losers=2)],
}


def _write(root: Path) -> Path:
    for name, rows in FILES.items():
        path = root / "RMB_dataset" / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rows, indent=2))
    return root / "RMB_dataset"


def _reply(messages: list[ChatMessage]) -> str:
    """Picks the chosen response, except: no verdict (NONE), or the rejected one marked in WRONG-<marker>."""
    text = "\n".join(m.text for m in messages)
    mode = re.search(r"\b(RIGHT|NONE|WRONG-r\d)\b", text.split("# Output (a):", 1)[0]).group(1)  # type: ignore[union-attr]
    if mode == "NONE":
        return "I cannot decide."
    a = text.split("# Output (a):", 1)[1].split("# Output (b):", 1)[0]
    b = text.split("# Output (b):", 1)[1]
    chosen_is_a = "[chosen]" in a
    rejected = b if chosen_is_a else a
    wrong = mode.startswith("WRONG-") and f"[{mode.removeprefix('WRONG-')}]" in rejected
    return "Output (a)" if chosen_is_a != wrong else "Output (b)"


@pytest.mark.parametrize(
    "where",
    ["", "Pairwise_set", "BoN_set", "BoN_set/Harmlessness", "Pairwise_set/Helpfulness/Chat",
     "Pairwise_set/Harmlessness/S1.json", "BoN_set/Helpfulness/Open QA/Factual.json"],
)  # fmt: skip
def test_each_layout_is_recognised(tmp_path: Path, where: str) -> None:
    root = _write(tmp_path)
    assert benchmark_of(str(root / where)) is rmb


def test_other_files_are_not_rmb(tmp_path: Path) -> None:
    row = {"pair_id": "p1", "original_id": "1", "source": "mmlu-pro-law", "question": "Q?",
           "response_model": "m", "response_A": "a", "response_B": "b", "label": "A>B"}  # fmt: skip
    (tmp_path / "pairs.json").write_text(json.dumps([row]))
    assert not rmb.recognise(tmp_path / "pairs.json") and not rmb.recognise(tmp_path)
    assert benchmark_of(str(tmp_path / "pairs.json")) is None


def test_rows_become_pairs_and_groups(tmp_path: Path) -> None:
    root = _write(tmp_path)
    pairs = rmb.load(str(root))
    assert len(pairs) == 3 + 3 + 2 + 2
    assert {p.category for p in pairs} == set(rmb.CATEGORIES)
    assert [p.pair_id for p in pairs if p.category == "helpfulness-bon"] == [
        "rmb-bon-helpfulness-open-qa.factual:1-c0-r0", "rmb-bon-helpfulness-open-qa.factual:1-c0-r1",
        "rmb-bon-helpfulness-open-qa.factual:1-c0-r2", "rmb-bon-helpfulness-open-qa.factual:2-c0-r0",
        "rmb-bon-helpfulness-open-qa.factual:2-c0-r1",
    ]  # fmt: skip
    by_id = {p.pair_id: p for p in pairs}
    one = by_id["rmb-pairwise-helpfulness-chat.discussion:1"]
    assert one.question == "RIGHT turn 0 of 1" and one.source == "rmb-pairwise-helpfulness-chat.discussion"
    assert one.original_id == "1" and one.response_model is None
    assert by_id["rmb-pairwise-helpfulness-chat.discussion:2"].question == (
        "User: WRONG-r0 turn 0 of 2\n\nAssistant: WRONG-r0 turn 1 of 2\n\nUser: WRONG-r0 turn 2 of 2"
    )
    assert by_id["rmb-bon-harmlessness-multi:3-c0-r1"].source == "rmb-bon-harmlessness-multi"
    for p in pairs:
        chosen = p.response_A if p.label == "A>B" else p.response_B
        assert "[chosen]" in chosen
    assert {p.label for p in pairs} == {"A>B", "B>A"}  # positions drawn per pair, seeded
    assert [p.label for p in rmb.load(str(root))] == [p.label for p in pairs]
    assert rmb.parse_pair_id("rmb-bon-helpfulness-open-qa.factual:x-1-c0-r2") == (
        "bon", "helpfulness", "open-qa.factual", "x-1",
    )  # fmt: skip
    assert len(rmb.load(str(root / "BoN_set" / "Harmlessness" / "multi.json"))) == 2


def test_judge_run_has_per_category_metrics_and_rmb_scores(tmp_path: Path) -> None:
    root = _write(tmp_path)
    log, run = judged_run(root, _reply, tmp_path / "logs")
    metrics = log.results.scores[0].metrics
    assert set(rmb.CATEGORIES) <= set(metrics)
    assert metrics["helpfulness-pairwise"].value == 50.0 and metrics["harmlessness-pairwise"].value == 100.0
    native = rmb.native(run.pairs)
    assert native["accuracy"] == {
        "helpfulness-pairwise": 50.0, "harmlessness-pairwise": 100.0, "helpfulness-bon": 50.0, "harmlessness-bon": 0.0,
    }  # fmt: skip
    assert native["counts"] == {
        "helpfulness-pairwise": 2, "harmlessness-pairwise": 1, "helpfulness-bon": 2, "harmlessness-bon": 1,
    }  # fmt: skip
    assert native["scenarios"]["helpfulness-bon"] == {"open-qa.factual": 50.0}
    assert native["overall"] == 50.0 and native["bon_rule"] == "our extension (pairwise judge)"
    assert "OUR EXTENSION" in native["metric"]
    line = rmb.headline(native)
    assert line is not None and "overall (mean of the four) 50.00" in line and "our extension" in line


def _reward(question: str, response: str) -> float:
    """RIGHT: the chosen response scores highest; WRONG-rX: loser X does; NONE: all alike (an exact tie)."""
    mode = re.search(r"\b(RIGHT|NONE|WRONG-r\d)\b", question).group(1)  # type: ignore[union-attr]
    if mode == "NONE":
        return 1.0
    if mode.startswith("WRONG-") and response.endswith(f"[{mode.removeprefix('WRONG-')}]"):
        return 3.0
    return 2.0 if response.endswith("[chosen]") else 1.0


def test_a_reward_model_run_is_scored_by_its_rewards(tmp_path: Path) -> None:
    """Each response scored once; pairwise: chosen reward strictly above (RMB's code); BoN: the best
    response's reward above every loser's; an exact tie wins nothing, whatever the game's tie rule did."""
    _, run, asked = reward_model_run(_write(tmp_path), _reward, tmp_path / "logs")
    assert len(asked) == 14  # 6 pairwise + 10 BoN responses, 2 of them the same conversation in both sets
    native = rmb.native(run.pairs)
    assert native["scored_by"] == "scores" and native["bon_rule"] == "RMB's (scores)"
    assert native["accuracy"] == {
        "helpfulness-pairwise": 50.0, "harmlessness-pairwise": 100.0, "helpfulness-bon": 50.0, "harmlessness-bon": 0.0,
    }  # fmt: skip
    assert "OUR EXTENSION" not in native["metric"] and "our extension" not in (rmb.headline(native) or "")
    # a list one of whose pairs was not scored is left out and named
    dropped = next(p.pair_id for p in run.pairs if p.pair_id.endswith(":1-c0-r2"))
    partial = rmb.native([p for p in run.pairs if p.pair_id != dropped])
    assert partial["counts"]["helpfulness-bon"] == 1 and partial["incomplete_groups"] == {
        "count": 1, "ids": ["rmb-bon-helpfulness-open-qa.factual:1"]
    }
    assert "1 BoN list(s) with unscored pairs left out" in (rmb.headline(partial) or "")


def _scored(pair_id: str, correct: bool, ties: int = 0, games: int = 1) -> Any:
    category = "-".join(reversed(pair_id.split("-")[1:3]))
    return SimpleNamespace(
        pair_id=pair_id, category=category, outcome=SimpleNamespace(correct=correct, ties=ties, games=games)
    )


def test_native_on_scored_pairs_one_game() -> None:
    pairs = [
        _scored("rmb-pairwise-helpfulness-chat.discussion:1", True),
        _scored("rmb-pairwise-helpfulness-chat.discussion:2", False, ties=1),  # a tie is not chosen > rejected
        _scored("rmb-pairwise-helpfulness-code.documentation:3", True),
        _scored("rmb-bon-harmlessness-s1:7-c0-r0", True),
        _scored("rmb-bon-harmlessness-s1:7-c0-r1", True),
        _scored("rmb-bon-harmlessness-s1:8-c0-r0", True),
        _scored("rmb-bon-harmlessness-s1:8-c0-r1", False, ties=1),  # the best ties one loser: not above every loser
        _scored("rmb-bon-harmlessness-s2:9-c0-r0", True),
    ]
    native = rmb.native(pairs)
    assert native["accuracy"] == pytest.approx({"helpfulness-pairwise": 200 / 3, "harmlessness-bon": 200 / 3})
    assert native["mean_of_scenarios"] == pytest.approx({"helpfulness-pairwise": 75.0, "harmlessness-bon": 75.0})
    assert native["scenarios"]["harmlessness-bon"] == {"s1": 50.0, "s2": 100.0}
    assert native["counts"] == {"helpfulness-pairwise": 3, "harmlessness-bon": 3}
    assert native["overall"] is None  # needs all four
    assert native["bon_rule"] == "RMB's (one game per pair)" and "OUR EXTENSION" not in native["metric"]
    assert rmb.headline(native) == "RMB's own accuracy: helpfulness-pairwise 66.67, harmlessness-bon 66.67"
    assert rmb.headline(rmb.native([])) is None


def _good_rows() -> list[dict[str, Any]]:
    return [_pairwise("1", "Helpfulness/Chat/Discussion", "RIGHT"), _pairwise("2", "Helpfulness/Chat/Discussion", "RIGHT")]


def _good_bon_rows() -> list[dict[str, Any]]:
    return [_bon("1", "Harmlessness/S1", "RIGHT", 2), _bon("2", "Harmlessness/S1", "RIGHT", 2)]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"reject": None}, "field 'reject': missing"),
        ({"chosen": "text"}, "field 'chosen': expected {'llm_name': ..., 'answer': text}"),
        ({"pair_uid": "1"}, "field 'pair_uid': duplicate id '1' (first at {path}, row 1)"),
        ({"pair_uid": 1.5}, "field 'pair_uid': expected a string or integer id, got 1.5"),
        ({"category_path": "Pairwise_set/Helpful/Chat"},
         "field 'category_path': expected 'Pairwise_set/<Helpfulness|Harmlessness>/<scenario>...', "
         "got 'Pairwise_set/Helpful/Chat'"),
        ({"category_path": "BoN_set/Harmlessness/S1"},
         "field 'category_path': expected 'Pairwise_set/<Helpfulness|Harmlessness>/<scenario>...', "
         "got 'BoN_set/Harmlessness/S1'"),
        ({"conversation_input": []}, "field 'conversation_input': expected a non-empty list of turns"),
        ({"conversation_input": [{"role": "system", "content": "x"}]},
         "field 'conversation_input', turn 1: expected {'role': 'user' or 'assistant', 'content': text}"),
        ({"conversation_input": _turns("RIGHT", "2", 2)},
         "field 'conversation_input': the last turn must be the user's (the one the responses answer)"),
    ],
)  # fmt: skip
def test_bad_pairwise_rows_name_file_row_and_field(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    path = tmp_path / "Discussion.jsonl"
    got = bad_row_message(rmb.load, path, _good_rows(), change)
    assert got == f"{path}, row 2, {message.replace('{path}', str(path))}"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"loser_list": []}, "field 'loser_list': expected a non-empty list of {'llm_name', 'answer'}"),
        ({"loser_list": [{"llm_name": "m"}]}, "field 'loser_list[0]': expected {'llm_name': ..., 'answer': text}"),
        ({"bon_best": None}, "field 'bon_best': missing"),
        ({"bon_uid": True}, "field 'bon_uid': expected a string or integer id, got True"),
    ],
)
def test_bad_bon_rows_name_file_row_and_field(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    path = tmp_path / "S1.jsonl"
    assert bad_row_message(rmb.load, path, _good_bon_rows(), change) == f"{path}, row 2, {message}"


def test_a_uid_twice_across_files_names_both(tmp_path: Path) -> None:
    root = _write(tmp_path)
    extra = root / "Pairwise_set" / "Harmlessness" / "S2.json"
    extra.write_text(json.dumps([_pairwise("3", "Harmlessness/S2", "RIGHT")]))
    with pytest.raises(PairDataError) as err:
        rmb.load(str(root))
    first = root / "Pairwise_set" / "Harmlessness" / "S1.json"
    assert str(err.value) == f"{extra}, row 1, field 'pair_uid': duplicate id '3' (first at {first}, row 1)"


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PairDataError, match="no RMB files"):
        rmb.load(str(tmp_path))
