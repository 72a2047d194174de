"""Reading one line of a JSONL data file, with clear errors for hostile input.

``json.loads`` fails on two kinds of valid-looking lines with errors that name
nothing: an array or object nested thousands of levels deep (``RecursionError``)
and an integer longer than Python converts (``ValueError``, 4,300 digits by
default). :func:`load_json_line` turns both into a :class:`JsonLineError`
naming the top-level field. :func:`check_utf8` checks that every string of a
decoded value can be written as UTF-8 (a ``\\ud800`` escape decodes to a lone
surrogate that cannot, and would fail only when the text is sent to a model).
"""

from __future__ import annotations

import json
import sys
from typing import Any, Iterator


class JsonLineError(ValueError):
    """A line that is JSON but cannot be used: too deep, a number too long, text not UTF-8.

    Args:
      field: The top-level field it is in (``None`` if unknown).
      problem: What is wrong.
    """

    def __init__(self, field: str | None, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"field '{field}': {problem}" if field is not None else problem)


#: Longest integer Python converts from text (its default limit).
MAX_INT_DIGITS: int = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300


class _LongInteger:
    """Stands in for an integer too long to convert, so its place can be found."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _integer(text: str) -> int | _LongInteger:
    digits = len(text.lstrip("-"))
    return _LongInteger(digits) if digits > MAX_INT_DIGITS else int(text)


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every leaf and key of a decoded value, with its path (``field``, ``field[2].key``).

    Args:
      value: A decoded JSON value.
      path: The path of ``value`` itself (``""`` for a whole row).
    """
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            yield inner, key
            yield from _walk(item, inner)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]")
    else:
        yield path, value


def _too_deep_field(text: str, limit: int = 100) -> str | None:
    """The top-level key whose value nests deeper than ``limit`` (a scan of the raw text).

    Args:
      text: The JSON line.
      limit: Depth counted as too deep.
    """
    depth, in_string, escaped, start = 0, False, False, 0
    last_string, key = "", None
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string, last_string = False, text[start : i + 1]
        elif ch == '"':
            in_string, start = True, i
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return key
        elif ch in "]}":
            depth -= 1
        elif ch == ":" and depth == 1:
            try:
                key = str(json.loads(last_string))
            except ValueError:
                key = last_string
    return None


def check_utf8(value: Any) -> None:
    """Check that every string (and key) in a decoded value can be written as UTF-8.

    Args:
      value: A decoded JSON value.

    Raises:
      JsonLineError: A string holds a lone surrogate (names the field).
    """
    for path, leaf in _walk(value, ""):
        if isinstance(leaf, str):
            try:
                leaf.encode("utf-8")
            except UnicodeEncodeError as ex:
                code = ord(leaf[ex.start])
                raise JsonLineError(
                    path.split(".")[0].split("[")[0] or None,
                    f"text that is not valid Unicode (a lone surrogate \\u{code:04x} at character "
                    f"{ex.start + 1}{' of ' + path if '.' in path or '[' in path else ''}); "
                    "it cannot be sent to a model",
                ) from None


def load_json_line(text: str) -> Any:
    """Decode one JSONL line.

    Args:
      text: The line.

    Raises:
      json.JSONDecodeError: Not JSON (as ``json.loads`` raises it).
      JsonLineError: Nested too deeply, or an integer too long.
    """
    try:
        value = json.loads(text)
    except RecursionError:
        raise JsonLineError(_too_deep_field(text), "nested too deeply (arrays or objects within each other)") from None
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer longer than Python converts
        try:
            marked = json.loads(text, parse_int=_integer)
        except (ValueError, RecursionError):
            marked = None
        for path, leaf in _walk(marked, ""):
            if isinstance(leaf, _LongInteger):
                field = path.split(".")[0].split("[")[0] or None
                raise JsonLineError(
                    field, f"an integer of {leaf.digits:,} digits (at most {MAX_INT_DIGITS:,} are read)"
                ) from None
        raise JsonLineError(None, f"an integer longer than {MAX_INT_DIGITS:,} digits") from None
    return value
