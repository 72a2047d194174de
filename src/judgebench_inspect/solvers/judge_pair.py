"""The solver that judges one pair: both games, concurrently, each in its own span."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from inspect_ai.model import ChatMessageAssistant, Model, ModelOutput, get_model
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.util import collect, span

from ..dataset import pair_texts
from ..errors import fail
from ..judges import PairwiseJudge, create_judge
from ..records import GAMES_KEY, GameRecord, game_line, order_name
from ..verdicts import ORDERS, to_pair_frame


def check_games(games: int | None, strategy: PairwiseJudge) -> int:
    """The number of games to play: 1 or 2, defaulting to the strategy's.

    Args:
      games: What the user asked for (``None`` = the strategy's default).
      strategy: The judge strategy.
    """
    if games is None:
        return strategy.default_games
    if games not in (1, 2):
        fail(f"option games must be 1 or 2, got {games!r}")
    return games


@solver
def judge_pair(
    judge: str | PairwiseJudge = "arena_hard",
    games: int | None = None,
    **judge_options: Any,
) -> Solver:
    """Judge a JudgeBench pair in one or both presentation orders.

    The pair is read from the sample's metadata (``question``, ``response_A``,
    ``response_B``, nested under ``texts`` or at the top level). Game 1 shows (A, B); game 2 shows (B, A) and its verdict is
    swapped back. The games run concurrently. The judge model is the one bound
    to the role ``judge`` (``--model-role judge=...``), else the evaluated model.

    Args:
      judge: A judge name (see ``judgebench_inspect.judges.JUDGES``) or a judge.
      games: 2 for both orders (JudgeBench's rule), 1 for the original order
        only, ``None`` for the judge's default (2; reward models 1).
      **judge_options: Options of the named judge (e.g. ``template``).
    """
    strategy = judge if isinstance(judge, PairwiseJudge) else create_judge(judge, **judge_options)
    games = check_games(games, strategy)

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        texts = pair_texts(state.metadata)
        question = texts["question"]
        model: Model = get_model(role="judge")
        responses = {"A": texts["response_A"], "B": texts["response_B"]}

        async def play(index: int, order: tuple[str, str]) -> GameRecord:
            # titled "judge: game 1 (A first)" in the viewer (a span without a type shows its name twice)
            async with span(f"game {index + 1} ({order_name(order)})", type="judge"):
                result = await strategy.judge_game(
                    question, responses[order[0]], responses[order[1]], model
                )
            verdict = to_pair_frame(result.verdict, order)
            return GameRecord(
                game=index + 1,
                order=list(order),
                seen=result.verdict,
                verdict=verdict,
                raw=result.raw,
                note=result.note,
                extra=result.extra,
                upstream=to_pair_frame(result.upstream, order) if result.upstream_read else verdict,
                unreadable=result.unreadable,
                exact=result.request.get("exact") if result.request else None,
                request=result.request,
            )

        records = await collect(*(play(i, order) for i, order in enumerate(ORDERS[:games])))
        state.store.set(GAMES_KEY, [asdict(r) for r in records])
        summary = "; ".join(game_line(asdict(r)) for r in records)
        state.output = ModelOutput.from_content(model=str(model), content=summary)
        state.messages.append(ChatMessageAssistant(content=summary, model=str(model)))
        return state

    return solve
