"""Solvers of judgebench-inspect."""

from .judge_pair import GAMES_KEY, GameRecord, judge_pair

__all__ = ["GAMES_KEY", "GameRecord", "judge_pair"]
