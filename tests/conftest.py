"""Test fixtures; what tests import lives in ``support.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import UPSTREAM  # importing support also sets the prompt folders for the session


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("INSPECT_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("JUDGEBENCH_PROMPTS_DIR", str(UPSTREAM))
