"""The judge task end to end with scripted models: the replay of the recorded
o1-mini Arena-Hard texts through our own solver and parser, and the task options."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from inspect_ai import eval
from inspect_ai.log import EvalLog
from inspect_ai.model import ChatMessage

from judgebench.tasks import judge
from judgebench_inspect.dataset import PairDataError
from judgebench_inspect.demo.fake_server import ReplayResponder
from judgebench_inspect.judges import JudgeConfigError

from support import O1_MINI, O1_MINI_NUMBERS, PAIRS_GPT, scripted_model


def replay_model():
    responder = ReplayResponder(O1_MINI)
    return scripted_model(lambda msgs: responder([{"role": m.role, "content": m.text} for m in msgs]))


def metrics(log: EvalLog) -> dict[str, float]:
    assert log.status == "success", log.error
    assert log.results is not None
    return {k: v.value for s in log.results.scores for k, v in s.metrics.items()}


def run(tmp_path: Path, model, **task_args) -> EvalLog:
    task_args.setdefault("dataset", str(PAIRS_GPT))
    return eval(judge(**task_args), model=model, display="none", log_dir=str(tmp_path))[0]


@pytest.mark.parametrize("prompts", ["judgebench", "builtin"])
def test_replay_o1_mini_reproduces_published_numbers(tmp_path: Path, prompts: str) -> None:
    log = run(tmp_path, replay_model(), judge="arena_hard", prompts=prompts)
    m = metrics(log)
    got = {c: round(m[c], 2) for c in ("knowledge", "reasoning", "math", "coding")}
    got["overall"] = round(m["pair_accuracy"], 2)
    assert got == O1_MINI_NUMBERS
    assert m["no_verdict_rate"] == 0.0 and 0 < m["tie_rate"] < 10
    assert log.samples is not None and len(log.samples) == 350
    sample = log.samples[0]
    score = sample.scores["pair_scorer"]
    games = score.metadata["games"]
    assert [g["order"] for g in games] == [["A", "B"], ["B", "A"]]
    # the score keeps only the verdicts (Inspect holds every score until the end);
    # the full records, raw judge text included, are in the sample's store
    fields = {"game", "order", "seen", "verdict", "note", "upstream", "unreadable", "exact"}
    assert all(set(g) == fields for g in games)
    # JudgeBench's own parser reads the same verdicts from these replies
    assert all(g["upstream"] == g["verdict"] for g in games)
    assert all(g["exact"] is (prompts == "judgebench") for g in games)
    assert log.eval.metadata["prompts"]["mode"] == prompts and log.eval.metadata["split"] == "gpt"
    stored = sample.store["judgebench_games"]
    assert [g["verdict"] for g in stored] == [g["verdict"] for g in games]
    assert all(g["raw"] and "[[" in g["raw"] for g in stored)
    assert score.explanation.startswith(f"label {sample.target}; game 1, A first:")
    # both games' model calls are in the transcript, each in its own span
    spans = [e.name for e in sample.events if e.event == "span_begin"]
    assert "game 1 (A first)" in spans and "game 2 (B first)" in spans
    assert sum(e.event == "model" for e in sample.events) == 2


def test_single_game_mode(tmp_path: Path) -> None:
    m = metrics(run(tmp_path, replay_model(), games=1))
    # game 1 alone: the verdict must equal the label (re-count of the recording: 70.86)
    assert round(m["pair_accuracy"], 2) == 70.86
    assert math.isnan(m["inconsistency"])


def test_categories_limit_and_nan_for_empty_groups(tmp_path: Path) -> None:
    log = run(tmp_path, replay_model(), categories="math")
    m = metrics(log)
    assert log.samples is not None and len(log.samples) == 56
    assert round(m["math"], 2) == 82.14 and round(m["pair_accuracy"], 2) == 82.14
    assert all(math.isnan(m[c]) for c in ("knowledge", "reasoning", "coding"))
    log = eval(judge(dataset=str(PAIRS_GPT)), model=replay_model(), limit=5, display="none", log_dir=str(tmp_path))[0]
    assert log.samples is not None and len(log.samples) == 5


def test_always_first_judge_scores_zero(tmp_path: Path) -> None:
    log = run(tmp_path, scripted_model(lambda _m: "Output (a)"), judge="vanilla", categories="coding")
    m = metrics(log)
    assert m["pair_accuracy"] == 0.0 and m["inconsistency"] == 100.0 and m["position_bias"] == 100.0


def test_judge_role_is_used_when_bound(tmp_path: Path) -> None:
    default = scripted_model(lambda _m: "Output (a)")
    calls: list[int] = []

    def fair(messages: list[ChatMessage]) -> str:
        calls.append(1)
        return "Output (b)"

    log = eval(
        judge(dataset=str(PAIRS_GPT), judge="vanilla", categories="coding"),
        model=default,
        model_roles={"judge": scripted_model(fair)},
        display="none",
        log_dir=str(tmp_path),
    )[0]
    assert len(calls) == 84  # 42 pairs x 2 games, all by the judge role
    assert metrics(log)["position_bias"] == 0.0


def test_bad_options_fail_at_once() -> None:
    with pytest.raises(JudgeConfigError, match="valid judges"):
        judge(dataset=str(PAIRS_GPT), judge="nope")
    with pytest.raises(ValueError, match="games must be 1 or 2"):
        judge(dataset=str(PAIRS_GPT), games=3)
    with pytest.raises(PairDataError, match="unknown categories"):
        judge(dataset=str(PAIRS_GPT), categories="biology")
    with pytest.raises(JudgeConfigError, match="no option"):
        judge(dataset=str(PAIRS_GPT), judge="vanilla", attempts=3)
