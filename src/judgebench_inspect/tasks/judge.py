"""The judge task: JudgeBench's pairs judged by a chosen strategy, scored by the pair rule.

Run as ``inspect eval judgebench/judge`` (the ``judgebench`` package names it; see there).
"""

from __future__ import annotations

from typing import Any, Sequence

from inspect_ai import Task
from inspect_ai.model import GenerateConfig

from ..provider_state import skip_unloaded_provider_state
from ..dataset import (
    dataset_name,
    IDENTICAL_KEY,
    categories_in,
    identical_pairs,
    infer_split,
    load_benchmark_pairs,
    pairs_dataset,
    select_categories,
)
from ..errors import task_errors
from ..judges import DEFAULT_PROMPTS, create_judge
from ..options import check_option
from ..scorers.judge import RunNotes, checked_scorer, pair_metrics, verdict_checks
from ..solvers import check_games, judge_pair

#: Task options with no value of their own, taken from ``**options`` so that the log's task
#: arguments (the run's configuration in ``inspect view``) list only what was given; their
#: values are checked against these types as a parameter's would be.
KEYWORD_OPTIONS: dict[str, Any] = {
    "dataset": str | None,
    "games": int | None,
    "categories": str | Sequence[str] | None,
    "template": str | None,
}


@task_errors("judgebench/judge")
def judge(
    split: str = "gpt",
    judge: str = "arena_hard",
    prompts: str = DEFAULT_PROMPTS,
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
        ``reward_model`` for reward_model; ``rounds``, ``discussion`` for
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
    for name, value in (("split", split), ("judge", judge), ("prompts", prompts)):
        check_option("judgebench/judge", name, value, str)
    for name, hint in KEYWORD_OPTIONS.items():
        check_option("judgebench/judge", name, options.get(name), hint)
    dataset, games, categories, template = (options.pop(name, None) for name in KEYWORD_OPTIONS)
    judge_options = options
    skip_unloaded_provider_state()
    if template is not None:
        judge_options["template"] = template
    strategy = create_judge(judge, prompts=prompts, **judge_options)  # fail fast on a bad name or option
    games = check_games(games, strategy)
    benchmark, loaded = load_benchmark_pairs(dataset, split)  # another benchmark's categories name the metrics
    pairs = select_categories(loaded, categories)
    name = dataset_name(dataset, split)
    judged_split = split if dataset is None else infer_split({p.response_model for p in pairs}, name)
    return Task(
        dataset=pairs_dataset(pairs, name),
        solver=judge_pair(strategy, games=games),
        scorer=checked_scorer(notes := RunNotes()),
        metrics=[*pair_metrics(benchmark.CATEGORIES if benchmark else categories_in(pairs)), verdict_checks(notes)],
        config=GenerateConfig(temperature=0.0),
        version=2,  # bump when results stop being comparable with earlier versions (and eval.yaml's)
        metadata={
            "benchmark": benchmark.NAME if benchmark else "judgebench",
            "judge": judge,
            "games": games,
            "split": judged_split,
            "prompts": {"mode": prompts, **strategy.prompts_metadata()},
            IDENTICAL_KEY: identical_pairs(pairs),
        },
    )
