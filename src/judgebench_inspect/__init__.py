"""judgebench-inspect: JudgeBench (Tan et al., 2024) on Inspect AI.

The public API for use in other Inspect tasks: the pair solver and its judge
strategies, the pair scorer and its metrics, the pair rule, pair loading.
"""

from .dataset import PairDataError, PairRecord, load_pairs, pairs_dataset, read_pairs_file
from .judges import JUDGES, GameResult, PairwiseJudge, create_judge
from .pair_rule import PairOutcome, score_pair
from .scorers import (
    category_accuracy,
    game_accuracy,
    inconsistency,
    no_verdict_rate,
    pair_accuracy,
    pair_metrics,
    pair_scorer,
    pair_stderr,
    position_bias,
    unreadable_rate,
    tie_rate,
)
from .solvers import GAMES_KEY, judge_pair
from .tasks import judge_task

__all__ = [
    "GAMES_KEY",
    "JUDGES",
    "GameResult",
    "PairDataError",
    "PairOutcome",
    "PairRecord",
    "PairwiseJudge",
    "category_accuracy",
    "game_accuracy",
    "create_judge",
    "inconsistency",
    "judge_pair",
    "judge_task",
    "load_pairs",
    "no_verdict_rate",
    "pair_accuracy",
    "pair_metrics",
    "pair_scorer",
    "pair_stderr",
    "pairs_dataset",
    "position_bias",
    "unreadable_rate",
    "read_pairs_file",
    "score_pair",
    "tie_rate",
]
