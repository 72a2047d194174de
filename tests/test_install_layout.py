"""A regular install built in the checkout leaves no second copy of the tasks that
`inspect list tasks` would list again."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO

INSPECT = str(Path(sys.executable).parent / "inspect")


def test_built_checkout_lists_each_task_once(tmp_path: Path) -> None:
    setuptools = pytest.importorskip("setuptools")
    if int(setuptools.__version__.split(".")[0]) < 77:  # the version pyproject.toml's build needs
        pytest.skip(f"building offline needs setuptools>=77 in this environment (found {setuptools.__version__})")
    copy = tmp_path / "checkout"
    shutil.copytree(REPO / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "setup.cfg", "README.md"):
        shutil.copy(REPO / name, copy / name)
    # what `pip install .` does in the checkout, without installing or downloading anything
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "wheel"), "."],
        cwd=copy, capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    assert not (copy / "build").exists()
    wheel = next((tmp_path / "wheel").glob("*.whl"))
    assert shutil.unpack_archive(wheel, tmp_path / "unpacked", "zip") is None
    assert (tmp_path / "unpacked" / "judgebench_inspect" / "demo" / "pairs-gpt.jsonl.gz").is_file()
    assert (tmp_path / "unpacked" / "judgebench_inspect" / "demo" / "README.md").is_file()
    checkers = tmp_path / "unpacked" / "judgebench_inspect" / "generation" / "checkers"
    assert (checkers / "livecodebench_compose.yaml").is_file() and (checkers / "livecodebench_k8s_values.yaml").is_file()
    listed = subprocess.run([INSPECT, "list", "tasks"], cwd=copy, capture_output=True, text=True, timeout=120)
    tasks = listed.stdout.split()
    assert "src/judgebench/tasks.py@judge" in tasks, listed.stdout
    names = [t.split("@")[1] for t in tasks]
    assert len(names) == len(set(names)), listed.stdout
