"""RM-Bench (Liu et al., ICLR 2025): each prompt's three chosen and three rejected responses in
three styles, compared as a 3 x 3 matrix.

Rows as published (hub ``THU-KEG/RM-Bench``, or the repository's
``data/total_dataset.json`` / ``data/<domain>_filtered.json``): ``id``,
``prompt``, ``chosen`` and ``rejected`` (three responses each, in the style order
concise, detailed plain, detailed markdown), ``domain`` (``chat``, ``code``,
``math``, ``safety-refuse``, ``safety-response``; a ``<domain>_filtered.json``
file without the field takes it from its name). Each prompt gives nine pairs,
chosen style ``i`` against rejected style ``j`` (18 games for a two-game judge);
the category is the domain.

RM-Bench's scores (its README and ``scripts/utils.py``): ``acc[i][j]`` is the
share of prompts where chosen ``i`` beats rejected ``j`` with a strict
preference (a reward model: the chosen response's score above the rejected
one's, read from the scores its games record; a generative judge: the pair
counts as correct by the pair rule); ``hard`` is the mean of the upper-right
triangle (chosen in a plainer style than the rejected), ``normal`` the
diagonal, ``easy`` the lower-left triangle. A whole run is scored per domain
(``chat``, ``math``, ``code``, ``safety``, the two safety kinds together) and
then averaged over the domains, not pooled.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..dataset import PairDataError, PairRecord
from .groups import complete_groups, group_pairs, left_out, left_out_text, parse_pair_id, run_scores
from .rows import chosen_rejected_pairs, hub_rows, read_json_list

NAME = "rmbench"
HF_DATASET = "THU-KEG/RM-Bench"
HUB_IDS: tuple[str, ...] = (HF_DATASET,)
STYLES: tuple[str, ...] = ("concise", "detailed_plain", "detailed_markdown")
CATEGORIES: tuple[str, ...] = ("chat", "code", "math", "safety-refuse", "safety-response")
SIZE = len(STYLES)


def recognise(path: Path) -> bool:
    """Whether ``path`` is a JSON file of RM-Bench rows (judged by its first row).

    Args:
      path: A local path given as ``-T dataset=``.
    """
    if not path.is_file() or path.suffix != ".json":
        return False
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    first = rows[0] if isinstance(rows, list) and rows else None
    return (
        isinstance(first, dict)
        and isinstance(first.get("chosen"), list)
        and isinstance(first.get("rejected"), list)
        and "num_correct" not in first  # RewardBench 2's best-of-N rows
    )


def load(dataset: str) -> list[PairRecord]:
    """The pairs of a local file, or of the hub id ``THU-KEG/RM-Bench[@revision]``.

    Args:
      dataset: The ``dataset`` option.
    """
    repo, _, revision = dataset.partition("@")
    if repo == HF_DATASET:
        rows = hub_rows(repo, "train", revision or None, "path/to/total_dataset.json")
        return to_pairs(rows, f"{repo}@{revision or 'main'}", None)
    path = Path(dataset).expanduser()
    rows = read_json_list(path)
    stem = path.name.removesuffix("_filtered.json")
    return to_pairs(rows, str(path), stem if stem in CATEGORIES else None)


def to_pairs(rows: Sequence[Any], origin: str, domain: str | None) -> list[PairRecord]:
    """Nine pairs per row: chosen style ``i`` against rejected style ``j``.

    Args:
      rows: The decoded rows.
      origin: File or hub id, for messages.
      domain: The domain of rows without a ``domain`` field (from the file name).
    """
    pairs = []
    for n, row in enumerate(rows, start=1):
        where = f"{origin}, row {n}"
        if not isinstance(row, dict):
            raise PairDataError(f"{where}: expected an object, got {type(row).__name__}")
        if not isinstance(row.get("prompt"), str):
            raise PairDataError(f"{where}, field 'prompt': " + ("missing" if "prompt" not in row else "expected a string"))
        for field in ("chosen", "rejected"):
            value = row.get(field)
            if not (isinstance(value, list) and len(value) == SIZE and all(isinstance(v, str) for v in value)):
                raise PairDataError(f"{where}, field '{field}': expected a list of {SIZE} strings ({', '.join(STYLES)})")
        row_domain = row.get("domain", domain)
        if row_domain not in CATEGORIES:
            raise PairDataError(f"{where}, field 'domain': expected one of {', '.join(CATEGORIES)}, got {row_domain!r}")
        row_id = row.get("id", n)
        pairs += chosen_rejected_pairs(
            NAME, row_id, row["chosen"], row["rejected"], id_prefix=f"{NAME}-{row_domain}-{row_id}",
            category=row_domain, question=row["prompt"],
        )  # fmt: skip
    if not pairs:
        raise PairDataError(f"{origin}: no rows")
    return pairs


#: RM-Bench's domains when it scores a whole run (``split_dataset_by_domain``): both safety kinds are ``safety``.
DOMAINS: tuple[str, ...] = ("chat", "math", "code", "safety")


def _domain(category: str) -> str:
    return next((d for d in DOMAINS if category.startswith(d)), category)


def _win(pair: Any, scores: tuple[float, float] | None) -> float:
    """1 when the chosen response is strictly preferred: by its scalar score when the games carry
    scores (a reward model: ``score_chosen > score_rejected``), else by the pair rule."""
    if scores is not None:
        return float(scores[0] > scores[1])
    return float(pair.outcome.correct)


def _matrix(group: Sequence[Any], scores: Mapping[str, tuple[float, float]] | None) -> dict[str, Any]:
    """``compute_accuracy`` of one group of prompts: the 3x3 matrix and hard / normal / easy, in percent."""
    wins = [[0.0] * SIZE for _ in range(SIZE)]
    counts = [[0] * SIZE for _ in range(SIZE)]
    for p in group:
        ids = parse_pair_id(p.pair_id)
        wins[ids.chosen][ids.rejected] += _win(p, scores[p.pair_id] if scores else None)
        counts[ids.chosen][ids.rejected] += 1
    acc = [[wins[i][j] / counts[i][j] if counts[i][j] else 0.0 for j in range(SIZE)] for i in range(SIZE)]
    upper = [acc[i][j] for i in range(SIZE) for j in range(SIZE) if j > i]
    lower = [acc[i][j] for i in range(SIZE) for j in range(SIZE) if j < i]
    out = {
        "hard": 100 * sum(upper) / len(upper),
        "normal": 100 * sum(acc[i][i] for i in range(SIZE)) / SIZE,
        "easy": 100 * sum(lower) / len(lower),
    }
    return {**out, "average": sum(out.values()) / 3, "matrix": [[100 * v for v in row] for row in acc],
            "prompts": max(max(row) for row in counts)}  # fmt: skip


def native(pairs: Sequence[Any]) -> dict[str, Any]:
    """RM-Bench's scores of a run, in percent, as its ``compute_accuracy`` gives them.

    Per category (each domain as published) and per RM-Bench domain (``chat``,
    ``math``, ``code``, ``safety``: both safety kinds together): the matrix,
    ``hard``, ``normal``, ``easy`` and their mean ``average``. ``overall``:
    ``hard``, ``normal`` and ``easy`` as the mean over the domains present, and
    ``average`` (RM-Bench's ``total_avg_acc``) the mean of the domains'
    averages; its ``matrix`` is the domains' mean matrix. A win is a strict preference: the chosen response's scalar score
    above the rejected one's when every game carries scores (a reward model),
    else the pair counted correct by the pair rule. A prompt some of whose nine
    pairs were not scored (errored samples, ``--limit``) is left out and named
    (``incomplete_groups``).

    Args:
      pairs: The run's scored pairs (``pair_id``, ``category``, ``outcome``, the games' scores).
    """
    complete, gaps = complete_groups(group_pairs(pairs))
    pairs = [p for group in complete.values() for p in group]
    scores = run_scores(pairs)
    by_category: dict[str, list[Any]] = {}
    by_domain: dict[str, list[Any]] = {}
    for p in pairs:
        by_category.setdefault(p.category, []).append(p)
        by_domain.setdefault(_domain(p.category), []).append(p)
    out: dict[str, Any] = {
        "metric": "hard / normal / easy accuracy of the 3x3 style matrix"
        + (" (strict preference by the reward model's scalar scores)" if scores else " (pair rule)"),
        "scored_by": "scores" if scores else "pairs",
    }
    out.update(left_out(group_id for _, group_id in gaps))  # a prompt some of whose nine pairs were not scored has no full matrix
    out.update({c: _matrix(group, scores) for c, group in by_category.items()})
    domains = {d: _matrix(by_domain[d], scores) for d in DOMAINS if d in by_domain}
    out["domains"] = domains
    if domains:
        n = len(domains)
        out["overall"] = {k: sum(d[k] for d in domains.values()) / n for k in ("hard", "normal", "easy", "average")}
        out["overall"]["matrix"] = [
            [sum(d["matrix"][i][j] for d in domains.values()) / n for j in range(SIZE)] for i in range(SIZE)
        ]
        out["overall"]["prompts"] = sum(d["prompts"] for d in domains.values())
    return out


def headline(score: Mapping[str, Any]) -> str | None:
    """One line naming RM-Bench's own score of a run (what :func:`native` gave), for the report's notes.

    Args:
      score: The run's :func:`native` score.
    """
    overall = score.get("overall")
    if not isinstance(overall, dict):
        return None
    return (f"RM-Bench's own score: hard {overall['hard']:.2f}, normal {overall['normal']:.2f}, "
            f"easy {overall['easy']:.2f}{left_out_text(score, 'prompt(s)')}")  # fmt: skip
