"""Inspect's floor for judging a pair: the least any Inspect task can do per pair.

One sample per pair whose solver sends the same two Arena-Hard prompts as the
judge task (both orders, concurrently) and keeps the first reply; a scorer that
returns a constant. No spans, no parsing, no store, no metadata, one trivial
metric. Run by ``bench_judge.py --floor`` through the same CLI and fake server as
the judge task, so the difference in CPU per game between the two rows is the
judge task's own cost, and the floor row is what Inspect itself costs.

The prompts are kept in a module-level table keyed by sample id (not in sample
metadata, which Inspect would process for every sample). The floor gets the same
start-up fix as the judge task (no Anthropic SDK import when no Anthropic model
runs, see ``judgebench_inspect.provider_state``), so start-up is compared like for like.
"""

from __future__ import annotations

from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.model import ChatMessage, GenerateConfig, get_model
from inspect_ai.scorer import Score, Scorer, Target, mean, scorer
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.util import collect

from judgebench_inspect.provider_state import skip_unloaded_provider_state
from judgebench_inspect.dataset import read_pairs_file
from judgebench_inspect.judges._prompted import prompt_messages
from judgebench_inspect.judges.arena_hard import ARENA_HARD_TEMPLATE

_PROMPTS: dict[str, tuple[list[ChatMessage], list[ChatMessage]]] = {}


@solver
def two_calls() -> Solver:
    """Both games' model calls, concurrently; nothing else."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        model = get_model()
        config = GenerateConfig(max_tokens=4096)
        first, second = _PROMPTS[str(state.sample_id)]
        outputs = await collect(model.generate(first, config=config), model.generate(second, config=config))
        state.output = outputs[0]
        return state

    return solve


@scorer(metrics=[mean()])
def constant() -> Scorer:
    """Score 1 for every sample."""

    async def score(state: TaskState, target: Target) -> Score:
        return Score(value=1)

    return score


@task
def floor(dataset: str) -> Task:
    """The floor task over a JudgeBench pairs file.

    Args:
      dataset: A JudgeBench ``.jsonl`` pairs file.
    """
    skip_unloaded_provider_state()
    samples = []
    for pair in read_pairs_file(dataset):
        _PROMPTS[pair.pair_id] = (
            prompt_messages(ARENA_HARD_TEMPLATE, pair.question, pair.response_A, pair.response_B),
            prompt_messages(ARENA_HARD_TEMPLATE, pair.question, pair.response_B, pair.response_A),
        )
        samples.append(Sample(id=pair.pair_id, input="judge the pair"))
    return Task(dataset=samples, solver=two_calls(), scorer=constant(), config=GenerateConfig(temperature=0.0))
