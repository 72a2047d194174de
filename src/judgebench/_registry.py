"""Inspect entry point: importing this registers the ``judgebench/...`` tasks.

Inspect names a task after the installed distribution of its top-level
package. With an editable install of the ``judgebench-inspect`` distribution
it cannot find one for ``judgebench`` and registers plain ``judge``; we then
register the same task again under ``judgebench/judge`` so the CLI name works
in both install modes.
"""

from __future__ import annotations

from inspect_ai._util.registry import registry_add, registry_info

from .generate_tasks import generate, solve
from .tasks import judge

_TASKS = [judge, generate, solve]

for _fn in _TASKS:
    _info = registry_info(_fn)
    if "/" not in _info.name:
        registry_add(_fn, _info.model_copy(update={"name": f"judgebench/{_info.name}"}))

__all__ = ["generate", "judge", "solve"]
