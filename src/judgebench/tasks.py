"""The tasks run as ``inspect eval judgebench/<name>``."""

from __future__ import annotations

from typing import Any

from inspect_ai import Task, task

from judgebench_inspect.tasks import judge_task


@task
def judge(
    split: str = "gpt",
    dataset: str | None = None,
    judge: str = "arena_hard",
    games: int | None = None,
    categories: str | list[str] | None = None,
    template: str | None = None,
    prompts: str = "judgebench",
    **judge_options: Any,
) -> Task:
    """JudgeBench: can a judge tell the correct response of a pair from the wrong one?

    One sample per pair. Each pair is judged in both orders (games=2) and counts
    as correct only if the two verdicts net out for the correct response.

    Args:
      split: Published split, ``gpt`` (350 pairs) or ``claude`` (270 pairs).
      dataset: ``None`` for the published ScalerLab/JudgeBench at its pinned
        revision; or a local ``.jsonl`` file in the JudgeBench schema; or
        another hub dataset ``owner/name[@revision]`` (with ``split``).
      judge: Judge strategy: ``vanilla``, ``arena_hard``, ``panda_lm``,
        ``prometheus_2``, ``judge_lm``, ``auto_j``, ``skywork_critic``,
        ``compass_judger``, ``reward_model`` or ``chateval``.
      games: 2 (both orders, JudgeBench's rule) or 1 (original order only);
        default: 2, or 1 for reward models.
      categories: Restrict to some of knowledge, reasoning, math, coding
        (a list, or comma-separated).
      template: A prompt template file replacing the strategy's prompt (a
        file that is JudgeBench's own template for the judge means
        JudgeBench's exact request).
      prompts: ``judgebench`` (default): every request exactly as
        JudgeBench's ``run_judge.py`` sends it, from JudgeBench's files at a
        pinned commit, downloaded on first use and checked against their
        SHA-256 (or read from ``$JUDGEBENCH_PROMPTS_DIR``); ``builtin``: this
        project's own wording, no download.
      **judge_options: Further options of the chosen strategy (e.g.
        ``max_tokens``, ``attempts`` for arena_hard; ``reward_model`` for
        reward_model; ``rounds``, ``strategy`` for chateval); an option the
        strategy does not take is an error listing the ones it does.
    """
    return judge_task(
        split=split,
        dataset=dataset,
        judge=judge,
        games=games,
        categories=categories,
        template=template,
        prompts=prompts,
        **judge_options,
    )
