"""Task builders of judgebench-inspect (the ``@task`` wrappers live in ``judgebench``)."""

from .judge import JUDGE_TASK_VERSION, judge_task

__all__ = ["JUDGE_TASK_VERSION", "judge_task"]
