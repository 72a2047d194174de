"""Start-up cost that Inspect pays for providers a run does not use.

At the start of every sample, inspect-ai 0.3.x initialises per-provider
"assistant internal" state for each provider SDK that is *installed*
(``inspect_ai.model._assistant_internal``). With the ``anthropic`` package
installed (this project depends on it) the first sample therefore imports
Inspect's Anthropic provider and the Anthropic SDK: about 3 CPU seconds, a
quarter of a judge run's start-up, spent while the event loop waits, even
when every model of the run is an OpenAI one.

:func:`skip_unloaded_provider_state` makes that check lazy: the Anthropic
state is initialised for a sample when Inspect's Anthropic provider has been
imported, which happens when a run's model (or a model role) is an Anthropic
model, since Inspect resolves every model before the first sample starts.
The provider keeps a process-wide default state, so a model first created
inside a solver still works. Nothing changes where Inspect's internals differ
from what is expected here: then the function does nothing.
"""

from __future__ import annotations

import logging
import sys

logger = logging.getLogger(__name__)

_ANTHROPIC_PROVIDER = "inspect_ai.model._providers.anthropic"


class ModuleImported:
    """Truthy once a module has been imported (checked at each use).

    Args:
      module: The module's full name.
    """

    def __init__(self, module: str) -> None:
        self.module = module

    def __bool__(self) -> bool:
        return self.module in sys.modules

    def __repr__(self) -> str:
        return f"ModuleImported({self.module!r})"


def skip_unloaded_provider_state() -> bool:
    """Initialise Anthropic per-sample state only when its provider is in use.

    Returns:
      Whether the check was made lazy (``False``: Inspect's internals are not
      as expected, or the ``anthropic`` package is not installed; nothing changed).
    """
    try:
        from inspect_ai.model import _assistant_internal as internal
    except ImportError:
        return False
    current = getattr(internal, "_HAS_ANTHROPIC", None)
    if isinstance(current, ModuleImported):
        return True
    if current is not True or not callable(getattr(internal, "init_sample_assistant_internal", None)):
        return False
    internal._HAS_ANTHROPIC = ModuleImported(_ANTHROPIC_PROVIDER)  # type: ignore[assignment]
    logger.debug("Anthropic per-sample state: initialised only once %s is imported", _ANTHROPIC_PROVIDER)
    return True
