"""The report's analyses (issue 15): length and position bias per category, self-preference,
solver vs judge, agreement, Holm-adjusted comparisons, cost. Expectations worked out by hand."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from inspect_ai import Task, eval, task_with
from inspect_ai.dataset import Sample
from inspect_ai.solver import Generate, Solver, TaskState, solver

from judgebench.tasks import judge
from judgebench_inspect.cli import main
from judgebench_inspect.records import SOLVE_KEY, Candidate
from judgebench_inspect.report import collect_runs
from judgebench_inspect.report.self_preference import family_of
from judgebench_inspect.scorers.solve import solve_scorer
from judgebench_inspect.stats import (
    bootstrap_ratio_cis,
    cohen_kappa,
    did_bootstrap_ci,
    holm,
    kappa_bootstrap_ci,
    unpaired_bootstrap_ci,
)

from support import FAST, O1_MINI, scripted_model, smart_reply, write_pairs

SWAP = {"A>B": "B>A", "B>A": "A>B"}


def report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code = main(["report", *args, "--format", "json", *FAST])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else {}), out.err


def judged_row(pair_id: str, a: str, b: str, label: str, seen: list[str | None], **extra: Any) -> dict[str, Any]:
    """A JudgeBench output row; ``seen`` = each game's decision in the frame the judge saw (None = failed call)."""
    games = [None if d is None else {"judgment": {"judge_model": extra.pop("judge_model", "judge-x")}, "decision": d} for d in seen]
    return {"pair_id": pair_id, "question": f"Q {pair_id}?", "response_A": a, "response_B": b, "label": label,
            "judge_name": "arena_hard", "judgments": games, **extra}  # fmt: skip


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- statistics


def test_holm_kappa_and_bootstraps_by_hand() -> None:
    # sorted 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> running max 0.06
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    # po = 3/4, pa = 3/4, pb = 1/2, pe = 3/8 + 1/8 = 1/2 -> kappa = (3/4 - 1/2) / (1/2) = 1/2
    assert cohen_kappa([1, 1, 1, 0], [1, 1, 0, 0]) == pytest.approx(0.5)
    assert cohen_kappa([1, 0, 1, 0], [1, 0, 1, 0]) == pytest.approx(1.0)
    lo, hi = kappa_bootstrap_ci([1, 0, 1, 0], [1, 0, 1, 0], resamples=200)
    assert (lo, hi) == (1.0, 1.0)
    # a ratio whose numerator equals its denominator on every pair is 1 in every resample
    (one, half) = bootstrap_ratio_cis([[2, 1, 0], [1, 1, 0]], [[2, 1, 0], [2, 2, 0]], resamples=200)
    assert one == (1.0, 1.0) and half == (0.5, 0.5)
    assert unpaired_bootstrap_ci([1, 1, 1], [0, 0], resamples=200) == (1.0, 1.0)
    # (a1 - a2) - (b1 - b2) with constant samples: (1 - 0) - (0 - 1) = 2
    assert did_bootstrap_ci([1, 1], [0, 0], [0, 0, 0], [1, 1, 1], resamples=200) == (2.0, 2.0)


def test_family_from_model_name_and_override() -> None:
    assert family_of("openai/o1-mini") == "OpenAI" and family_of("gpt-4o-2024-05-13") == "OpenAI"
    assert family_of("o3-mini") == family_of("openai/o4-mini") == family_of("chatgpt-4o-latest") == "OpenAI"
    assert family_of("anthropic/claude-3-5-sonnet-20240620") == "Anthropic"
    assert family_of("hf/meta-llama/Llama-3.1-8B") is None
    assert family_of("mockllm/model", {"mockllm/model": "Mock"}) == "Mock"
    assert family_of("vllm/org/llama", {"llama": "Meta"}) == "Meta"


# --------------------------------------------------------------------------- length and position bias


def test_length_and_position_bias_per_category(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        # poetry: p1 correct is longer, both games pick it (seen: A>B, then B>A = A after the swap)
        judged_row("p1", "aaaa", "bb", "A>B", ["A>B", "B>A"], category="poetry"),
        # p2 correct is shorter; the judge says "first" twice: inconsistent, one game for the longer
        judged_row("p2", "a", "bbb", "A>B", ["A>B", "A>B"], category="poetry"),
        # p3 equal lengths: left out of length bias (counted), in position bias
        judged_row("p3", "aa", "bb", "B>A", ["B>A", "A>B"], category="poetry"),
        # law: p4 correct is shorter; tie then right (pair correct), the right game picks the shorter
        judged_row("p4", "abc", "a", "B>A", ["A=B", "A>B"], category="law"),
        # p5 correct is shorter; both calls failed (no verdict)
        judged_row("p5", "xxxxx", "y", "B>A", [None, None], category="law"),
    ]
    path = write_jsonl(tmp_path / "judged.jsonl", rows)
    code, doc, _ = report(capsys, str(path))
    assert code == 0
    (row,) = doc["rows"]
    lb = row["length_bias"]

    def rate(d: dict[str, Any]) -> tuple[float | None, int, int]:
        assert d["value"] is None or d["low"] <= d["value"] <= d["high"]
        return (None if d["value"] is None else round(d["value"], 2), d["count"], d["n"])

    # overall (p1, p2, p4, p5): decisive games 2 + 2 + 1 + 0 = 5, longer chosen 2 + 1 + 0 = 3
    o = lb["overall"]
    assert rate(o["longer_chosen"]) == (60.0, 3, 5)
    assert rate(o["correct_longer"]) == (25.0, 1, 4)
    assert rate(o["accuracy_correct_longer"]) == (100.0, 1, 1)
    assert rate(o["accuracy_correct_shorter"]) == (33.33, 1, 3)  # p4 right; p2, p5 not
    assert o["equal_length_pairs"] == 1 and o["pairs_without_texts"] == 0
    p = lb["poetry"]
    assert rate(p["longer_chosen"]) == (75.0, 3, 4) and rate(p["correct_longer"]) == (50.0, 1, 2)
    assert rate(p["accuracy_correct_longer"]) == (100.0, 1, 1) and rate(p["accuracy_correct_shorter"]) == (0.0, 0, 1)
    assert p["equal_length_pairs"] == 1
    law = lb["law"]
    assert rate(law["longer_chosen"]) == (0.0, 0, 1) and rate(law["correct_longer"]) == (0.0, 0, 2)
    assert rate(law["accuracy_correct_longer"]) == (None, 0, 0)  # no such pair: undefined, not 0
    assert rate(law["accuracy_correct_shorter"]) == (50.0, 1, 2) and law["equal_length_pairs"] == 0

    r = row["rates"]
    # first shown chosen (seen frame): p1 1, p2 2, p3 1, p4 1, p5 0 = 5 of 2+2+2+1+0 = 7 decisive games
    assert rate(r["overall"]["position_bias"]) == (71.43, 5, 7)
    assert rate(r["overall"]["inconsistency"]) == (20.0, 1, 5)
    assert rate(r["overall"]["tie_rate"]) == (10.0, 1, 10)
    assert rate(r["overall"]["no_verdict_rate"]) == (20.0, 2, 10)
    assert rate(r["poetry"]["position_bias"]) == (66.67, 4, 6) and rate(r["poetry"]["inconsistency"]) == (33.33, 1, 3)
    assert rate(r["law"]["position_bias"]) == (100.0, 1, 1) and rate(r["law"]["inconsistency"]) == (0.0, 0, 2)
    assert rate(r["law"]["tie_rate"]) == (25.0, 1, 4) and rate(r["law"]["no_verdict_rate"]) == (50.0, 2, 4)
    assert r["law"]["position_bias"]["low"] == r["law"]["position_bias"]["high"] == 100.0
    # the existing single numbers are unchanged
    assert row["position_bias"] == pytest.approx(71.4286) and row["inconsistency"] == 20.0
    assert row["cost"] is None  # JudgeBench files record no usage

    assert main(["report", str(path), "--format", "markdown", *FAST]) == 0
    md = capsys.readouterr().out
    assert "### Length bias (response lengths in characters)" in md
    assert "| #1 | overall | 60.00 [" in md and "(3/5)" in md
    assert "### Position bias and consistency per category" in md and "| #1 | law | 100.00 [100.0, 100.0] (1/1)" in md


def test_o1_mini_length_bias_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, err = report(capsys, str(O1_MINI))
    assert code == 0 and err == ""
    o = doc["rows"][0]["length_bias"]["overall"]
    assert round(o["longer_chosen"]["value"], 2) == 45.88 and o["longer_chosen"]["n"] == 656
    assert round(o["correct_longer"]["value"], 2) == 46.00 and o["correct_longer"]["n"] == 350
    assert round(o["accuracy_correct_longer"]["value"], 2) == 65.84
    assert (o["accuracy_correct_longer"]["count"], o["accuracy_correct_longer"]["n"]) == (106, 161)
    assert round(o["accuracy_correct_shorter"]["value"], 2) == 65.61
    assert (o["accuracy_correct_shorter"]["count"], o["accuracy_correct_shorter"]["n"]) == (124, 189)
    assert o["equal_length_pairs"] == 0
    for key in ("longer_chosen", "correct_longer", "accuracy_correct_longer", "accuracy_correct_shorter"):
        assert all(isinstance(o[key][f], (int, float)) for f in ("value", "low", "high", "count", "n"))
        assert o[key]["low"] < o[key]["value"] < o[key]["high"]


# --------------------------------------------------------------------------- self-preference, agreement, Holm


def split_file(path: Path, split: str, model: str, correct: list[bool]) -> Path:
    """A judged file on a published split (by its response model): pair k right or wrong as listed."""
    response_model = {"gpt": "gpt-4o-2024-05-13", "claude": "claude-3-5-sonnet-20240620"}[split]
    rows = []
    for k, ok in enumerate(correct):
        label = "A>B" if k % 2 == 0 else "B>A"
        said = label if ok else SWAP[label]
        rows.append(judged_row(f"{split}-{k}", "one", "two!", label, [said, SWAP[said]], judge_model=model,
                               source="livebench-math", response_model=response_model))  # fmt: skip
    return write_jsonl(path, rows)


def test_self_preference_diff_in_diff_agreement_and_holm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [
        split_file(tmp_path / "g-gpt.jsonl", "gpt", "gpt-4o", [True, True, True, False]),  # 75
        split_file(tmp_path / "g-claude.jsonl", "claude", "gpt-4o", [True, False, False, False]),  # 25
        split_file(tmp_path / "c-gpt.jsonl", "gpt", "claude-3-5-sonnet", [True, True, False, False]),  # 50
        split_file(tmp_path / "c-claude.jsonl", "claude", "claude-3-5-sonnet", [True, True, True, False]),  # 75
    ]
    code, doc, _ = report(capsys, *map(str, files), "--compare")
    assert code == 0
    prefs = {e["model"]: e for e in doc["self_preference"]}
    g, c = prefs["gpt-4o"], prefs["claude-3-5-sonnet"]
    assert g["family"] == "OpenAI" and g["own_split"] == "gpt"
    assert g["accuracy"]["gpt"]["accuracy"] == 75.0 and g["accuracy"]["claude"]["accuracy"] == 25.0
    assert g["difference"] == 50.0 and g["low"] <= 50.0 <= g["high"]
    assert c["family"] == "Anthropic" and c["own_split"] == "claude" and c["difference"] == -25.0
    (did,) = doc["diff_in_diff"]
    # (75 - 25) - (50 - 75) = 75, the OpenAI judge first
    assert did["a"]["model"] == "gpt-4o" and did["value"] == 75.0 and did["low"] <= 75.0 <= did["high"]
    assert did["common_pairs"] == {"gpt": 4, "claude": 4}

    rows = {(r["model"], r["split"]): r["row"] for r in doc["rows"]}
    kappas = {frozenset((a["a"], a["b"])): a for a in doc["agreement"]}
    on_gpt = kappas[frozenset((rows[("gpt-4o", "gpt")], rows[("claude-3-5-sonnet", "gpt")]))]
    # gpt split: [1,1,1,0] vs [1,1,0,0] -> kappa 1/2; claude split: [1,0,0,0] vs [1,1,1,0] -> po 1/2,
    # pe = 1/4 * 3/4 + 3/4 * 1/4 = 3/8 -> kappa = (1/2 - 3/8) / (5/8) = 1/5
    assert on_gpt["pairs"] == 4 and on_gpt["kappa"] == 0.5 and on_gpt["agree"] == 75.0
    on_claude = kappas[frozenset((rows[("gpt-4o", "claude")], rows[("claude-3-5-sonnet", "claude")]))]
    assert on_claude["kappa"] == 0.2
    assert len(doc["agreement"]) == 2  # the splits share no pairs

    # four rows: p-values Holm-adjusted over the two comparisons that could be made. gpt split: right
    # only in one 1 vs 0 -> p = 1; claude split: 0 vs 2 -> p = 2 * 1/4 = 0.5; Holm: 2 * 0.5 = 1, then 1
    assert len(doc["comparisons"]) == 2
    ps = sorted(c["overall"]["p_value"] for c in doc["comparisons"])
    assert ps == [0.5, 1.0]
    assert [c["p_adjustment"] for c in doc["comparisons"]] == ["holm", "holm"]
    assert [c["p_holm"]["overall"] for c in doc["comparisons"]] == [1.0, 1.0]
    assert main(["report", *map(str, files), "--compare", "--format", "markdown", *FAST]) == 0
    md = capsys.readouterr().out
    assert "p-values Holm-adjusted for the 2 comparisons" in md and "Holm p = " in md
    assert "### Self-preference" in md and "gpt (own) 75.00" in md and "difference in differences" in md
    assert "### Agreement" in md and "kappa 0.500" in md

    # two rows only: not adjusted, as before
    code, doc, _ = report(capsys, str(files[0]), str(files[2]), "--compare")
    assert doc["comparisons"][0]["p_adjustment"] is None and doc["comparisons"][0]["p_holm"] is None

    # an override: both judges Anthropic -> no difference in differences; gpt-4o's own split is claude
    code, doc, _ = report(capsys, *map(str, files), "--family", "gpt-4o=Anthropic")
    prefs = {e["model"]: e for e in doc["self_preference"]}
    assert prefs["gpt-4o"]["family"] == "Anthropic" and prefs["gpt-4o"]["own_split"] == "claude"
    assert doc["diff_in_diff"] == [] and doc["families"] == {"gpt-4o": "Anthropic"}
    assert main(["report", str(files[0]), "--family", "gpt-4o"]) == 1
    assert "expected MODEL=FAMILY" in capsys.readouterr().err


# --------------------------------------------------------------------------- solver vs judge and cost


#: The solve log: pair -> answered right (None: the checker could not decide). p06 is missing;
#: p11 is joined through its original_id (the solve sample has another pair id).
SOLVED = {"p01": True, "p02": True, "p03": False, "p04": False, "p05": True,
          "p07": True, "p08": False, "p09": True, "p10": False, "other-p11": False, "p12": None}  # fmt: skip


@solver
def recorded_answer() -> Solver:
    """Stores the scripted outcome as the solve task's solver would."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        ok = SOLVED[str(state.sample_id)]
        status = "unverified" if ok is None else ("correct" if ok else "incorrect")
        state.store.set(SOLVE_KEY, asdict(Candidate(1, "answer", "X", ok, "scripted", status)))
        return state

    return solve


@pytest.fixture(scope="module")
def solve_and_judge(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("solver-judge")
    pairs = write_pairs(root / "pairs.jsonl")
    rows = [json.loads(line) for line in pairs.read_text().splitlines()]
    for r in rows:
        if r["pair_id"] == "p11":
            r["original_id"] = 1011
    write_jsonl(pairs, rows)
    by_id = {r["pair_id"]: r for r in rows}
    samples = []
    for sid in SOLVED:
        pair = by_id[sid.removeprefix("other-")]
        samples.append(Sample(id=sid, input=pair["question"], target="X", metadata={
            "pair_id": sid, "category": pair["category"], "source": pair["category"], "original_id": pair.get("original_id")}))  # fmt: skip
    model = scripted_model(smart_reply)
    tasks = [
        task_with(judge(dataset=str(pairs), judge="vanilla"), name="judging", model=model),
        Task(dataset=samples, solver=recorded_answer(), scorer=solve_scorer(), name="solving", model=model),
    ]
    done = eval(tasks, display="none", log_dir=str(root / "logs"))
    assert [log.status for log in done] == ["success", "success"]
    return {log.eval.task: Path(log.location) for log in done} | {"root": root}


def test_solver_vs_judge(solve_and_judge: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, err = report(capsys, str(solve_and_judge["solving"]), str(solve_and_judge["judging"]))
    assert code == 0 and err == ""
    assert len(doc["rows"]) == 1  # the solve log is not a row
    (panel,) = doc["solver_vs_judge"]
    assert panel["model"] == "mockllm/model" and panel["unmatched_pairs"] == 1 and panel["unchecked_pairs"] == 1
    cats = panel["categories"]

    def acc(d: dict[str, Any]) -> tuple[float, int, int]:
        assert d["low"] <= d["accuracy"] <= d["high"]
        return (round(d["accuracy"], 2), d["correct"], d["pairs"])

    # judge: right on p01-p04 (poetry) and p07-p08 (law), "first" twice (inconsistent) elsewhere
    assert acc(cats["poetry"]["solving"]) == (60.0, 3, 5) and acc(cats["poetry"]["judging"]) == (80.0, 4, 5)
    assert acc(cats["poetry"]["judging_if_solved"]) == (66.67, 2, 3)
    assert acc(cats["poetry"]["judging_if_not_solved"]) == (100.0, 2, 2)
    assert acc(cats["law"]["solving"]) == (40.0, 2, 5) and acc(cats["law"]["judging"]) == (40.0, 2, 5)
    assert acc(cats["law"]["judging_if_solved"]) == (50.0, 1, 2)
    assert acc(cats["law"]["judging_if_not_solved"]) == (33.33, 1, 3)
    assert acc(cats["overall"]["solving"]) == (50.0, 5, 10) and acc(cats["overall"]["judging"]) == (60.0, 6, 10)
    assert acc(cats["overall"]["judging_if_solved"]) == (60.0, 3, 5)
    assert acc(cats["overall"]["judging_if_not_solved"]) == (60.0, 3, 5)

    # the judge log's texts are there: the correct response is always the longer; the judge picks it
    # in both games of the 6 easy pairs and in one game of the 6 hard ones: 18 of 24
    lb = doc["rows"][0]["length_bias"]["overall"]
    assert (lb["longer_chosen"]["count"], lb["longer_chosen"]["n"]) == (18, 24) and lb["correct_longer"]["value"] == 100.0

    assert main(["report", str(solve_and_judge["solving"]), str(solve_and_judge["judging"]), "-f", "markdown", *FAST]) == 0
    md = capsys.readouterr().out
    assert "### Solver vs judge" in md and "| poetry |  | 60.00 [" in md and "left out: 1 judged pair(s) whose question is not in the solve log" in md

    # alone, a solve log is no report; the Python API lists it as skipped, not as "not a judge log"
    assert main(["report", str(solve_and_judge["solving"])]) == 1
    assert "a solve log is reported beside a judge log" in capsys.readouterr().err
    runs, skipped = collect_runs([solve_and_judge["solving"]])
    assert runs == [] and "a solve log, not a judge log" in skipped[0].reason


def test_cost_tokens_and_dollars(solve_and_judge: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = str(solve_and_judge["judging"])
    code, doc, _ = report(capsys, log)
    cost = doc["rows"][0]["cost"]
    # 12 pairs x 2 games x one call of 10 input + 5 output tokens (support.USAGE); 6 pairs right
    assert (cost["input_tokens"], cost["output_tokens"], cost["total_tokens"]) == (240, 120, 360)
    assert cost["tokens_per_pair"] == 30.0 and cost["tokens_per_correct_pair"] == 60.0
    assert cost["dollars"] is None

    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"mockllm/model": {"input": 2.0, "output": 10.0}}))
    code, doc, err = report(capsys, log, "--prices", str(prices))
    assert code == 0
    cost = doc["rows"][0]["cost"]
    # 240 * 2 / 1e6 + 120 * 10 / 1e6 = 0.00168; / 12 pairs; / 6 right
    assert cost["dollars"] == pytest.approx(0.00168) and cost["dollars_per_pair"] == pytest.approx(0.00014)
    assert cost["dollars_per_correct_pair"] == pytest.approx(0.00028)
    if importlib.util.find_spec("matplotlib") is not None:  # the plots need the optional extra 'plot'
        plot = tmp_path / "acc.png"
        code, doc, err = report(capsys, log, "--prices", str(prices), "--plot", str(plot))
        assert code == 0 and doc["rows"][0]["cost"] == cost
        assert plot.exists() and (tmp_path / "acc-cost.png").exists() and "accuracy-versus-cost plot" in err

    other = tmp_path / "other.json"
    other.write_text(json.dumps({"openai/gpt-4o": {"input": 2.5, "output": 10}}))
    code, doc, _ = report(capsys, log, "--prices", str(other))
    assert doc["rows"][0]["cost"]["dollars"] is None and doc["rows"][0]["cost"]["unpriced_models"] == ["mockllm/model"]
    assert any("no price for mockllm/model" in n for n in doc["rows"][0]["notes"])

    assert main(["report", log, "-f", "markdown", "--prices", str(prices), *FAST]) == 0
    assert "### Cost" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content,message",
    [
        (None, "cannot be read"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"m": 3}', "model 'm': expected an object"),
        ('{"m": {"input": 1}}', "model 'm', field 'output': missing"),
        ('{"m": {"input": -1, "output": 1}}', "model 'm', field 'input': expected a non-negative number"),
        ('{"m": {"input": 1, "output": "2"}}', "model 'm', field 'output': expected a non-negative number"),
        ('{"m": {"input": 1, "output": 2, "cached": 1}}', "model 'm', field 'cached': unknown"),
    ],
)
def test_bad_prices_file_names_file_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str) -> None:
    prices = tmp_path / "prices.json"
    if content is not None:
        prices.write_text(content)
    assert main(["report", str(O1_MINI), "--prices", str(prices), *FAST]) == 1
    err = capsys.readouterr().err
    assert f"prices file {prices}" in err and message in err
