"""The four JudgeBench sources as the generation pipeline sees them.

A thin layer over :mod:`.sources` (loaders) and :mod:`.checkers` (graders), so
that the tasks only deal with one name per source (``mmlu_pro``,
``livebench_reasoning``, ``livebench_math``, ``livecodebench``; the mapping from
a pair's ``source`` is :func:`judgebench_inspect.categories.kind_of`) and one
async ``check_response``.

It also answers two questions the loaders leave open: what text a pair's
``question`` field holds for each source (the text JudgeBench published), and
whether a checker's result is a verdict at all (a time-out of the math worker
or a broken sandbox is not a wrong answer).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..categories import KIND_OF_CATEGORY, kind_of
from ..errors import did_you_mean
from .checkers import CheckResult
from .sources import SourceQuestion, hub_commit

#: Values of the ``source`` task option.
SOURCE_KINDS: tuple[str, ...] = tuple(KIND_OF_CATEGORY.values())

#: Questions drawn per MMLU-Pro subject when ``n_per_subject`` is not given (the paper's 100).
MMLU_PRO_DEFAULT_N_PER_SUBJECT = 100

#: Prefixes of checker details that mean "could not decide", not "wrong".
_UNDECIDED_DETAILS: tuple[str, ...] = (
    "timeout: the whole check ran out of time",  # livecodebench backstop (machine too slow?)
    "sandbox error",  # livecodebench runner did not report
    "worker failure",  # livebench math worker pool broke
)


def check_kind(source: str) -> str:
    """Validate the ``source`` task option.

    Args:
      source: One of :data:`SOURCE_KINDS` (``-`` accepted for ``_``).
    """
    kind = str(source).strip().replace("-", "_")
    if kind not in SOURCE_KINDS:
        raise ValueError(f"unknown source {source!r}{did_you_mean(str(source), SOURCE_KINDS)}; use one of: {', '.join(SOURCE_KINDS)}")
    return kind


def published_question(question: SourceQuestion) -> str:
    """The text a pair's ``question`` field holds, as JudgeBench published it.

    MMLU-Pro and LiveBench pairs carry the full prompt the response model was
    asked (question, options and answer-format instruction). LiveCodeBench pairs
    carry the problem statement only (``question_content``), without the
    instruction and starter code the model was shown.

    Args:
      question: The source question.
    """
    if question.source == "livecodebench":
        content = question.metadata.get("question_content")
        if isinstance(content, str):
            return content
    return question.prompt


def reference_answer(question: SourceQuestion) -> str:
    """The ground truth in words a grader model can compare with.

    Args:
      question: The source question (MMLU-Pro or LiveBench).
    """
    if question.source.startswith("mmlu-pro-"):
        letter = question.ground_truth.strip().upper()
        options = question.metadata.get("options") or []
        index = ord(letter) - ord("A")
        if 0 <= index < len(options):
            return f"({letter}) {options[index]}"
        return f"({letter})"
    return question.ground_truth


def status_of(result: CheckResult) -> str:
    """``correct``, ``incorrect`` or ``unverified`` for a checker's result.

    A time-out of the sympy worker (detail ``timeout``), a broken worker pool or
    sandbox, or the whole LiveCodeBench run exceeding its backstop say nothing
    about the answer: such candidates are kept out of pairs.

    Args:
      result: The checker's result.
    """
    if result.detail == "timeout" or result.detail.startswith(_UNDECIDED_DETAILS):
        return "unverified"
    return "correct" if result.correct else "incorrect"


async def check_response(
    question: SourceQuestion, response: str, *, timeout_per_test: float | None = None
) -> CheckResult:
    """Grade a response with its source's checker, without blocking the event loop.

    MMLU-Pro and LiveBench reasoning are plain string rules; LiveBench math runs
    sympy in worker processes; LiveCodeBench runs the code through the sample's
    Inspect sandbox when there is one (else an isolated subprocess).

    Args:
      question: The source question.
      response: The model's full reply.
      timeout_per_test: Seconds per LiveCodeBench test (``None`` = checker default).

    Returns:
      The checker's result; a LiveCodeBench sandbox failure becomes an
      undecided result (detail ``sandbox error: ...``) instead of an exception.
    """
    kind = kind_of(question.source)
    if kind != "livecodebench":
        import importlib

        module = importlib.import_module(f"judgebench_inspect.generation.checkers.{kind}")
        return await module.check_async(response, question)  # type: ignore[no-any-return]
    from .checkers import livecodebench

    options: dict[str, Any] = {}
    if timeout_per_test is not None:
        options["timeout_per_test"] = float(timeout_per_test)
    try:
        return await livecodebench.check_async(response, question, **options)
    except livecodebench.SandboxError as ex:
        return CheckResult(False, livecodebench.extract_code(response), f"sandbox error: {ex}")


@dataclass(frozen=True)
class SourceSelection:
    """Which questions of a source to load (the generate task's options).

    Attributes:
      kind: One of :data:`SOURCE_KINDS`.
      path: Local file or folder; ``None`` = the Hugging Face hub (pinned revision).
      subjects: MMLU-Pro subjects to keep.
      tasks: LiveBench tasks to keep.
      n_per_subject: Random draw per MMLU-Pro subject / LiveBench task
        (``None`` = source default, ``"all"`` = every question).
      n: Random draw over the whole selection (after ``n_per_subject``).
      seed: Seed of the draws.
      start_date: LiveCodeBench: contest on or after this day.
      end_date: LiveBench: released on or before; LiveCodeBench: contest on or before.
      instruction: MMLU-Pro: closing instruction replacing the built-in one.
      revision: Hub revision (branch, tag or commit) to read instead of the
        source's default; hub loading only.
      version_tag: LiveCodeBench release (``release_v1`` ... ``release_v6``); hub
        loading only.
    """

    kind: str
    path: str | None = None
    subjects: tuple[str, ...] | None = None
    tasks: tuple[str, ...] | None = None
    n_per_subject: int | str | None = None
    n: int | None = None
    seed: int = 0
    start_date: str | None = None
    end_date: str | None = None
    instruction: str | None = None
    revision: str | None = None
    version_tag: str | None = None


def _per_subject(value: int | str | None, default: int | None) -> int | None:
    if value is None:
        return default
    if isinstance(value, str):
        if value.strip().lower() == "all":
            return None
        try:
            value = int(value)
        except ValueError:
            raise ValueError(f"n_per_subject must be a number or 'all', got {value!r}") from None
    if value < 1:
        raise ValueError(f"n_per_subject must be at least 1 (or 'all'), got {value}")
    return int(value)


def load_questions(sel: SourceSelection) -> list[SourceQuestion]:
    """Load the selected questions with the source developers' loaders.

    Args:
      sel: The selection.

    Raises:
      ValueError: An option that does not apply to the source, or a bad value.
      SourceDataError: A malformed source file (names file, row, field).
      SourceUnavailableError: The hub could not be reached (pass ``source_path``).
    """
    kind = sel.kind
    if sel.subjects is not None and kind != "mmlu_pro":
        raise ValueError("subjects applies to source=mmlu_pro only (use tasks for LiveBench)")
    if sel.tasks is not None and not kind.startswith("livebench"):
        raise ValueError("tasks applies to the LiveBench sources only (use subjects for MMLU-Pro)")
    if sel.start_date is not None and kind != "livecodebench":
        raise ValueError("start_date applies to source=livecodebench only")
    if sel.end_date is not None and kind == "mmlu_pro":
        raise ValueError("end_date applies to the LiveBench and LiveCodeBench sources only")
    if sel.instruction is not None and kind != "mmlu_pro":
        raise ValueError("instruction applies to source=mmlu_pro only")
    if sel.n is not None and sel.n < 1:
        raise ValueError(f"n must be at least 1, got {sel.n}")
    if sel.path is not None and (sel.revision is not None or sel.version_tag is not None):
        raise ValueError("source_revision and version_tag apply to hub loading only (without source_path)")
    if sel.version_tag is not None and kind != "livecodebench":
        raise ValueError("version_tag applies to source=livecodebench only")

    hub = hub_source(sel)  # used only when there is no local path
    if kind == "mmlu_pro":
        from .sources.mmlu_pro import MMLU_PRO_INSTRUCTION, load_mmlu_pro

        instruction = MMLU_PRO_INSTRUCTION
        if sel.instruction is not None:
            file = Path(sel.instruction).expanduser()
            if not file.is_file():
                raise ValueError(f"instruction: {file}: no such file")
            instruction = file.read_text(encoding="utf-8").strip("\n")
        questions = load_mmlu_pro(
            sel.path,
            subjects=list(sel.subjects) if sel.subjects else None,
            n_per_subject=_per_subject(sel.n_per_subject, MMLU_PRO_DEFAULT_N_PER_SUBJECT),
            seed=sel.seed,
            instruction=instruction,
            revision=hub.revision,
        )
    elif kind.startswith("livebench"):
        from .sources.livebench import load_livebench

        questions = load_livebench(
            "reasoning" if kind == "livebench_reasoning" else "math",
            sel.path,
            tasks=list(sel.tasks) if sel.tasks else None,
            released_on_or_before=sel.end_date,
            n_per_task=_per_subject(sel.n_per_subject, None),
            seed=sel.seed,
            revision=hub.revision,
        )
    else:
        from .sources.livecodebench import load_livecodebench

        if sel.n_per_subject is not None:
            raise ValueError("n_per_subject does not apply to livecodebench (use n)")
        assert hub.version_tag is not None  # always set for livecodebench
        questions = load_livecodebench(
            sel.path, start_date=sel.start_date, end_date=sel.end_date, n=sel.n, seed=sel.seed,
            revision=hub.revision,
            version_tag=hub.version_tag,
        )
        return _check_unique(questions, sel)

    if sel.n is not None and sel.n < len(questions):
        keep = set(random.Random(f"{sel.seed}:n").sample(range(len(questions)), sel.n))
        questions = [q for i, q in enumerate(questions) if i in keep]
    return _check_unique(questions, sel)


@dataclass(frozen=True)
class HubSource:
    """What a selection reads from the Hugging Face hub.

    Attributes:
      repo: Hub dataset id.
      revision: The selection's revision, else the source's pinned default.
      version_tag: LiveCodeBench release (``None`` for the other sources).
    """

    repo: str
    revision: str
    version_tag: str | None = None


def hub_source(sel: SourceSelection) -> HubSource:
    """The hub dataset, revision and release a selection reads without a local path.

    Args:
      sel: The selection.
    """
    if sel.kind == "mmlu_pro":
        from .sources.mmlu_pro import MMLU_PRO_HF_PATH, MMLU_PRO_HF_REVISION

        return HubSource(MMLU_PRO_HF_PATH, sel.revision or MMLU_PRO_HF_REVISION)
    if sel.kind.startswith("livebench"):
        from .sources.livebench import LIVEBENCH_HF_PATHS, LIVEBENCH_HF_REVISIONS

        category = "reasoning" if sel.kind == "livebench_reasoning" else "math"
        return HubSource(LIVEBENCH_HF_PATHS[category], sel.revision or LIVEBENCH_HF_REVISIONS[category])
    from .sources.livecodebench import DEFAULT_VERSION_TAG, LIVECODEBENCH_HF_PATH

    return HubSource(LIVECODEBENCH_HF_PATH, sel.revision or "main", sel.version_tag or DEFAULT_VERSION_TAG)


def provenance(sel: SourceSelection) -> dict[str, Any]:
    """Where the selected questions came from, for the task's metadata.

    A local source names its path; a hub source names the dataset, the revision
    read (the option or the source's default) and the commit it resolved to.

    Args:
      sel: The selection (already loaded with :func:`load_questions`).
    """
    if sel.path is not None:
        return {"source_path": str(sel.path)}
    hub = hub_source(sel)
    extra = {"version_tag": hub.version_tag} if hub.version_tag is not None else {}
    return {
        "source_repo": hub.repo,
        "source_revision": hub.revision,
        "source_commit": hub_commit(hub.repo, hub.revision),
        **extra,
    }


def _check_unique(questions: list[SourceQuestion], sel: SourceSelection) -> list[SourceQuestion]:
    origin = sel.path or f"the hub copy of {sel.kind}"
    if not questions:
        raise ValueError(f"{origin}: no questions selected (check the filters)")
    seen: set[str] = set()
    for q in questions:
        if q.question_id in seen:
            raise ValueError(f"{origin}: question id {q.question_id!r} occurs twice")
        seen.add(q.question_id)
    return questions
