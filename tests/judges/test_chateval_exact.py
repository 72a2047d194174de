"""ChatEval with its authors' own requests (prompts=judgebench).

The mechanism (pinned file, hash check, local copy, refusal, offline error)
and the request layout are tested with a stand-in config this test writes: the
same YAML structure as ChatEval's, in our own words, its hash patched in. The
test against ChatEval's real config runs only where a copy of the pinned file
is available (``$CHATEVAL_PROMPTS_DIR``, or ``../shared/data/chateval/upstream``
which conftest points it to); it is skipped otherwise.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from inspect_ai import eval
from inspect_ai.model import ChatMessage, get_model

from judgebench.tasks import judge
from judgebench_inspect.judges import Game, PromptsUnavailable, create_judge
from judgebench_inspect.judges import chateval_upstream as ce
from judgebench_inspect.judges.chateval import ChatEvalJudge
from judgebench_inspect.report.readers import read_inspect_log
from judgebench_inspect.report.summary import requests_not_judgebench

from support import PAIRS_GPT, scripted_model, served_folder

QUESTION, FIRST, SECOND = "Which is bigger, 3 or 7?", "7 is bigger.", "3 is bigger."

# A stand-in with ChatEval's structure (our own words): a shared template with
# ChatEval's placeholders, two agents, sequential order, four turns.
STAND_IN_TEMPLATE = (
    "<Q>\n${source_text}\n<first>\n${compared_text_one}\n</first>\n<second>\n${compared_text_two}\n</second>\n"
    "Rate both from 1 to 10. Cost: $5 stays as it is.\n\n${role_description}\n\nSpeak now, ${agent_name}.\n\n${final_prompt}"
)
STAND_IN_FINAL = "Close with:\nThe score of Assistant 1: [n]\nThe score of Assistant 2: [n]"
STAND_IN_AGENTS = [("General Public", "You stand for an ordinary reader."), ("Critic", "You doubt everything.")]


def stand_in_yaml(max_turns: int = 4, order: str = "sequential") -> str:
    def agent(name: str, role: str) -> dict[str, Any]:
        return {
            "agent_type": "llm_eval_multi",
            "name": name,
            "final_prompt_to_use": STAND_IN_FINAL,
            "role_description": role,
            "memory": {"memory_type": "chat_history"},
            "memory_manipulator": {"memory_manipulator_type": "basic"},
            "prompt_template": STAND_IN_TEMPLATE,
            "llm": {"model": "some-model", "llm_type": "some-model", "temperature": 0, "max_tokens": 321},
        }

    data = {
        "task": "llmeval",
        "prompts": {"prompt": STAND_IN_TEMPLATE},
        "environment": {
            "env_type": "llm_eval",
            "max_turns": max_turns,
            "rule": {k: {"type": v} for k, v in [("order", order), ("visibility", "all"), ("selector", "basic"), ("updater", "basic"), ("describer", "basic")]},
        },
        "agents": [agent(n, r) for n, r in STAND_IN_AGENTS],
        "tools": None,
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local copy holding the stand-in config, its hash pinned in place of ChatEval's."""
    root = tmp_path / "chateval"
    path = root / ce.CONFIG_PATH
    path.parent.mkdir(parents=True)
    path.write_text(stand_in_yaml(), encoding="utf-8")
    monkeypatch.setattr(ce, "FILES", {ce.CONFIG_PATH: hashlib.sha256(path.read_bytes()).hexdigest()})
    monkeypatch.setenv("CHATEVAL_PROMPTS_DIR", str(root))
    return root


def expected_prompt(template: str, name: str, role: str, final_prompt: str) -> str:
    """The filled prompt, built here by plain replacement (independently of the judge)."""
    out = template
    for key, value in [
        ("source_text", QUESTION), ("compared_text_one", FIRST), ("compared_text_two", SECOND),
        ("role_description", role), ("agent_name", name), ("final_prompt", final_prompt),
    ]:  # fmt: skip
        out = out.replace("${" + key + "}", value)
    return out


def recorder(calls: list[list[ChatMessage]], final: Callable[[int], str] | None = None) -> Callable[[list[ChatMessage]], str]:
    """Replies ``turn <n>``; last-round turns (the closing message is not empty) get ``final(n)``."""

    def reply(messages: list[ChatMessage]) -> str:
        calls.append(list(messages))
        n = len(calls)
        if messages[-1].text and final is not None:
            return final(n)
        if messages[-1].text:
            return f"turn {n}\nThe score of Assistant 1: 8\nThe score of Assistant 2: 3"
        return f"turn {n}"

    return reply


def play(j: ChatEvalJudge, reply: Callable[[list[ChatMessage]], str]):
    return asyncio.run(j.judge_game(Game(QUESTION, (FIRST, SECOND)), scripted_model(reply)))


# -- the mechanism, with the stand-in ---------------------------------------------


def test_requests_follow_chatevals_layout(stand_in: Path) -> None:
    calls: list[list[ChatMessage]] = []
    j = ChatEvalJudge()
    assert j.inexact == [] and [p.name for p in j.personas] == ["General Public", "Critic"]
    result = play(j, recorder(calls))
    assert len(calls) == 4
    speakers = [("General Public", STAND_IN_AGENTS[0][1]), ("Critic", STAND_IN_AGENTS[1][1])] * 2
    replies = [f"turn {n}" for n in (1, 2)] + [f"turn {n}\nThe score of Assistant 1: 8\nThe score of Assistant 2: 3" for n in (3, 4)]
    for n, (messages, (name, role)) in enumerate(zip(calls, speakers)):
        last_round = n >= 2
        closing = STAND_IN_FINAL if last_round else ""
        assert [m.role for m in messages] == ["user"] + ["assistant"] * n + ["user"]
        assert messages[0].text == expected_prompt(STAND_IN_TEMPLATE, name, role, closing)
        # everyone hears every earlier turn, as "<speaker>: <text>"
        assert [m.text for m in messages[1:-1]] == [f"{s}: {r}" for (s, _), r in zip(speakers[:n], replies[:n])]
        assert messages[-1].text == closing
    assert result.request == {"prompts": "judgebench", "exact": True}
    assert result.verdict == "A>B" and result.upstream == "A>B" and result.upstream_read
    assert result.extra["chateval_reading"]["total_assistant_1"] == 16.0
    assert j.config.max_tokens == 321 and j.config.temperature == 0 and j.config.top_p == 1


def test_failed_format_check_resends_then_drops(stand_in: Path) -> None:
    calls: list[list[ChatMessage]] = []
    # the first referee's final statement never passes ChatEval's check
    result = play(ChatEvalJudge(), recorder(calls, final=lambda n: "no scores" if n <= 5 else "The score of Assistant 1: 2\nThe score of Assistant 2: 9"))
    assert len(calls) == 2 + 3 + 1
    assert calls[2] == calls[3] == calls[4]  # the same request, three times
    # nobody heard the dropped statement: the next speaker hears a silence without speaker
    assert calls[5][-2].text == ": [Silence]"
    assert "dropped by ChatEval" in result.extra["discussion"][2]["note"]
    # ours: only the Critic's scores count; ChatEval's script reads the silence, cannot, and calls a tie
    assert result.verdict == "B>A" and result.upstream == "A=B"


def test_chatevals_reading_differs_from_ours() -> None:
    # a trailing newline passes ChatEval's format check but defeats its score reading
    heard = [("General Public", "x"), ("Critic", "y"),
             ("General Public", "The score of Assistant 1: 4\nThe score of Assistant 2: 9\n"),
             ("Critic", "The score of Assistant 1: 5\nThe score of Assistant 2: 7")]  # fmt: skip
    assert ce.passes_format_check(heard[2][1])
    assert ce.chateval_verdict(heard, 2)[0] == "A=B"
    heard[2] = ("General Public", heard[2][1].rstrip())
    verdict, figures = ce.chateval_verdict(heard, 2)
    assert verdict == "B>A" and figures["total_assistant_2"] == 16.0
    assert not ce.passes_format_check("The score of Assistant 1: 4") and not ce.passes_format_check("Score of Assistant 1: 4\nScore of Assistant 2: 5")


def test_options_that_change_the_requests_are_recorded(stand_in: Path) -> None:
    j = create_judge("chateval", rounds=3, max_tokens=1024, attempts=2, strategy="simultaneous", personas="critic,general_public")
    assert isinstance(j, ChatEvalJudge)
    why = " | ".join(j.inexact)
    for part in ("rounds=3", "max_tokens=1024", "attempts=2", "strategy=simultaneous", "referees Critic, General Public"):
        assert part in why
    assert j.config.max_tokens == 1024
    # the config's own names (any spelling) and a count within the config are exact
    assert ChatEvalJudge(personas=["general-public", "Critic"], agents=2).inexact == []
    more = ChatEvalJudge(agents=3)
    assert [p.name for p in more.personas] == ["General Public", "Critic", "Scientist"] and more.inexact
    with pytest.raises(ValueError, match="prompts=builtin"):
        ChatEvalJudge(strategy="simultaneous_summarizer")


def test_discussion_option_is_named_as_given(stand_in: Path) -> None:
    # the note says which option made the requests differ, under the name it was given
    assert "discussion=simultaneous" in " | ".join(ChatEvalJudge(discussion="simultaneous").inexact)
    assert "strategy=simultaneous" in " | ".join(ChatEvalJudge(strategy="simultaneous").inexact)
    with pytest.raises(ValueError, match="discussion=simultaneous_summarizer has no ChatEval request"):
        ChatEvalJudge(discussion="simultaneous_summarizer")


def test_simultaneous_hears_only_earlier_rounds(stand_in: Path) -> None:
    calls: list[list[ChatMessage]] = []
    result = play(ChatEvalJudge(strategy="simultaneous"), recorder(calls))
    assert sorted(len(m) for m in calls) == [2, 2, 4, 4]
    assert result.request["exact"] is False


def test_wire_request_and_log(stand_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through Inspect's OpenAI provider to a fake server, then the report's check."""
    from judgebench_inspect.demo.fake_server import FakeOpenAIServer

    def respond(messages: list[dict[str, Any]]) -> str:
        closing = messages[-1]["content"]
        return "ok\nThe score of Assistant 1: 9\nThe score of Assistant 2: 2" if closing else "ok"

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(PAIRS_GPT.read_text(encoding="utf-8").splitlines(keepends=True)[:1]), encoding="utf-8")
    with FakeOpenAIServer(respond, record=True) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "test")
        model = get_model("openai/gpt-4o", responses_api=False)
        log = eval(judge(dataset=str(pairs), judge="chateval"), model=model, display="none", log_dir=str(tmp_path / "logs"))[0]
    assert log.status == "success", log.error
    assert len(server.requests) == 8
    for _, body in server.requests:
        roles = [m["role"] for m in body["messages"]]
        assert roles[0] == roles[-1] == "user" and set(roles[1:-1]) <= {"assistant"}
        assert body["temperature"] == 0 and body["max_tokens"] == 321 and body["top_p"] == 1
        assert body.get("presence_penalty", 0) == 0 and body.get("frequency_penalty", 0) == 0
    assert sum(body["messages"][-1]["content"] == "" for _, body in server.requests) == 4
    assert log.eval.metadata["prompts"]["exact"] is True
    assert log.eval.metadata["prompts"]["repository"] == "thunlp/ChatEval"
    (run,) = read_inspect_log(log.location)
    assert requests_not_judgebench(run) is None


def test_builtin_runs_are_not_compared(tmp_path: Path) -> None:
    log = eval(
        judge(dataset=str(PAIRS_GPT), judge="chateval", prompts="builtin"),
        model=scripted_model(lambda m: "Score of Assistant 1: 9\nScore of Assistant 2: 3"),
        limit=1,
        display="none",
        log_dir=str(tmp_path),
    )[0]
    assert log.status == "success", log.error
    (run,) = read_inspect_log(log.location)
    assert requests_not_judgebench(run) == "prompts=builtin (this project's wording, not JudgeBench's)"


def test_changed_file_refused_and_offline_error(stand_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = stand_in / ce.CONFIG_PATH
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    with pytest.raises(PromptsUnavailable, match="refusing to use a changed prompt"):
        ChatEvalJudge()
    # offline, no local copy, nothing cached: a short error naming the ways out
    monkeypatch.delenv("CHATEVAL_PROMPTS_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(ce, "BASE_URL", "http://127.0.0.1:9/")
    with pytest.raises(PromptsUnavailable) as info:
        create_judge("chateval")
    message = str(info.value)
    assert "CHATEVAL_PROMPTS_DIR" in message and "-T prompts=builtin" in message and ce.COMMIT[:12] in message
    assert create_judge("chateval", prompts="builtin").prompts == "builtin"  # type: ignore[attr-defined]


def test_download_fills_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A download is checked against the pinned hash and cached (served from a local folder)."""
    served = tmp_path / "served"
    (served / ce.CONFIG_PATH).parent.mkdir(parents=True)
    (served / ce.CONFIG_PATH).write_text(stand_in_yaml(), encoding="utf-8")
    with served_folder(served) as base_url:
        monkeypatch.delenv("CHATEVAL_PROMPTS_DIR", raising=False)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        monkeypatch.setattr(ce, "BASE_URL", base_url)
        monkeypatch.setattr(ce, "FILES", {ce.CONFIG_PATH: "0" * 64})
        with pytest.raises(PromptsUnavailable, match="refusing it"):
            ce.load_chateval()
        digest = hashlib.sha256((served / ce.CONFIG_PATH).read_bytes()).hexdigest()
        monkeypatch.setattr(ce, "FILES", {ce.CONFIG_PATH: digest})
        config = ce.load_chateval()
        assert [a.name for a in config.agents] == ["General Public", "Critic"] and config.rounds == 2
        assert (ce.chateval_files().cache_dir() / ce.CONFIG_PATH).is_file()


def test_unexpected_structure_is_refused() -> None:
    data = yaml.safe_load(stand_in_yaml())
    data["environment"]["rule"]["visibility"]["type"] = "oneself"
    with pytest.raises(PromptsUnavailable, match="visibility"):
        ce.parse_config(data)
    data = yaml.safe_load(stand_in_yaml(max_turns=3))
    with pytest.raises(PromptsUnavailable, match="whole rounds"):
        ce.parse_config(data)


# -- ChatEval's real config (where a copy of the pinned file is at hand) -------------------

REAL = os.environ.get("CHATEVAL_PROMPTS_DIR")


@pytest.mark.skipif(
    not REAL,
    reason=f"no copy of ChatEval's pinned config: set CHATEVAL_PROMPTS_DIR to a folder holding "
    f"{ce.CONFIG_PATH} from {ce.REPOSITORY} at {ce.COMMIT} (or add it under ../shared/data/chateval/upstream)",
)
def test_real_config_renders_chatevals_requests() -> None:
    raw = yaml.safe_load((Path(str(REAL)) / ce.CONFIG_PATH).read_text(encoding="utf-8"))
    calls: list[list[ChatMessage]] = []
    j = ChatEvalJudge()
    assert j.inexact == []
    result = play(j, recorder(calls))
    agents = raw["agents"]
    assert [a["name"] for a in agents] == [p.name for p in j.personas] == ["General Public", "Critic"]
    assert raw["environment"]["max_turns"] == 4 and raw["environment"]["rule"]["order"]["type"] == "sequential"
    assert j.config.max_tokens == agents[0]["llm"]["max_tokens"] == 512 and j.config.temperature == 0
    for n, messages in enumerate(calls):
        agent = agents[n % 2]
        closing = agent["final_prompt_to_use"] if n >= 2 else ""
        assert messages[0].text == expected_prompt(agent["prompt_template"], agent["name"], agent["role_description"], closing)
        assert [m.role for m in messages] == ["user"] + ["assistant"] * n + ["user"] and messages[-1].text == closing
    assert result.request == {"prompts": "judgebench", "exact": True}
    assert json.dumps(j.prompts_metadata()["files"]) == json.dumps(ce.FILES)
