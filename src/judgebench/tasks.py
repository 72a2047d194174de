"""The ``@task`` wrappers that give the tasks of :mod:`judgebench_inspect.tasks` their
``judgebench/...`` names.

Inspect names a task after the top-level package of the module its function is
defined in, so a task written in ``judgebench_inspect`` would be
``judgebench_inspect/judge``. Each wrapper here takes its task's signature and
docstring from the task itself, so nothing is written twice. (The wrappers live
in this module rather than in ``__init__.py`` because ``inspect list tasks``
skips files whose names start with an underscore.)
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from inspect_ai import Task, task

from judgebench_inspect import tasks


def _named_here(factory: Callable[..., Task]) -> Callable[[Callable[..., Task]], Callable[..., Task]]:
    """Give a wrapper ``factory``'s name, signature and docstring, but keep it in this package.

    Args:
      factory: The task as written in :mod:`judgebench_inspect.tasks`.
    """

    def decorate(wrapper: Callable[..., Task]) -> Callable[..., Task]:
        module = wrapper.__module__
        named = functools.wraps(factory)(wrapper)
        named.__module__ = module  # the package Inspect names the task after
        return named

    return decorate


@task
@_named_here(tasks.judge)
def judge(*args: Any, **kwargs: Any) -> Task:
    return tasks.judge(*args, **kwargs)


@task
@_named_here(tasks.generate)
def generate(*args: Any, **kwargs: Any) -> Task:
    return tasks.generate(*args, **kwargs)


@task
@_named_here(tasks.solve)
def solve(*args: Any, **kwargs: Any) -> Task:
    return tasks.solve(*args, **kwargs)


__all__ = ["generate", "judge", "solve"]
