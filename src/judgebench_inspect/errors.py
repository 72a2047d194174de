"""Errors the user should see as one short message, never as a traceback.

Inspect prints an error of its own kind, raised while it builds a task, as the
bare message and exits 1. That kind lives in a private Inspect module, so it is
imported here only, once: :class:`ConfigError` derives from it, and every error
of ours about input or options (bad pairs file, unknown judge, bad template,
bad ``-T`` value ...) derives from :class:`ConfigError`. The ``judgebench``
console command prints the same errors as one line.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import sys
from typing import Any, Callable, Iterable, Mapping, NoReturn, TypeVar

import rich
from inspect_ai._util.error import PrerequisiteError as _InspectPrerequisiteError
from rich.markup import escape

F = TypeVar("F", bound=Callable[..., Any])


class ConfigError(_InspectPrerequisiteError, ValueError):
    """Bad input or options: the message names the file, line and field, or the option.

    Also a ``ValueError``, so code that catches bad values keeps working.

    Args:
      message: What is wrong and where.
    """

    def __init__(self, message: str) -> None:
        ValueError.__init__(self, message)
        # Inspect prints ``message`` with rich: escaped, a template's "[user]"
        # is shown as it is instead of being read as a style
        self.message = escape(message)

    def __str__(self) -> str:
        return str(self.args[0])


def _show_when_quiet(error: ConfigError) -> None:
    """Print the error to stderr when Inspect's console is silenced (``--display none``).

    Inspect prints a task-building error through its rich console, which
    ``--display none`` turns quiet: the run would stop with exit code 1 and
    no word of why.

    Args:
      error: The error about to be raised.
    """
    if rich.get_console().quiet:
        print(f"\n{error}\n", file=sys.stderr, flush=True)


def fail(message: str) -> NoReturn:
    """Stop with a :class:`ConfigError`: Inspect shows only ``message``.

    Args:
      message: What is wrong and where (file, line, field, or option).
    """
    raise ConfigError(message)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the valid name closest to a mistyped one, or ``""``.

    Case, hyphens and underscores are ignored when comparing, so ``arenahard``
    and ``Arena-Hard`` both suggest ``arena_hard``.

    Args:
      name: The name as the user typed it.
      choices: The valid names.
    """

    def plain(text: str) -> str:
        return text.lower().replace("-", "").replace("_", "").replace(" ", "")

    by_plain = {plain(c): c for c in choices}
    match = difflib.get_close_matches(plain(str(name)), list(by_plain), n=1, cutoff=0.6)
    return f" (did you mean {by_plain[match[0]]}?)" if match else ""


def unknown_names(what: str, names: Iterable[str], choices: Iterable[str], valid: str = "valid") -> str:
    """A message naming unknown names, each with its suggestion, and the valid ones.

    Args:
      what: What the names are (``option``, ``judge``).
      names: The unknown names.
      choices: The valid names.
      valid: The words before the list of valid names.
    """
    choices = list(choices)
    listed = ", ".join(f"{n!r}{did_you_mean(n, choices)}" for n in names)
    return f"unknown {what} {listed}; {valid}: {', '.join(choices) or 'none'}"


def reject_unknown_options(owner: str, options: Mapping[str, Any], fn: Callable[..., Any]) -> None:
    """Stop on an option that ``fn`` does not take (Inspect would only log a warning).

    Args:
      owner: What takes the options, for the message (``judgebench/solve``).
      options: The options left over after the named parameters.
      fn: The function whose named parameters are the valid options.

    Raises:
      ConfigError: An unknown option (with a suggestion where one is close).
    """
    if options:
        params = inspect.signature(fn).parameters.values()
        valid = [p.name for p in params if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
        fail(f"{owner}: {unknown_names('option', sorted(options), valid)}")


def task_errors(task_name: str) -> Callable[[F], F]:
    """Decorate a task builder: a ``ValueError`` it raises becomes a short error.

    Errors of ours (:class:`ConfigError`) pass unchanged; any other
    ``ValueError`` (a bad value met in a library or a check without its own
    error class) is shown as ``<task>: <message>`` without a traceback. With
    ``--display none`` the message is also printed to stderr.

    Args:
      task_name: The task's name as the user runs it (``judgebench/judge``).
    """

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def build(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except ConfigError as ex:
                _show_when_quiet(ex)
                raise
            except ValueError as ex:
                error = ConfigError(f"{task_name}: {ex}")
                _show_when_quiet(error)
                raise error from ex

        return build  # type: ignore[return-value]

    return decorate
