"""Solvers of judgebench-inspect."""

from .judge_pair import GAMES_KEY, GameRecord, check_games, judge_pair

__all__ = ["GAMES_KEY", "GameRecord", "check_games", "judge_pair"]
