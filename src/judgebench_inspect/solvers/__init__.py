"""Solvers of judgebench-inspect."""

from ..records import GAMES_KEY, GameRecord
from .judge import check_games, judge_pair

__all__ = ["GAMES_KEY", "GameRecord", "check_games", "judge_pair"]
