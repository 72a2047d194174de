"""The reward-model judge: tie rule, backends, the recorded JudgeBench runs, a tiny real model."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import anyio
import pytest
from inspect_ai import eval
from inspect_ai.log import EvalLog

from judgebench.tasks import judge
from judgebench_inspect.judges import Game, create_judge, judge_class
from judgebench_inspect.judges.base import JudgeCallError
from judgebench_inspect.judges.reward_backends import (
    PLAIN_FORMAT,
    REWARD_BACKENDS,
    BatchedRewardBackend,
    Conversation,
    RewardBackendConfigError,
    RewardBackendError,
    RewardBackendOptions,
    conversation,
    create_reward_backend,
    plain_text,
    register_reward_backend,
)
from judgebench_inspect.judges.reward_model import RewardModelJudge, decide, format_scores
from judgebench_inspect.verdicts import swap

from support import JUDGEBENCH, PAIRS_GPT

#: Published numbers (paper Table and shared/data/README.md): K / R / M / C / overall.
RECORDED = {
    "judged-gpt-reward-skywork-gemma-2-27b.jsonl": (59.74, 66.33, 83.93, 50.00, 64.29),
    "judged-gpt-reward-skywork-llama-3.1-8b.jsonl": (59.09, 64.29, 76.79, 50.00, 62.29),
    "judged-gpt-reward-internlm2-20b.jsonl": (62.34, 69.39, 66.07, 50.00, 63.43),
    "judged-gpt-reward-grm-gemma-2b.jsonl": (62.99, 53.06, 64.29, 54.76, 59.43),
}
#: The recorded runs with exact score ties (where the tie rule matters).
WITH_TIES = ("judged-gpt-reward-skywork-gemma-2-27b.jsonl", "judged-gpt-reward-skywork-llama-3.1-8b.jsonl")
#: Every replay costs a full eval of 350 samples (about 6 s of CPU); by default all four runs
#: are replayed in the default single-game mode and the run with ties also with two games;
#: JUDGEBENCH_FULL_REPLAY=1 replays all four with two games too.
FULL = os.environ.get("JUDGEBENCH_FULL_REPLAY") == "1"


# -- a backend answering with recorded scores (test only) --------------------------


class RecordedScores(BatchedRewardBackend):
    """Answers with the scores a recorded JudgeBench run gave, keyed by (question, response)."""

    def __init__(self, table: dict[tuple[str, str], float], batch_size: int = 8) -> None:
        super().__init__(batch_size)
        self.table = table

    def score_batch(self, conversations: list[Conversation]) -> list[float]:
        out = []
        for conv in conversations:
            assert [m["role"] for m in conv] == ["user", "assistant"], conv
            key = (conv[0]["content"], conv[1]["content"])
            if key not in self.table:
                raise KeyError(f"no recorded score for response {key[1][:60]!r}")
            out.append(self.table[key])
        return out


def load_recorded(path: Path) -> tuple[dict[tuple[str, str], float], dict[str, list[Any]]]:
    """Scores by (question, response) and recorded per-game decisions by pair id.

    In each game ``scores[0]`` belongs to the response shown first: game 1
    shows (A, B), game 2 shows (B, A).
    """
    table: dict[tuple[str, str], float] = {}
    decisions: dict[str, list[Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        q = row["question"]
        decisions[row["pair_id"]] = [g["decision"] for g in row["judgments"]]
        for game, order in zip(row["judgments"], (("A", "B"), ("B", "A"))):
            for response, score in zip(order, game["judgment"]["scores"]):
                key = (q, row[f"response_{response}"])
                assert table.setdefault(key, score) == score, f"{path.name}: two scores for one response"
    return table, decisions


def register_recorded(name: str, path: Path) -> dict[str, list[Any]]:
    table, decisions = load_recorded(path)
    register_reward_backend(name, lambda options: RecordedScores(table, options.batch_size), replace=True)
    return decisions


@pytest.fixture(autouse=True)
def _clean_registry():
    before = dict(REWARD_BACKENDS)
    yield
    REWARD_BACKENDS.clear()
    REWARD_BACKENDS.update(before)


def numbers(log: EvalLog) -> tuple[float, ...]:
    assert log.status == "success", log.error
    assert log.results is not None
    metrics = {k: v.value for k, v in log.results.scores[0].metrics.items()}
    return tuple(round(metrics[k], 2) for k in ("knowledge", "reasoning", "math", "coding", "pair_accuracy"))


def run(tmp_path: Path, backend: str, games: int | None = None, log_samples: bool = False, **kw: Any) -> EvalLog:
    task = judge(dataset=str(PAIRS_GPT), judge="reward_model", backend=backend, games=games, **kw)
    return eval(
        task,
        model="none",
        display="none",
        log_dir=str(tmp_path / "logs"),
        max_samples=350,
        log_samples=log_samples,
        log_realtime=False,
    )[0]


# -- proof 1: the four recorded reward-model runs through a full eval --------------


needs_data = pytest.mark.skipif(not PAIRS_GPT.exists(), reason=f"shared data not found at {JUDGEBENCH}")


@needs_data
@pytest.mark.parametrize("prompts", ["judgebench", "builtin"])
def test_recorded_run_replayed_sample_by_sample(tmp_path: Path, prompts: str) -> None:
    """Skywork-Reward-Gemma-2-27B (with exact ties), single game: numbers and every game,
    in both prompt modes (a reward model sends no prompt: the mode changes nothing)."""
    name = WITH_TIES[0]
    decisions = register_recorded("recorded-test", JUDGEBENCH / name)
    log = run(tmp_path, "recorded-test", log_samples=True, prompts=prompts)
    assert numbers(log) == RECORDED[name]
    assert log.eval.task_args.get("games") is None and log.eval.metadata["games"] == 1  # default_games = 1
    assert log.samples is not None and len(log.samples) == 350
    ties = 0
    for sample in log.samples:
        games = sample.store["judgebench_games"]
        assert len(games) == 1
        g = games[0]
        assert g["seen"] == decisions[str(sample.id)][0], sample.id
        first, second = g["extra"]["scores"]
        assert g["raw"] == format_scores(first, second)
        info = [e for e in sample.events if e.event == "info" and e.source == "reward_model"]
        assert len(info) == 1 and info[0].data["verdict"] == g["seen"]
        if first == second:
            ties += 1
            assert g["seen"] == "B>A" and "tie" in g["note"]
    assert ties == 3


@needs_data
@pytest.mark.parametrize("name", [n for n in RECORDED if n != WITH_TIES[0]])
def test_recorded_runs_single_game(tmp_path: Path, name: str) -> None:
    # every recorded reward-model run is replayed in the default (single-game) mode
    register_recorded("recorded-test", JUDGEBENCH / name)
    assert numbers(run(tmp_path, "recorded-test")) == RECORDED[name]


@needs_data
@pytest.mark.parametrize("name", list(RECORDED))
def test_recorded_runs_two_games(tmp_path: Path, name: str) -> None:
    """Both orders give the same numbers: a tied pair is B>A in each game's own frame,
    so it is inconsistent (sum 0, wrong) with two games and wrong with one (every tied pair's
    label is A>B). The only inconsistent pairs are the tied ones."""
    if name != WITH_TIES[0] and not FULL:
        pytest.skip("same code path as the run with ties (about 6 s each); JUDGEBENCH_FULL_REPLAY=1 runs all four")
    register_recorded("recorded-test", JUDGEBENCH / name)
    table, _ = load_recorded(JUDGEBENCH / name)
    tied = sum(
        table[(p["question"], p["response_A"])] == table[(p["question"], p["response_B"])]
        for p in map(json.loads, PAIRS_GPT.read_text(encoding="utf-8").splitlines())
    )
    log = run(tmp_path, "recorded-test", games=2)
    assert numbers(log) == RECORDED[name]
    assert log.results is not None
    assert log.results.scores[0].metrics["inconsistency"].value == pytest.approx(100 * tied / 350)


# -- the tie rule and the judge ------------------------------------------------


def test_decide_tie_rules() -> None:
    assert decide(1.0, 0.5) == "A>B"
    assert decide(-2.0, 0.5) == "B>A"
    assert decide(0.25, 0.25) == "B>A"  # JudgeBench: the second shown wins a tie
    assert decide(0.25, 0.25, "a") == "A>B"
    assert decide(0.25, 0.25, "tie") == "A=B"
    assert format_scores(1.23, -0.5) == "scores: 1.23 vs -0.5"


class Fixed(BatchedRewardBackend):
    def __init__(self, scores: dict[str, float]) -> None:
        super().__init__(8)
        self.scores = scores

    def score_batch(self, conversations: list[Conversation]) -> list[float]:
        return [self.scores[c[1]["content"]] for c in conversations]


def play(judge_: RewardModelJudge, first: str, second: str) -> Any:
    return anyio.run(judge_.judge_game, Game("q?", (first, second)), None)


def test_judge_game_both_orders_and_ties() -> None:
    register_reward_backend("fixed", lambda o: Fixed({"good": 2.5, "bad": -1.0, "same": 2.5}))
    j = create_judge("reward_model", backend="fixed")
    assert isinstance(j, RewardModelJudge) and j.default_games == 1
    r = play(j, "good", "bad")
    assert (r.verdict, r.raw, r.extra["scores"]) == ("A>B", "scores: 2.5 vs -1.0", [2.5, -1.0])
    assert play(j, "bad", "good").verdict == "B>A"
    tie = play(j, "good", "same")
    assert tie.verdict == "B>A" and "second" in tie.note
    assert play(create_judge("reward_model", backend="fixed", ties="tie"), "good", "same").verdict == "A=B"
    assert play(create_judge("reward_model", backend="fixed", ties="a"), "same", "good").verdict == "A>B"


def test_bad_scores_fail_the_game_instead_of_counting() -> None:
    register_reward_backend("nan", lambda o: Fixed({"x": float("nan"), "y": 1.0}))
    with pytest.raises(JudgeCallError, match="non-finite"):
        play(create_judge("reward_model", backend="nan"), "x", "y")

    class Broken(BatchedRewardBackend):
        def score_batch(self, conversations: list[Conversation]) -> list[float]:
            raise OSError("GPU fell off")

    register_reward_backend("broken", lambda o: Broken())
    with pytest.raises(RewardBackendError, match="GPU fell off"):
        play(create_judge("reward_model", backend="broken"), "x", "y")


def test_bad_options_fail_when_the_task_is_built() -> None:
    with pytest.raises(RewardBackendConfigError, match="unknown reward backend 'nope'.*hf"):
        create_judge("reward_model", backend="nope")
    with pytest.raises(RewardBackendConfigError, match="ties must be one of"):
        create_judge("reward_model", backend="hf", reward_model="x", ties="first")
    with pytest.raises(RewardBackendConfigError, match="reward_model="):
        create_judge("reward_model", backend="hf")
    with pytest.raises(ValueError, match="already registered"):
        register_reward_backend("hf", lambda o: Fixed({}))
    assert judge_class("reward_model") is RewardModelJudge


def test_backend_options_reach_a_registered_backend() -> None:
    seen: list[RewardBackendOptions] = []

    def factory(options: RewardBackendOptions) -> Fixed:
        seen.append(options)
        return Fixed({})

    register_reward_backend("mine", factory)
    create_judge("reward_model", backend="mine", reward_model="m", batch_size=3, backend_args={"url": "u"})
    assert seen[0].reward_model == "m" and seen[0].batch_size == 3 and seen[0].backend_args == {"url": "u"}


def test_concurrent_requests_are_batched() -> None:
    calls: list[int] = []

    class Counting(BatchedRewardBackend):
        def score_batch(self, conversations: list[Conversation]) -> list[float]:
            calls.append(len(conversations))
            return [float(len(c[1]["content"])) for c in conversations]

    backend = Counting(batch_size=8)
    results: dict[int, list[float]] = {}

    async def main() -> None:
        async def one(i: int) -> None:
            results[i] = await backend.score([conversation("q", "x" * i), conversation("q", "y" * (i + 10))])

        async with anyio.create_task_group() as tg:
            for i in range(6):
                tg.start_soon(one, i)

    anyio.run(main)
    assert results == {i: [float(i), float(i + 10)] for i in range(6)}
    assert sum(calls) == 12 and max(calls) > 2 and max(calls) <= 8  # several callers per batch


def test_each_response_is_scored_once_per_run() -> None:
    """A best-of-N group's chosen response meets every rejected one: its score is asked for once,
    however many games (concurrent or later, either order) show it."""
    asked: list[str] = []

    class Counting(BatchedRewardBackend):
        def score_batch(self, conversations: list[Conversation]) -> list[float]:
            asked.extend(c[1]["content"] for c in conversations)
            return [float(len(c[1]["content"])) for c in conversations]

    register_reward_backend("counting", lambda o: Counting(o.batch_size))
    j = create_judge("reward_model", backend="counting", batch_size=2)
    assert isinstance(j, RewardModelJudge)
    results: dict[int, Any] = {}

    async def main() -> None:
        async def one(i: int) -> None:  # chosen "cccc" against rejected i, in both orders
            first, second = ("cccc", "r" * (i + 1)) if i % 2 else ("r" * (i + 1), "cccc")
            results[i] = await j.judge_game(Game("q?", (first, second)), None)  # type: ignore[arg-type]

        async with anyio.create_task_group() as tg:
            for i in range(6):
                tg.start_soon(one, i)

    anyio.run(main)
    assert sorted(asked) == sorted(["cccc", *("r" * (i + 1) for i in range(6))])  # 7 distinct, 7 scored
    assert all(sorted(r.extra["scores"]) == sorted([4.0, float(i + 1)]) for i, r in results.items())
    again = play(j, "r", "cccc")  # a later game, the other order: nothing new is scored
    assert again.extra["scores"] == [1.0, 4.0] and len(asked) == 7 and len(j.memo) == 7


def test_a_failed_shared_request_is_asked_again_not_counted() -> None:
    """When the request a game waits on fails, the waiting game asks again; nothing failed is kept."""
    state = {"fail": 1}

    class Flaky(BatchedRewardBackend):
        def score_batch(self, conversations: list[Conversation]) -> list[float]:
            if state["fail"]:
                state["fail"] -= 1
                raise OSError("GPU hiccup")
            return [float(len(c[1]["content"])) for c in conversations]

    register_reward_backend("flaky", lambda o: Flaky(batch_size=1))
    j = create_judge("reward_model", backend="flaky", batch_size=1)
    outcomes: list[Any] = []

    async def main() -> None:
        async def one() -> None:
            try:
                outcomes.append((await j.judge_game(Game("q?", ("aa", "b")), None)).extra["scores"])  # type: ignore[arg-type]
            except RewardBackendError as ex:
                outcomes.append(str(ex))

        async with anyio.create_task_group() as tg:
            tg.start_soon(one)
            tg.start_soon(one)

    anyio.run(main)
    assert sorted(map(str, outcomes)) == sorted(["[2.0, 1.0]", "reward model scoring failed: GPU hiccup"])
    assert play(j, "b", "aa").extra["scores"] == [1.0, 2.0]


# -- proof 2: the transformers backend on a tiny model built here -----------------

CORPUS = [
    "The answer is (B) because the force doubles when the mass doubles.",
    "def solve(n):\n    return sum(range(n))\nprint(solve(10))",
    "Let x = 3. Then 2x + 1 = 7, so the final answer is **7**.",
    "Alice tells the truth; Bob lies. Therefore the third person lies.",
    "User: Assistant: question response score reward model batch",
]


def build_tiny(path: Path, arch: str) -> Path:
    """A randomly initialised reward model with a byte-level BPE tokenizer trained here."""
    torch = pytest.importorskip("torch", reason="the hf backend needs torch (pip install 'judgebench-inspect[hf]')")
    transformers = pytest.importorskip(
        "transformers", reason="the hf backend needs transformers (pip install 'judgebench-inspect[hf]')"
    )
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    torch.manual_seed(0)
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(
        CORPUS * 4,
        trainers.BpeTrainer(
            vocab_size=320,
            special_tokens=["<pad>", "<s>", "</s>"],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        ),
    )
    vocab = tok.get_vocab_size()
    if arch == "gpt2":  # absolute positions: more than n_positions tokens would crash
        fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>")
        config = transformers.GPT2Config(
            vocab_size=vocab, n_embd=32, n_layer=2, n_head=2, n_positions=64, num_labels=1,
            bos_token_id=1, eos_token_id=2,
        )
        model = transformers.GPT2ForSequenceClassification(config)
    else:  # llama with a pad token and a chat template
        fast = transformers.PreTrainedTokenizerFast(
            tokenizer_object=tok, pad_token="<pad>", bos_token="<s>", eos_token="</s>"
        )
        fast.chat_template = (
            "{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}{{ eos_token }}\n{% endfor %}"
        )
        config = transformers.LlamaConfig(
            vocab_size=vocab, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
            num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512, num_labels=1,
            pad_token_id=0, bos_token_id=1, eos_token_id=2,
        )
        model = transformers.LlamaForSequenceClassification(config)
    fast.save_pretrained(path)
    model.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def tiny_gpt2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("tiny-gpt2-rm"), "gpt2")


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("tiny-llama-rm"), "llama")


CONVS = [
    conversation("What is 2 + 2?", "4"),
    conversation("What is 2 + 2?", "The answer is **5**, since 2 + 2 = 5."),
    conversation("Name the capital of France.", "Paris is the capital of France."),
    conversation("Write code.", "def f():\n    return 1"),
    conversation("Who lies?", "Bob lies."),
]


def hf_backend(path: Path, **kw: Any) -> Any:
    return create_reward_backend("hf", RewardBackendOptions(reward_model=str(path), device="cpu", **kw))


def score_all(backend: Any, convs: list[Conversation]) -> list[float]:
    return anyio.run(backend.score, convs)


@pytest.mark.parametrize("arch", ["gpt2", "llama"])
def test_hf_backend_batched_equals_one_by_one(arch: str, request: pytest.FixtureRequest) -> None:
    path = request.getfixturevalue(f"tiny_{arch}")
    batched = hf_backend(path, batch_size=8)
    scores = score_all(batched, CONVS)
    assert batched.batch_sizes == [5]
    single = hf_backend(path, batch_size=1)
    one_by_one = [score_all(single, [c])[0] for c in CONVS]
    assert single.batch_sizes == [1] * 5
    assert all(math.isfinite(s) for s in scores)
    assert len({round(s, 6) for s in scores}) > 1  # a real model, not a constant
    assert scores == pytest.approx(one_by_one, abs=1e-4)


def test_hf_backend_formats_with_chat_template_or_plain(tiny_gpt2: Path, tiny_llama: Path) -> None:
    conv = conversation("Q?", "R.")
    plain = hf_backend(tiny_gpt2)
    assert plain.format(conv) == PLAIN_FORMAT.format(question="Q?", response="R.") == plain_text(conv)
    templated = hf_backend(tiny_llama)
    assert templated.uses_chat_template
    assert templated.format(conv) == "<s><|user|>\nQ?</s>\n<|assistant|>\nR.</s>\n"


def test_hf_backend_truncates_long_conversations(tiny_gpt2: Path) -> None:
    long = [conversation("Explain.", "word " * 2000)]
    default = hf_backend(tiny_gpt2)  # the model's own limit: n_positions = 64
    assert math.isfinite(score_all(default, long)[0])
    assert default.max_length == 64
    right = hf_backend(tiny_gpt2, max_length=32, truncation_side="right")
    assert math.isfinite(score_all(right, long)[0])
    # the same input without truncation overruns the 64 positions: truncation is what saves it
    with pytest.raises(RewardBackendError):
        score_all(hf_backend(tiny_gpt2, max_length=4096), long)


def test_hf_backend_rejects_bad_options(tiny_gpt2: Path) -> None:
    with pytest.raises(RewardBackendConfigError, match="truncation_side"):
        hf_backend(tiny_gpt2, truncation_side="middle")
    with pytest.raises(RewardBackendConfigError, match="dtype"):
        hf_backend(tiny_gpt2, dtype="int3")
    with pytest.raises(RewardBackendError, match="cannot load reward model"):
        score_all(hf_backend(tiny_gpt2.parent / "missing-model"), CONVS[:1])


@needs_data
def test_hf_backend_in_a_full_eval(tmp_path: Path, tiny_llama: Path) -> None:
    """The tiny model judges 4 real pairs in both orders through Inspect."""
    task = judge(
        dataset=str(PAIRS_GPT), judge="reward_model", reward_model=str(tiny_llama), device="cpu",
        batch_size=4, max_length=256, games=2,
    )
    log = eval(task, model="none", display="none", log_dir=str(tmp_path / "logs"), limit=4)[0]
    assert log.status == "success", log.error
    assert log.samples is not None
    for sample in log.samples:
        g1, g2 = sample.store["judgebench_games"]
        a1, b1 = g1["extra"]["scores"]
        b2, a2 = g2["extra"]["scores"]
        assert g1["seen"] == decide(a1, b1)
        assert (a1, b1) == pytest.approx((a2, b2), abs=1e-4)  # the score of a response does not depend on order
        assert g2["verdict"] == swap(g2["seen"])
