"""The generate task: new JudgeBench pairs from any model, checked against ground truth."""

from __future__ import annotations

import datetime
from typing import Any, Sequence

from inspect_ai import Task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import GenerateConfig

from ..provider_state import skip_unloaded_provider_state
from ..categories import category_of
from ..errors import reject_unknown_options, task_errors
from ..options import check_options, parse_names
from ..generation.kinds import SourceSelection, check_kind, load_questions, provenance, published_question
from ..generation.pairs import check_quota
from ..generation.questions import register_questions
from ..generation.sources import SourceQuestion
from ..records import GENERATE_MARKER
from ..scorers.generate import generation_scorer
from ..solvers.generate import generate_candidates


def question_to_sample(q: SourceQuestion) -> Sample:
    """One sample per source question; its metadata is all the export needs.

    Args:
      q: The source question.
    """
    coding = q.source == "livecodebench"
    return Sample(
        id=q.question_id,
        input=q.prompt,
        # LiveCodeBench's ground truth is its test suite: keep it out of the log.
        target="" if coding else q.ground_truth,
        metadata={
            "source": q.source,
            "category": category_of(q.source),
            "task": q.task,
            "question_id": q.question_id,
            "original_id": q.original_id,
            "question": published_question(q),
        },
    )


def as_day(value: object, name: str) -> str | None:
    """A ``YYYY-MM-DD`` string from a string or a date (``-T`` turns 2024-07-26 into a date).

    Args:
      value: The option's value.
      name: The option's name, for errors.
    """
    if value is None:
        return None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    text = str(value).strip()
    try:
        datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"{name} must be a date such as 2024-07-26, got {value!r}") from None
    return text[:10]


def check_sandbox(sandbox: str | None) -> str | tuple[str, str] | None:
    """The Inspect sandbox for LiveCodeBench code.

    ``None`` for ``none``/empty; ``docker`` comes with this project's compose
    file (no network, memory and process caps) and ``k8s`` with its Helm
    values file (no network; package ``inspect-k8s-sandbox``); any other type
    is passed on as is.

    Args:
      sandbox: The ``sandbox`` task option (``local``, ``docker``, ``none``, ...).
    """
    if sandbox is None or str(sandbox).strip().lower() in ("", "none"):
        return None
    kind = str(sandbox).strip()
    if kind in ("docker", "k8s"):
        from ..generation.checkers.livecodebench import DOCKER_COMPOSE_PATH, K8S_VALUES_PATH

        return (kind, str(DOCKER_COMPOSE_PATH if kind == "docker" else K8S_VALUES_PATH))
    return kind


@task_errors("judgebench/generate")
def generate(
    source: str = "mmlu_pro",
    source_path: str | None = None,
    subjects: str | Sequence[str] | None = None,
    tasks: str | Sequence[str] | None = None,
    n_per_subject: int | str | None = None,
    n: int | None = None,
    seed: int = 0,
    k: int = 5,
    temperature: float = 1.0,
    max_tokens: int = 4096,
    pair_quota: int | None = None,
    pair_seed: int = 0,
    second_grader: bool = False,
    sandbox: str | None = "local",
    timeout_per_test: float | None = None,
    start_date: str | datetime.date | None = None,
    end_date: str | datetime.date | None = None,
    instruction: str | None = None,
    source_revision: str | None = None,
    version_tag: str | None = None,
    **options: Any,
) -> Task:
    """Build new JudgeBench pairs: sample k responses per question from the evaluated model and check each.

    One sample per source question. The evaluated model writes ``k`` candidates
    concurrently; each is checked with the source's checker (and, with
    ``second_grader``, by the model bound to the role ``grader``). Questions
    with a correct and an incorrect candidate give a pair: export them with
    ``judgebench pairs LOG -o pairs.jsonl``, or judge the log directly with
    ``inspect eval judgebench/judge -T dataset=LOG``.

    Args:
      source: ``mmlu_pro``, ``livebench_reasoning``, ``livebench_math`` or ``livecodebench``.
      source_path: Local source data: the MMLU-Pro test split (the official
        model-output zip, a JSON list or JSONL); the LiveBench root folder
        (``<root>/<category>/<task>/question.jsonl``); a LiveCodeBench JSONL
        file. ``None`` loads the source from the Hugging Face hub at a pinned revision.
      subjects: MMLU-Pro subjects to keep (list or comma-separated), e.g. ``law,physics``.
      tasks: LiveBench tasks to keep, e.g. ``web_of_lies_v2,spatial`` or ``AMPS_Hard``.
      n_per_subject: Random questions per MMLU-Pro subject or LiveBench task;
        default 100 for MMLU-Pro (the paper's draw) and every question for
        LiveBench; ``all`` for every question. Not for livecodebench.
      n: Random questions in total, drawn after ``n_per_subject`` (the paper
        took 100 per LiveBench category).
      seed: Seed of the question draws.
      k: Candidates per question (the paper: 5).
      temperature: Sampling temperature of the candidates.
      max_tokens: Token limit of each candidate (a reply that hits it is kept
        out of pairs as ``truncated``).
      pair_quota: Keep at most this many pairs per source (per MMLU-Pro
        subject); the paper kept 11. Applied when the pairs are exported.
      pair_seed: Seed that picks the paired candidates, the A/B placement and
        the quota draw.
      second_grader: Also grade each checked candidate with the ``grader``
        role model given the ground truth (``--model-role grader=...``; the
        evaluated model if none); candidates where it disagrees with the
        checker are dropped. MMLU-Pro and LiveBench only.
      sandbox: Sandbox for LiveCodeBench code (``local``, ``docker``, ...; ``none``
        runs the isolated runner as a plain subprocess).
      timeout_per_test: Seconds per LiveCodeBench test (default 6).
      start_date: LiveCodeBench: problems from contests on or after this day (YYYY-MM-DD).
      end_date: LiveBench: questions released on or before this day;
        LiveCodeBench: contests on or before this day.
      instruction: MMLU-Pro: a text file whose content replaces the closing
        answer-format instruction of the prompt (it must still ask for the
        letter written five times).
      source_revision: Hub revision (branch, tag or commit) to read instead of
        the pinned default (MMLU-Pro and LiveBench math: a commit; LiveBench
        reasoning and LiveCodeBench: ``main``). The log's task metadata records
        the revision read and the commit it resolved to (``source_commit``).
        Hub loading only.
      version_tag: LiveCodeBench release to read from the hub (``release_v1`` ...
        ``release_v6``; default ``release_v4``).
      **options: None are taken: an unknown option stops the task with a
        suggestion (Inspect alone would only log a warning).
    """
    reject_unknown_options("judgebench/generate", options, generate)
    check_options("judgebench/generate", generate, locals(), skip=("options",))
    skip_unloaded_provider_state()
    kind = check_kind(source)
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    check_quota(pair_quota)
    if second_grader and kind == "livecodebench":
        raise ValueError(
            "second_grader is not available for livecodebench: its ground truth is a test "
            "suite, which a grader model cannot run (JudgeBench used it for MMLU-Pro and LiveBench)"
        )
    selection = SourceSelection(
        kind=kind,
        path=source_path,
        subjects=parse_names(subjects),
        tasks=parse_names(tasks),
        n_per_subject=n_per_subject,
        n=n,
        seed=seed,
        start_date=as_day(start_date, "start_date"),
        end_date=as_day(end_date, "end_date"),
        instruction=instruction,
        revision=source_revision,
        version_tag=version_tag,
    )
    questions = load_questions(selection)
    bank = register_questions({q.question_id: q for q in questions})
    return Task(
        dataset=MemoryDataset([question_to_sample(q) for q in questions], name=f"judgebench-generate-{kind}"),
        solver=generate_candidates(bank=bank, k=k, second_grader=second_grader, timeout_per_test=timeout_per_test),
        scorer=generation_scorer(pair_seed=pair_seed),
        config=GenerateConfig(temperature=temperature, max_tokens=max_tokens),
        sandbox=check_sandbox(sandbox) if kind == "livecodebench" else None,
        version=1,  # bump when results stop being comparable with earlier versions
        metadata={GENERATE_MARKER[0]: GENERATE_MARKER[1], "source": kind, "k": k, **provenance(selection)},
    )
