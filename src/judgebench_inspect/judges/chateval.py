"""ChatEval judge: a panel of referee agents discusses the pair, then each scores both.

ChatEval (Chan et al. 2023, "ChatEval: Towards Better LLM-based Evaluators through
Multi-Agent Debate"; JudgeBench ran it with two GPT-4o referees) gives each
referee a persona. The referees discuss the two answers for a number of rounds;
in the last round each gives its final statement, ending with a 1-10 score for
each assistant. The scores are combined into a verdict (the mean per answer, or
a vote of each referee's own comparison).

Discussion modes (option ``discussion``, formerly ``strategy``; who sees what):

* ``one_by_one``: referees speak in turn; each sees every earlier message,
  including those of earlier speakers in the same round.
* ``simultaneous``: all referees speak at once in a round (concurrently); each
  sees only the messages of earlier rounds.
* ``simultaneous_summarizer``: as ``simultaneous``, but after each round a
  summariser folds that round's messages into a running summary, and referees
  see only the summary (never the raw messages, not even their own).

Every turn is a fresh prompt (question, both answers, task, visible discussion,
request), as in ChatEval. Each referee ``i`` uses the model bound to the role
``agent{i}`` if there is one (``--model-role agent1=openai/gpt-4o``), else the
judge model; the summariser uses the role ``summarizer`` likewise.

Scores: the final statement must end with the lines ``Score of Assistant 1: N``
and ``Score of Assistant 2: N`` (N from 1 to 10, decimals allowed); the last
such line for each assistant counts. A referee whose statement has no readable
scores is asked once more in the same conversation (``attempts``); if it still
has none it is left out of the aggregation, with a note. No referee with scores
is no verdict.

Prompts: with ``prompts="judgebench"`` (the default) every request is ChatEval's
own, rendered from its authors' config file at a pinned commit (see
:mod:`.chateval_upstream`): its template, personas, final prompt, message
layout (the discussion as assistant messages), ``temperature`` and
``max_tokens``, and its rule of sending the same request again when a final
statement fails its format check. ``prompts="builtin"`` uses the wording and
layout described above (this project's own).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Mapping, Sequence

from inspect_ai.model import (
    ChatMessage,
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    Model,
    get_model,
)
from inspect_ai.util import collect, span

from ..verdicts import A_BETTER, B_BETTER, TIE, Verdict
from .chateval_prompts import (
    BUILTIN_PERSONAS,
    NO_SUMMARY,
    SCORES_AGAIN,
    Persona,
    persona_key,
    render_history,
    resolve_personas,
    summary_prompt,
    turn_prompt,
)
from .base import CUT_OFF, Game, GameResult, PairwiseJudge, check_positive_int, complete
from .chateval_upstream import (
    CALL_DEFAULTS,
    CONFIG_PATH,
    MAX_TRIES,
    ChatEvalAgent,
    ChatEvalConfig,
    chat_messages,
    chateval_verdict,
    load_chateval,
    passes_format_check,
)
from .requests import DEFAULT_PROMPTS, check_prompts

Discussion = Literal["one_by_one", "simultaneous", "simultaneous_summarizer"]
Aggregation = Literal["average", "majority"]

DISCUSSIONS: tuple[str, ...] = ("one_by_one", "simultaneous", "simultaneous_summarizer")
AGGREGATIONS: tuple[str, ...] = ("average", "majority")

#: Model role of the summariser (falls back to the judge model).
SUMMARIZER_ROLE = "summarizer"

#: ChatEval's order type behind each of our discussion modes (the summariser has none).
ORDER_OF_DISCUSSION: dict[str, str] = {"one_by_one": "sequential", "simultaneous": "concurrent"}

#: Defaults with prompts=builtin (with prompts=judgebench: ChatEval's).
BUILTIN_MAX_TOKENS = 1024
BUILTIN_ATTEMPTS = 2

_SCORE_RE = re.compile(
    r"score\s+(?:of|for)\s+assistant\s*([12])\b[\s*_:=\-\[\]]*(\d+(?:\.\d+)?)(?:\s*/\s*10\b)?",
    re.IGNORECASE,
)


def parse_scores(text: str) -> tuple[tuple[float, float] | None, str]:
    """Read a referee's two scores from its final statement.

    The statement should end with ``Score of Assistant 1: N`` and ``Score of
    Assistant 2: N``. Case, Markdown emphasis (``**Score of Assistant 1:** 7``),
    ``for`` instead of ``of``, brackets and a ``/10`` suffix are tolerated; the
    last line for each assistant counts. A score outside 1-10 is unreadable.

    Args:
      text: The referee's final statement.

    Returns:
      ``(score of Assistant 1, score of Assistant 2)`` or ``None``, and a note
      saying what is missing.
    """
    found: dict[str, float] = {}
    for which, value in _SCORE_RE.findall(text):
        found[which] = float(value)
    missing = [w for w in ("1", "2") if w not in found]
    if missing:
        return None, "no score line for Assistant " + " or ".join(missing)
    bad = [f"Assistant {w}: {found[w]:g}" for w in ("1", "2") if not 1 <= found[w] <= 10]
    if bad:
        return None, "score outside 1-10 (" + ", ".join(bad) + ")"
    return (found["1"], found["2"]), ""


def _verdict_of(first: float, second: float) -> Verdict:
    if first > second:
        return A_BETTER
    if second > first:
        return B_BETTER
    return TIE


def aggregate(scores: Sequence[tuple[float, float]], how: str) -> tuple[Verdict, dict[str, Any]]:
    """Combine the referees' scores into one verdict (judge's frame, A = Assistant 1).

    * ``average``: the mean score of each answer over the referees with scores;
      the higher mean wins, equal means are a tie.
    * ``majority``: each referee votes for the answer it scored higher (equal
      scores: no vote); more votes wins, equal votes (also 0-0) are a tie.

    Args:
      scores: ``(Assistant 1, Assistant 2)`` per referee that gave readable scores.
      how: ``average`` or ``majority``.

    Returns:
      The verdict (``None`` if ``scores`` is empty) and the figures behind it.
    """
    if how not in AGGREGATIONS:
        raise ValueError(f"aggregation must be one of {', '.join(AGGREGATIONS)}, got {how!r}")
    if not scores:
        return None, {"aggregation": how, "counted": 0}
    if how == "average":
        n = len(scores)
        mean_1 = round(sum(s[0] for s in scores) / n, 6)
        mean_2 = round(sum(s[1] for s in scores) / n, 6)
        return _verdict_of(mean_1, mean_2), {
            "aggregation": how,
            "counted": n,
            "mean_assistant_1": mean_1,
            "mean_assistant_2": mean_2,
        }
    votes_1 = sum(1 for a, b in scores if a > b)
    votes_2 = sum(1 for a, b in scores if b > a)
    return _verdict_of(votes_1, votes_2), {
        "aggregation": how,
        "counted": len(scores),
        "votes_assistant_1": votes_1,
        "votes_assistant_2": votes_2,
        "abstained": len(scores) - votes_1 - votes_2,
    }


@dataclass
class Entry:
    """One message of the discussion (kept in ``GameResult.extra["discussion"]``).

    Attributes:
      round: The round (1-based).
      speaker: The referee's name, or ``summarizer``.
      agent: The referee's index (1-based); 0 for the summariser.
      kind: ``discussion``, ``final`` (last-round statement) or ``summary``.
      text: What was said (a final statement includes any answer to the request for scores).
      note: Remarks, e.g. a reply cut off at the token limit.
    """

    round: int
    speaker: str
    agent: int
    kind: str
    text: str
    note: str = ""


@dataclass
class _Turn:
    entry: Entry
    messages: list[ChatMessage] = field(default_factory=list)
    scores: tuple[float, float] | None = None
    score_note: str = ""


def _fmt(x: float) -> str:
    return f"{x:g}"


class ChatEvalJudge(PairwiseJudge):
    """Multi-agent debate: referees with personas discuss, then each scores both answers.

    Args:
      agents: Number of referees (default 2, or as many as ``personas`` names).
        Without ``personas`` the first built-in personas are used in this
        order: general_public, critic, scientist, psychologist, news_author.
      personas: Referee personas: a list of built-in names (or one
        comma-separated string), a mapping name -> description for your own
        (a ``None`` description takes the built-in one), or a ``.json``/
        ``.yaml`` file with either. Order = speaking order = model role index.
      rounds: Discussion rounds (default 2); the last round is the final
        statements with scores, so ``rounds=1`` means no discussion before them.
      discussion: ``one_by_one`` (default), ``simultaneous`` or
        ``simultaneous_summarizer`` (see the module docstring).
      aggregation: ``average`` (default; mean score per answer, higher wins,
        equal = tie) or ``majority`` (each referee's own comparison is a vote;
        more votes wins, equal = tie).
      max_tokens: Token limit of every referee turn and summary (default:
        ChatEval's config, 512, with ``prompts=judgebench``; 1024 with ``builtin``).
      attempts: Replies a referee may give for its final statement. ``builtin``
        (default 2): a statement without readable scores is followed by one
        request for the scores in the same conversation, then the referee is
        left out. ``judgebench`` (default 3, ChatEval's): the same request is
        sent again while the statement fails ChatEval's format check.
      prompts: ``judgebench`` (ChatEval's own requests, from its pinned config)
        or ``builtin`` (this project's wording).
      strategy: The former name of ``discussion`` (still accepted; give one or
        the other). Messages name the option as it was given.
    """

    name = "chateval"
    ties = (
        "a tie (A=B) when the mean scores are equal (average) or the votes are equal (majority); "
        "no verdict when no referee gave readable scores"
    )

    def __init__(
        self,
        agents: int | None = None,
        personas: str | Sequence[str] | Mapping[str, str | None] | None = None,
        rounds: int = 2,
        discussion: Discussion | None = None,
        aggregation: Aggregation = "average",
        max_tokens: int | None = None,
        attempts: int | None = None,
        prompts: str = DEFAULT_PROMPTS,
        strategy: Discussion | None = None,
    ) -> None:
        if discussion is not None and strategy is not None:
            raise ValueError(
                "discussion and strategy are the same option (strategy is its former name): give only discussion"
            )
        #: The option's name as the user gave it (messages name it so).
        self.discussion_option = "strategy" if strategy is not None else "discussion"
        mode = discussion if discussion is not None else strategy if strategy is not None else "one_by_one"
        if mode not in DISCUSSIONS:
            raise ValueError(f"{self.discussion_option} must be one of {', '.join(DISCUSSIONS)}, got {mode!r}")
        if aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {', '.join(AGGREGATIONS)}, got {aggregation!r}")
        check_positive_int("rounds", rounds)
        if attempts is not None:
            check_positive_int("attempts", attempts)
        if agents is not None and (not isinstance(agents, int) or isinstance(agents, bool)):
            raise ValueError(f"agents must be a whole number, got {agents!r}")
        self.prompts = check_prompts(prompts)
        self.rounds = rounds
        self.discussion: Discussion = mode
        self.aggregation = aggregation
        #: ChatEval's config (``judgebench`` mode), and why the requests differ from it.
        self.upstream: ChatEvalConfig | None = None
        self.inexact: list[str] = []
        #: Per referee index: ChatEval's agent settings and call settings (``judgebench`` mode).
        self.agent_settings: dict[int, ChatEvalAgent] = {}
        self.configs: dict[int, GenerateConfig] = {}
        if self.prompts == "builtin":
            self.personas: list[Persona] = resolve_personas(agents, personas)
            self.attempts = BUILTIN_ATTEMPTS if attempts is None else attempts
            self.config = GenerateConfig(max_tokens=BUILTIN_MAX_TOKENS if max_tokens is None else max_tokens)
            return
        if mode not in ORDER_OF_DISCUSSION:
            raise ValueError(
                f"{self.discussion_option}={mode} has no ChatEval request (ChatEval's pinned config and code have no "
                "summariser prompt); use -T prompts=builtin for this project's summariser"
            )
        self._plan_upstream(load_chateval(), agents, personas, max_tokens, attempts)

    def _plan_upstream(
        self,
        upstream: ChatEvalConfig,
        agents: int | None,
        personas: str | Sequence[str] | Mapping[str, str | None] | None,
        max_tokens: int | None,
        attempts: int | None,
    ) -> None:
        """Set up ChatEval's requests and note every option that makes them differ.

        Args:
          upstream: ChatEval's config.
          agents: The ``agents`` option.
          personas: The ``personas`` option (names of the config's agents take
            its descriptions; other names ours).
          max_tokens: The ``max_tokens`` option (``None``: the config's).
          attempts: The ``attempts`` option (``None``: ChatEval's tries).
        """
        self.upstream = upstream
        by_key = {persona_key(a.name): a for a in upstream.agents}
        table = {k: (a.name, a.role_description) for k, a in by_key.items()}
        table.update({k: v for k, v in BUILTIN_PERSONAS.items() if k not in table})
        self.personas = resolve_personas(agents, personas, table)
        panel = [(p.name, p.description) for p in self.personas]
        if panel != [(a.name, a.role_description) for a in upstream.agents]:
            self.inexact.append(
                f"referees {', '.join(p.name for p in self.personas)} "
                f"(ChatEval's config: {', '.join(a.name for a in upstream.agents)} with its personas)"
            )
        if self.rounds != upstream.rounds:
            self.inexact.append(f"rounds={self.rounds} (ChatEval's config: {upstream.rounds})")
        if ORDER_OF_DISCUSSION[self.discussion] != upstream.order:
            self.inexact.append(
                f"{self.discussion_option}={self.discussion} (ChatEval's config: {upstream.order} order)"
            )
        self.attempts = MAX_TRIES if attempts is None else attempts
        if self.attempts != MAX_TRIES:
            self.inexact.append(f"attempts={self.attempts} (ChatEval: {MAX_TRIES} tries of a final statement)")
        for p in self.personas:
            # a referee the config lacks takes the first agent's final prompt and settings
            base = by_key.get(persona_key(p.name), upstream.agents[0])
            tokens = base.max_tokens if max_tokens is None else max_tokens
            agent = ChatEvalAgent(p.name, p.description, base.final_prompt, base.temperature, tokens)
            self.agent_settings[p.index] = agent
            self.configs[p.index] = GenerateConfig(
                temperature=agent.temperature, max_tokens=agent.max_tokens, **CALL_DEFAULTS
            )
        if max_tokens is not None and any(a.max_tokens != max_tokens for a in upstream.agents):
            self.inexact.append(
                f"max_tokens={max_tokens} (ChatEval's config: {', '.join(str(a.max_tokens) for a in upstream.agents)})"
            )
        self.config = self.configs[self.personas[0].index]

    def prompts_metadata(self) -> dict[str, Any]:
        """What the log records about the prompts this judge sends."""
        if self.upstream is None:
            return {"mode": self.prompts, "template": "ChatEval, this project's wording", "exact": False}
        out: dict[str, Any] = {"mode": self.prompts, "template": f"ChatEval {CONFIG_PATH}"}
        out.update(self.upstream.provenance())
        out["exact"] = not self.inexact
        if self.inexact:
            out["why_not_exact"] = list(self.inexact)
        return out

    def _request_info(self) -> dict[str, Any]:
        if self.upstream is None:
            return {"prompts": self.prompts, "exact": False, "why": ["prompts=builtin"]}
        info: dict[str, Any] = {"prompts": self.prompts, "exact": not self.inexact}
        if self.inexact:
            info["why"] = list(self.inexact)
        return info

    # -- one game ---------------------------------------------------------

    async def judge_game(self, game: Game, model: Model) -> GameResult:
        if self.upstream is not None:
            return await self._game_upstream(game, model)
        question, first, second = game.question, game.first, game.second
        models = {p.index: get_model(role=p.role, default=model) for p in self.personas}
        summarizer = (
            get_model(role=SUMMARIZER_ROLE, default=model)
            if self.discussion == "simultaneous_summarizer"
            else None
        )
        discussion: list[Entry] = []
        messages: list[ChatMessage] = []
        finals: list[_Turn] = []
        summary: str | None = None

        for rnd in range(1, self.rounds + 1):
            final = rnd == self.rounds
            if self.discussion == "one_by_one":
                turns = []
                for p in self.personas:
                    history = render_history([(e.round, e.speaker, e.text) for e in discussion])
                    turn = await self._turn(p, models[p.index], question, first, second, history, rnd, final, False)
                    discussion.append(turn.entry)
                    turns.append(turn)
            else:
                summarised = self.discussion == "simultaneous_summarizer"
                if summarised:
                    history = summary if summary is not None else NO_SUMMARY
                else:
                    history = render_history([(e.round, e.speaker, e.text) for e in discussion])
                turns = await collect(
                    *(
                        self._turn(p, models[p.index], question, first, second, history, rnd, final, summarised)
                        for p in self.personas
                    )
                )
                discussion.extend(t.entry for t in turns)
            for t in turns:
                messages.extend(t.messages)
            if final:
                finals = list(turns)
            elif summarizer is not None:
                entry, msgs = await self._summarise(summarizer, summary, rnd, [t.entry for t in turns])
                summary = entry.text
                discussion.append(entry)
                messages.extend(msgs)

        result = self._result(finals, discussion, messages, models, summarizer)
        result.request = self._request_info()
        return result

    async def _game_upstream(self, game: Game, model: Model) -> GameResult:
        """One game with ChatEval's own requests (``judgebench`` mode)."""
        assert self.upstream is not None
        texts = (game.question, game.first, game.second)
        models = {p.index: get_model(role=p.role, default=model) for p in self.personas}
        heard: list[tuple[str, str]] = []  # ChatEval's shared memory: accepted messages in order
        discussion: list[Entry] = []
        messages: list[ChatMessage] = []
        finals: list[_Turn] = []
        for rnd in range(1, self.rounds + 1):
            final = rnd == self.rounds
            if self.discussion == "one_by_one":
                steps = [[p] for p in self.personas]
            else:
                steps = [list(self.personas)]
            turns: list[_Turn] = []
            for speakers in steps:
                seen = list(heard)
                done = await collect(
                    *(self._turn_upstream(p, models[p.index], texts, seen, rnd, final) for p in speakers)
                )
                accepted = [(t.entry.speaker, t.entry.text) for t, ok in done if ok]
                # a step in which nobody was heard leaves a "[Silence]" message without a speaker
                heard.extend(accepted or [("", "[Silence]")])
                turns.extend(t for t, _ in done)
            for t in turns:
                discussion.append(t.entry)
                messages.extend(t.messages)
            if final:
                finals = turns
        result = self._result(finals, discussion, messages, models, None)
        result.upstream, reading = chateval_verdict(heard, len(self.personas))
        result.upstream_read = True
        result.extra["chateval_reading"] = reading
        result.request = self._request_info()
        return result

    async def _turn_upstream(
        self,
        persona: Persona,
        model: Model,
        texts: tuple[str, str, str],
        heard: list[tuple[str, str]],
        rnd: int,
        final: bool,
    ) -> tuple[_Turn, bool]:
        """One referee turn as ChatEval sends it; whether ChatEval keeps the reply.

        Args:
          persona: The referee speaking.
          model: Its model.
          texts: The question, the answer shown first and the one shown second.
          heard: The discussion it has heard (``(speaker, text)``, ChatEval's memory).
          rnd: This round (1-based).
          final: Whether the turn is in the last round.
        """
        assert self.upstream is not None
        async with span(f"round {rnd} / {persona.name}"):
            agent = self.agent_settings[persona.index]
            prompt = self.upstream.fill(agent, *texts, final)
            request = chat_messages(prompt, heard, agent.final_prompt if final else "")
            msgs: list[ChatMessage] = list(request)
            tries = self.attempts if final else 1
            for _ in range(tries):
                output = await complete(model, request, self.configs[persona.index])
                msgs.append(output.message)
                kept = not final or passes_format_check(output.completion)
                if kept:
                    break
            sent = len(msgs) - len(request)
            notes = [CUT_OFF] if output.stop_reason == "max_tokens" else []
            if sent > 1:
                notes.append(f"failed ChatEval's format check: same request sent {sent} times")
            if not kept:
                notes.append("dropped by ChatEval (no later referee hears it)")
            kind = "final" if final else "discussion"
            entry = Entry(rnd, persona.name, persona.index, kind, output.completion, "; ".join(notes))
            if not final:
                return _Turn(entry, msgs), kept
            scores, score_note = parse_scores(output.completion)
            return _Turn(entry, msgs, scores, score_note), kept

    async def _turn(
        self,
        persona: Persona,
        model: Model,
        question: str,
        first: str,
        second: str,
        history: str,
        rnd: int,
        final: bool,
        summarised: bool,
    ) -> _Turn:
        """One referee turn (with the extra request for scores in a final one)."""
        async with span(f"round {rnd} / {persona.name}"):
            system, user = turn_prompt(
                persona, len(self.personas), question, first, second, history, rnd, self.rounds, final, summarised
            )
            msgs: list[ChatMessage] = [ChatMessageSystem(content=system), ChatMessageUser(content=user)]
            output = await complete(model, msgs, self.config)
            msgs.append(output.message)
            texts = [output.completion]
            notes = [CUT_OFF] if output.stop_reason == "max_tokens" else []
            if not final:
                entry = Entry(rnd, persona.name, persona.index, "discussion", output.completion, "; ".join(notes))
                return _Turn(entry, msgs)
            scores, score_note = parse_scores(output.completion)
            for _ in range(self.attempts - 1):
                if scores is not None:
                    break
                msgs.append(ChatMessageUser(content=SCORES_AGAIN))
                output = await complete(model, msgs, self.config)
                msgs.append(output.message)
                texts.append(output.completion)
                scores, score_note = parse_scores(output.completion)
            if len(texts) > 1:
                notes.append(f"asked again for scores ({len(texts)} replies)")
            entry = Entry(rnd, persona.name, persona.index, "final", "\n\n".join(texts), "; ".join(notes))
            return _Turn(entry, msgs, scores, score_note)

    async def _summarise(
        self, model: Model, summary: str | None, rnd: int, entries: list[Entry]
    ) -> tuple[Entry, list[ChatMessage]]:
        """Fold one round into the running summary."""
        async with span(f"round {rnd} / summarizer"):
            system, user = summary_prompt(summary, rnd, [(e.speaker, e.text) for e in entries])
            msgs: list[ChatMessage] = [ChatMessageSystem(content=system), ChatMessageUser(content=user)]
            output = await complete(model, msgs, self.config)
            msgs.append(output.message)
            note = CUT_OFF if output.stop_reason == "max_tokens" else ""
            return Entry(rnd, SUMMARIZER_ROLE, 0, "summary", output.completion, note), msgs

    def _result(
        self,
        finals: list[_Turn],
        discussion: list[Entry],
        messages: list[ChatMessage],
        models: dict[int, Model],
        summarizer: Model | None,
    ) -> GameResult:
        scores = [t.scores for t in finals if t.scores is not None]
        verdict, figures = aggregate(scores, self.aggregation)
        excluded = [f"{t.entry.speaker}: {t.score_note}; left out" for t in finals if t.scores is None]
        note = "; ".join(excluded)
        if verdict is None:
            note = "no referee gave readable scores" + (f" ({note})" if note else "")

        raw_parts = [f"## {t.entry.speaker} (agent {t.entry.agent}), final statement\n{t.entry.text.strip()}" for t in finals]
        lines = [
            f"{t.entry.speaker}: "
            + (f"Assistant 1 {_fmt(t.scores[0])}, Assistant 2 {_fmt(t.scores[1])}" if t.scores else f"no scores ({t.score_note})")
            for t in finals
        ]
        if self.aggregation == "average" and scores:
            lines.append(
                f"average over {figures['counted']}: Assistant 1 {_fmt(figures['mean_assistant_1'])}, "
                f"Assistant 2 {_fmt(figures['mean_assistant_2'])}"
            )
        elif scores:
            lines.append(
                f"votes over {figures['counted']}: Assistant 1 {figures['votes_assistant_1']}, "
                f"Assistant 2 {figures['votes_assistant_2']}, no preference {figures['abstained']}"
            )
        lines.append(f"verdict: {verdict or 'none'}")
        raw = "\n\n".join(raw_parts) + "\n\n## Scores\n" + "\n".join(lines)

        extra: dict[str, Any] = {
            "strategy": self.discussion,  # the record's key since before the option was renamed
            "rounds": self.rounds,
            "aggregation": figures,
            "agents": [
                {"agent": p.index, "name": p.name, "role": p.role, "model": str(models[p.index])}
                for p in self.personas
            ],
            "discussion": [asdict(e) for e in discussion],
            "scores": [
                {
                    "agent": t.entry.agent,
                    "speaker": t.entry.speaker,
                    "assistant_1": t.scores[0] if t.scores else None,
                    "assistant_2": t.scores[1] if t.scores else None,
                    "note": t.score_note,
                }
                for t in finals
            ],
        }
        if summarizer is not None:
            extra["summarizer_model"] = str(summarizer)
        return GameResult(verdict, raw, messages, note=note, extra=extra)
