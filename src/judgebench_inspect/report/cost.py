"""What a judge run cost: tokens per pair and per correctly judged pair, and dollars with a prices file.

Tokens come from the model usage Inspect records with every sample (summed over
the run's scored pairs). A prices file is a JSON object mapping a model name,
as Inspect writes it (``openai/gpt-4o``), to its prices in dollars per million
tokens::

    {"openai/gpt-4o": {"input": 2.5, "output": 10.0}}

Input tokens are priced at ``input`` (cache reads and writes are counted as
input), output tokens (reasoning included, as providers bill it) at ``output``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from .runs import Run

__all__ = ["Cost", "Price", "PricesError", "read_prices", "run_cost"]

#: The fields of one model's entry in a prices file.
PRICE_FIELDS = ("input", "output")


class PricesError(ConfigError):
    """A prices file that cannot be used (the message names the file, model and field)."""


@dataclass(frozen=True)
class Price:
    """A model's prices in dollars per million tokens.

    Attributes:
      input: Per million input tokens.
      output: Per million output tokens.
    """

    input: float
    output: float


def read_prices(path: str | Path) -> dict[str, Price]:
    """Read a prices file.

    Args:
      path: A JSON file: ``{"<model>": {"input": <$/M>, "output": <$/M>}, ...}``.

    Raises:
      PricesError: The file is missing, not JSON, or an entry is malformed.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as ex:
        raise PricesError(f"prices file {p}: cannot be read ({ex.strerror or ex})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as ex:
        raise PricesError(f"prices file {p}: not valid JSON ({ex.msg} at line {ex.lineno}, column {ex.colno})") from None
    if not isinstance(doc, dict) or not doc:
        raise PricesError(
            f'prices file {p}: expected a JSON object mapping model names to {{"input": ..., "output": ...}}'
        )
    prices = {}
    for model, entry in doc.items():
        where = f"prices file {p}, model {model!r}"
        if not isinstance(entry, dict):
            raise PricesError(f'{where}: expected an object {{"input": ..., "output": ...}}, got {json.dumps(entry)}')
        unknown = sorted(set(entry) - set(PRICE_FIELDS))
        if unknown:
            raise PricesError(f"{where}, field {unknown[0]!r}: unknown (valid: input, output)")
        values = []
        for name in PRICE_FIELDS:
            value = entry.get(name)
            if name not in entry:
                raise PricesError(f"{where}, field '{name}': missing (dollars per million {name} tokens)")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise PricesError(f"{where}, field '{name}': expected a non-negative number, got {json.dumps(value)}")
            values.append(float(value))
        prices[str(model)] = Price(*values)
    return prices


@dataclass(frozen=True)
class Cost:
    """Tokens (and dollars) a run used.

    Attributes:
      input_tokens: Input tokens (cache reads and writes included).
      output_tokens: Output tokens.
      total_tokens: All tokens.
      pairs: Pairs scored.
      correct: Pairs judged correctly.
      dollars: Cost with the prices given (``None`` without prices or when a
        model has no price).
      unpriced: Models used that the prices file does not name.
    """

    input_tokens: int
    output_tokens: int
    total_tokens: int
    pairs: int
    correct: int
    dollars: float | None = None
    unpriced: list[str] = field(default_factory=list)

    @property
    def tokens_per_pair(self) -> float:
        """All tokens / pairs scored."""
        return self.total_tokens / self.pairs if self.pairs else math.nan

    @property
    def tokens_per_correct(self) -> float:
        """All tokens / pairs judged correctly (``nan`` with none correct)."""
        return self.total_tokens / self.correct if self.correct else math.nan

    @property
    def dollars_per_pair(self) -> float | None:
        """Dollars / pairs scored."""
        return None if self.dollars is None or not self.pairs else self.dollars / self.pairs

    @property
    def dollars_per_correct(self) -> float | None:
        """Dollars / pairs judged correctly."""
        return None if self.dollars is None or not self.correct else self.dollars / self.correct


def _input(counts: dict[str, int]) -> int:
    return (
        counts.get("input_tokens", 0)
        + counts.get("input_tokens_cache_read", 0)
        + counts.get("input_tokens_cache_write", 0)
    )


def run_cost(run: Run, correct: int, prices: dict[str, Price] | None = None) -> Cost | None:
    """The tokens (and, with prices, the dollars) of a run; ``None`` when it records no usage.

    Args:
      run: The run (its ``usage``).
      correct: Pairs it judged correctly.
      prices: Model name -> prices, if given.
    """
    if not run.usage:
        return None
    inputs = sum(_input(c) for c in run.usage.values())
    outputs = sum(c.get("output_tokens", 0) for c in run.usage.values())
    total = sum(c.get("total_tokens") or (_input(c) + c.get("output_tokens", 0)) for c in run.usage.values())
    dollars: float | None = None
    unpriced: list[str] = []
    if prices is not None:
        unpriced = sorted(m for m in run.usage if m not in prices)
        if not unpriced:
            dollars = sum(
                (_input(c) * prices[m].input + c.get("output_tokens", 0) * prices[m].output) / 1e6
                for m, c in run.usage.items()
            )
    return Cost(inputs, outputs, total, len(run.pairs), correct, dollars, unpriced)
