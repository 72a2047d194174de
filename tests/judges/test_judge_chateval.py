"""ChatEval judge: who sees what under each strategy, score parsing, aggregation,
ties, per-agent model roles, and the judge task end to end with scripted referees."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Callable

import pytest
from inspect_ai import eval
from inspect_ai.model import ChatMessage

from judgebench.tasks import judge
from judgebench_inspect.judges import Game, JudgeConfigError, create_judge, judge_options
from judgebench_inspect.judges.chateval_prompts import NO_HISTORY, NO_SUMMARY, PersonaError
from judgebench_inspect.judges.chateval import ChatEvalJudge, aggregate, parse_scores

from support import PAIRS_GPT, output, scripted_model

QUESTION, FIRST, SECOND = "What is 2 + 2?", "It is 4.", "It is 5."
SCORES_1_WINS = "Assistant 1 is right.\nScore of Assistant 1: 9\nScore of Assistant 2: 2"


class Call:
    """One model call as the scripted referee saw it."""

    def __init__(self, messages: list[ChatMessage]) -> None:
        self.system = messages[0].text
        self.user = messages[1].text
        self.messages = messages
        m = re.match(r"You are (.+?), one of", self.system)
        self.speaker = m.group(1) if m else "summarizer"
        if self.speaker == "summarizer":
            self.round = int(re.search(r"\[New contributions, round (\d+)\]", self.user).group(1))  # type: ignore[union-attr]
        else:
            self.round = int(re.search(r"\(round (\d+) of \d+", self.user).group(1))  # type: ignore[union-attr]
        self.final = "the last round" in self.user
        self.retry = len(messages) > 2

    def visible(self) -> str:
        """What the caller was shown of the discussion (the prompt minus the answers and task)."""
        return self.user.split("[Task]", 1)[1]


def recording_referee(
    calls: list[Call], final: Callable[[Call], str] = lambda c: f"mark {c.speaker}-{c.round}\n{SCORES_1_WINS}"
) -> Callable[[list[ChatMessage]], str]:
    """Discussion turns say ``mark <speaker>-<round>``; summaries say ``SUMMARY-<round>``."""

    def reply(messages: list[ChatMessage]) -> str:
        call = Call(messages)
        calls.append(call)
        if call.speaker == "summarizer":
            return f"SUMMARY-{call.round}"
        if call.final:
            return final(call)
        return f"mark {call.speaker}-{call.round}"

    return reply


def play(j: ChatEvalJudge, reply: Callable[[list[ChatMessage]], str]):
    return asyncio.run(j.judge_game(Game(QUESTION, (FIRST, SECOND)), scripted_model(reply)))


def by(calls: list[Call], speaker: str, rnd: int) -> Call:
    (call,) = [c for c in calls if c.speaker == speaker and c.round == rnd and not c.retry]
    return call


# -- who sees what ---------------------------------------------------------------


def test_one_by_one_each_turn_sees_all_earlier_messages() -> None:
    calls: list[Call] = []
    result = play(ChatEvalJudge(prompts="builtin"), recording_referee(calls))
    assert [(c.speaker, c.round) for c in calls] == [
        ("General Public", 1), ("Critic", 1), ("General Public", 2), ("Critic", 2)
    ]
    assert NO_HISTORY in by(calls, "General Public", 1).visible()
    assert "mark General Public-1" in by(calls, "Critic", 1).visible()
    r2 = by(calls, "General Public", 2).visible()
    assert "mark General Public-1" in r2 and "mark Critic-1" in r2
    assert "mark General Public-2" in by(calls, "Critic", 2).visible()  # same-round final statement
    assert [c.final for c in calls] == [False, False, True, True]
    # the whole discussion is kept for the log, in speaking order
    disc = result.extra["discussion"]
    assert [(d["round"], d["speaker"], d["kind"]) for d in disc] == [
        (1, "General Public", "discussion"), (1, "Critic", "discussion"),
        (2, "General Public", "final"), (2, "Critic", "final"),
    ]
    assert disc[1]["text"] == "mark Critic-1"


def test_simultaneous_sees_only_earlier_rounds() -> None:
    calls: list[Call] = []
    play(ChatEvalJudge(prompts="builtin", strategy="simultaneous", rounds=3), recording_referee(calls))
    assert len(calls) == 6
    for speaker in ("General Public", "Critic"):
        assert NO_HISTORY in by(calls, speaker, 1).visible()
        r2 = by(calls, speaker, 2).visible()
        assert "mark General Public-1" in r2 and "mark Critic-1" in r2 and "-2" not in r2
        r3 = by(calls, speaker, 3).visible()
        assert "mark General Public-2" in r3 and "mark Critic-2" in r3 and "-3" not in r3
    assert "mark General Public-1" not in by(calls, "Critic", 1).visible()


def test_discussion_option_and_its_former_name_strategy() -> None:
    # ``discussion`` is the option; ``strategy`` (its former name) still works and plays the same game
    new_calls: list[Call] = []
    old_calls: list[Call] = []
    new = play(ChatEvalJudge(prompts="builtin", discussion="simultaneous", rounds=3), recording_referee(new_calls))
    old = play(ChatEvalJudge(prompts="builtin", strategy="simultaneous", rounds=3), recording_referee(old_calls))
    assert [(c.speaker, c.round, c.user) for c in new_calls] == [(c.speaker, c.round, c.user) for c in old_calls]
    assert new.extra == old.extra and new.extra["strategy"] == "simultaneous" and new.verdict == old.verdict
    assert ChatEvalJudge(prompts="builtin").discussion == "one_by_one"
    j = create_judge("chateval", prompts="builtin", discussion="simultaneous_summarizer")
    assert isinstance(j, ChatEvalJudge) and j.discussion == "simultaneous_summarizer"
    assert {"discussion", "strategy"} <= set(judge_options("chateval"))
    with pytest.raises(ValueError, match="give only discussion"):
        create_judge("chateval", prompts="builtin", discussion="simultaneous", strategy="simultaneous")
    with pytest.raises(ValueError, match="discussion must be one of one_by_one, simultaneous"):
        create_judge("chateval", prompts="builtin", discussion="round_robin")
    with pytest.raises(ValueError, match="discussion must be one of one_by_one, simultaneous"):
        ChatEvalJudge(prompts="builtin", discussion="round_robin")  # type: ignore[arg-type]


def test_summarizer_strategy_shows_only_summaries() -> None:
    calls: list[Call] = []
    result = play(ChatEvalJudge(prompts="builtin", strategy="simultaneous_summarizer", rounds=3), recording_referee(calls))
    summaries = [c for c in calls if c.speaker == "summarizer"]
    assert [c.round for c in summaries] == [1, 2]  # none after the final round
    # the summariser gets the round's messages and the running summary
    assert "mark General Public-1" in summaries[0].user and "mark Critic-1" in summaries[0].user
    assert "SUMMARY-1" in summaries[1].user and "mark Critic-2" in summaries[1].user
    assert "mark" not in summaries[1].user.split("[New contributions", 1)[0]
    for speaker in ("General Public", "Critic"):
        assert NO_SUMMARY in by(calls, speaker, 1).visible()
        r2, r3 = by(calls, speaker, 2).visible(), by(calls, speaker, 3).visible()
        assert "SUMMARY-1" in r2 and "mark" not in r2  # not even its own words
        assert "SUMMARY-2" in r3 and "SUMMARY-1" not in r3 and "mark" not in r3
    kinds = [(d["round"], d["kind"]) for d in result.extra["discussion"]]
    assert kinds == [(1, "discussion"), (1, "discussion"), (1, "summary"),
                     (2, "discussion"), (2, "discussion"), (2, "summary"), (3, "final"), (3, "final")]
    assert result.verdict == "A>B"


def test_one_round_is_final_statements_only() -> None:
    calls: list[Call] = []
    result = play(ChatEvalJudge(prompts="builtin", rounds=1, personas="critic,scientist"), recording_referee(calls))
    assert [(c.speaker, c.final) for c in calls] == [("Critic", True), ("Scientist", True)]
    assert "mark Critic-1" in calls[1].visible()
    assert result.verdict == "A>B"


# -- scores ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("blah\nScore of Assistant 1: 7\nScore of Assistant 2: 4", (7.0, 4.0)),
        ("**Score of Assistant 1:** 8/10\n**Score of Assistant 2:** 8.5/10", (8.0, 8.5)),
        ("score for assistant 2: 3\nSCORE OF ASSISTANT 1 = 10", (10.0, 3.0)),
        ("Score of Assistant 1: [6]\nScore of Assistant 2: [1]", (6.0, 1.0)),
        # a restated score: the last line for each assistant counts
        ("Score of Assistant 1: 2\nScore of Assistant 2: 5\nOn reflection:\nScore of Assistant 1: 6\nScore of Assistant 2: 5", (6.0, 5.0)),
    ],
)
def test_parse_scores_good(text: str, expected: tuple[float, float]) -> None:
    assert parse_scores(text) == (expected, "")


@pytest.mark.parametrize(
    "text, note",
    [
        ("Assistant 1 is better.", "no score line for Assistant 1 or 2"),
        ("Score of Assistant 1: 7", "no score line for Assistant 2"),
        ("Score of Assistant 1: 0\nScore of Assistant 2: 5", "score outside 1-10 (Assistant 1: 0)"),
        ("Score of Assistant 1: 7\nScore of Assistant 2: 11", "score outside 1-10 (Assistant 2: 11)"),
        ("Score of Assistant 1: <number from 1 to 10>\nScore of Assistant 2: <number from 1 to 10>",
         "no score line for Assistant 1 or 2"),
        ("The score of assistant 1 is high and assistant 2 is low", "no score line for Assistant 1 or 2"),
    ],
)
def test_parse_scores_malformed(text: str, note: str) -> None:
    assert parse_scores(text) == (None, note)


def test_aggregation_average_vs_majority() -> None:
    scores = [(10.0, 1.0), (4.0, 5.0), (4.0, 5.0)]
    verdict, fig = aggregate(scores, "average")
    assert verdict == "A>B" and fig["mean_assistant_1"] == 6.0 and fig["mean_assistant_2"] == round(11 / 3, 6)
    verdict, fig = aggregate(scores, "majority")
    assert verdict == "B>A" and (fig["votes_assistant_1"], fig["votes_assistant_2"]) == (1, 2)


def test_aggregation_ties_and_nothing() -> None:
    assert aggregate([(7.0, 5.0), (5.0, 7.0)], "average")[0] == "A=B"
    assert aggregate([(9.0, 1.0), (4.0, 5.0)], "majority")[0] == "A=B"  # one vote each
    assert aggregate([(6.0, 6.0), (3.0, 3.0)], "majority")[0] == "A=B"  # nobody prefers one
    assert aggregate([(6.0, 6.0)], "average")[0] == "A=B"
    assert aggregate([], "average") == (None, {"aggregation": "average", "counted": 0})
    assert aggregate([], "majority")[0] is None
    with pytest.raises(ValueError, match="aggregation"):
        aggregate([(1.0, 2.0)], "median")


def test_judge_majority_differs_from_average() -> None:
    finals = {"General Public": "Score of Assistant 1: 10\nScore of Assistant 2: 1",
              "Critic": "Score of Assistant 1: 4\nScore of Assistant 2: 5",
              "Scientist": "Score of Assistant 1: 4\nScore of Assistant 2: 5"}
    reply = recording_referee([], final=lambda c: finals[c.speaker])
    assert play(ChatEvalJudge(prompts="builtin", agents=3), reply).verdict == "A>B"
    assert play(ChatEvalJudge(prompts="builtin", agents=3, aggregation="majority"), reply).verdict == "B>A"


def test_malformed_referee_is_asked_again_then_left_out() -> None:
    calls: list[Call] = []

    def final(c: Call) -> str:
        if c.speaker == "Critic":
            return "I refuse to give numbers."  # never readable
        if c.retry:
            return "Score of Assistant 1: 3\nScore of Assistant 2: 8"
        return "Assistant 2 is better, clearly."  # readable only when asked again

    result = play(ChatEvalJudge(prompts="builtin"), recording_referee(calls, final))
    retries = [c for c in calls if c.retry]
    assert sorted(c.speaker for c in retries) == ["Critic", "General Public"]
    assert all(c.messages[-1].role == "user" and "Score of Assistant 1" in c.messages[-1].text for c in retries)
    assert result.verdict == "B>A"  # from General Public alone
    assert result.extra["aggregation"]["counted"] == 1
    scores = {s["speaker"]: s for s in result.extra["scores"]}
    assert (scores["General Public"]["assistant_1"], scores["General Public"]["assistant_2"]) == (3.0, 8.0)
    assert scores["Critic"]["assistant_1"] is None and "no score line" in scores["Critic"]["note"]
    assert "Critic: no score line for Assistant 1 or 2; left out" in result.note
    gp_final = [d for d in result.extra["discussion"] if d["speaker"] == "General Public" and d["kind"] == "final"][0]
    assert "Assistant 2 is better" in gp_final["text"] and "Score of Assistant 1: 3" in gp_final["text"]
    assert "asked again" in gp_final["note"]
    assert "Critic: no scores" in result.raw and "General Public: Assistant 1 3, Assistant 2 8" in result.raw


def test_no_readable_scores_is_no_verdict_and_attempts_one_means_no_retry() -> None:
    calls: list[Call] = []
    result = play(ChatEvalJudge(prompts="builtin", attempts=1), recording_referee(calls, final=lambda c: "no numbers"))
    assert result.verdict is None
    assert result.note.startswith("no referee gave readable scores")
    assert not any(c.retry for c in calls) and len(calls) == 4
    assert "verdict: none" in result.raw


def test_cut_off_final_statement_is_asked_again() -> None:
    def reply(messages: list[ChatMessage]):
        call = Call(messages)
        if call.final and not call.retry:
            return output("A long explanation that never ends", stop_reason="max_tokens")
        return "Score of Assistant 1: 5\nScore of Assistant 2: 6" if call.final else "hmm"

    result = play(ChatEvalJudge(prompts="builtin"), reply)
    assert result.verdict == "B>A"
    finals = [d for d in result.extra["discussion"] if d["kind"] == "final"]
    assert all("cut off" in d["note"] and "asked again" in d["note"] for d in finals)


def test_equal_scores_are_a_tie() -> None:
    reply = recording_referee([], final=lambda c: "Score of Assistant 1: 7\nScore of Assistant 2: 7")
    assert play(ChatEvalJudge(prompts="builtin"), reply).verdict == "A=B"
    assert play(ChatEvalJudge(prompts="builtin", aggregation="majority"), reply).verdict == "A=B"


def test_raw_renders_final_statements_and_scores() -> None:
    result = play(ChatEvalJudge(prompts="builtin"), recording_referee([]))
    assert "## General Public (agent 1), final statement\nmark General Public-2" in result.raw
    assert "average over 2: Assistant 1 9, Assistant 2 2" in result.raw
    assert result.raw.endswith("verdict: A>B")
    assert len(result.messages) == 4 * 3  # system, user, reply per turn
    json.dumps(result.extra)  # the store needs plain data


# -- options -----------------------------------------------------------------------


def test_personas_and_agents_options(tmp_path: Path) -> None:
    names = lambda j: [p.name for p in j.personas]  # noqa: E731
    assert names(ChatEvalJudge(prompts="builtin")) == ["General Public", "Critic"]
    assert names(ChatEvalJudge(prompts="builtin", agents=3)) == ["General Public", "Critic", "Scientist"]
    assert names(ChatEvalJudge(prompts="builtin", personas=["scientist", "General Public"])) == ["Scientist", "General Public"]
    assert names(ChatEvalJudge(prompts="builtin", personas="critic, news-author")) == ["Critic", "News Author"]
    assert names(ChatEvalJudge(prompts="builtin", personas=["critic", "critic"])) == ["Critic 1", "Critic 2"]
    custom = ChatEvalJudge(prompts="builtin", personas={"Chemist": "You know chemistry.", "critic": None})
    assert [(p.name, p.role) for p in custom.personas] == [("Chemist", "agent1"), ("Critic", "agent2")]
    assert custom.personas[0].description == "You know chemistry."
    (tmp_path / "p.json").write_text(json.dumps({"Logician": "You check every inference."}))
    (tmp_path / "p.yaml").write_text("- psychologist\n- scientist\n")
    assert names(ChatEvalJudge(prompts="builtin", personas=str(tmp_path / "p.json"))) == ["Logician"]
    assert names(ChatEvalJudge(prompts="builtin", personas=str(tmp_path / "p.yaml"))) == ["Psychologist", "Scientist"]
    with pytest.raises(PersonaError, match="unknown persona 'judge'"):
        ChatEvalJudge(prompts="builtin", personas=["critic", "judge"])
    with pytest.raises(PersonaError, match="agents=3 but 2 personas"):
        ChatEvalJudge(prompts="builtin", agents=3, personas=["critic", "scientist"])
    with pytest.raises(PersonaError, match="only 5 built-in personas"):
        ChatEvalJudge(prompts="builtin", agents=6)
    with pytest.raises(PersonaError, match="at least 1"):
        ChatEvalJudge(prompts="builtin", agents=0)
    with pytest.raises(PersonaError, match="no description and is not built in"):
        ChatEvalJudge(prompts="builtin", personas={"Chemist": ""})
    with pytest.raises(PersonaError, match="does not exist"):
        ChatEvalJudge(prompts="builtin", personas=str(tmp_path / "missing.yaml"))


def test_bad_options_fail_fast() -> None:
    with pytest.raises(ValueError, match="strategy must be one of one_by_one, simultaneous"):
        create_judge("chateval", prompts="builtin", strategy="round_robin")
    with pytest.raises(ValueError, match="aggregation must be one of average, majority"):
        create_judge("chateval", prompts="builtin", aggregation="vote")
    with pytest.raises(ValueError, match="rounds"):
        create_judge("chateval", prompts="builtin", rounds=0)
    with pytest.raises(ValueError, match="attempts"):
        create_judge("chateval", prompts="builtin", attempts=0)
    with pytest.raises(JudgeConfigError, match="has no option"):
        create_judge("chateval", prompts="builtin", referees=3)
    j = create_judge("chateval", prompts="builtin", agents=2, rounds=3, strategy="simultaneous", aggregation="majority", max_tokens=256)
    assert isinstance(j, ChatEvalJudge) and j.config.max_tokens == 256 and j.default_games == 2


# -- model roles and the task end to end ---------------------------------------------


def test_model_roles_bind_each_referee_and_the_summarizer(tmp_path: Path) -> None:
    seen: dict[str, list[Call]] = {"default": [], "agent1": [], "agent2": [], "summarizer": []}
    models = {k: scripted_model(recording_referee(v)) for k, v in seen.items()}
    log = eval(
        judge(dataset=str(PAIRS_GPT), judge="chateval", prompts="builtin", strategy="simultaneous_summarizer", rounds=2),
        model=models["default"],
        model_roles={"agent1": models["agent1"], "agent2": models["agent2"], "summarizer": models["summarizer"]},
        limit=1,
        display="none",
        log_dir=str(tmp_path),
    )[0]
    assert log.status == "success", log.error
    assert seen["default"] == []
    assert {c.speaker for c in seen["agent1"]} == {"General Public"} and len(seen["agent1"]) == 4
    assert {c.speaker for c in seen["agent2"]} == {"Critic"} and len(seen["agent2"]) == 4
    assert {c.speaker for c in seen["summarizer"]} == {"summarizer"} and len(seen["summarizer"]) == 2


def correct_response_referee(pairs: list[dict]) -> Callable[[list[ChatMessage]], str]:
    """A referee that knows which response of each pair is correct, and scores accordingly."""
    correct = {p["response_A"] if p["label"] == "A>B" else p["response_B"] for p in pairs}

    def reply(messages: list[ChatMessage]) -> str:
        call = Call(messages)
        if not call.final:
            return f"mark {call.speaker}-{call.round}"
        first = call.user.split("[Start of Assistant 1's answer]\n", 1)[1].split("\n[End of Assistant 1's answer]", 1)[0]
        return "Score of Assistant 1: 9\nScore of Assistant 2: 3" if first in correct else "Score of Assistant 1: 2\nScore of Assistant 2: 8"

    return reply


def test_end_to_end_eval_over_pairs(tmp_path: Path) -> None:
    pairs = [json.loads(line) for line in PAIRS_GPT.read_text().splitlines()]  # whichever 4 come first
    log = eval(
        judge(dataset=str(PAIRS_GPT), judge="chateval", prompts="builtin"),
        model=scripted_model(correct_response_referee(pairs)),
        limit=4,
        display="none",
        log_dir=str(tmp_path),
    )[0]
    assert log.status == "success", log.error
    assert log.results is not None
    metrics = {k: v.value for s in log.results.scores for k, v in s.metrics.items()}
    assert metrics["pair_accuracy"] == 100.0 and metrics["tie_rate"] == 0.0
    assert log.samples is not None and len(log.samples) == 4
    sample = log.samples[0]
    games = sample.store["judgebench_games"]
    assert [g["order"] for g in games] == [["A", "B"], ["B", "A"]]
    assert [g["verdict"] for g in sample.scores["pair_scorer"].metadata["games"]] == [g["verdict"] for g in games]
    for g in games:
        assert g["seen"] is not None and g["verdict"] == sample.target
        assert [d["speaker"] for d in g["extra"]["discussion"]] == ["General Public", "Critic"] * 2
        assert len(g["extra"]["scores"]) == 2 and "## Scores" in g["raw"]
    # each referee turn is its own span in the viewer, under its game
    spans = [e.name for e in sample.events if e.event == "span_begin"]
    for name in ("round 1 / General Public", "round 1 / Critic", "round 2 / General Public", "round 2 / Critic"):
        assert spans.count(name) == 2, name
    assert sum(e.event == "model" for e in sample.events) == 8
