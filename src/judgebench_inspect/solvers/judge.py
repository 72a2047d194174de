"""The solver that judges one pair: both games, concurrently, each in its own span."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Mapping

from inspect_ai.model import ChatMessageAssistant, Model, ModelOutput, get_model
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.util import collect, span

from ..dataset import TEXT_FIELDS, TEXTS_KEY, flat_metadata, pair_texts
from ..errors import fail
from ..judges import Game, PairwiseJudge, create_judge
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


#: Metadata keys that hold a pair's reference answer, first found wins.
REFERENCE_KEYS: tuple[str, ...] = ("reference", "reference_answer")


def game_of(metadata: Mapping[str, Any], order: tuple[str, str]) -> Game:
    """The game a judge is shown: a pair sample's texts in one presentation order.

    Args:
      metadata: The sample's metadata (texts nested or flat, see :func:`pair_texts`).
      order: Which response is shown first and second, e.g. ``("B", "A")``.

    Raises:
      KeyError: A text field is missing (the message names it).
    """
    texts = pair_texts(dict(metadata))
    rest = {k: v for k, v in flat_metadata(dict(metadata)).items() if k != TEXTS_KEY and k not in TEXT_FIELDS}
    reference = next((rest[k] for k in REFERENCE_KEYS if isinstance(rest.get(k), str)), None)
    return Game(
        question=texts["question"],
        responses=(texts[f"response_{order[0]}"], texts[f"response_{order[1]}"]),
        reference=reference,
        metadata=rest,
    )


@solver
def judge_pair(
    judge: str | PairwiseJudge = "arena_hard",
    games: int | None = None,
    **judge_options: Any,
) -> Solver:
    """Judge a JudgeBench pair in one or both presentation orders.

    The pair is read from the sample's metadata (``question``, ``response_A``,
    ``response_B``, nested under ``texts`` or at the top level). Each game is a
    :class:`~judgebench_inspect.judges.Game` (the question, the responses in
    the order shown, the pair's reference answer if its metadata has
    ``reference`` or ``reference_answer``, and the rest of its metadata).
    Game 1 shows (A, B); game 2 shows (B, A) and its verdict is swapped back.
    The games run concurrently. The judge model is the one bound to the role
    ``judge`` (``--model-role judge=...``), else the evaluated model.

    Args:
      judge: A judge name (see ``judgebench_inspect.judges.JUDGES``) or a judge.
      games: 2 for both orders (JudgeBench's rule), 1 for the original order
        only, ``None`` for the judge's default (2; reward models 1).
      **judge_options: Options of the named judge (e.g. ``template``).
    """
    strategy = judge if isinstance(judge, PairwiseJudge) else create_judge(judge, **judge_options)
    games = check_games(games, strategy)

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        orders = ORDERS[:games]
        shown = [game_of(state.metadata, order) for order in orders]  # a missing text fails here
        model: Model = get_model(role="judge")

        async def play(index: int, order: tuple[str, str], game: Game) -> GameRecord:
            # titled "judge: game 1 (A first)" in the viewer (a span without a type shows its name twice)
            async with span(f"game {index + 1} ({order_name(order)})", type="judge"):
                result = await strategy.judge_game(game, model)
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

        records = await collect(*(play(i, order, game) for i, (order, game) in enumerate(zip(orders, shown))))
        state.store.set(GAMES_KEY, [asdict(r) for r in records])
        summary = "; ".join(game_line(asdict(r)) for r in records)
        state.output = ModelOutput.from_content(model=str(model), content=summary)
        state.messages.append(ChatMessageAssistant(content=summary, model=str(model)))
        return state

    return solve
