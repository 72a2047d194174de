"""The generation tasks, run as ``inspect eval judgebench/generate`` and ``judgebench/solve``."""

from __future__ import annotations

from typing import Any

from inspect_ai import Task, task

from judgebench_inspect.tasks.generate import generate_task
from judgebench_inspect.tasks.solve import solve_task


@task
def generate(
    source: str = "mmlu_pro",
    source_path: str | None = None,
    subjects: str | list[str] | None = None,
    tasks: str | list[str] | None = None,
    n_per_subject: int | str | None = None,
    n: int | None = None,
    seed: int = 0,
    k: int = 5,
    temperature: float = 1.0,
    max_tokens: int = 4096,
    pair_quota: int | None = None,
    pair_seed: int = 0,
    second_grader: bool = False,
    sandbox: str | None = "local",
    timeout_per_test: float | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    instruction: str | None = None,
    source_revision: str | None = None,
    version_tag: str | None = None,
    **options: Any,
) -> Task:
    """Build new JudgeBench pairs: sample k responses per question from the evaluated model and check each.

    One sample per source question. The evaluated model writes ``k`` candidates
    concurrently; each is checked with the source's checker (and, with
    ``second_grader``, by the model bound to the role ``grader``). Questions
    with a correct and an incorrect candidate give a pair: export them with
    ``judgebench pairs LOG -o pairs.jsonl``, or judge the log directly with
    ``inspect eval judgebench/judge -T dataset=LOG``.

    Args:
      source: ``mmlu_pro``, ``livebench_reasoning``, ``livebench_math`` or ``livecodebench``.
      source_path: Local source data: the MMLU-Pro test split (the official
        model-output zip, a JSON list or JSONL); the LiveBench root folder
        (``<root>/<category>/<task>/question.jsonl``); a LiveCodeBench JSONL
        file. ``None`` loads the source from the Hugging Face hub at a pinned revision.
      subjects: MMLU-Pro subjects to keep (list or comma-separated), e.g. ``law,physics``.
      tasks: LiveBench tasks to keep, e.g. ``web_of_lies_v2,spatial`` or ``AMPS_Hard``.
      n_per_subject: Random questions per MMLU-Pro subject or LiveBench task;
        default 100 for MMLU-Pro (the paper's draw) and every question for
        LiveBench; ``all`` for every question. Not for livecodebench.
      n: Random questions in total, drawn after ``n_per_subject`` (the paper
        took 100 per LiveBench category).
      seed: Seed of the question draws.
      k: Candidates per question (the paper: 5).
      temperature: Sampling temperature of the candidates.
      max_tokens: Token limit of each candidate (a reply that hits it is kept
        out of pairs as ``truncated``).
      pair_quota: Keep at most this many pairs per source (per MMLU-Pro
        subject); the paper kept 11. Applied when the pairs are exported.
      pair_seed: Seed that picks the paired candidates, the A/B placement and
        the quota draw.
      second_grader: Also grade each checked candidate with the ``grader``
        role model given the ground truth (``--model-role grader=...``; the
        evaluated model if none); candidates where it disagrees with the
        checker are dropped. MMLU-Pro and LiveBench only.
      sandbox: Sandbox for LiveCodeBench code (``local``, ``docker``, ...; ``none``
        runs the isolated runner as a plain subprocess).
      timeout_per_test: Seconds per LiveCodeBench test (default 6).
      start_date: LiveCodeBench: problems from contests on or after this day (YYYY-MM-DD).
      end_date: LiveBench: questions released on or before this day;
        LiveCodeBench: contests on or before this day.
      instruction: MMLU-Pro: a text file whose content replaces the closing
        answer-format instruction of the prompt (it must still ask for the
        letter written five times).
      source_revision: Hub revision (branch, tag or commit) to read instead of
        the pinned default (MMLU-Pro and LiveBench math: a commit; LiveBench
        reasoning and LiveCodeBench: ``main``). The log's task metadata records
        the revision read and the commit it resolved to (``source_commit``).
        Hub loading only.
      version_tag: LiveCodeBench release to read from the hub (``release_v1`` ...
        ``release_v6``; default ``release_v4``).
      **options: None are taken: an unknown option stops the task with a
        suggestion (Inspect alone would only log a warning).
    """
    return generate_task(
        source=source,
        source_path=source_path,
        subjects=subjects,
        tasks=tasks,
        n_per_subject=n_per_subject,
        n=n,
        seed=seed,
        k=k,
        temperature=temperature,
        max_tokens=max_tokens,
        pair_quota=pair_quota,
        pair_seed=pair_seed,
        second_grader=second_grader,
        sandbox=sandbox,
        timeout_per_test=timeout_per_test,
        start_date=start_date,
        end_date=end_date,
        instruction=instruction,
        source_revision=source_revision,
        version_tag=version_tag,
        **options,
    )


@task
def solve(
    split: str = "gpt",
    dataset: str | None = None,
    categories: str | list[str] | None = None,
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
    return solve_task(
        split=split,
        dataset=dataset,
        categories=categories,
        mmlu_pro_path=mmlu_pro_path,
        livebench_path=livebench_path,
        livecodebench_path=livecodebench_path,
        temperature=temperature,
        max_tokens=max_tokens,
        sandbox=sandbox,
        timeout_per_test=timeout_per_test,
        **options,
    )
