"""The tasks of judgebench-inspect, one module each: ``judge``, ``generate`` and ``solve``.

They are run as ``inspect eval judgebench/<name>``: the top-level ``judgebench``
package exposes each of them under that name (Inspect names a task after the
package its function is defined in).
"""

from .generate import generate
from .judge import judge
from .solve import solve

#: The judge task under the name the library exported before the tasks were named alike.
judge_task = judge

__all__ = ["generate", "judge", "judge_task", "solve"]
