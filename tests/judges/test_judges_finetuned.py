"""The fine-tuned generative judges: parsers, prompt structure, context fitting,
and one end-to-end eval per judge with a scripted model."""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from inspect_ai import eval
from inspect_ai.model import ChatMessage

from judgebench.tasks import judge
from judgebench_inspect.judges import Game, JudgeConfigError, create_judge
from judgebench_inspect.judges.context import (
    ByteBoundCounter,
    EstimateCounter,
    _load_hf_tokenizer,
    fit_pair,
    make_counter,
    messages_text,
)
from judgebench_inspect.judges.auto_j import parse_auto_j
from judgebench_inspect.judges.judge_lm import parse_judge_lm
from judgebench_inspect.judges.panda_lm import parse_panda_lm
from judgebench_inspect.judges.prometheus_2 import DEFAULT_RUBRIC, parse_prometheus
from judgebench_inspect.judges.skywork_critic import parse_skywork_critic
from judgebench_inspect.verdicts import A_BETTER, B_BETTER, TIE

from support import PAIRS_GPT, output, scripted_model, train_tokenizer

A, B = A_BETTER, B_BETTER

# ---------------------------------------------------------------- parsers


@pytest.mark.parametrize(
    "text, verdict, declared",
    [
        ("1\n\n### Reason: Response 1 gives the right letter.\n\n### Reference: FFFFF", A, True),
        ("2\n\n### Reason: Response 2 is correct.", B, True),
        ("Tie\n\n### Reason: both are equally wrong.", TIE, True),
        ("  tie  \n### Reason: same.", TIE, True),
        ("</s>1\n### Reason: x", A, True),  # special-token strings are removed first
        ("\n\n2\n### Reason: leading blank lines are stripped", B, True),
        ("Response 1 is better.\n### Reason: ...", TIE, False),  # not the format: a tie
        ("1.\n### Reason", TIE, False),
        ("12\n", TIE, False),
        ("", TIE, False),
    ],
)
def test_parse_panda_lm(text: str, verdict: str, declared: bool) -> None:
    parsed = parse_panda_lm(text)
    assert parsed.verdict == verdict
    assert parsed.extra["declared"] is declared
    assert ("counted as a tie" in parsed.note) is (not declared)


@pytest.mark.parametrize(
    "text, verdict, scores",
    [
        ("8 3\nAssistant 1 answered correctly, while Assistant 2", A, [8.0, 3.0]),
        ("4 9\nAssistant 2", B, [4.0, 9.0]),
        ("7 7\nBoth assistants", TIE, [7.0, 7.0]),
        ("8.5, 6\nAssistant", A, [8.5, 6.0]),  # a comma between the scores
        (" 10 1", A, [10.0, 1.0]),
        ("\n6 9\n", B, [6.0, 9.0]),
        ("Assistant 1: 8, Assistant 2: 3", TIE, None),  # not two bare scores: a tie
        ("8 3 5\n", TIE, None),
        ("8\n3", TIE, None),
        ("80 30\n", TIE, None),  # out of range
        ("", TIE, None),
    ],
)
def test_parse_judge_lm(text: str, verdict: str, scores: list[float] | None) -> None:
    parsed = parse_judge_lm(text)
    assert parsed.verdict == verdict and parsed.extra["scores"] == scores
    assert bool(parsed.note) is (scores is None)


@pytest.mark.parametrize(
    "text, verdict",
    [
        ("Response A identifies the correct statute and reasons well. [RESULT] A", A),
        ("Feedback: Response B is accurate, A misreads the facts.\n[RESULT] B", B),
        ("Both try; B is right. [RESULT]: (B)", B),
        ("... so the better one is clear. [RESULT] Response A", A),
        ("Feedback text. [RESULT: B]", B),
        ("Feedback. **[RESULT]** A", A),
        ("Feedback [result] B.", B),  # marker in any case
        ("First [RESULT] A, on reflection the other is right. [RESULT] B", B),  # the last one
        ("Result: A", A),  # looser forms only without a [RESULT marker
        ("Feedback...\n[Result] Response B", B),
        ("Response B is better supported.\n\n[Response B]", B),
        ("Response A is correct.", None),
        ("In [Response A] the reasoning is sound, but [Response B] is wrong. Overall the answer holds.", None),
        ("Both are equally good. [RESULT] Tie", None),  # no tie option
        ('The output format is "(feedback) [RESULT] (A or B)"', None),  # echoed format
        ("[RESULT] Both", None),
        ("[RESULT] a", None),  # a lower-case letter is an article, not a verdict
        ("", None),
    ],
)
def test_parse_prometheus(text: str, verdict: str | None) -> None:
    parsed = parse_prometheus(text)
    assert parsed.verdict == verdict
    if verdict is None:
        assert parsed.note


@pytest.mark.parametrize(
    "text, verdict",
    [
        ("1. The key factor is correctness ...\n\nSo, the final decision is Response 1.", A),
        ("Response 2 computes it correctly.\nSo, the final decision is Response 2", B),
        ("Neither is better. So, the final decision is Tie.", TIE),
        ("so the FINAL DECISION IS response 2", B),
        ('So, the final decision is: **Response 1**', A),
        ("So, the final decision is Response 2. Wait, re-checking: the final decision is Response 1.", A),
        ("So, the final decision is Response 1 / Response 2 / Tie", None),  # echoed choices
        ("Response 1 looks right to me.", None),
        ("So, the final decision is unclear.", None),
        ("", None),
    ],
)
def test_parse_auto_j(text: str, verdict: str | None) -> None:
    parsed = parse_auto_j(text)
    assert parsed.verdict == verdict
    if verdict is None:
        assert parsed.note


@pytest.mark.parametrize(
    "text, verdict",
    [
        ("[[A]]", A),
        ("[[B]]", B),
        ("Assistant B answers correctly: [[B]]", B),  # JudgeBench read this as A
        ("After comparing Assistant A and Assistant B, my verdict: [[B]]", B),
        ("[[A]] ... final: [[A]]", A),
        ("B", B),
        ('"A".', A),
        ("[[A]] or [[B]]", None),
        ("Assistant A is better.", None),  # no label: no verdict (JudgeBench: A)
        ("[[C]]", None),
        ("", None),
    ],
)
def test_parse_skywork_critic(text: str, verdict: str | None) -> None:
    assert parse_skywork_critic(text).verdict == verdict


# ---------------------------------------------------------------- prompts


def _positions(text: str, markers: list[str]) -> list[int]:
    found = [text.find(m) for m in markers]
    assert all(p >= 0 for p in found), [m for m, p in zip(markers, found) if p < 0]
    return found


def test_prompt_structures() -> None:
    q, r1, r2 = "What is 2+2?", "It is 4.", "It is 5."
    cases: dict[str, list[str]] = {
        "panda_lm": ["### Instruction:\n" + q, "### Response 1:\n" + r1, "### Response 2:\n" + r2, "### Evaluation:\n"],
        "judge_lm": [
            "[Question]\n" + q,
            "[The Start of Assistant 1's Answer]\n" + r1,
            "[The End of Assistant 1's Answer]",
            "[The Start of Assistant 2's Answer]\n" + r2,
            "[The End of Assistant 2's Answer]",
            "[System]\n",
            "### Response:",
        ],
        "prometheus_2": [
            "###Task Description:",
            "[RESULT] (A or B)",
            "###Instruction:\n" + q,
            "###Response A:\n" + r1,
            "###Response B:\n" + r2,
            "###Score Rubric:\n" + DEFAULT_RUBRIC,
            "###Feedback: ",
        ],
        "auto_j": [
            "[BEGIN DATA]\n***\n[Query]: " + q,  # the query is passed (JudgeBench left it empty)
            "***\n[Response 1]: " + r1,
            "***\n[Response 2]: " + r2,
            "***\n[END DATA]",
            "the final decision is Response 1 / Response 2 / Tie",
        ],
        "skywork_critic": [
            '"[[A]]"',
            '"[[B]]"',
            "[User Question]\n" + q,
            "[The Start of Assistant A's Answer]\n" + r1 + "\n[The End of Assistant A's Answer]",
            "[The Start of Assistant B's Answer]\n" + r2 + "\n[The End of Assistant B's Answer]",
        ],
        "compass_judger": [
            "[[A>>B]]",
            "[[B>>A]]",
            "<|User Prompt|>\n" + q,
            "<|The Start of Assistant A's Answer|>\n" + r1,
            "<|The Start of Assistant B's Answer|>\n" + r2,
        ],
    }
    for name, markers in cases.items():
        j = create_judge(name, prompts="builtin")
        if name == "compass_judger":
            from judgebench_inspect.judges.templates import prompt_messages

            msgs = prompt_messages(j.template, q, r1, r2)  # type: ignore[attr-defined]
        else:
            msgs = j.build(q, r1, r2)  # type: ignore[attr-defined]
        # one user message (completion-friendly), except where the originals use a system message
        roles = ["system", "user"] if name in ("prometheus_2", "compass_judger") else ["user"]
        assert [m.role for m in msgs] == roles, name
        pos = _positions("\n\n".join(m.text for m in msgs), markers)
        assert pos == sorted(pos), name
    assert create_judge("panda_lm", prompts="builtin").build(q, r1, r2)[0].text.endswith("### Evaluation:\n")  # type: ignore[attr-defined]
    assert create_judge("judge_lm", prompts="builtin").build(q, r1, r2)[0].text.endswith("### Response:")  # type: ignore[attr-defined]


def test_prompt_format_options(tmp_path: Path) -> None:
    q, r1, r2 = "Q", "first", "second"
    chat = create_judge("prometheus_2", prompt_format="chat", prompts="builtin").build(q, r1, r2)  # type: ignore[attr-defined]
    assert chat[0].text.startswith("You are a fair judge") and "\n\n###Task Description:" in chat[0].text
    system = create_judge("prometheus_2", prompts="builtin").build(q, r1, r2)  # type: ignore[attr-defined]
    assert [m.role for m in system] == ["system", "user"] and system[1].text.startswith("###Task Description:")
    mistral = create_judge("prometheus_2", prompt_format="mistral", prompts="builtin").build(q, r1, r2)  # type: ignore[attr-defined]
    assert mistral[0].text.startswith("[INST] You are a fair judge") and mistral[0].text.endswith("###Feedback:  [/INST]")
    own = create_judge("prometheus_2", rubric="[Is the final answer right?]", prompts="builtin").build(q, r1, r2)  # type: ignore[attr-defined]
    assert "###Score Rubric:\n[Is the final answer right?]\n" in own[1].text
    llama = create_judge("auto_j", prompt_format="llama2", prompts="builtin").build(q, r1, r2)  # type: ignore[attr-defined]
    assert llama[0].text.startswith("[INST] You are comparing") and llama[0].text.endswith(" [/INST]")
    with pytest.raises(ValueError, match="prompt_format must be one of chat, system, mistral"):
        create_judge("prometheus_2", prompt_format="raw")
    with pytest.raises(JudgeConfigError, match="has no option"):
        create_judge("skywork_critic", context_length=2048)
    # a user's template file replaces the built-in prompt (e.g. the upstream wording)
    path = tmp_path / "panda.txt"
    path.write_text("Judge.\n### Instruction:\n{question}\n### Response 1:\n{answer_a}\n### Response 2:\n{answer_b}\n### Evaluation:\n")
    assert create_judge("panda_lm", template=str(path)).build(q, r1, r2)[0].text.startswith("Judge.\n###")  # type: ignore[attr-defined]


# ---------------------------------------------------------------- context fitting


def test_estimate_counts_expensive_text_at_worst_case() -> None:
    e = EstimateCounter()
    assert e.count_piece("1234567890") == 10  # LLaMA splits every digit
    assert e.count_piece("\n\n\n") == 3
    assert e.count_piece("é") == 2 and e.count_piece("数") == 3  # byte fallback
    assert e.count_piece("(x+y)^2") == 7
    assert e.count_piece("at") == 2 and e.count_piece("because") == 4  # letters: >= 1 token per 2
    assert e.count_piece("the cat") == e.count_piece("the") + e.count_piece("cat")  # a space joins the word
    assert e.count("") == 2  # start-of-text + dummy prefix
    b = ByteBoundCounter()
    assert b.count_piece("数x") == 4 and b.keep("ab数", 3, "end") == "数"
    assert b.keep("ab数", 2, "end") == ""  # never half a character


def _render(question: str) -> Callable[[str, str], str]:
    return lambda a, b: f"Q: {question}\n### Response 1:\n{a}\n### Response 2:\n{b}\n### Evaluation:\n"


def test_fit_pair_keeps_ends_and_respects_budget() -> None:
    counter = EstimateCounter()
    first = "START-ONE " + "word " * 400 + "the answer is AAAAA"
    second = "START-TWO " + "12345 " * 300 + "the answer is BBBBB"
    fitted = fit_pair(_render("Which?"), first, second, counter, budget=300)
    assert fitted is not None and fitted.truncated
    assert counter.count(_render("Which?")(fitted.first, fitted.second)) <= 300
    assert fitted.first.endswith("AAAAA") and fitted.second.endswith("BBBBB")
    assert "START" not in fitted.first + fitted.second
    assert first.endswith(fitted.first) and second.endswith(fitted.second)
    # keep="start" keeps the beginnings instead
    fitted = fit_pair(_render("Which?"), first, second, counter, budget=300, keep="start")
    assert fitted is not None and fitted.first.startswith("START-ONE") and not fitted.first.endswith("AAAAA")


def test_fit_pair_leaves_short_pairs_alone_and_gives_room_to_the_long_one() -> None:
    counter = EstimateCounter()
    short, long = "Short answer: 4.", "x " * 2000 + "end of long"
    assert fit_pair(_render("q"), short, "also short", counter, 300).truncated is False  # type: ignore[union-attr]
    fitted = fit_pair(_render("q"), short, long, counter, 300)
    assert fitted is not None and fitted.first == short and fitted.second.endswith("end of long")
    assert fitted.info["second_kept"] > 300 // 2  # the long one got more than half the room


def test_fit_pair_gives_up_when_the_question_fills_the_context() -> None:
    assert fit_pair(_render("why " * 400), "a", "b" * 50, EstimateCounter(), 300) is None


def test_question_too_long_is_no_verdict_without_a_model_call() -> None:
    calls: list[int] = []

    def reply(_m: list[ChatMessage]) -> str:
        calls.append(1)
        return "1"

    j = create_judge("panda_lm", context_length=400)
    result = asyncio.run(j.judge_game(Game("why " * 600, ("a " * 50, "b " * 50)), scripted_model(reply)))
    assert result.verdict is None and "not judged" in result.note and calls == []
    assert result.extra["context"]["fits"] is False


def test_context_options_are_checked() -> None:
    with pytest.raises(ValueError, match="leaves no room"):
        create_judge("judge_lm", context_length=40)
    with pytest.raises(ValueError, match="keep must be one of end, start"):
        create_judge("panda_lm", keep="middle")


def test_missing_transformers_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _load_hf_tokenizer.cache_clear()
    monkeypatch.setitem(sys.modules, "transformers", None)  # import fails
    with pytest.raises(RuntimeError, match=r"judgebench-inspect\[hf\]"):
        make_counter("some/tokenizer")
    _load_hf_tokenizer.cache_clear()


@pytest.fixture(scope="module")
def tiny_tokenizer(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small tokenizer trained here, with a start token."""
    texts = ["The answer is (B). Response one and response two differ."] * 20
    return train_tokenizer(tmp_path_factory.mktemp("tok") / "tiny", texts, bos=True)


def test_truncation_with_a_real_tokenizer(tiny_tokenizer: str) -> None:
    from transformers import AutoTokenizer

    hf = AutoTokenizer.from_pretrained(tiny_tokenizer)
    seen: list[str] = []

    def reply(messages: list[ChatMessage]) -> str:
        seen.append(messages_text(messages))
        return "2\n\n### Reason: the second is right."

    j = create_judge("panda_lm", tokenizer=tiny_tokenizer, context_length=512, max_tokens=50, reserve=4, prompts="builtin")
    first = "FIRST-START " + "The answer is (B). Ünïcödé 数学 " * 60 + "first ends here"
    second = "SECOND-START " + "response two differ " * 80 + "second ends here"
    result = asyncio.run(j.judge_game(Game("Which response is right?", (first, second)), scripted_model(reply)))
    assert result.verdict == B
    ctx = result.extra["context"]
    assert ctx["counter"] == f"tokenizer:{tiny_tokenizer}" and ctx["truncated"] is True
    prompt_ids = hf(seen[0])["input_ids"]
    assert len(prompt_ids) <= 512 - 50 - 4 == ctx["budget"]
    assert len(prompt_ids) == ctx["prompt_tokens"]
    assert "first ends here" in seen[0] and "second ends here" in seen[0]
    assert "FIRST-START" not in seen[0] and "SECOND-START" not in seen[0]


# ---------------------------------------------------------------- end to end

#: Real pairs with both labels, short and long questions (the last one is long
#: enough that PandaLM and JudgeLM must cut it).
PICK = (11, 13, 22, 25, 44, 0)


@pytest.fixture(scope="module")
def pairs_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    rows = [json.loads(line) for line in PAIRS_GPT.read_text(encoding="utf-8").splitlines()]
    chosen = [rows[i] for i in PICK]
    assert [r["label"] for r in chosen] == [A, B, A, B, A, A]
    path = tmp_path_factory.mktemp("pairs") / "pairs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in chosen), encoding="utf-8")
    return path, chosen


@dataclass(frozen=True)
class Script:
    """How a scripted judge answers: the reply naming the first or the second
    response, and two replies that are ties (or unreadable) for the judge."""

    say: Callable[[bool], str]
    tie_reply: str
    other_tie_reply: str
    has_ties: bool


SCRIPTS: dict[str, Script] = {
    "panda_lm": Script(
        lambda first: ("1" if first else "2") + "\n\n### Reason: checked the final answers.\n\n### Reference: ...",
        "Tie\n\n### Reason: both wrong",
        "I cannot decide.",  # PandaLM's rule: a tie
        True,
    ),
    "judge_lm": Script(lambda first: ("9 2" if first else "2 9") + "\nAssistant", "5 5\nBoth", "Assistant 1: 7", True),
    "prometheus_2": Script(
        lambda first: "One response is correct, the other is not. [RESULT] " + ("A" if first else "B"),
        "Both are equally good. [RESULT] Tie",  # no tie option: no verdict
        "Both responses have merit.",
        False,
    ),
    "auto_j": Script(
        lambda first: "1. Correctness of the final answer.\n\nSo, the final decision is Response " + ("1" if first else "2"),
        "So, the final decision is Tie.",
        "Both responses have merit; the final decision is tie",
        True,
    ),
    "skywork_critic": Script(
        lambda first: "[[A]]" if first else "[[B]]",
        "Assistant A and Assistant B both fail.",  # JudgeBench read any capital A as A
        "No label here",
        False,
    ),
    "compass_judger": Script(
        lambda first: "My own answer first ... Assistant A vs Assistant B. " + ("[[A>>B]]" if first else "[[B>A]]"),
        "My final verdict is a tie: [[A=B]]",
        "Both answers are equally good: [[A=B]]",
        True,
    ),
}


def mixed_judge(pairs: list[dict], script: Script, budget: int | None, calls: list[str]) -> Callable[[list[ChatMessage]], str]:
    """A scripted judge that knows the labels and behaves differently per pair:
    pairs 0, 1 and 5 judged right; pair 2 always the first shown (inconsistent);
    pair 3 a tie (or unreadable) in both games; pair 4 right in game 1 and a tie
    (or unreadable) in game 2."""

    def reply(messages: list[ChatMessage]) -> str:
        text = messages_text(messages)
        if budget is not None:
            assert EstimateCounter().count(text) <= budget  # never more than the model can take
        for i, p in enumerate(pairs):
            fa, fb = p["response_A"].strip()[-30:], p["response_B"].strip()[-30:]
            if fa in text and fb in text:
                a_first = text.index(fa) < text.index(fb)
                calls.append(f"{i}:{'AB' if a_first else 'BA'}")
                right_first = a_first == (p["label"] == A)
                if i == 2:
                    return script.say(True)
                if i == 3:
                    return script.tie_reply
                if i == 4 and not a_first:
                    return script.other_tie_reply
                return script.say(right_first)
        raise AssertionError("scripted judge: pair not recognised in the prompt")

    return reply


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_end_to_end(name: str, tmp_path: Path, pairs_file: tuple[Path, list[dict]]) -> None:
    path, pairs = pairs_file
    script = SCRIPTS[name]
    budget = {"panda_lm": 2048 - 150 - 8, "judge_lm": 2048 - 16 - 8}.get(name)
    calls: list[str] = []
    model = scripted_model(mixed_judge(pairs, script, budget, calls))
    log = eval(judge(dataset=str(path), judge=name, prompts="builtin"), model=model, display="none", log_dir=str(tmp_path))[0]
    assert log.status == "success", log.error
    assert log.results is not None and log.samples is not None and len(log.samples) == len(PICK)
    m = {k: v.value for s in log.results.scores for k, v in s.metrics.items()}
    # pairs 0, 1, 4, 5 correct (4: right + tie/none); 2 inconsistent; 3 two ties/nones
    assert round(m["pair_accuracy"], 2) == 66.67
    assert round(m["inconsistency"], 2) == 16.67
    assert m["tie_rate" if script.has_ties else "no_verdict_rate"] == 25.0
    assert m["no_verdict_rate" if script.has_ties else "tie_rate"] == 0.0
    # decisive games: 6 on pairs 0, 1, 5 (3 chose the first shown), 2 on pair 2 (both first), 1 on pair 4 (first)
    assert round(m["position_bias"], 2) == 66.67
    assert sorted(calls) == sorted(f"{i}:{o}" for i in range(6) for o in ("AB", "BA"))  # one call per game
    by_id = {s.metadata["pair_id"]: s for s in log.samples}
    long_games = by_id[pairs[5]["pair_id"]].store["judgebench_games"]
    assert len(long_games) == 2 and all(g["raw"] for g in long_games)
    if budget is not None:  # the long pair was cut to fit, and the game record says so
        assert all(g["extra"]["context"]["truncated"] is True for g in long_games)
        assert all(g["extra"]["context"]["prompt_tokens"] <= budget for g in long_games)


# ---------------------------------------------------------------- single games


def play(name: str, reply: Callable[[list[ChatMessage]], object], **opts: object):  # type: ignore[no-untyped-def]
    j = create_judge(name, **opts)
    return asyncio.run(j.judge_game(Game("What is 2+2?", ("It is 4.", "It is 5.")), scripted_model(reply)))  # type: ignore[arg-type]


def test_compass_judger_makes_one_attempt() -> None:
    calls: list[int] = []

    def reply(_m: list[ChatMessage]) -> str:
        calls.append(1)
        return "I think A is a little better."  # no label

    result = play("compass_judger", reply)
    assert result.verdict is None and calls == [1]  # Arena-Hard would ask again
    assert play("compass_judger", lambda _m: "[[B>>A]]").verdict == B


def test_options_reach_the_model() -> None:
    roles: list[list[str]] = []

    def reply(messages: list[ChatMessage]) -> str:
        roles.append([m.role for m in messages])
        return "Feedback. [RESULT] A"

    assert play("prometheus_2", reply, prompt_format="system").verdict == A
    assert play("compass_judger", reply, system_message=True).verdict is None
    assert roles == [["system", "user"], ["system", "user"]]


def test_cut_off_reply_is_noted() -> None:
    result = play("auto_j", lambda _m: output("Response 1 is detailed and", stop_reason="max_tokens"))
    assert result.verdict is None and "cut off" in result.note
    # PandaLM's and JudgeLM's replies are cut on purpose: the verdict is on the first line
    result = play("judge_lm", lambda _m: output("8 3\nAssistant 1 is", stop_reason="max_tokens"))
    assert result.verdict == A and result.note == ""
