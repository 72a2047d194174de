"""Task builders of judgebench-inspect (the ``@task`` wrappers live in ``judgebench``)."""

from .generate import GENERATE_TASK_VERSION, generate_task
from .judge import JUDGE_TASK_VERSION, judge_task

__all__ = ["GENERATE_TASK_VERSION", "JUDGE_TASK_VERSION", "generate_task", "judge_task"]
