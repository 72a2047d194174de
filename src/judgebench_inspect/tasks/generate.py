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

#: Bump when results stop being comparable with earlier versions.
GENERATE_TASK_VERSION = 1


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
    file (no network, memory and process caps); any other type is passed on
    as is.

    Args:
      sandbox: The ``sandbox`` task option (``local``, ``docker``, ``none``, ...).
    """
    if sandbox is None or str(sandbox).strip().lower() in ("", "none"):
        return None
    kind = str(sandbox).strip()
    if kind == "docker":
        from ..generation.checkers.livecodebench import DOCKER_COMPOSE_PATH

        return (kind, str(DOCKER_COMPOSE_PATH))
    return kind


@task_errors("judgebench/generate")
def generate_task(
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
    **unknown: Any,
) -> Task:
    """Build the generate task (see :func:`judgebench.generate_tasks.generate` for the options).

    Raises:
      ConfigError: A bad option or source (Inspect shows the message alone).
    """
    reject_unknown_options("judgebench/generate", unknown, generate_task)
    check_options("judgebench/generate", generate_task, locals(), skip=("unknown",))
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
        version=GENERATE_TASK_VERSION,
        metadata={GENERATE_MARKER[0]: GENERATE_MARKER[1], "source": kind, "k": k, **provenance(selection)},
    )
