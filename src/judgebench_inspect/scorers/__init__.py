"""Scorers and metrics of judgebench-inspect."""

from .judge import (
    category_accuracy,
    game_accuracy,
    inconsistency,
    no_verdict_rate,
    pair_accuracy,
    pair_stderr,
    position_bias,
    unreadable_rate,
    tie_rate,
    pair_metrics,
    pair_scorer,
)

__all__ = [
    "category_accuracy",
    "game_accuracy",
    "inconsistency",
    "no_verdict_rate",
    "pair_accuracy",
    "pair_metrics",
    "pair_scorer",
    "pair_stderr",
    "position_bias",
    "unreadable_rate",
    "tie_rate",
]
