"""PPE human preference (Frick et al., 2024, "How to Evaluate Reward Models for RLHF"): Chatbot
Arena battles with a crowd-sourced human vote.

Hub dataset ``lmarena-ai/PPE-Human-Preference-V1``, split ``test`` (16,038 rows).
Its card (``README.md`` at commit e75cdc5, read through a mirror; PPE's
repository github.com/lmarena/PPE could not be fetched here) publishes these
fields, all read with exactly these names and types:
``question_id``, ``model_a``, ``model_b``, ``winner``, ``prompt``,
``response_1``, ``response_2``, ``language`` (strings); ``conv_metadata``
(struct of token counts and ``turns``); ``is_code``, ``is_refusal`` (bool);
``category_tag`` (struct of Arena's category classifiers); ``sim``,
``token_diff`` (float); ``length_a``, ``length_b`` (int); ``longer_won``
(string); ``hard_prompt``, ``easy_prompt``, ``if_prompt``, ``math_prompt``
(bool). ``-T dataset=`` takes the hub id (pinned with ``@revision``), a local
``.parquet`` / ``.jsonl`` / ``.json`` file of that split, or a folder of such
files (recognised by the first row's fields).

Pairs. ``winner`` is ``model_a``, ``model_b``, ``tie`` or ``tie (bothbad)``
(Chatbot Arena's vote values; any other value is an error). A row with a clear
winner is one pair ``ppe-human-<question_id>`` (``.<row>`` appended to a
repeated id): ``response_1`` is ``model_a``'s
response and ``response_2`` ``model_b``'s (our reading of the card, which lists
them side by side), the winner's response is the better one, its position drawn
with a seed. A tie is never a pair: the rows of each vote are counted at load
time and every pair carries its set's counts, so :func:`native` reports them.

Categories. The set's flags overlap; a pair's log category is the first of
:data:`FLAG_CATEGORIES` whose flag is true (``math_prompt`` -> ``math``,
``is_code`` -> ``coding``, ``if_prompt`` -> ``instruction-following``,
``hard_prompt`` -> ``hard-prompt``, ``easy_prompt`` -> ``easy-prompt``), else
``other``: the most specific domain first, then difficulty (our rule). PPE
reports each flag on its own, so :func:`native` gives the accuracy of every
flag over all pairs carrying it (overlapping), and per ``language``.

PPE's metrics, as far as they apply to a pairwise judge:

- **accuracy** (share of non-tie rows whose human-preferred response the
  judge prefers): applies; here by the pair rule, and per game;
- row-wise Pearson, confidence agreement, separability, Spearman, Kendall
  (agreement of the model rankings built from the judge's preferences with
  the human ones) and the Brier score (needs a win probability): **n/a** for a
  pairwise judge (reported as such).

Checked against the card only: the fields and types above, the split and its
size. The paper (arXiv 2410.14872) could be read here only as far as its
abstract ("12 metrics across 12 domains"); the metric names above are the
paper's as we know them, not checked against its text or code; the tie
handling, the winner-to-response mapping and the category rule are our reading.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from ..dataset import PairDataError, PairRecord
from .rows import TABLE_SUFFIXES, first_row_with, hub_rows, read_table, seeded_pair

NAME = "ppe-human"
HUB_ID = "lmarena-ai/PPE-Human-Preference-V1"
HUB_IDS: tuple[str, ...] = (HUB_ID,)
HF_SPLIT = "test"

#: The card's flag columns -> log category, in the order that picks a pair's category.
FLAG_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("math_prompt", "math"),
    ("is_code", "coding"),
    ("if_prompt", "instruction-following"),
    ("hard_prompt", "hard-prompt"),
    ("easy_prompt", "easy-prompt"),
)
OTHER = "other"
CATEGORIES: tuple[str, ...] = (*(c for _, c in FLAG_CATEGORIES), OTHER)

#: ``winner`` values with a clear human preference -> the better response's field.
WINNERS: dict[str, str] = {"model_a": "response_1", "model_b": "response_2"}
#: ``winner`` values that are ties (counted, never paired).
TIES: tuple[str, ...] = ("tie", "tie (bothbad)")

#: The fields every row has (how a file is recognised).
ROW_FIELDS: tuple[str, ...] = ("question_id", "model_a", "model_b", "winner", "prompt", "response_1", "response_2")

#: PPE's human-preference metrics that need model rankings or probabilities.
RANKING_METRICS: tuple[str, ...] = (
    "row-wise Pearson",
    "confidence agreement",
    "separability",
    "Spearman",
    "Kendall",
    "Brier score",
)


def _files(path: Path) -> list[Path]:
    """The set's table files in a folder, up to three levels down (``data/test-*.parquet``), in name order."""
    found = (f for pattern in ("*", "*/*", "*/*/*") for f in path.glob(pattern) if f.name.endswith(TABLE_SUFFIXES))
    return sorted(f for f in found if first_row_with(f, ROW_FIELDS) is not None)


def recognise(path: Path) -> bool:
    """Whether ``path`` is a file of the set (judged by its first row), or a folder holding some.

    Args:
      path: A local path given as ``-T dataset=``.
    """
    if path.is_dir():
        return bool(_files(path))
    return first_row_with(path, ROW_FIELDS) is not None


def load(dataset: str) -> list[PairRecord]:
    """The pairs of the hub id, a local file of the split, or a folder of such files.

    Args:
      dataset: The ``dataset`` option.

    Raises:
      PairDataError: A row not in the published schema (file, row and field named).
    """
    repo, _, revision = dataset.partition("@")
    if repo == HUB_ID:
        rows = hub_rows(repo, HF_SPLIT, revision or None, "path/to/PPE-Human-Preference-V1/data/test.parquet")
        return to_pairs(rows, f"{repo}@{revision or 'main'} split {HF_SPLIT}")
    path = Path(dataset).expanduser()
    pairs: list[PairRecord] = []
    for file in _files(path) if path.is_dir() else [path]:
        pairs += to_pairs(read_table(file), str(file))
    return pairs


def _flag(row: dict[str, Any], field: str, where: str) -> bool:
    """A boolean flag column (a null counts as false)."""
    if field not in row:
        raise PairDataError(f"{where}, field '{field}': missing")
    value = row[field]
    if value is not None and not isinstance(value, bool):
        raise PairDataError(f"{where}, field '{field}': expected a boolean, got {type(value).__name__}")
    return bool(value)


def _checked(row: Any, where: str) -> tuple[str, str, list[str], str]:
    """A row's question id, winner, true flags and language, after checking its fields."""
    if not isinstance(row, dict):
        raise PairDataError(f"{where}: expected an object, got {type(row).__name__}")
    for field in ("question_id", "winner", "prompt", "response_1", "response_2"):
        if field not in row:
            raise PairDataError(f"{where}, field '{field}': missing")
        if not isinstance(row[field], str):
            raise PairDataError(f"{where}, field '{field}': expected a string, got {type(row[field]).__name__}")
    winner = row["winner"]
    if winner not in WINNERS and winner not in TIES:
        raise PairDataError(
            f"{where}, field 'winner': {winner!r} is not one of {', '.join(repr(w) for w in (*WINNERS, *TIES))}"
        )
    language = row.get("language")
    if language is not None and not isinstance(language, str):
        raise PairDataError(f"{where}, field 'language': expected a string, got {type(language).__name__}")
    flags = [field for field, _ in FLAG_CATEGORIES if _flag(row, field, where)]
    return row["question_id"], winner, flags, language or "unknown"


def category_of(flags: Sequence[str]) -> str:
    """A pair's log category: the first of :data:`FLAG_CATEGORIES` whose flag is set, else ``other``.

    Args:
      flags: The row's true flag columns.
    """
    return next((c for f, c in FLAG_CATEGORIES if f in flags), OTHER)


def to_pairs(rows: Sequence[Any], origin: str) -> list[PairRecord]:
    """The set's rows with a clear human winner as pairs; ties are counted, not paired.

    Each pair's ``tags`` hold the row's ``language`` and true ``flags``, and its
    set's ``set`` (``origin``), ``rows`` and ``ties`` (count of each tie value),
    for :func:`native`.

    Args:
      rows: The decoded rows.
      origin: File or hub id, for messages and the pairs' ``set``.

    Raises:
      PairDataError: A row that is not in the schema (file, row, field named), or no row with a winner.
    """
    checked = [_checked(row, f"{origin}, row {n}") for n, row in enumerate(rows, start=1)]
    ties = {t: sum(c[1] == t for c in checked) for t in TIES}
    pairs = []
    seen: set[str] = set()
    for n, ((qid, winner, flags, language), row) in enumerate(zip(checked, rows), start=1):
        if winner in TIES:
            continue
        group = qid if qid not in seen else f"{qid}.{n}"  # a question voted on twice: each row its own pair
        seen.add(group)
        better = WINNERS[winner]
        worse = "response_2" if better == "response_1" else "response_1"
        meta = {"set": origin, "rows": len(rows), "ties": ties, "language": language, "flags": flags}
        pairs.append(
            seeded_pair(
                f"{NAME}:{group}",
                row[better],
                row[worse],
                pair_id=f"{NAME}-{group}",
                source=NAME,
                category=category_of(flags),
                question=row["prompt"],
                original_id=qid,
                tags=meta,
            )
        )
    if not pairs:
        raise PairDataError(f"{origin}: no row with a clear human winner (all {len(rows)} rows are ties)")
    return pairs


def pair_meta(pair: Any) -> dict[str, Any]:
    """What :func:`to_pairs` put in a scored pair's ``tags`` (empty if nothing).

    Args:
      pair: A scored pair (``record["tags"]``).
    """
    tags = pair.record.get("tags")
    return tags if isinstance(tags, dict) else {}


def _accuracy(group: Sequence[Any]) -> dict[str, Any]:
    """Pair-rule accuracy and each game's accuracy of some pairs, in percent."""
    out: dict[str, Any] = {"pairs": len(group), "accuracy": 100 * sum(p.outcome.correct for p in group) / len(group)}
    for game in (0, 1):
        played = [p for p in group if len(p.verdicts) > game]
        if played:
            out[f"game_{game + 1}"] = 100 * sum(p.verdicts[game] == p.label for p in played) / len(played)
    return out


def native(pairs: Sequence[Any]) -> dict[str, Any]:
    """PPE's human-preference accuracy of a run, overall, per flag, per language and per log category.

    Args:
      pairs: The run's scored pairs (``category``, ``label``, ``verdicts``,
        ``outcome``, ``record["tags"]`` as :func:`to_pairs` writes them).
    """
    metas = [pair_meta(p) for p in pairs]
    sets = {m["set"]: m for m in metas if "set" in m}
    ties = {t: sum(int(m["ties"].get(t, 0)) for m in sets.values()) for t in TIES}
    by_flag = {f: [p for p, m in zip(pairs, metas) if f in m.get("flags", ())] for f, _ in FLAG_CATEGORIES}
    languages: dict[str, list[Any]] = {}
    for p, m in zip(pairs, metas):
        languages.setdefault(str(m.get("language", "unknown")), []).append(p)
    return {
        "metric": "PPE human-preference accuracy (share of non-tie rows whose human-preferred response the judge "
        "prefers; a pair counts by the pair rule, game_1 / game_2 per game)",
        "overall": _accuracy(pairs) if pairs else None,
        "flags": {f: _accuracy(g) for f, g in by_flag.items() if g},
        "languages": {k: _accuracy(g) for k, g in sorted(languages.items(), key=lambda kv: (-len(kv[1]), kv[0]))},
        "categories": {c: _accuracy(g) for c in CATEGORIES if (g := [p for p in pairs if p.category == c])},
        "ties": {"not_paired": ties, "rows": sum(int(m["rows"]) for m in sets.values()), "sets": sorted(sets)},
        "not_applicable": list(RANKING_METRICS),
    }


def headline(score: Mapping[str, Any]) -> str | None:
    """One line naming PPE's human-preference accuracy of a run (what :func:`native` gave), for the report's notes.

    Args:
      score: The run's :func:`native` score.
    """
    overall = score.get("overall")
    if not overall:
        return None
    ties = sum(score["ties"]["not_paired"].values())
    return (f"PPE human-preference accuracy: {overall['accuracy']:.2f} on {overall['pairs']} non-tie pairs "
            f"({ties} tie rows not paired)")  # fmt: skip
