"""Vanilla and Arena-Hard games with scripted models; templates; the registry."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from inspect_ai.model import ChatMessage

from judgebench_inspect.judges import (
    Game,
    JudgeCallError,
    JudgeConfigError,
    TemplateError,
    create_judge,
    load_template,
)
from judgebench_inspect.judges.arena_hard import FINISH_REQUEST, ArenaHardJudge
from judgebench_inspect.judges.templates import PromptTemplate
from judgebench_inspect.judges.vanilla import VanillaJudge

from support import output, scripted_model


def play(judge, replies: list, q: str = "Q?", first: str = "first answer", second: str = "second answer"):
    seen: list[list[ChatMessage]] = []
    it = iter(replies)

    def reply(messages: list[ChatMessage]):
        seen.append(list(messages))
        return next(it)

    result = asyncio.run(judge.judge_game(Game(q, (first, second)), scripted_model(reply)))
    return result, seen


def test_arena_hard_prompt_structure() -> None:
    result, seen = play(ArenaHardJudge(prompts="builtin"), ["My own answer... final verdict: [[B>>A]]"])
    assert result.verdict == "B>A" and result.extra["attempts"] == 1
    system, user = seen[0]
    assert system.role == "system" and "[[A>>B]]" in system.text and "own answer" in system.text
    assert user.role == "user"
    assert user.text.index("Q?") < user.text.index("first answer") < user.text.index("second answer")
    assert "<|The Start of Assistant A's Answer|>\nfirst answer\n<|The End of Assistant A's Answer|>" in user.text


def test_arena_hard_asks_once_more_without_a_label() -> None:
    result, seen = play(ArenaHardJudge(prompts="builtin"), ["long analysis, no label", "Final: [[A=B]]"])
    assert result.verdict == "A=B" and result.extra["attempts"] == 2
    assert len(seen) == 2
    second_call = seen[1]
    assert second_call[-1].text == FINISH_REQUEST and second_call[-2].role == "assistant"
    assert result.raw == "\nlong analysis, no label\nFinal: [[A=B]]"


def test_arena_hard_gives_up_after_two_attempts() -> None:
    result, seen = play(ArenaHardJudge(prompts="builtin"), ["nothing", "still nothing"])
    assert result.verdict is None and len(seen) == 2 and result.note == "no verdict label"


def test_arena_hard_labels_across_attempts_conflict() -> None:
    # labels are read over everything the judge wrote: a label in a cut-off first
    # reply and a different one in the second give no verdict
    result, _ = play(
        ArenaHardJudge(prompts="builtin"), [output("thinking [[A>B]] and more", stop_reason="max_tokens"), "[[B>A]]"]
    )
    assert result.verdict is None and "several" in result.note


def test_arena_hard_cut_off_reply_is_never_a_verdict() -> None:
    result, seen = play(
        ArenaHardJudge(prompts="builtin"), [output("[[A>B]] and then", stop_reason="max_tokens"), output("[[A>B]] cut", stop_reason="max_tokens")]
    )
    assert result.verdict is None and "cut off" in result.note and len(seen) == 2


def test_arena_hard_label_only_in_a_cut_off_reply_is_not_a_verdict() -> None:
    result, seen = play(
        ArenaHardJudge(prompts="builtin"), [output("so far [[A>B]] but", stop_reason="max_tokens"), "I cannot decide."]
    )
    assert result.verdict is None and len(seen) == 2


def test_arena_hard_two_labels_no_retry() -> None:
    result, seen = play(ArenaHardJudge(prompts="builtin"), ["[[A>B]] or maybe [[B>A]]"])
    assert result.verdict is None and len(seen) == 1


def test_empty_reply_is_an_error_not_a_verdict() -> None:
    with pytest.raises(JudgeCallError, match="empty"):
        play(ArenaHardJudge(prompts="builtin"), ["   "])
    with pytest.raises(JudgeCallError):
        play(VanillaJudge(prompts="builtin"), [""])


def test_vanilla_game() -> None:
    result, seen = play(VanillaJudge(prompts="builtin"), ["Output (b)"])
    assert result.verdict == "B>A"
    (user,) = seen[0]
    assert "Output (a)" in user.text and user.text.index("first answer") < user.text.index("second answer")
    result, _ = play(VanillaJudge(prompts="builtin"), ["I think Output (a)"])
    assert result.verdict is None and result.note


def test_registry_errors() -> None:
    with pytest.raises(JudgeConfigError, match="valid judges: .*arena_hard.*vanilla"):
        create_judge("gpt_judge")
    with pytest.raises(JudgeConfigError, match="has no option"):
        create_judge("arena_hard", temperature=0.3)
    assert isinstance(create_judge("arena_hard", attempts=1), ArenaHardJudge)


def test_template_file(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_text("[system]\nBe fair. JSON like {\"a\": 1} stays.\n[user]\nQ: {question}\n1: {answer_a}\n2: {answer_b}\n")
    t = load_template(p)
    system, user = t.render("what {answer_b}?", "x", "y")
    assert system == 'Be fair. JSON like {"a": 1} stays.'
    # inserted text is never re-read: the question's "{answer_b}" stays literal
    assert user == "Q: what {answer_b}?\n1: x\n2: y"
    result, seen = play(create_judge("vanilla", template=str(p)), ["Output (a)"])
    assert seen[0][0].text.startswith("Be fair") and result.verdict == "A>B"


@pytest.mark.parametrize(
    "text,match",
    [
        ("{question} {answer_a}", r"missing placeholder\(s\) \{answer_b\}"),
        ("", "empty"),
        ("[system]\nhi\n", "no \\[user\\] section"),
        ("[user]\n{question}{answer_a}{answer_b}\n[system]\nx", "before \\[user\\]"),
    ],
)
def test_bad_templates(tmp_path: Path, text: str, match: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_text(text)
    with pytest.raises(TemplateError, match=match) as info:
        load_template(p)
    assert "bad.txt" in str(info.value)
    with pytest.raises(TemplateError, match="cannot read"):
        load_template(tmp_path / "nope.txt")


def test_plain_template_object() -> None:
    t = PromptTemplate(user="{question}|{answer_a}|{answer_b}")
    assert t.render("q", "a", "b") == (None, "q|a|b")
