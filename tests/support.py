"""What tests share: where the shared data lives, scripted models, a small synthetic pairs file and judges.

Imported as ``from support import ...`` (``tests/`` is on pytest's ``pythonpath``); fixtures live in
``conftest.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from inspect_ai.model import ChatMessage, Model, ModelOutput, ModelUsage, get_model

REPO = Path(__file__).resolve().parents[1]
#: ../shared/data beside the checkout (CI lays a copy of shared/ there too).
DATA = REPO.parent / "shared" / "data"
JUDGEBENCH = DATA / "judgebench"
PAIRS_GPT = JUDGEBENCH / "pairs-gpt.jsonl"
PAIRS_CLAUDE = JUDGEBENCH / "pairs-claude.jsonl"
O1_MINI = JUDGEBENCH / "judged-gpt-arena_hard-o1-mini.jsonl"
#: JudgeBench's own prompt files (the default prompts=judgebench reads them here, not from the network).
UPSTREAM = JUDGEBENCH / "upstream"
# set for the whole session (module-scoped fixtures and subprocesses too); tests may change it
os.environ["JUDGEBENCH_PROMPTS_DIR"] = str(UPSTREAM)
#: ChatEval's pinned config, where shared/ has a copy (tests that need it skip otherwise).
CHATEVAL_UPSTREAM = DATA / "chateval" / "upstream"
if CHATEVAL_UPSTREAM.is_dir() and not os.environ.get("CHATEVAL_PROMPTS_DIR"):
    os.environ["CHATEVAL_PROMPTS_DIR"] = str(CHATEVAL_UPSTREAM)

#: Published numbers of the recorded o1-mini Arena-Hard run: K / R / M / C / overall.
O1_MINI_NUMBERS = {"knowledge": 58.44, "reasoning": 62.24, "math": 82.14, "coding": 78.57, "overall": 65.71}

USAGE = ModelUsage(input_tokens=10, output_tokens=5, total_tokens=15)


def output(text: str, stop_reason: str = "stop") -> ModelOutput:
    """A scripted model output with explicit usage (mockllm needs no network then)."""
    out = ModelOutput.from_content(model="mockllm", content=text, stop_reason=stop_reason)  # type: ignore[arg-type]
    out.usage = USAGE
    return out


def scripted_model(reply: Callable[[list[ChatMessage]], str | ModelOutput]) -> Model:
    """A mockllm model whose reply is a function of the prompt (safe under concurrency)."""

    def respond(messages: list[ChatMessage], *_: Any) -> ModelOutput:
        r = reply(messages)
        return r if isinstance(r, ModelOutput) else output(r)

    return get_model("mockllm/model", custom_outputs=respond, memoize=False)


def train_tokenizer(path: Path, texts: list[str], bos: bool = False) -> str:
    """A small byte-level BPE tokenizer trained here (no hub download), saved for AutoTokenizer.

    Args:
      path: Folder to save it in.
      texts: Training texts.
      bos: Prefix every encoding with the start token ``<s>``.
    """
    pytest.importorskip("transformers", reason="transformers not installed (optional extra 'hf'): real-tokenizer path not tested")
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=["<unk>", "<s>", "</s>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(texts, trainer)
    if bos:
        tok.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", tok.token_to_id("<s>"))])
    PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>").save_pretrained(path)
    return str(path)

#: Report options that keep bootstrap intervals quick in tests.
FAST = ["--resamples", "500"]


# --------------------------------------------------------------------------- synthetic pairs and judges

#: 12 pairs in two custom categories. The judge below gets the "easy" ones right
#: and says "first" on the others: poetry 4/6, law 2/6, overall 6/12.
EASY = {"poetry": 4, "law": 2}


def write_pairs(path: Path, with_ids: bool = True) -> Path:
    """A user's own pairs file: question, two responses, label, category (no source)."""
    rows = []
    i = 0
    for cat, easy in EASY.items():
        for k in range(6):
            i += 1
            right, wrong = f"Answer {i}: correct [ok]", f"Answer {i}: wrong"
            a_correct = i % 2 == 1
            row: dict[str, Any] = {
                "question": f"Question {i} ({'easy' if k < easy else 'hard'})?",
                "response_A": right if a_correct else wrong,
                "response_B": wrong if a_correct else right,
                "label": "A>B" if a_correct else "B>A",
                "category": cat,
            }
            if with_ids:
                row["pair_id"] = f"p{i:02d}"
            rows.append(row)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _first_is_correct(text: str) -> bool:
    ok, bad = text.find("correct [ok]"), text.find(": wrong")
    assert ok >= 0 and bad >= 0, "prompt lacks the responses"
    return ok < bad


def smart_reply(messages: list[ChatMessage]) -> str:
    """Right on easy questions, always 'first' on hard ones; speaks vanilla and arena_hard."""
    text = "\n".join(m.text for m in messages)
    first = True if "hard)?" in text else _first_is_correct(text)
    if any(m.role == "system" for m in messages):  # arena_hard
        return "My final verdict is " + ("[[A>B]]" if first else "[[B>A]]")
    return "Output (a)" if first else "Output (b)"


def first_reply(messages: list[ChatMessage]) -> str:
    """Always picks the response shown first."""
    if any(m.role == "system" for m in messages):
        return "My final verdict is [[A>>B]]"
    return "Output (a)"


def judged_run(dataset: Path, reply: Callable[[list[ChatMessage]], str], log_dir: Path) -> tuple[Any, Any]:
    """A vanilla judge run of another benchmark's files with a scripted reply: the log and its scored pairs.

    Args:
      dataset: The ``dataset`` option (the benchmark's files).
      reply: The judge's reply to a prompt.
      log_dir: Where the log goes.
    """
    from inspect_ai import eval

    from judgebench.tasks import judge
    from judgebench_inspect.report import collect_runs

    task = judge(dataset=str(dataset), judge="vanilla")
    log = eval(task, model=scripted_model(reply), display="none", log_dir=str(log_dir))[0]
    assert log.status == "success", log.error
    (run,), _ = collect_runs([log.location])
    return log, run


def reward_model_run(
    dataset: Path, score: Callable[[str, str], float], log_dir: Path, **options: Any
) -> tuple[Any, Any, list[str]]:
    """A reward-model judge run of another benchmark's files: the log, its scored pairs and the
    responses the reward model was asked to score, in order.

    A backend registered for the run scores each conversation with ``score(question, response)``.

    Args:
      dataset: The ``dataset`` option (the benchmark's files).
      score: The reward of a response to a question.
      log_dir: Where the log goes.
      options: More task options (``games``, ``ties``...).
    """
    from inspect_ai import eval

    from judgebench.tasks import judge
    from judgebench_inspect.judges.reward_backends import REWARD_BACKENDS, BatchedRewardBackend, register_reward_backend
    from judgebench_inspect.report import collect_runs

    asked: list[str] = []

    class Scripted(BatchedRewardBackend):
        def score_batch(self, conversations: list[list[dict[str, str]]]) -> list[float]:
            asked.extend(c[1]["content"] for c in conversations)
            return [score(c[0]["content"], c[1]["content"]) for c in conversations]

    register_reward_backend("scripted-test", lambda o: Scripted(o.batch_size), replace=True)
    try:
        task = judge(dataset=str(dataset), judge="reward_model", backend="scripted-test", **options)
        log = eval(task, model="none", display="none", log_dir=str(log_dir))[0]
    finally:
        REWARD_BACKENDS.pop("scripted-test", None)
    assert log.status == "success", log.error
    (run,), _ = collect_runs([log.location])
    return log, run, asked


def write_llmbar_sets(folder: Path, plan: dict[str, list[str]], indent: int | None = None) -> Path:
    """LLMBar-style sets ``<folder>/<set>/dataset.json`` in its instance schema (``input``, ``output_1``,
    ``output_2``, ``label`` 1/2); each instance's input starts with how :func:`llmbar_reply` answers it.

    Args:
      folder: The sets' folder (``.../Processed``, ``.../CaseStudy``).
      plan: Set folder -> one mode per instance: ``RIGHT``, ``WRONG`` or ``FIRST`` (the response shown first).
      indent: JSON indentation of the files.
    """
    for name, modes in plan.items():
        (folder / name).mkdir(parents=True)
        rows = [
            {"input": f"{mode} {name} {i}", "output_1": f"one {i} [{'good' if i % 2 else 'bad'}]",
             "output_2": f"two {i} [{'bad' if i % 2 else 'good'}]", "label": 1 if i % 2 else 2}
            for i, mode in enumerate(modes)
        ]  # fmt: skip
        (folder / name / "dataset.json").write_text(json.dumps(rows, indent=indent))
    return folder


def llmbar_reply(messages: list[ChatMessage]) -> str:
    """A vanilla judge's reply to an instance of :func:`write_llmbar_sets`: as its input's mode says."""
    text = "\n".join(m.text for m in messages)
    mode = text.split("# Instruction:\n", 1)[1].split(" ", 1)[0]
    if mode == "FIRST":
        return "Output (a)"
    good_is_a = "[good]" in text.split("# Output (a):", 1)[1].split("# Output (b):", 1)[0]
    return "Output (a)" if good_is_a == (mode == "RIGHT") else "Output (b)"


def bad_row_message(load: Callable[[str], Any], path: Path, rows: list[dict[str, Any]], change: dict[str, Any]) -> str:
    """The error a benchmark's loader gives for a JSONL file whose second row has ``change`` applied.

    Args:
      load: The benchmark's loader (``load`` or ``read``), called with the path.
      path: The file to write.
      rows: Two good rows.
      change: Fields to set on the second row (``None``: remove the field).
    """
    from judgebench_inspect.dataset import PairDataError

    second = {k: v for k, v in {**rows[1], **change}.items() if v is not None}
    path.write_text("".join(json.dumps(r) + "\n" for r in (rows[0], second)))
    with pytest.raises(PairDataError) as err:
        load(str(path))
    return str(err.value)


def stub_hub(monkeypatch: pytest.MonkeyPatch, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Stub ``datasets.load_dataset`` to return ``rows``; the list it returns records each call's (name, split, revision).

    Args:
      monkeypatch: pytest's monkeypatch.
      rows: What every call returns.
    """
    import datasets

    calls: list[tuple[Any, ...]] = []

    def fake_load_dataset(name: str, split: str, revision: str | None = None) -> list[dict[str, Any]]:
        calls.append((name, split, revision))
        return rows

    monkeypatch.setattr(datasets, "load_dataset", fake_load_dataset)
    return calls


@contextlib.contextmanager
def served_folder(folder: Path) -> Iterator[str]:
    """Serve a local folder over HTTP on 127.0.0.1 while the block runs; yields its base URL (with a slash).

    For the downloads of pinned files (JudgeBench's, ChatEval's, LLMBar's): point the module's
    ``BASE_URL`` at it, with the folder laid out like the repository.

    Args:
      folder: The folder to serve.
    """
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
