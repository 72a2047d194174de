"""The judge task: JudgeBench's pairs judged by a chosen strategy, scored by the pair rule."""

from __future__ import annotations

from typing import Any, Sequence

from inspect_ai import Task
from inspect_ai.model import GenerateConfig
from inspect_ai.scorer import Scorer
from inspect_ai.util import registry_info

from ..provider_state import skip_unloaded_provider_state
from ..dataset import (
    dataset_name,
    IDENTICAL_KEY,
    categories_in,
    identical_pairs,
    infer_split,
    load_pairs,
    pairs_dataset,
    select_categories,
)
from ..errors import task_errors
from ..judges import DEFAULT_PROMPTS, create_judge
from ..options import check_options
from ..scorers import pair_metrics, pair_scorer
from ..scorers.checks import CHECKS_KEY, RunNotes, verdict_checks
from ..solvers import check_games, judge_pair

#: Bump when results stop being comparable with earlier versions.
JUDGE_TASK_VERSION = 2


def checked_scorer(notes: RunNotes) -> Scorer:
    """The pair scorer, carrying ``notes`` into the log's results (see :mod:`..scorers.checks`).

    Args:
      notes: Filled by the :func:`verdict_checks` metric of the same task.
    """
    scorer = pair_scorer()
    info = registry_info(scorer)
    info.metadata = {**info.metadata, CHECKS_KEY: notes}  # this scorer's own copy
    return scorer


@task_errors("judgebench/judge")
def judge_task(
    split: str = "gpt",
    dataset: str | None = None,
    judge: str = "arena_hard",
    games: int | None = None,
    categories: str | Sequence[str] | None = None,
    template: str | None = None,
    prompts: str = DEFAULT_PROMPTS,
    **judge_options: Any,
) -> Task:
    """Build the judge task (see :func:`judgebench.judge` for the options).

    Raises:
      ConfigError: A bad option or dataset (Inspect shows the message alone).
    """
    check_options("judgebench/judge", judge_task, locals(), skip=("judge_options",))
    skip_unloaded_provider_state()
    if template is not None:
        judge_options["template"] = template
    strategy = create_judge(judge, prompts=prompts, **judge_options)  # fail fast on a bad name or option
    games = check_games(games, strategy)
    pairs = select_categories(load_pairs(dataset, split), categories)
    name = dataset_name(dataset, split)
    judged_split = split if dataset is None else infer_split({p.response_model for p in pairs}, name)
    return Task(
        dataset=pairs_dataset(pairs, name),
        solver=judge_pair(strategy, games=games),
        scorer=checked_scorer(notes := RunNotes()),
        metrics=[*pair_metrics(categories_in(pairs)), verdict_checks(notes)],
        config=GenerateConfig(temperature=0.0),
        version=JUDGE_TASK_VERSION,
        metadata={
            "judge": judge,
            "games": games,
            "split": judged_split,
            "prompts": {"mode": prompts, **strategy.prompts_metadata()},
            IDENTICAL_KEY: identical_pairs(pairs),
        },
    )
