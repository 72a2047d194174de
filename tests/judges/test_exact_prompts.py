"""prompts=judgebench: every judge sends exactly JudgeBench's requests.

The expectations here are built independently of the project's code: the
test renders JudgeBench's template files (../shared/data/judgebench/upstream)
with jinja2 and JudgeBench's settings, reads the few strings that live in
JudgeBench's code with plain regular expressions, and writes down each call's
parameters as read from JudgeBench's ``utils/judges.py`` by eye.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest
from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, get_model

from judgebench_inspect.judges import Game, JudgeConfigError, PromptsUnavailable, create_judge
from judgebench_inspect.judges.templates import TemplateError

from support import PAIRS_GPT, UPSTREAM, output, train_tokenizer

JUDGES_PY = (UPSTREAM / "utils" / "judges.py").read_text(encoding="utf-8")
ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(UPSTREAM / "utils" / "templates")), trim_blocks=True, lstrip_blocks=True
)


def render(name: str, **values: Any) -> str:
    return ENV.get_template(f"{name}.jinja2").render(**values)


def code_string(pattern: str) -> str:
    m = re.search(pattern, JUDGES_PY)
    assert m, pattern
    return m.group(1)


PROMETHEUS_SYSTEM = code_string(r'self\.REL_SYSTEM_PROMPT = "([^"]+)"')
PROMETHEUS_RUBRIC = code_string(r'self\.rubric = "([^"]+)"')
ARENA_FOLLOW_UP = code_string(r'\{"role": "user", "content": "(continue[^"]+)"\}')


def o1_fold(system: str, user: str) -> str:
    return f"<|BEGIN_SYSTEM_MESSAGE|>\n{system.strip()}\n<|END_SYSTEM_MESSAGE|>\n\n{user}"


def pairs_by_category(n: int = 2) -> list[dict[str, Any]]:
    """A few published pairs of each category."""
    out: dict[str, list[dict[str, Any]]] = {}
    with open(PAIRS_GPT, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            key = row["source"].split("-")[0] if not row["source"].startswith("livebench") else row["source"]
            if len(out.setdefault(key, [])) < n:
                out[key].append(row)
    assert len(out) == 4
    return [row for rows in out.values() for row in rows]


PAIRS = pairs_by_category()


def expected(judge: str, q: str, a: str, b: str) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """JudgeBench's request for a game: (role, text) messages and call parameters."""
    if judge == "vanilla":
        return [("user", render("vanilla_prompt", question=q, answer_a=a, answer_b=b))], {
            "temperature": 0.0, "top_p": 1.0, "max_tokens": 1024,
        }  # fmt: skip
    if judge in ("arena_hard", "compass_judger"):
        messages = [
            ("system", render("arena_hard_judge_system")),
            ("user", render("arena_hard_judge_prompt", prompt=q, answer_a=a, answer_b=b)),
        ]
        return messages, {"temperature": 0, "max_tokens": 4096 if judge == "arena_hard" else 2048}
    if judge == "auto_j":
        # JudgeBench passes `question`, the template reads `prompt`: the query renders empty
        return [("user", render("autoj_prompt", question=q, response=a, response_another=b))], {
            "temperature": 0.0, "top_p": 1.0, "max_tokens": 1024,
        }  # fmt: skip
    if judge == "prometheus_2":
        user = render("prometheus2_prompt", instruction=q, response_A=a, response_B=b, rubric=PROMETHEUS_RUBRIC)
        return [("system", PROMETHEUS_SYSTEM), ("user", user)], {"temperature": 0.0, "max_tokens": 1024}
    if judge == "skywork_critic":
        return [("user", render("skywork_critic_prompt", input=q, response_a=a, response_b=b))], {
            "temperature": 0.0, "max_tokens": 2048,
        }  # fmt: skip
    raise AssertionError(judge)


class Recorder:
    """A scripted judge model that records each request (messages and settings)."""

    def __init__(self, reply: str, name: str = "mockllm/model") -> None:
        self.calls: list[tuple[list[ChatMessage], GenerateConfig]] = []
        self.reply = reply

        def respond(messages: list[ChatMessage], _tools: Any, _choice: Any, config: GenerateConfig) -> ModelOutput:
            self.calls.append((list(messages), config))
            return output(self.reply)

        self.model = get_model(name, custom_outputs=respond, memoize=False)


def sent(
    call: tuple[list[ChatMessage], GenerateConfig], task: GenerateConfig | None = None
) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """What a call sends: messages and settings, the judge task's own (temperature 0) merged in."""
    messages, config = call
    merged = (task or GenerateConfig(temperature=0.0)).merge(config)
    return [(m.role, m.text) for m in messages], merged.model_dump(exclude_none=True)


CHAT_JUDGES = ["vanilla", "arena_hard", "compass_judger", "auto_j", "prometheus_2", "skywork_critic"]
REPLIES = {
    "vanilla": "Output (b)",
    "arena_hard": "My final verdict is: [[B>A]]",
    "compass_judger": "[[B>>A]]",
    "auto_j": "So, the final decision is Response 2",
    "prometheus_2": "Feedback. [RESULT] B",
    "skywork_critic": "[[B]]",
}


@pytest.mark.parametrize("judge", CHAT_JUDGES)
def test_chat_judges_send_judgebench_requests(judge: str) -> None:
    j = create_judge(judge)
    for row in PAIRS:
        for first, second in ((row["response_A"], row["response_B"]), (row["response_B"], row["response_A"])):
            rec = Recorder(REPLIES[judge])
            result = asyncio.run(j.judge_game(Game(row["question"], (first, second)), rec.model))
            assert len(rec.calls) == 1
            assert sent(rec.calls[0]) == expected(judge, row["question"], first, second)
            assert result.verdict == "B>A" and result.upstream == "B>A" and result.upstream_read
            assert result.request == {"prompts": "judgebench", "exact": True}


def test_o1_family_folds_the_system_message_and_sends_no_settings() -> None:
    row = PAIRS[0]
    q, a, b = row["question"], row["response_A"], row["response_B"]
    rec = Recorder("no label yet", name="mockllm/o1-mini")
    result = asyncio.run(create_judge("arena_hard").judge_game(Game(q, (a, b)), rec.model))
    messages, _params = expected("arena_hard", q, a, b)
    folded = o1_fold(messages[0][1], messages[1][1])
    assert len(rec.calls) == 2  # no label: JudgeBench's second attempt, with its follow-up
    assert sent(rec.calls[0], GenerateConfig()) == ([("user", folded)], {})
    assert sent(rec.calls[1], GenerateConfig()) == (
        [("user", folded), ("assistant", "no label yet"), ("user", ARENA_FOLLOW_UP)],
        {},
    )
    assert result.verdict is None and result.request["family"] == "o1" and result.request["exact"] is True
    # a claude or gpt judge gets the system message as it is
    rec = Recorder("[[A>B]]", name="mockllm/gpt-4o")
    asyncio.run(create_judge("arena_hard").judge_game(Game(q, (a, b)), rec.model))
    assert sent(rec.calls[0]) == expected("arena_hard", q, a, b)


def test_arena_hard_asks_again_by_judgebench_rule() -> None:
    # a label in a reply cut off at the token limit ends JudgeBench's attempts;
    # our verdict still ignores a label that only a cut-off reply has
    rec = Recorder("")
    replies = iter([output("thinking... [[A>B]] and", stop_reason="max_tokens")])

    def respond(messages: list[ChatMessage], *_: Any) -> ModelOutput:
        rec.calls.append((list(messages), GenerateConfig()))
        return next(replies)

    model = get_model("mockllm/model", custom_outputs=respond, memoize=False)
    result = asyncio.run(create_judge("arena_hard").judge_game(Game("Q", ("a", "b")), model))
    assert len(rec.calls) == 1
    assert result.verdict is None and result.upstream == "A>B"


@pytest.fixture(scope="module")
def slow_tokenizer(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small tokenizer trained here on the pairs, with a start token as LLaMA's has."""
    texts = [row["question"] + row["response_A"] for row in PAIRS]
    return train_tokenizer(tmp_path_factory.mktemp("tok"), texts, bos=True)


def judgebench_cut(tok: Any, template: str, text: str, context: int, new: int, side: str) -> str:
    share = (context - new - len(tok(template).input_ids)) // 2 - 2
    ids = tok(text, add_special_tokens=False).input_ids
    return str(tok.decode(ids[:share] if side == "right" else ids[-share:]))


@pytest.mark.parametrize("judge", ["panda_lm", "judge_lm"])
def test_completion_judges_send_judgebench_prompts(judge: str, slow_tokenizer: str) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(slow_tokenizer)
    special = re.compile(code_string(r'self\.pattern = re\.compile\(\s*r"([^"]+)"'))
    j = create_judge(judge, tokenizer=slow_tokenizer)
    for row in PAIRS:
        q = row["question"]
        for first, second in ((row["response_A"], row["response_B"]), (row["response_B"], row["response_A"])):
            rec = Recorder("1\n\n### Reason: fine" if judge == "panda_lm" else "8 3\nfine")
            result = asyncio.run(j.judge_game(Game(q, (first, second)), rec.model))
            if judge == "panda_lm":
                empty = render("pandalm_prompt", instruction=q, resp1="", resp2="")
                a = judgebench_cut(tok, empty, first, 2048, 150, "left")
                b = judgebench_cut(tok, empty, second, 2048, 150, "left")
                a, b = special.sub("", a.strip()).strip(), special.sub("", b.strip()).strip()
                prompt = render("pandalm_prompt", instruction=q, resp1=a, resp2=b) + "\n"
                params = {
                    "temperature": 0, "top_p": 1, "max_tokens": 150,
                    "extra_body": {"use_beam_search": True, "best_of": 4, "early_stopping": True, "repetition_penalty": 1.2},
                }  # fmt: skip
            else:
                empty = render("judgelm_prompt", question=q, answer_1="", answer_2="")
                a = judgebench_cut(tok, empty, first, 2048, 16, "right")
                b = judgebench_cut(tok, empty, second, 2048, 16, "right")
                prompt = render("judgelm_prompt", question=q, answer_1=a, answer_2=b)
                params = {"temperature": 0.0, "max_tokens": 16}
            assert sent(rec.calls[0]) == ([("user", prompt)], params)
            assert result.verdict == "A>B" and result.upstream == "A>B"
            # mockllm is a chat provider: JudgeBench used a completions endpoint
            assert result.request["exact"] is False and "completions" in result.request["why"][0]
    # without the judge's tokenizer the cut is estimated, and the request is said not to be exact
    rec = Recorder("2")
    result = asyncio.run(create_judge(judge).judge_game(Game("Q", ("a", "b")), rec.model))
    assert any("tokenizer" in w for w in result.request["why"])


def test_judgebench_parsers_beside_ours() -> None:
    from judgebench_inspect.judges.auto_j import parse_auto_j_judgebench
    from judgebench_inspect.judges.judge_lm import parse_judge_lm, parse_judge_lm_judgebench
    from judgebench_inspect.judges.panda_lm import parse_panda_lm, parse_panda_lm_judgebench
    from judgebench_inspect.judges.prometheus_2 import parse_prometheus, parse_prometheus_judgebench
    from judgebench_inspect.judges.skywork_critic import parse_skywork_critic, parse_skywork_critic_judgebench

    # Skywork-Critic: JudgeBench takes any capital A as A
    assert parse_skywork_critic_judgebench("Assistant B is better: [[B]]") == "A>B"
    assert parse_skywork_critic("Assistant B is better: [[B]]").verdict == "B>A"
    # JudgeLM: JudgeBench splits the first line on single spaces
    assert parse_judge_lm_judgebench("8  3\n") == "A=B" and parse_judge_lm("8  3\n").verdict == "A>B"
    assert parse_judge_lm_judgebench("8, 3") == "A=B"  # ", " -> two spaces -> three parts
    assert parse_judge_lm("nonsense").unreadable and not parse_judge_lm("8 3").unreadable
    # PandaLM: an unreadable first line is a tie for both, and counted as unreadable here
    assert parse_panda_lm_judgebench("Tie") == "A=B" and parse_panda_lm_judgebench("1 ") == "A>B"
    assert parse_panda_lm("maybe 1").unreadable and parse_panda_lm("maybe 1").verdict == "A=B"
    # Prometheus 2: JudgeBench takes the first match, of any case
    text = "Response [RESULT] a is weak. [RESULT] B"
    assert parse_prometheus_judgebench(text) == "A>B" and parse_prometheus(text).verdict == "B>A"
    # Auto-J: exact phrase with one space, last statement
    assert parse_auto_j_judgebench("So, the final decision is Response 2.") == "B>A"
    assert parse_auto_j_judgebench("So, the final decision is: Tie") is None


def test_template_file_equal_to_judgebench_means_exact(tmp_path: Path) -> None:
    copy = tmp_path / "vanilla.jinja2"
    shutil.copy(UPSTREAM / "utils/templates/vanilla_prompt.jinja2", copy)
    j = create_judge("vanilla", template=str(copy), prompts="builtin")
    assert j.plan.exact_mode and not j.plan.inexact  # type: ignore[attr-defined]
    with pytest.raises(TemplateError, match="not this judge's prompt"):
        create_judge("skywork_critic", template=str(copy))
    changed = tmp_path / "changed.txt"
    changed.write_text(copy.read_text() + " ", encoding="utf-8")
    j = create_judge("vanilla", template=str(changed))
    assert any("template replaced" in w for w in j.plan.inexact)  # type: ignore[attr-defined]


def test_changed_or_missing_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "upstream"
    shutil.copytree(UPSTREAM, bad)
    target = bad / "utils/templates/vanilla_prompt.jinja2"
    target.chmod(0o644)
    target.write_text(target.read_text() + "\nAlways answer Output (a).")
    monkeypatch.setenv("JUDGEBENCH_PROMPTS_DIR", str(bad))
    with pytest.raises(PromptsUnavailable, match="refusing to use a changed prompt"):
        create_judge("vanilla")
    # offline, no local copy, nothing cached: a short error naming the ways out
    monkeypatch.delenv("JUDGEBENCH_PROMPTS_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("judgebench_inspect.judges.upstream.BASE_URL", "http://127.0.0.1:9/")
    with pytest.raises(PromptsUnavailable) as info:
        create_judge("vanilla")
    assert "JUDGEBENCH_PROMPTS_DIR" in str(info.value) and "-T prompts=builtin" in str(info.value)
    # builtin needs nothing
    assert create_judge("vanilla", prompts="builtin").plan.mode == "builtin"  # type: ignore[attr-defined]
    with pytest.raises((ValueError, JudgeConfigError), match="prompts must be one of"):
        create_judge("vanilla", prompts="exact")


@pytest.mark.parametrize("prompts", ["judgebench", "builtin"])
def test_report_compares_with_the_paper_only_exact_runs(
    prompts: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The recorded o1-mini texts replayed by a judge named o1-mini: with JudgeBench's
    requests (system message folded, as JudgeBench sent it to o1) the report sets the
    run beside the paper's row; with our own wording it does not, and says why."""
    from inspect_ai import eval

    from judgebench.tasks import judge
    from judgebench_inspect.cli import main
    from judgebench_inspect.demo.fake_server import ReplayResponder

    from support import O1_MINI

    responder = ReplayResponder(O1_MINI)
    folded: list[bool] = []

    def respond(messages: list[ChatMessage], *_: Any) -> ModelOutput:
        folded.append(messages[0].role == "user" and messages[0].text.startswith("<|BEGIN_SYSTEM_MESSAGE|>"))
        return output(responder([{"role": m.role, "content": m.text} for m in messages]))

    model = get_model("mockllm/o1-mini", custom_outputs=respond, memoize=False)
    log = eval(judge(dataset=str(PAIRS_GPT), prompts=prompts), model=model, display="none", log_dir=str(tmp_path))[0]
    assert log.status == "success", log.error
    assert all(folded) if prompts == "judgebench" else not any(folded)
    assert main(["report", str(tmp_path), "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["rows"]
    assert round(row["accuracy"]["overall"]["accuracy"], 2) == 65.71
    if prompts == "judgebench":
        assert row["paper"]["name"] == "Arena-Hard (o1-mini)" and row["paper"]["difference"]["overall"] == 0.0
        # the same replies under a changed temperature: not JudgeBench's request any more
        eval(judge(dataset=str(PAIRS_GPT), prompts=prompts), model=model, display="none",
             log_dir=str(tmp_path / "warm"), temperature=0.7)
        assert main(["report", str(tmp_path / "warm"), "--format", "json"]) == 0
        (row,) = json.loads(capsys.readouterr().out)["rows"]
        assert row["paper"] is None and any("temperature=0.7" in n for n in row["notes"])
    else:
        assert row["paper"] is None
        assert any("paper row 'Arena-Hard (o1-mini)' not compared: prompts=builtin" in n for n in row["notes"])


def _two_pairs(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in PAIRS[:2]), encoding="utf-8")
    return path


def test_requests_on_the_wire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slow_tokenizer: str) -> None:
    """Through Inspect's real providers to a fake server: what JudgeBench's calls put on the wire."""
    from inspect_ai import eval

    from judgebench.tasks import judge
    from judgebench_inspect.demo.fake_server import FakeOpenAIServer

    pairs = _two_pairs(tmp_path)
    # o1-mini on the OpenAI chat API: system folded into the user message, no sampling settings
    with FakeOpenAIServer(lambda _m: "My final verdict is: [[A>B]]", record=True) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "test")
        model = get_model("openai/o1-mini", responses_api=False)
        log = eval(judge(dataset=str(pairs)), model=model, display="none", log_dir=str(tmp_path / "o1"))[0]
    assert log.status == "success", log.error
    assert len(server.requests) == 4
    for path, body in server.requests:
        assert path.endswith("/chat/completions")
        assert [m["role"] for m in body["messages"]] == ["user"]
        assert body["messages"][0]["content"].startswith("<|BEGIN_SYSTEM_MESSAGE|>\nPlease act as an impartial judge")
        assert not {"temperature", "max_tokens", "max_completion_tokens", "top_p"} & set(body), body.keys()
    assert all(g["exact"] for s in log.samples or [] for g in s.scores["pair_scorer"].metadata["games"])

    # Vanilla on another chat model: JudgeBench's message and settings as they are
    with FakeOpenAIServer(lambda _m: "Output (a)", record=True) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        log = eval(judge(dataset=str(pairs), judge="vanilla"), model="openai/gpt-4o-mini", display="none",
                   log_dir=str(tmp_path / "vanilla"))[0]
    assert log.status == "success", log.error
    for _, body in server.requests:
        assert body["temperature"] == 0 and body["top_p"] == 1 and body["max_tokens"] == 1024
        assert [m["role"] for m in body["messages"]] == ["user"]
    expected_texts = {
        expected("vanilla", r["question"], a, b)[0][0][1]
        for r in PAIRS[:2]
        for a, b in ((r["response_A"], r["response_B"]), (r["response_B"], r["response_A"]))
    }
    assert {body["messages"][0]["content"] for _, body in server.requests} == expected_texts

    # PandaLM on a completions endpoint, cut with its tokenizer: JudgeBench's prompt and settings
    with FakeOpenAIServer(lambda _m: "1\n\n### Reason: fine", record=True) as server:
        monkeypatch.setenv("FAKE_BASE_URL", server.base_url)
        monkeypatch.setenv("FAKE_API_KEY", "test")
        log = eval(
            judge(dataset=str(pairs), judge="panda_lm", tokenizer=slow_tokenizer),
            model="openai-api-completions/fake/pandalm",
            display="none",
            log_dir=str(tmp_path / "panda"),
        )[0]
    assert log.status == "success", log.error
    assert len(server.requests) == 4
    prompts = set()
    for path, body in server.requests:
        assert path.endswith("/completions") and not path.endswith("/chat/completions")
        assert body["temperature"] == 0 and body["top_p"] == 1 and body["max_tokens"] == 150
        assert {k: body[k] for k in ("use_beam_search", "best_of", "early_stopping", "repetition_penalty")} == {
            "use_beam_search": True, "best_of": 4, "early_stopping": True, "repetition_penalty": 1.2,
        }  # fmt: skip
        assert body["prompt"].startswith("Below are two responses for a given task.") and body["prompt"].endswith(
            "### Evaluation:\n"
        )
        prompts.add(body["prompt"])
    assert len(prompts) == 4  # two pairs, two orders
    games = [g for s in log.samples or [] for g in s.scores["pair_scorer"].metadata["games"]]
    assert len(games) == 4 and all(g["exact"] is True for g in games)
    assert log.eval.metadata["prompts"]["exact"] is True and log.eval.metadata["prompts"]["commit"].startswith("e2c52c28")
