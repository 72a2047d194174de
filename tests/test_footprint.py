"""What a judged pair leaves in memory for the rest of the run does not grow with its texts.

Inspect keeps, for every finished sample until the run ends, a summary (written into
the log at the end) and its scores (for the final metrics); the transcript itself is
written to the log file and dropped. This checks the part of that we decide: with
responses and judge replies 50 times longer, the summary and the score of a pair stay
the same size (small), so memory grows with the number of pairs only by Inspect's fixed
per-sample records, never by transcript text. The 10,000-pair measurement is in
BENCHMARKS.md (benchmarks/bench_judge.py --scale).
"""

from __future__ import annotations

import json
from pathlib import Path

from inspect_ai import eval
from inspect_ai.log import read_eval_log, read_eval_log_sample_summaries
from inspect_ai.model import ChatMessage

from judgebench.tasks import judge

from support import scripted_model

PAIRS = 12


def write_pairs(path: Path, words: int) -> Path:
    rows = []
    for i in range(PAIRS):
        right = f"Answer {i}: correct. " + "reasoning " * words
        wrong = f"Answer {i}: wrong. " + "musing " * words
        rows.append({
            "pair_id": f"p{i}", "source": "mmlu-pro-law", "question": f"Question {i}? " + "context " * words,
            "response_A": right if i % 2 else wrong, "response_B": wrong if i % 2 else right,
            "label": "A>B" if i % 2 else "B>A",
        })
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def run(tmp_path: Path, words: int) -> tuple[list[int], list[int], int]:
    """Sizes (JSON) of each pair's summary and pair score, and the transcript size of one sample."""

    def reply(messages: list[ChatMessage]) -> str:
        text = messages[-1].text
        first = text.find("correct.") < text.find("wrong.")
        return "Let me think. " + "step " * words + ("[[A>B]]" if first else "[[B>A]]")

    pairs = write_pairs(tmp_path / f"pairs-{words}.jsonl", words)
    log = eval(judge(dataset=str(pairs)), model=scripted_model(reply), display="none",
               log_dir=str(tmp_path / f"logs-{words}"))[0]
    assert log.status == "success" and log.results is not None
    summaries = read_eval_log_sample_summaries(log.location)
    assert len(summaries) == PAIRS
    # the summary's input is Inspect's preview of the question (cut at 5,120 characters): left out here
    summary_sizes = [
        len(s.model_dump_json(exclude={"input", "model_usage", "started_at", "completed_at"})) for s in summaries
    ]
    assert all(len(str(s.input)) <= 5120 + 30 for s in summaries)
    score_sizes = [len(s.scores["pair_scorer"].model_dump_json()) for s in summaries]  # type: ignore[index]
    full = read_eval_log(log.location)
    assert full.samples is not None
    sample_size = len(full.samples[0].model_dump_json())
    return summary_sizes, score_sizes, sample_size


def test_per_pair_records_do_not_grow_with_the_texts(tmp_path: Path) -> None:
    short_summary, short_score, short_sample = run(tmp_path, words=40)
    long_summary, long_score, long_sample = run(tmp_path, words=2000)
    # the transcript of a pair is more than 10 times larger ...
    assert long_sample > 10 * short_sample, (short_sample, long_sample)
    # ... but what Inspect keeps of it until the end is not: no response or reply text in it
    assert max(long_score) < 1000 and max(long_score) <= max(short_score) + 20
    assert max(long_summary) < 1500 and max(long_summary) <= max(short_summary) + 20
