"""LLMBar's case-study sets (Dataset/CaseStudy/{Constraint,Negation,Normal,Base_9,Base_10}): read from
their layout or the hub config princeton-nlp/LLMBar:CaseStudy, scored with LLMBar's statistics."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from judgebench_inspect.benchmarks import benchmark_of, llmbar, llmbar_casestudy, llmbar_processed
from judgebench_inspect.dataset import PairDataError

from support import judged_run, llmbar_reply, served_folder, write_llmbar_sets

#: Per set, how the judge answers each instance (RIGHT, WRONG, FIRST: the response shown first).
PLAN = {
    "Constraint": ["RIGHT", "RIGHT", "FIRST"],
    "Negation": ["WRONG", "RIGHT"],
    "Normal": ["RIGHT"],
    "Base_9": ["FIRST", "FIRST"],
    "Base_10": ["RIGHT", "WRONG"],
}


def _casestudy(root: Path) -> Path:
    """``CaseStudy/<set>/dataset.json`` in LLMBar's instance schema (input, output_1, output_2, label 1/2)."""
    return write_llmbar_sets(root / "CaseStudy", PLAN, indent=2)


def test_casestudy_folder_categories_and_llmbar_statistics(tmp_path: Path) -> None:
    folder = _casestudy(tmp_path)
    assert benchmark_of(str(folder)) is llmbar_casestudy
    one = folder / "Base_10" / "dataset.json"
    assert benchmark_of(str(one)) is llmbar_casestudy
    assert [p.pair_id for p in llmbar_casestudy.load(str(one))] == ["llmbar-casestudy-base_10-1", "llmbar-casestudy-base_10-2"]
    pairs = llmbar_casestudy.load(str(folder))
    assert [p.category for p in pairs] == [c for f, c in llmbar_casestudy.SUBSETS.items() for _ in PLAN[f]]
    assert llmbar_casestudy.CATEGORIES == ("constraint", "negation", "normal", "base_9", "base_10")
    log, run = judged_run(folder, llmbar_reply, tmp_path / "logs")
    assert log.eval.metadata["benchmark"] == "llmbar-casestudy"
    metrics = log.results.scores[0].metrics
    assert set(llmbar_casestudy.CATEGORIES) <= set(metrics) and "natural" not in metrics
    native = llmbar_casestudy.native(run.pairs)
    assert native["normal"] == {
        "correct_False": 100.0, "correct_True": 100.0, "correct_average": 100.0, "correct_both": 100.0,
        "equal": 100.0, "pairs": 1,
    }  # fmt: skip
    assert native["negation"]["correct_average"] == 50.0 and native["negation"]["correct_both"] == 50.0
    # FIRST is right in exactly one of its two games, and its games disagree
    assert native["base_9"]["correct_average"] == 50.0 and native["base_9"]["correct_both"] == 0.0
    assert native["base_9"]["equal"] == 0.0
    assert native["constraint"]["correct_average"] == pytest.approx(100 * 5 / 6)
    assert native["overall"]["pairs"] == 10
    assert llmbar_casestudy.headline(native).startswith("LLMBar's own score: correct_average ")  # type: ignore[union-attr]


def test_bad_row_names_file_instance_and_field(tmp_path: Path) -> None:
    folder = _casestudy(tmp_path)
    target = folder / "Negation" / "dataset.json"
    rows = json.loads(target.read_text())
    rows[1]["label"] = 0
    target.write_text(json.dumps(rows))
    with pytest.raises(PairDataError) as err:
        llmbar_casestudy.load(str(folder))
    assert str(err.value) == f"{target}, instance 2, field 'label': expected 1 or 2, got 0"


def test_layouts_stay_apart(tmp_path: Path) -> None:
    folder = _casestudy(tmp_path)
    for other in (llmbar, llmbar_processed):
        assert not other.recognise(folder) and not other.recognise(folder / "Normal" / "dataset.json")
    (tmp_path / "LLMBar" / "Natural").mkdir(parents=True)
    (tmp_path / "LLMBar" / "Natural" / "dataset.json").write_text((folder / "Normal" / "dataset.json").read_text())
    assert benchmark_of(str(tmp_path / "LLMBar")) is llmbar
    with pytest.raises(PairDataError, match="not in a llmbar-casestudy subset folder"):
        llmbar_casestudy.load(str(tmp_path / "LLMBar" / "Natural" / "dataset.json"))


def test_hub_config_downloads_the_casestudy_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """princeton-nlp/LLMBar:CaseStudy fetches the five CaseStudy files (pinned hashes: of this test's files)."""
    served = tmp_path / "served"
    folder = _casestudy(served / "Dataset")
    files = {f"Dataset/CaseStudy/{f}/dataset.json": hashlib.sha256((folder / f / "dataset.json").read_bytes()).hexdigest()
             for f in PLAN}  # fmt: skip
    monkeypatch.setattr(llmbar, "FILES", {**{k: "0" * 64 for k in llmbar.FILES if "/LLMBar/" in k}, **files})
    monkeypatch.delenv(llmbar.REPO_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with served_folder(served) as base_url:
        monkeypatch.setattr(llmbar, "BASE_URL", base_url)
        assert benchmark_of("princeton-nlp/LLMBar:CaseStudy") is llmbar_casestudy
        assert llmbar_casestudy.load("princeton-nlp/LLMBar:CaseStudy") == llmbar_casestudy.load(str(folder))
    # offline with nothing cached: the message names the CaseStudy folder as enough
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache2"))
    monkeypatch.setattr(llmbar, "BASE_URL", "http://127.0.0.1:9/")
    with pytest.raises(PairDataError, match="its Dataset/CaseStudy folder is enough"):
        llmbar_casestudy.load("princeton-nlp/LLMBar:CaseStudy")
    # the local copy
    monkeypatch.setenv(llmbar.REPO_DIR_ENV, str(served))
    assert llmbar_casestudy.load("princeton-nlp/LLMBar:CaseStudy") == llmbar_casestudy.load(str(folder))
