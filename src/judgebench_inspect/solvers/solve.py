"""The solver of the solve task: the model answers a JudgeBench question once, checked
with its source's checker (a generate candidate of one, see :func:`.generate.sample_candidate`).
"""

from __future__ import annotations

from dataclasses import asdict

from inspect_ai.model import ChatMessageAssistant, ModelOutput, get_model
from inspect_ai.solver import Generate, Solver, TaskState, solver

from ..generation.questions import registered_question
from ..records import SOLVE_KEY
from .generate import sample_candidate


@solver
def solve_question(bank: str, timeout_per_test: float | None = None) -> Solver:
    """Answer the sample's question once and check the answer (the solve task).

    Samples whose metadata says ``verifiable: False`` (no ground truth could be
    found) are not sent to the model; the scorer reports them.

    Args:
      bank: Key of the task's questions in the question registry
        (:mod:`judgebench_inspect.generation.questions`).
      timeout_per_test: Seconds per LiveCodeBench test (``None`` = checker default).
    """

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        if not state.metadata.get("verifiable", True):
            return state
        question = registered_question(bank, state.sample_id)
        model = get_model()
        candidate = await sample_candidate(1, state, question, model, None, timeout_per_test)
        state.store.set(SOLVE_KEY, asdict(candidate))
        state.output = ModelOutput.from_content(model=str(model), content=candidate.text)
        state.messages.append(ChatMessageAssistant(content=candidate.text, model=str(model)))
        return state

    return solve
