"""Self-preference: does a judge do better on the split whose responses its own model family wrote?

The ``gpt`` split's responses are GPT-4o's and the ``claude`` split's are
Claude-3.5-Sonnet's. A judge (the same strategy and model) run on both splits
gets its accuracy on each and the difference ``gpt - claude`` with an unpaired
bootstrap interval (the splits share no pairs). With judges of two or more
families, each two judges of different families give a difference in
differences, ``(a_gpt - a_claude) - (b_gpt - b_claude)``, which cancels out how
much harder one split is than the other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from typing import Mapping, Sequence

from ..dataset import RESPONSE_MODEL_OF_SPLIT
from ..errors import ConfigError
from ..stats import did_bootstrap_ci, unpaired_bootstrap_ci
from .runs import Run
from .summary import Accuracy, StatsSettings, Summary, accuracy_of

__all__ = ["DiffInDiff", "SelfPreference", "family_of", "parse_families", "self_preference"]

#: The two published splits, in the order of the difference (first minus second).
SPLITS = ("gpt", "claude")

#: Model-name prefixes (of the name's last path segment, lower case) and their family.
FAMILY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("chatgpt", "OpenAI"), ("gpt", "OpenAI"), ("o1", "OpenAI"), ("o3", "OpenAI"), ("o4", "OpenAI"),
    ("claude", "Anthropic"),
)  # fmt: skip


def family_of(model: str | None, overrides: Mapping[str, str] | None = None) -> str | None:
    """The family of a model, from its name or the user's overrides.

    Args:
      model: A model name (``openai/o1-mini``, ``claude-3-5-sonnet-20240620``).
      overrides: Model name -> family, given by the user (matched on the full
        name first, then on the name without its provider).
    """
    if not model:
        return None
    overrides = overrides or {}
    bare = model.rsplit("/", 1)[-1]
    for key in (model, bare):
        if key in overrides:
            return overrides[key]
    name = bare.lower()
    return next((family for prefix, family in FAMILY_PREFIXES if name.startswith(prefix)), None)


def parse_families(items: Sequence[str]) -> dict[str, str]:
    """``MODEL=FAMILY`` options as a mapping.

    Args:
      items: The option values.

    Raises:
      ConfigError: An item without ``=`` or with an empty side.
    """
    out = {}
    for item in items:
        model, sep, family = item.partition("=")
        if not sep or not model.strip() or not family.strip():
            raise ConfigError(f"--family {item!r}: expected MODEL=FAMILY (e.g. openai/gpt-4o=OpenAI)")
        out[model.strip()] = family.strip()
    return out


def split_family(split: str, overrides: Mapping[str, str] | None = None) -> str | None:
    """The family of the model that wrote a published split's responses.

    Args:
      split: ``gpt`` or ``claude``.
      overrides: The user's model -> family overrides.
    """
    return family_of(RESPONSE_MODEL_OF_SPLIT.get(split), overrides)


@dataclass(frozen=True)
class SelfPreference:
    """One judge on both splits.

    Attributes:
      judge: Strategy.
      model: Judge model.
      family: The judge model's family (``None`` if unknown).
      rows: Report row numbers of the ``gpt`` and ``claude`` runs.
      accuracy: Accuracy on each split.
      difference: ``gpt - claude`` in percentage points.
      low: Lower end of its unpaired bootstrap interval.
      high: Upper end.
      own_split: The split whose responses the judge's own family wrote, if any.
    """

    judge: str | None
    model: str | None
    family: str | None
    rows: tuple[int, int]
    accuracy: dict[str, Accuracy]
    difference: float
    low: float
    high: float
    own_split: str | None


@dataclass(frozen=True)
class DiffInDiff:
    """Two judges of different families, each on both splits.

    Attributes:
      a: First judge (its self-preference entry).
      b: Second judge.
      value: ``(a_gpt - a_claude) - (b_gpt - b_claude)`` in percentage points,
        on the pairs both judges have on each split.
      low: Lower end of its bootstrap interval.
      high: Upper end.
      pairs: Common pairs per split.
    """

    a: SelfPreference
    b: SelfPreference
    value: float
    low: float
    high: float
    pairs: dict[str, int]


def _key(run: Run) -> tuple[str | None, str | None, str | None, int | None]:
    return (run.judge, run.model, run.user_label, run.epoch)


def self_preference(
    summaries: Sequence[Summary], settings: StatsSettings, families: Mapping[str, str] | None = None
) -> tuple[list[SelfPreference], list[DiffInDiff]]:
    """Self-preference of every judge that was run on both published splits.

    Args:
      summaries: The report rows.
      settings: Interval settings.
      families: The user's model -> family overrides.
    """
    by_judge: dict[tuple[str | None, str | None, str | None, int | None], dict[str, Summary]] = {}
    for s in summaries:
        if s.run.split in SPLITS:
            by_judge.setdefault(_key(s.run), {}).setdefault(s.run.split, s)
    entries: list[SelfPreference] = []
    outcomes: dict[int, dict[str, dict[str, float]]] = {}
    for (judge, model, _, _), splits in by_judge.items():
        if set(splits) != set(SPLITS):
            continue
        values = {sp: [float(p.outcome.correct) for p in splits[sp].run.pairs] for sp in SPLITS}
        acc = {sp: accuracy_of([v == 1.0 for v in values[sp]], settings) for sp in SPLITS}
        lo, hi = unpaired_bootstrap_ci(
            values[SPLITS[0]], values[SPLITS[1]], level=settings.level, resamples=settings.resamples, seed=settings.seed
        )
        family = family_of(model, families)
        own = next((sp for sp in SPLITS if family is not None and split_family(sp, families) == family), None)
        entry = SelfPreference(
            judge=judge,
            model=model,
            family=family,
            rows=(splits[SPLITS[0]].index, splits[SPLITS[1]].index),
            accuracy=acc,
            difference=acc[SPLITS[0]].value - acc[SPLITS[1]].value,
            low=100.0 * lo,
            high=100.0 * hi,
            own_split=own,
        )
        entries.append(entry)
        outcomes[id(entry)] = {
            sp: {p.pair_id: float(p.outcome.correct) for p in splits[sp].run.pairs} for sp in SPLITS
        }
    dids: list[DiffInDiff] = []
    for a, b in combinations(entries, 2):
        if a.family is None or b.family is None or a.family == b.family:
            continue
        if b.own_split == SPLITS[0] and a.own_split != SPLITS[0]:
            a, b = b, a  # the gpt split's family first: a positive value then means self-preference
        oa, ob = outcomes[id(a)], outcomes[id(b)]
        common = {sp: sorted(set(oa[sp]) & set(ob[sp])) for sp in SPLITS}
        if not all(common.values()):
            continue
        cols = {sp: ([oa[sp][i] for i in common[sp]], [ob[sp][i] for i in common[sp]]) for sp in SPLITS}

        def mean(xs: list[float]) -> float:
            return sum(xs) / len(xs) if xs else math.nan

        g, c = SPLITS
        value = (mean(cols[g][0]) - mean(cols[c][0])) - (mean(cols[g][1]) - mean(cols[c][1]))
        lo, hi = did_bootstrap_ci(
            cols[g][0], cols[g][1], cols[c][0], cols[c][1],
            level=settings.level, resamples=settings.resamples, seed=settings.seed,
        )
        dids.append(
            DiffInDiff(a, b, 100.0 * value, 100.0 * lo, 100.0 * hi, {sp: len(common[sp]) for sp in SPLITS})
        )
    return entries, dids
