"""Checking task and judge options (``-T name=value``) before anything runs.

Inspect reads ``-T`` values as YAML, so ``-T attempts=two`` arrives as the
string ``"two"`` and ``-T max_tokens=-5`` as the number -5. Each option is
checked against the type hint of the function that takes it and against the
lower bounds below; a bad value stops the task with a :class:`ConfigError`
naming the option.
"""

from __future__ import annotations

import collections.abc
import datetime
import types
import typing
from typing import Any, Callable, Iterable, Mapping, Sequence, overload

from .errors import ConfigError

#: Smallest value of numeric options, by name (the same meaning in every task and judge).
AT_LEAST: dict[str, float] = {
    "max_tokens": 1,
    "attempts": 1,
    "rounds": 1,
    "agents": 1,
    "k": 1,
    "n": 1,
    "batch_size": 1,
    "context_length": 1,
    "max_length": 1,
    "reserve": 0,
    "temperature": 0,
    "timeout_per_test": 0.001,
    "timeout": 0.001,
    "max_connections": 1,
    "max_retries": 0,
}


def _kinds(hint: Any) -> list[Any]:
    """The alternatives of a type hint (``int | None`` -> ``[int, NoneType]``)."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return [k for arg in typing.get_args(hint) for k in _kinds(arg)]
    return [hint]


def _fits(value: Any, kind: Any) -> bool:
    if kind is Any or kind is typing.Any:
        return True
    if kind is type(None):
        return value is None
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    origin = typing.get_origin(kind)
    if origin is typing.Literal:
        return value in typing.get_args(kind)
    if origin in (list, tuple, collections.abc.Sequence):
        args = typing.get_args(kind)
        return isinstance(value, (list, tuple)) and all(_fits(v, args[0]) for v in value) if args else True
    if origin in (dict, collections.abc.Mapping):
        return isinstance(value, dict)
    if kind is datetime.date:
        return isinstance(value, datetime.date)
    return isinstance(value, kind) if isinstance(kind, type) else True


_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "a string", type(None): "null"}


def _describe(kind: Any) -> str:
    if typing.get_origin(kind) is typing.Literal:
        return "one of " + ", ".join(str(a) for a in typing.get_args(kind))
    if typing.get_origin(kind) in (list, tuple, collections.abc.Sequence):
        return "a list"
    if kind is datetime.date:
        return "a date (YYYY-MM-DD)"
    return _NAMES.get(kind, getattr(kind, "__name__", str(kind)))


def check_option(owner: str, name: str, value: Any, hint: Any) -> None:
    """Check one option's value against its type hint and :data:`AT_LEAST`.

    Args:
      owner: What takes the option, for the message (``judge 'arena_hard'``).
      name: The option's name.
      value: Its value.
      hint: Its type hint.

    Raises:
      ConfigError: The value does not fit (the message names the option).
    """
    kinds = _kinds(hint)
    if not any(_fits(value, k) for k in kinds):
        wanted = " or ".join(dict.fromkeys(_describe(k) for k in kinds))
        raise ConfigError(f"{owner}: option {name} must be {wanted}, got {value!r}")
    low = AT_LEAST.get(name)
    if low is not None and isinstance(value, (int, float)) and not isinstance(value, bool) and not value >= low:
        raise ConfigError(f"{owner}: option {name} must be at least {low:g}, got {value!r}")


def check_options(owner: str, fn: Callable[..., Any], values: Mapping[str, Any], skip: Iterable[str] = ()) -> None:
    """Check the options given to ``fn`` against its type hints.

    Args:
      owner: What takes the options, for messages.
      fn: The function (or class ``__init__``) whose hints describe the options.
      values: The options as given (names not in the hints are left to ``fn``).
      skip: Names not to check (e.g. ``**kwargs``).
    """
    hints = typing.get_type_hints(fn)
    left_out = set(skip) | {"return"}
    for name, value in values.items():
        if name in hints and name not in left_out:
            check_option(owner, name, value, hints[name])


@overload
def parse_names(value: None) -> None: ...
@overload
def parse_names(value: str | Sequence[str]) -> tuple[str, ...]: ...
def parse_names(value: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """The names of a list option, from a list or a comma-separated string (``-T`` gives either).

    Args:
      value: ``None``, ``"a,b"`` or ``["a", "b"]``.

    Returns:
      The names, stripped, empty ones left out; ``None`` for ``None``.

    Raises:
      ValueError: No name in it.
    """
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    out = tuple(i.strip() for i in items if i.strip())
    if not out:
        raise ValueError("expected at least one name")
    return out
