"""Find the source question (with ground truth) behind each JudgeBench pair.

Used by the solve task, where the model answers the pairs' questions itself
(paper Table 4: solver vs judge). MMLU-Pro pairs are joined by ``original_id``
to MMLU-Pro's ``question_id``; LiveBench pairs by the prompt text
(``question`` == ``turns[0]``); LiveCodeBench pairs by the problem statement
(``question`` == ``question_content``). A pair with no match is reported as
unverifiable, never dropped.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Sequence

from ..categories import kind_of
from ..dataset import PairRecord
from .kinds import SourceSelection, provenance
from .sources import SourceQuestion, SourceUnavailableError


@dataclass(frozen=True)
class Match:
    """A pair and the question the model is asked, or why there is none.

    Attributes:
      pair: The JudgeBench pair.
      question: Source question with ground truth, ``prompt`` set to what the
        model is asked; ``None`` if unverifiable.
      reason: Why the pair is unverifiable (empty when it is not).
    """

    pair: PairRecord
    question: SourceQuestion | None
    reason: str = ""


def _norm(text: str) -> str:
    return " ".join(text.split())


def _by_text(questions: Sequence[SourceQuestion], text_of: object) -> dict[str, SourceQuestion]:
    out: dict[str, SourceQuestion] = {}
    for q in questions:
        text = text_of(q)  # type: ignore[operator]
        if isinstance(text, str):
            out.setdefault(_norm(text), q)
    return out


def _unavailable(what: str, option: str, ex: Exception) -> ValueError:
    return ValueError(
        f"could not load {what} to check the answers: {ex}. Pass a local copy with -T {option}=PATH, "
        "or leave that category out with -T categories=..."
    )


def _kinds(pairs: Sequence[PairRecord]) -> set[str]:
    kinds = set()
    for p in pairs:
        try:
            kinds.add(kind_of(p.source))
        except ValueError:
            pass
    return kinds


def sources_provenance(
    pairs: Sequence[PairRecord],
    mmlu_pro_path: str | None = None,
    livebench_path: str | None = None,
    livecodebench_path: str | None = None,
) -> dict[str, dict[str, Any]]:
    """Where :func:`match_pairs` read each source's ground truth (same arguments).

    Per source kind the pairs need: the local path, or the hub dataset, the
    revision read and the commit it resolved to. LiveCodeBench only when its
    tests were asked for.
    """
    paths = {
        "mmlu_pro": mmlu_pro_path,
        "livebench_reasoning": livebench_path,
        "livebench_math": livebench_path,
        "livecodebench": None if livecodebench_path == "hub" else livecodebench_path,
    }
    kinds = _kinds(pairs)
    if livecodebench_path is None:
        kinds.discard("livecodebench")
    return {kind: provenance(SourceSelection(kind, paths[kind])) for kind in sorted(kinds)}


def match_pairs(
    pairs: Sequence[PairRecord],
    mmlu_pro_path: str | None = None,
    livebench_path: str | None = None,
    livecodebench_path: str | None = None,
) -> list[Match]:
    """Attach the ground truth to each pair's question.

    Args:
      pairs: JudgeBench pairs.
      mmlu_pro_path: Local MMLU-Pro test split (zip/JSON/JSONL); ``None`` = hub.
      livebench_path: Local LiveBench root (``<root>/<category>/<task>/question.jsonl``);
        ``None`` = hub.
      livecodebench_path: Local LiveCodeBench JSONL, ``"hub"`` to download it, or
        ``None``: coding pairs are then unverifiable.

    Raises:
      ValueError: MMLU-Pro or LiveBench data is needed but cannot be loaded.
    """
    kinds = _kinds(pairs)

    mmlu: dict[int, SourceQuestion] = {}
    if "mmlu_pro" in kinds:
        from .sources.mmlu_pro import load_mmlu_pro

        try:
            mmlu = {q.original_id: q for q in load_mmlu_pro(mmlu_pro_path) if q.original_id is not None}
        except SourceUnavailableError as ex:
            raise _unavailable("MMLU-Pro", "mmlu_pro_path", ex) from ex

    livebench: dict[str, dict[str, SourceQuestion]] = {}
    for kind in ("livebench_reasoning", "livebench_math"):
        if kind in kinds:
            from .sources.livebench import load_livebench

            category = kind.split("_", 1)[1]
            try:
                loaded = load_livebench(category, livebench_path)  # type: ignore[arg-type]
            except SourceUnavailableError as ex:
                raise _unavailable(f"LiveBench {category}", "livebench_path", ex) from ex
            livebench[kind] = _by_text(loaded, lambda q: q.prompt)

    coding: dict[str, SourceQuestion] | None = None
    coding_reason = "no LiveCodeBench tests given (-T livecodebench_path=FILE or =hub)"
    if "livecodebench" in kinds and livecodebench_path is not None:
        from .sources.livecodebench import load_livecodebench

        try:
            loaded = load_livecodebench(None if livecodebench_path == "hub" else livecodebench_path)
        except SourceUnavailableError as ex:
            coding_reason = f"LiveCodeBench tests could not be loaded: {ex}"
        else:
            coding = _by_text(loaded, lambda q: q.metadata.get("question_content"))

    out: list[Match] = []
    for p in pairs:
        try:
            kind = kind_of(p.source)
        except ValueError:
            out.append(Match(p, None, f"no checker for source {p.source!r}"))
            continue
        found: SourceQuestion | None = None
        reason = ""
        if kind == "mmlu_pro":
            try:
                oid = int(p.original_id) if p.original_id is not None else None
            except (TypeError, ValueError):
                oid = None
            found = mmlu.get(oid) if oid is not None else None
            reason = "" if found else f"original_id {p.original_id!r} not found in MMLU-Pro"
            if found is not None:
                # Ask exactly the published question (its answer-format line included).
                found = dataclasses.replace(found, prompt=p.question)
        elif kind.startswith("livebench"):
            found = livebench[kind].get(_norm(p.question))
            reason = "" if found else "question text not found in the LiveBench data"
        else:
            if coding is None:
                reason = coding_reason
            else:
                found = coding.get(_norm(p.question))
                # The model is asked with the coding instruction (its prompt), not the bare statement.
                reason = "" if found else "problem statement not found in the LiveCodeBench data"
        out.append(Match(p, found, reason))
    return out
