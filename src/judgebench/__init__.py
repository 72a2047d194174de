"""The task namespace: ``inspect eval judgebench/judge`` (also ``judgebench/generate``, ``judgebench/solve``).

The distribution's ``inspect_ai`` entry point ``judgebench`` points at this
package, so Inspect finds the tasks by name after ``pip install .`` or
``pip install -e .``. The tasks themselves are written in
:mod:`judgebench_inspect.tasks`.
"""

from .tasks import generate, judge, solve

__all__ = ["generate", "judge", "solve"]
