"""The solver of the generate task: sample k responses, check each one.

Each candidate is one call of the evaluated model on the sample's prompt, then
its source's checker, then (optionally) the second grader, all in one span;
the k candidates run concurrently. The results go to ``state.store``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from inspect_ai.model import CachePolicy, ChatMessageAssistant, Model, ModelOutput, get_model
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.util import collect, span

from ..generation.grader import grade
from ..generation.kinds import check_response, reference_answer, status_of
from ..generation.pairs import final_status
from ..generation.questions import registered_question
from ..generation.sources import SourceQuestion
from ..records import CANDIDATES_KEY, MODEL_KEY, Candidate


def _active_cache() -> bool | CachePolicy | None:
    """The eval's cache setting (``--cache``), if this Inspect version exposes it."""
    try:
        from inspect_ai.model._generate_config import active_generate_config
    except ImportError:  # pragma: no cover - private API moved
        return None
    return active_generate_config().cache


def candidate_cache(cache: bool | CachePolicy | None, index: int) -> bool | CachePolicy:
    """A cache policy that keeps the k candidates of a question apart.

    Identical calls would otherwise hit the same cache entry and give k copies
    of one response.

    Args:
      cache: The eval's cache setting.
      index: The candidate's number.
    """
    if not cache:
        return False
    policy = cache if isinstance(cache, CachePolicy) else CachePolicy()
    return policy.model_copy(update={"scopes": {**policy.scopes, "judgebench_candidate": str(index)}})


def short(candidate: Candidate) -> str:
    """One line about a candidate, for summaries."""
    answer = candidate.answer if candidate.answer is not None else "no answer"
    if len(answer) > 60:
        answer = answer[:57] + "..."
    return f"candidate {candidate.index}: {answer} -> {candidate.status}"


async def sample_candidate(
    index: int,
    state: TaskState,
    question: SourceQuestion,
    model: Model,
    grader: Model | None,
    timeout_per_test: float | None = None,
) -> Candidate:
    """Generate, check and (optionally) grade one candidate.

    Args:
      index: The candidate's number (1-based).
      state: The sample's state (its messages are the prompt).
      question: The source question.
      model: The response model.
      grader: The second grader, or ``None``.
      timeout_per_test: Seconds per LiveCodeBench test.
    """
    output = await model.generate(state.messages, cache=candidate_cache(_active_cache(), index))
    text = output.completion
    stop = str(output.stop_reason)
    if not text.strip():
        return Candidate(index, text, None, None, "the model returned no text", "empty", stop, epoch=state.epoch)
    result = await check_response(question, text, timeout_per_test=timeout_per_test)
    status = status_of(result)
    if stop == "max_tokens":
        status = "truncated"
    verdict: dict[str, Any] | None = None
    if grader is not None and status in ("correct", "incorrect"):
        graded = await grade(grader, question.prompt, reference_answer(question), text)
        verdict = {"correct": graded.correct, "raw": graded.raw}
        status = final_status(status, graded.correct, graded=True)
    return Candidate(
        index=index,
        text=text,
        answer=result.extracted,
        correct=None if status_of(result) == "unverified" else result.correct,
        detail=result.detail,
        status=status,
        stop_reason=stop,
        grader=verdict,
        epoch=state.epoch,
    )


@solver
def generate_candidates(
    bank: str,
    k: int = 5,
    second_grader: bool = False,
    timeout_per_test: float | None = None,
) -> Solver:
    """Sample ``k`` responses to the sample's question and check each one.

    The response model is the evaluated model (its generate config: the task's
    ``temperature``/``max_tokens``). The second grader is the model bound to the
    role ``grader`` (``--model-role grader=...``), else the evaluated model.
    Candidates are stored under ``judgebench_candidates`` in ``state.store``.

    Args:
      bank: Key of the task's questions in the question registry
        (:mod:`judgebench_inspect.generation.questions`).
      k: Candidates per question.
      second_grader: Also ask the grader model, given the ground truth.
      timeout_per_test: Seconds per LiveCodeBench test (``None`` = checker default).
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        question = registered_question(bank, state.sample_id)
        model = get_model()
        grader = get_model(role="grader") if second_grader else None

        async def one(index: int) -> Candidate:
            async with span(f"candidate {index}"):
                return await sample_candidate(index, state, question, model, grader, timeout_per_test)

        candidates = await collect(*(one(i) for i in range(1, k + 1)))
        state.store.set(CANDIDATES_KEY, [asdict(c) for c in candidates])
        state.store.set(MODEL_KEY, model.name)
        summary = "\n".join(short(c) for c in candidates)
        state.output = ModelOutput.from_content(model=str(model), content=summary)
        state.messages.append(ChatMessageAssistant(content=summary, model=str(model)))
        return state

    return solve
