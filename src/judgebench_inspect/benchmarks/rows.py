"""Reading a benchmark's published rows: JSON lists and text fields, with errors that name file, row and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from ..dataset import PairDataError


def read_json_list(path: Path, what: str = "rows") -> list[Any]:
    """A JSON file holding a list.

    Args:
      path: The file.
      what: What the list holds, for the message.

    Raises:
      PairDataError: Unreadable, not JSON, or not a list.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as ex:
        raise PairDataError(f"{path}: cannot read ({ex})") from None
    except json.JSONDecodeError as ex:
        raise PairDataError(f"{path}: not JSON (line {ex.lineno}: {ex.msg})") from None
    if not isinstance(data, list):
        raise PairDataError(f"{path}: expected a JSON list of {what}, got {type(data).__name__}")
    return data


def check_text_fields(row: Any, fields: Iterable[str], where: str) -> dict[str, Any]:
    """A row that is an object whose ``fields`` are strings.

    Args:
      row: The decoded row.
      fields: The fields that must hold text.
      where: File and row, for the message.

    Raises:
      PairDataError: Not an object, or a field missing or not a string.
    """
    if not isinstance(row, dict):
        raise PairDataError(f"{where}: expected a JSON object, got {type(row).__name__}")
    for field in fields:
        if field not in row:
            raise PairDataError(f"{where}, field '{field}': missing")
        if not isinstance(row[field], str):
            raise PairDataError(f"{where}, field '{field}': expected a string, got {type(row[field]).__name__}")
    return row
