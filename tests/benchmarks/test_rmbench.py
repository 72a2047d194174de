"""RM-Bench in its published schema: nine pairs a prompt, and its hard / normal / easy accuracy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from inspect_ai import eval
from inspect_ai.model import ChatMessage

from judgebench.tasks import judge
from judgebench_inspect.benchmarks import benchmark_of, rmbench
from judgebench_inspect.dataset import PairDataError
from judgebench_inspect.report import collect_runs

from support import scripted_model


def _rows() -> list[dict[str, object]]:
    return [
        {
            "id": k,
            "prompt": f"Prompt {k}?",
            "chosen": [f"C{i} answer {k}" for i in range(3)],
            "rejected": [f"R{j} answer {k}" for j in range(3)],
            "domain": domain,
        }
        for k, domain in enumerate(["chat", "math"])
    ]


def _style_biased(messages: list[ChatMessage]) -> str:
    """Prefers the fancier style; between equal styles, the chosen response."""
    text = "\n".join(m.text for m in messages)
    a = text.split("# Output (a):", 1)[1].split("# Output (b):", 1)[0]
    b = text.split("# Output (b):", 1)[1]
    (kind_a, style_a), (kind_b, style_b) = (re.search(r"([CR])(\d) answer", x).groups() for x in (a, b))  # type: ignore[union-attr]
    if style_a != style_b:
        return "Output (a)" if style_a > style_b else "Output (b)"
    return "Output (a)" if kind_a == "C" else "Output (b)"


def test_nine_pairs_a_prompt_and_the_style_matrix(tmp_path: Path) -> None:
    path = tmp_path / "total_dataset.json"
    path.write_text(json.dumps(_rows()))
    assert benchmark_of(str(path)) is rmbench
    pairs = rmbench.load(str(path))
    assert len(pairs) == 18 and {p.category for p in pairs} == {"chat", "math"}
    log = eval(
        judge(dataset=str(path), judge="vanilla"),
        model=scripted_model(_style_biased),
        display="none",
        log_dir=str(tmp_path / "logs"),
    )[0]
    assert log.status == "success", log.error
    assert sum(len(s.scores["pair_scorer"].metadata["games"]) for s in log.samples or []) == 36  # type: ignore[index]
    (run,), _ = collect_runs([log.location])
    native = rmbench.native(run.pairs)
    # chosen i beats rejected j exactly when i >= j: hard (i < j) 0, normal and easy 100
    for group in ("chat", "math", "overall"):
        assert (native[group]["hard"], native[group]["normal"], native[group]["easy"]) == (0.0, 100.0, 100.0)
    assert native["overall"]["matrix"] == [[100.0, 0.0, 0.0], [100.0, 100.0, 0.0], [100.0, 100.0, 100.0]]


def test_domain_from_file_name_and_bad_rows(tmp_path: Path) -> None:
    rows = _rows()
    for r in rows:
        del r["domain"]
    path = tmp_path / "code_filtered.json"
    path.write_text(json.dumps(rows))
    assert {p.category for p in rmbench.load(str(path))} == {"code"}
    rows[1]["chosen"] = ["only one"]
    path.write_text(json.dumps(rows))
    with pytest.raises(PairDataError) as err:
        rmbench.load(str(path))
    assert str(err.value) == (
        f"{path}, row 2, field 'chosen': expected a list of 3 strings (concise, detailed_plain, detailed_markdown)"
    )
