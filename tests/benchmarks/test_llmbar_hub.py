"""LLMBar from its hub id: the GitHub files at the pinned commit, downloaded (from a local server
here), verified by SHA-256 and cached, or read from the local copy $LLMBAR_REPO_DIR names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from inspect_ai import eval

from judgebench.tasks import judge
from judgebench_inspect.benchmarks import benchmark_of, llmbar, llmbar_casestudy
from judgebench_inspect.dataset import PairDataError

from support import DATA, first_reply, scripted_model, served_folder

#: The shared copy of LLMBar's data, laid out like its repository (Dataset/LLMBar/...).
REPO_COPY = DATA / "llmbar"
LLMBAR = REPO_COPY / "Dataset" / "LLMBar"


@pytest.fixture
def no_copy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No local copy, an empty cache of this test's own; returns the cache folder."""
    monkeypatch.delenv(llmbar.REPO_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _repository(root: Path) -> Path:
    """A folder laid out like LLMBar's repository, holding its LLMBar set (from the shared copy)."""
    shutil.copytree(LLMBAR, root / "Dataset" / "LLMBar")
    return root


def test_hub_ids_name_the_benchmark_and_its_configs() -> None:
    assert benchmark_of("princeton-nlp/LLMBar") is llmbar
    assert benchmark_of("princeton-nlp/LLMBar:LLMBar") is llmbar
    assert benchmark_of("princeton-nlp/LLMBar:CaseStudy") is llmbar_casestudy
    assert llmbar.hub_config("princeton-nlp/LLMBar") == "LLMBar"
    assert llmbar.hub_config("princeton-nlp/LLMBar:CaseStudy") == "CaseStudy"
    assert llmbar.hub_config(str(LLMBAR)) is None
    # an unknown config, or a revision (the commit is pinned): the message says what is wrong
    assert benchmark_of("princeton-nlp/LLMBar:Processed") is llmbar
    with pytest.raises(PairDataError, match=r"has no config 'Processed' \(configs: princeton-nlp/LLMBar:LLMBar, "):
        llmbar.load("princeton-nlp/LLMBar:Processed")
    for value in ("princeton-nlp/LLMBar@main", "princeton-nlp/LLMBar:CaseStudy@main"):
        with pytest.raises(PairDataError, match=f"pinned commit {llmbar.COMMIT[:12]}; no revision can be chosen"):
            benchmark_of(value).load(value)  # type: ignore[union-attr]


def test_download_verifies_and_caches(no_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    direct = llmbar.read(LLMBAR)
    with served_folder(_repository(tmp_path / "served")) as base_url:
        monkeypatch.setattr(llmbar, "BASE_URL", base_url)
        assert llmbar.load("princeton-nlp/LLMBar") == direct
    cached = no_copy / "judgebench-inspect" / "llmbar-data" / llmbar.COMMIT / "Dataset" / "LLMBar"
    assert llmbar.read(cached) == direct  # only LLMBar's files were fetched, none of CaseStudy's
    assert not (cached.parent / "CaseStudy").exists()
    # the server is gone: the cache serves
    assert llmbar.load("princeton-nlp/LLMBar:LLMBar") == direct


def test_changed_files_are_refused(no_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served = _repository(tmp_path / "served")
    target = served / "Dataset" / "LLMBar" / "Adversarial" / "Manual" / "dataset.json"
    target.chmod(0o644)
    target.write_text(target.read_text().replace('"label": 1', '"label": 2', 1))
    with served_folder(served) as base_url:
        monkeypatch.setattr(llmbar, "BASE_URL", base_url)
        with pytest.raises(PairDataError) as info:
            llmbar.load("princeton-nlp/LLMBar")
    assert str(info.value).startswith(f"downloaded {base_url}Dataset/LLMBar/Adversarial/Manual/dataset.json has SHA-256 ")
    assert str(info.value).endswith("; refusing it")
    # a local copy with the changed file
    monkeypatch.setenv(llmbar.REPO_DIR_ENV, str(served))
    with pytest.raises(PairDataError) as info:
        llmbar.load("princeton-nlp/LLMBar")
    message = str(info.value)
    assert message.startswith(f"{llmbar.REPO_DIR_ENV}={served}: {target} is not LLMBar's file at commit 900616bff90b")
    assert message.endswith("refusing to use a changed data file")


def test_offline_names_the_ways_out(no_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llmbar, "BASE_URL", "http://127.0.0.1:9/")
    with pytest.raises(PairDataError) as info:
        llmbar.load("princeton-nlp/LLMBar")
    message = str(info.value)
    assert message.startswith("cannot download LLMBar's data file Dataset/LLMBar/Natural/dataset.json (")
    assert f"set LLMBAR_REPO_DIR to a local copy of the LLMBar repository at commit {llmbar.COMMIT[:12]}" in message
    assert "its Dataset/LLMBar folder is enough" in message
    assert f"files are cached in {no_copy / 'judgebench-inspect' / 'llmbar-data' / llmbar.COMMIT}" in message
    assert message.endswith("or give a local copy of that folder as -T dataset=DIR")
    assert "prompts=builtin" not in message


def test_local_copy_and_the_judge_task(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(llmbar.REPO_DIR_ENV, str(REPO_COPY))
    monkeypatch.setattr(llmbar, "BASE_URL", "http://127.0.0.1:9/")  # never used
    assert llmbar.load("princeton-nlp/LLMBar") == llmbar.read(LLMBAR)
    log = eval(
        judge(dataset="princeton-nlp/LLMBar", judge="vanilla"),
        model=scripted_model(first_reply),
        display="none",
        log_dir=str(tmp_path / "logs"),
        limit=3,
    )[0]
    assert log.status == "success", log.error
    assert log.eval.task_args["dataset"] == "princeton-nlp/LLMBar"
    assert log.eval.metadata["benchmark"] == "llmbar"  # type: ignore[index]
    assert {"natural", "neighbor", "gptinst", "gptout", "manual", "game_accuracy"} <= set(
        log.results.scores[0].metrics  # type: ignore[union-attr]
    )
