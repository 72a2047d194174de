"""The solve task: the model answers JudgeBench's questions itself (paper Table 4)."""

from __future__ import annotations

from typing import Any, Sequence

from inspect_ai import Task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import GenerateConfig

from ..provider_state import skip_unloaded_provider_state
from ..dataset import dataset_name, load_pairs, representative_order, select_categories
from ..errors import reject_unknown_options, task_errors
from ..options import check_options
from ..generation.match import Match, match_pairs, sources_provenance
from ..generation.questions import register_questions
from ..scorers.solve import solve_scorer
from ..solvers.solve import solve_question
from .generate import check_sandbox


def match_to_sample(m: Match) -> Sample:
    """One sample per pair: the pair's question (or, for coding, the coding prompt).

    Args:
      m: The pair and its matched source question.
    """
    p = m.pair
    metadata = {
        "pair_id": p.pair_id,
        "source": p.source,
        "category": p.category,
        "original_id": p.original_id,
        "verifiable": m.question is not None,
    }
    if m.question is None:
        metadata["unverifiable_reason"] = m.reason
    coding = p.source == "livecodebench"
    return Sample(
        id=p.pair_id,
        input=m.question.prompt if m.question is not None else p.question,
        target="" if coding or m.question is None else m.question.ground_truth,
        metadata=metadata,
    )


@task_errors("judgebench/solve")
def solve(
    split: str = "gpt",
    dataset: str | None = None,
    categories: str | Sequence[str] | None = None,
    mmlu_pro_path: str | None = None,
    livebench_path: str | None = None,
    livecodebench_path: str | None = None,
    temperature: float = 0.0,
    max_tokens: int = 4096,
    sandbox: str | None = "local",
    timeout_per_test: float | None = None,
    **options: Any,
) -> Task:
    """Solver vs judge: the evaluated model answers JudgeBench's questions itself.

    One sample per pair; the answer is checked with the same checkers as the
    generation pipeline. Accuracy is reported per category, to set beside the
    judge task's accuracy (paper Table 4). Pairs whose ground truth cannot be
    found are reported as unverifiable (metric ``unverifiable``), not scored.

    Args:
      split: Published split, ``gpt`` or ``claude``.
      dataset: A local pairs ``.jsonl``, a ``judgebench/generate`` log, or a hub
        dataset ``owner/name[@revision]`` (as for the judge task).
      categories: Restrict to some of knowledge, reasoning, math, coding.
      mmlu_pro_path: Local MMLU-Pro test split (joined by ``original_id``);
        ``None`` = the hub.
      livebench_path: Local LiveBench root folder (joined by the prompt text);
        ``None`` = the hub.
      livecodebench_path: LiveCodeBench JSONL with tests (joined by the problem
        statement), or ``hub``; ``None``: coding pairs are unverifiable.
      temperature: Sampling temperature (default greedy).
      max_tokens: Token limit of the answer.
      sandbox: Sandbox for LiveCodeBench code (``local``, ``docker``, ...).
      timeout_per_test: Seconds per LiveCodeBench test (default 6).
      **options: None are taken: an unknown option stops the task with a
        suggestion (Inspect alone would only log a warning).
    """
    reject_unknown_options("judgebench/solve", options, solve)
    check_options("judgebench/solve", solve, locals(), skip=("options",))
    skip_unloaded_provider_state()
    pairs = representative_order(select_categories(load_pairs(dataset, split), categories))
    matches = match_pairs(pairs, mmlu_pro_path, livebench_path, livecodebench_path)
    bank = register_questions({m.pair.pair_id: m.question for m in matches if m.question is not None})
    needs_sandbox = any(m.question is not None and m.pair.source == "livecodebench" for m in matches)
    name = dataset_name(dataset, split)
    return Task(
        dataset=MemoryDataset([match_to_sample(m) for m in matches], name=name),
        solver=solve_question(bank=bank, timeout_per_test=timeout_per_test),
        scorer=solve_scorer(),
        config=GenerateConfig(temperature=temperature, max_tokens=max_tokens),
        sandbox=check_sandbox(sandbox) if needs_sandbox else None,
        version=1,  # bump when results stop being comparable with earlier versions
        metadata={
            "judgebench_task": "solve",
            "split": split if dataset is None else None,
            "unverifiable": sum(m.question is None for m in matches),
            "sources": sources_provenance(pairs, mmlu_pro_path, livebench_path, livecodebench_path),
        },
    )


__all__ = ["match_to_sample", "solve"]
