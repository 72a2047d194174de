"""The tasks run as ``inspect eval judgebench/<name>``."""

from __future__ import annotations

from typing import Any

from inspect_ai import Task, task

from judgebench_inspect.tasks import judge_task


@task
def judge(
    split: str = "gpt",
    judge: str = "arena_hard",
    prompts: str = "judgebench",
    **options: Any,
) -> Task:
    """JudgeBench: can a judge tell the correct response of a pair from the wrong one?

    One sample per pair. Each pair is judged in both orders (games=2) and counts
    as correct only if the two verdicts net out for the correct response.

    Options without a value of their own (``dataset``, ``games``,
    ``categories``, ``template``) are taken as keywords, so the log's task
    arguments, which ``inspect view`` shows as the run's configuration, list
    only what was given instead of a row of nulls.

    Args:
      split: Published split, ``gpt`` (350 pairs) or ``claude`` (270 pairs).
      judge: Judge strategy: ``vanilla``, ``arena_hard``, ``panda_lm``,
        ``prometheus_2``, ``judge_lm``, ``auto_j``, ``skywork_critic``,
        ``compass_judger``, ``reward_model`` or ``chateval``.
      prompts: ``judgebench`` (default): every request exactly as
        JudgeBench's ``run_judge.py`` sends it, from JudgeBench's files at a
        pinned commit, downloaded on first use and checked against their
        SHA-256 (or read from ``$JUDGEBENCH_PROMPTS_DIR``); ``builtin``: this
        project's own wording, no download.
      **options: The options below, and further options of the chosen
        strategy (e.g. ``max_tokens``, ``attempts`` for arena_hard;
        ``reward_model`` for reward_model; ``rounds``, ``strategy`` for
        chateval); an option the strategy does not take is an error listing
        the ones it does.

        - ``dataset``: not given for the published ScalerLab/JudgeBench at its
          pinned revision; or a local ``.jsonl`` (or ``.jsonl.gz``) file in the
          JudgeBench schema; or another hub dataset ``owner/name[@revision]``
          (with ``split``).
        - ``games``: 2 (both orders, JudgeBench's rule) or 1 (original order
          only); default: 2, or 1 for reward models.
        - ``categories``: Restrict to some of knowledge, reasoning, math,
          coding (a list, or comma-separated).
        - ``template``: A prompt template file replacing the strategy's
          prompt (a file that is JudgeBench's own template for the judge
          means JudgeBench's exact request).
    """
    return judge_task(split=split, judge=judge, prompts=prompts, **options)
