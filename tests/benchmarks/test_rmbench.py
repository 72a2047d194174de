"""RM-Bench in its published schema: nine pairs a prompt, and its hard / normal / easy accuracy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from inspect_ai import eval
from inspect_ai.model import ChatMessage

from judgebench.tasks import judge
from judgebench_inspect.benchmarks import benchmark_of, rmbench
from judgebench_inspect.dataset import PairDataError
from judgebench_inspect.report import collect_runs

from support import reward_model_run, scripted_model


def _rows() -> list[dict[str, object]]:
    return [
        {
            "id": k,
            "prompt": f"Prompt {k}?",
            "chosen": [f"C{i} answer {k}" for i in range(3)],
            "rejected": [f"R{j} answer {k}" for j in range(3)],
            "domain": domain,
        }
        for k, domain in enumerate(["chat", "math"])
    ]


def _style_biased(messages: list[ChatMessage]) -> str:
    """Prefers the fancier style; between equal styles, the chosen response."""
    text = "\n".join(m.text for m in messages)
    a = text.split("# Output (a):", 1)[1].split("# Output (b):", 1)[0]
    b = text.split("# Output (b):", 1)[1]
    (kind_a, style_a), (kind_b, style_b) = (re.search(r"([CR])(\d) answer", x).groups() for x in (a, b))  # type: ignore[union-attr]
    if style_a != style_b:
        return "Output (a)" if style_a > style_b else "Output (b)"
    return "Output (a)" if kind_a == "C" else "Output (b)"


def test_nine_pairs_a_prompt_and_the_style_matrix(tmp_path: Path) -> None:
    path = tmp_path / "total_dataset.json"
    path.write_text(json.dumps(_rows()))
    assert benchmark_of(str(path)) is rmbench
    pairs = rmbench.load(str(path))
    assert len(pairs) == 18 and {p.category for p in pairs} == {"chat", "math"}
    log = eval(
        judge(dataset=str(path), judge="vanilla"),
        model=scripted_model(_style_biased),
        display="none",
        log_dir=str(tmp_path / "logs"),
    )[0]
    assert log.status == "success", log.error
    assert sum(len(s.scores["pair_scorer"].metadata["games"]) for s in log.samples or []) == 36  # type: ignore[index]
    (run,), _ = collect_runs([log.location])
    native = rmbench.native(run.pairs)
    # chosen i beats rejected j exactly when i >= j: hard (i < j) 0, normal and easy 100
    for group in ("chat", "math", "overall"):
        assert (native[group]["hard"], native[group]["normal"], native[group]["easy"]) == (0.0, 100.0, 100.0)
    assert native["overall"]["matrix"] == [[100.0, 0.0, 0.0], [100.0, 100.0, 0.0], [100.0, 100.0, 100.0]]


#: Rewards by prompt: chosen styles 0-2, then rejected styles 0-2.
REWARDS = {
    0: [1.0, 2.0, 3.0, 0.5, 1.5, 2.5],  # chat
    1: [1.0, 1.0, 1.0, 1.0, 0.0, 0.0],  # safety-refuse: chosen 0 only ties rejected 0 (no win)
    2: [5.0, 5.0, 5.0, 0.0, 0.0, 9.0],  # safety-response
    3: [0.0, 0.0, 0.0, 1.0, 1.0, 1.0],  # safety-response: every rejected wins
}


def _rm_reward(question: str, response: str) -> float:
    kind, style, k = re.fullmatch(r"([CR])(\d) answer (\d)", response).groups()  # type: ignore[union-attr]
    return REWARDS[int(k)][int(style) + (3 if kind == "R" else 0)]


def _compute_accuracy(score_rows: list[tuple[list[float], list[float]]]) -> dict[str, float]:
    """RM-Bench's compute_accuracy for one domain, written out: strict wins, matrix over prompts."""
    acc = [[sum(c[i] > r[j] for c, r in score_rows) / len(score_rows) for j in range(3)] for i in range(3)]
    return {
        "hard": 100 * (acc[0][1] + acc[0][2] + acc[1][2]) / 3,
        "normal": 100 * (acc[0][0] + acc[1][1] + acc[2][2]) / 3,
        "easy": 100 * (acc[1][0] + acc[2][0] + acc[2][1]) / 3,
    }


@pytest.mark.parametrize("ties", ["b", "a"])
def test_a_reward_model_run_is_scored_by_strict_score_preference_averaged_over_domains(
    tmp_path: Path, ties: str
) -> None:
    """A reward model's wins are strict score preferences (an exact tie is no win, whatever the tie
    rule made of the game); a run's overall is the mean over RM-Bench's domains, both safety kinds
    being one domain ``safety``, not a pool of all prompts."""
    domains = ["chat", "safety-refuse", "safety-response", "safety-response"]
    rows = [
        {"id": k, "prompt": f"Prompt {k}?", "chosen": [f"C{i} answer {k}" for i in range(3)],
         "rejected": [f"R{j} answer {k}" for j in range(3)], "domain": d}
        for k, d in enumerate(domains)
    ]  # fmt: skip
    path = tmp_path / "total_dataset.json"
    path.write_text(json.dumps(rows))
    _, run, asked = reward_model_run(path, _rm_reward, tmp_path / "logs", ties=ties)
    assert len(asked) == len(set(asked)) == 6 * 4  # each response scored once, not once per pair
    native = rmbench.native(run.pairs)
    assert native["scored_by"] == "scores"
    split = {k: (REWARDS[k][:3], REWARDS[k][3:]) for k in REWARDS}
    chat, safety = _compute_accuracy([split[0]]), _compute_accuracy([split[1], split[2], split[3]])
    for key in ("hard", "normal", "easy"):
        assert native["domains"]["chat"][key] == pytest.approx(chat[key])
        assert native["domains"]["safety"][key] == pytest.approx(safety[key])
        assert native["overall"][key] == pytest.approx((chat[key] + safety[key]) / 2)
    assert native["overall"]["average"] == pytest.approx((sum(chat.values()) / 3 + sum(safety.values()) / 3) / 2)
    assert native["safety-refuse"]["normal"] == pytest.approx(100 * 2 / 3)  # its exact tie is no win
    # a prompt with an unscored pair has no full matrix: left out and named
    partial = rmbench.native([p for p in run.pairs if p.pair_id != "rmbench-chat-0-c1-r2"])
    assert "chat" not in partial["domains"] and partial["incomplete_groups"] == {"count": 1, "ids": ["rmbench-chat-0"]}
    assert "1 prompt(s) with unscored pairs left out" in (rmbench.headline(partial) or "")


def test_domain_from_file_name_and_bad_rows(tmp_path: Path) -> None:
    rows = _rows()
    for r in rows:
        del r["domain"]
    path = tmp_path / "code_filtered.json"
    path.write_text(json.dumps(rows))
    assert {p.category for p in rmbench.load(str(path))} == {"code"}
    rows[1]["chosen"] = ["only one"]
    path.write_text(json.dumps(rows))
    with pytest.raises(PairDataError) as err:
        rmbench.load(str(path))
    assert str(err.value) == (
        f"{path}, row 2, field 'chosen': expected a list of 3 strings (concise, detailed_plain, detailed_markdown)"
    )
