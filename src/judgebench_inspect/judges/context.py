"""Fit two responses into a small judge context by cutting them from one side.

:class:`ContextFit` holds a judge's context options (``context_length``,
``tokenizer``, ``reserve``, ``keep``, with the reply's ``max_tokens``), checks
them, and cuts the responses of each game; every judge that takes these
options builds one.

PandaLM and JudgeLM were trained with a 2048-token context. JudgeBench fitted
long pairs by cutting each response to an equal share of what is left once
the prompt, the question and the reply's token allowance are counted. This
module does the same with two ways of counting tokens:

* the judge model's own tokenizer (``tokenizer="<hub id or local path>"``),
  loaded with ``transformers`` (optional extra ``hf``): exact;
* without one, a conservative estimate (:class:`EstimateCounter`), or a
  strict byte bound (``tokenizer="bytes"``, :class:`ByteBoundCounter`).

The estimate is made for the LLaMA SentencePiece vocabulary these judges use
(32k pieces with byte fallback). It counts the worst case exactly for what is
expensive there: every digit is its own token (LLaMA splits numbers into
digits), every newline, punctuation mark or symbol one token, and every
non-ASCII character as many tokens as it has UTF-8 bytes (byte fallback).
Only runs of letters are estimated: at most one token per two letters (a run
of one or two letters counts one token per letter). LLaMA's vocabulary holds
whole common words, so ordinary English takes about half that; only strings
of random letters (hashes, base64) can exceed it. A reserve of tokens (option
``reserve``) is kept free on top. The byte bound never undercounts a
byte-fallback or byte-level tokenizer (each token covers at least one byte,
plus the start-of-text token and SentencePiece's dummy prefix), but it cuts
about four times more than needed on English.

Whatever the counter, the finished prompt is counted again and cut further
until it fits; if even empty responses would not fit (a question that fills
the context), :func:`fit_pair` returns ``None`` and the judge gives no verdict
without calling the model.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from inspect_ai.model import ChatMessage

from .base import check_choice

#: Fewest tokens each response must keep for a game to be worth playing.
MIN_RESPONSE_TOKENS = 16
#: Tokens left unused at each join of a response with the template, because
#: a tokenizer may merge characters across the join.
JOIN_MARGIN = 2

_SPACE_RUN = re.compile(r" +")
_PIECES = re.compile(r"[A-Za-z]+| +|.", re.DOTALL)


class TokenCounter(Protocol):
    """Counts tokens and cuts text to a number of tokens."""

    #: Shown in logs: ``estimate``, ``bytes`` or ``tokenizer:<name>``.
    name: str

    def count(self, text: str) -> int:
        """Tokens of a whole prompt, with the start-of-text token."""
        ...

    def count_piece(self, text: str) -> int:
        """Tokens of a piece of text inserted into a prompt (no special tokens)."""
        ...

    def keep(self, text: str, tokens: int, side: str) -> str:
        """The end (``side="end"``) or start (``"start"``) of a text, at most ``tokens`` long."""
        ...


def _keep_by_search(counter: TokenCounter, text: str, tokens: int, side: str) -> str:
    """Longest suffix (or prefix) of ``text`` whose count is within ``tokens``.

    Binary search over the cut point; the counters here grow with the length
    of the kept text, so the search is exact for them.
    """
    if counter.count_piece(text) <= tokens:
        return text
    if tokens <= 0:
        return ""
    lo, hi = 0, len(text)  # number of characters kept: lo fits, hi does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        part = text[len(text) - mid :] if side == "end" else text[:mid]
        if counter.count_piece(part) <= tokens:
            lo = mid
        else:
            hi = mid
    return text[len(text) - lo :] if side == "end" else text[:lo]


def _letters(n: int) -> int:
    return n if n <= 2 else math.ceil(n / 2)


class EstimateCounter:
    """Conservative token estimate for LLaMA-style tokenizers (see the module doc)."""

    name = "estimate"

    def count_piece(self, text: str) -> int:
        total = 0
        for m in _PIECES.finditer(text):
            piece = m.group(0)
            ch = piece[0]
            if ch.isascii() and ch.isalpha():
                total += _letters(len(piece))
            elif ch == " ":
                n = len(piece)
                nxt = text[m.end() : m.end() + 1]
                if n == 1:
                    # A single space joins the word after it ("▁word").
                    total += 0 if (nxt.isascii() and nxt.isalpha()) else 1
                else:
                    total += math.ceil(n / 2)
            elif ch.isascii():
                total += 1  # digit, newline, tab, punctuation or symbol
            else:
                total += len(ch.encode("utf-8"))  # byte fallback
        return total

    def count(self, text: str) -> int:
        # + start-of-text token + SentencePiece's dummy-prefix piece
        return self.count_piece(text) + 2

    def keep(self, text: str, tokens: int, side: str) -> str:
        return _keep_by_search(self, text, tokens, side)


class ByteBoundCounter:
    """Strict bound: a token never covers less than one UTF-8 byte."""

    name = "bytes"

    def count_piece(self, text: str) -> int:
        return len(text.encode("utf-8"))

    def count(self, text: str) -> int:
        return self.count_piece(text) + 2

    def keep(self, text: str, tokens: int, side: str) -> str:
        data = text.encode("utf-8")
        if len(data) <= tokens:
            return text
        part = data[len(data) - max(tokens, 0) :] if side == "end" else data[: max(tokens, 0)]
        # Drop a character cut in half at the edge.
        return part.decode("utf-8", errors="ignore")


class HFTokenizerCounter:
    """Exact counts with the judge model's own tokenizer (needs ``transformers``)."""

    def __init__(self, tokenizer: Any, name: str) -> None:
        self.tokenizer = tokenizer
        self.name = f"tokenizer:{name}"

    def _ids(self, text: str, special: bool) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=special)["input_ids"])

    def count(self, text: str) -> int:
        return len(self._ids(text, True))

    def count_piece(self, text: str) -> int:
        return len(self._ids(text, False))

    def keep(self, text: str, tokens: int, side: str) -> str:
        ids = self._ids(text, False)
        if len(ids) <= tokens:
            return text
        if tokens <= 0:
            return ""
        part = ids[len(ids) - tokens :] if side == "end" else ids[:tokens]
        out: str = self.tokenizer.decode(
            part, skip_special_tokens=False, clean_up_tokenization_spaces=False
        )
        # A cut through a multi-byte character decodes as U+FFFD: drop it.
        return out.lstrip("\ufffd") if side == "end" else out.rstrip("\ufffd")


@functools.lru_cache(maxsize=8)
def _load_hf_tokenizer(name: str) -> Any:
    try:
        from transformers import AutoTokenizer
    except ImportError:
        raise RuntimeError(
            f"tokenizer={name!r} needs the 'transformers' package: "
            "pip install 'judgebench-inspect[hf]' (or pip install transformers); "
            "leave the option out to use the built-in estimate"
        ) from None
    try:
        try:
            # JudgeBench loaded the judges' tokenizers with use_fast=False
            return AutoTokenizer.from_pretrained(name, use_fast=False)
        except Exception:  # noqa: BLE001 - no slow tokenizer for this model: the fast one
            return AutoTokenizer.from_pretrained(name)
    except Exception as ex:  # noqa: BLE001 - any load failure gets the same clear message
        raise RuntimeError(
            f"cannot load tokenizer {name!r} (a local directory or a Hugging Face hub id "
            f"is expected; offline runs need it in the local cache): {ex}"
        ) from ex


def cut_as_judgebench(
    tokenizer: Any,
    template_text: str,
    first: str,
    second: str,
    context_limit: int,
    max_new_tokens: int,
    side: str,
) -> tuple[str, str, dict[str, Any]]:
    """Cut two responses exactly as JudgeBench did for PandaLM and JudgeLM.

    Each response keeps ``(context_limit - max_new_tokens - T) // 2 - 2``
    tokens, where ``T`` counts the prompt rendered with empty responses
    (special tokens included); ``side="left"`` keeps the end, ``"right"`` the
    start. Every response is re-encoded and decoded, cut or not, and Python's
    slice rules apply as they did there (a share of 0 keeps everything).

    Args:
      tokenizer: A Hugging Face tokenizer.
      template_text: The prompt rendered with empty responses.
      first: Response shown first.
      second: Response shown second.
      context_limit: The judge's context (JudgeBench: 2048).
      max_new_tokens: Tokens left for the reply.
      side: ``left`` or ``right`` (the side cut away).

    Returns:
      The two cut responses and counts for the log.
    """
    template_tokens = len(tokenizer(template_text).input_ids)
    share = (context_limit - max_new_tokens - template_tokens) // 2 - 2
    out: list[str] = []
    lengths: list[int] = []
    for text in (first, second):
        ids = tokenizer(text, add_special_tokens=False, padding=False, truncation=False).input_ids
        lengths.append(len(ids))
        kept = ids[:share] if side == "right" else ids[-share:]
        out.append(tokenizer.decode(kept))
    info = {
        "rule": "judgebench",
        "template_tokens": template_tokens,
        "share": share,
        "side": side,
        "first_tokens": lengths[0],
        "second_tokens": lengths[1],
        "truncated": any(n > share for n in lengths) if share > 0 else False,
        "tokenizer_class": type(tokenizer).__name__,
    }
    return out[0], out[1], info


def make_counter(tokenizer: str | None) -> TokenCounter:
    """The token counter an option value asks for.

    Args:
      tokenizer: ``None`` for the estimate, ``"bytes"`` for the strict byte
        bound, or a tokenizer's local path or hub id (needs ``transformers``).
    """
    if tokenizer is None or tokenizer == "estimate":
        return EstimateCounter()
    if tokenizer == "bytes":
        return ByteBoundCounter()
    return HFTokenizerCounter(_load_hf_tokenizer(str(tokenizer)), str(tokenizer))


@dataclass
class FitResult:
    """Two responses cut to fit, with what was done (for the game's log).

    Attributes:
      first: The response shown first, possibly cut.
      second: The response shown second, possibly cut.
      info: Counts for the log: counter, budget, prompt tokens, and per
        response its tokens before and after.
    """

    first: str
    second: str
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def truncated(self) -> bool:
        """Whether either response was cut."""
        return bool(self.info.get("truncated"))


def _split(room: int, need_a: int, need_b: int) -> tuple[int, int]:
    """Share ``room`` tokens between two responses: the shorter one keeps all
    it needs when it is within half, the longer one takes the rest."""
    half = room // 2
    if need_a <= half:
        return need_a, room - need_a
    if need_b <= half:
        return room - need_b, need_b
    return half, room - half


def fit_pair(
    render: Callable[[str, str], str],
    first: str,
    second: str,
    counter: TokenCounter,
    budget: int,
    keep: str = "end",
) -> FitResult | None:
    """Cut two responses so that the rendered prompt takes at most ``budget`` tokens.

    Args:
      render: Builds the full prompt text from the two responses.
      first: The response shown first.
      second: The response shown second.
      counter: How tokens are counted.
      budget: Tokens the prompt may take (context minus reply allowance and reserve).
      keep: ``"end"`` keeps each response's end (cuts from the left), ``"start"``
        keeps its start.

    Returns:
      The fitted pair, or ``None`` when even empty responses leave less than
      :data:`MIN_RESPONSE_TOKENS` each.
    """
    if keep not in ("end", "start"):
        raise ValueError(f"keep must be 'end' or 'start', got {keep!r}")
    need_a, need_b = counter.count_piece(first), counter.count_piece(second)
    total = counter.count(render(first, second))
    info: dict[str, Any] = {
        "counter": counter.name,
        "budget": budget,
        "keep": keep,
        "first_tokens": need_a,
        "second_tokens": need_b,
    }
    if total <= budget:
        info.update(truncated=False, prompt_tokens=total)
        return FitResult(first, second, info)

    overhead = counter.count(render("", ""))
    room = budget - overhead - 2 * JOIN_MARGIN
    if room < 2 * MIN_RESPONSE_TOKENS:
        info.update(truncated=None, overhead_tokens=overhead)
        return None
    keep_a, keep_b = _split(room, need_a, need_b)
    a, b = first, second
    for _ in range(8):
        a = counter.keep(first, keep_a, keep) if keep_a < need_a else first
        b = counter.keep(second, keep_b, keep) if keep_b < need_b else second
        total = counter.count(render(a, b))
        if total <= budget:
            info.update(
                truncated=True,
                prompt_tokens=total,
                first_kept=counter.count_piece(a),
                second_kept=counter.count_piece(b),
            )
            return FitResult(a, b, info)
        # The pieces took more in place than alone: cut the cut ones further.
        excess = total - budget + JOIN_MARGIN
        if keep_a < need_a and keep_b < need_b:
            keep_a -= (excess + 1) // 2
            keep_b -= (excess + 1) // 2
        elif keep_a < need_a:
            keep_a -= excess
        else:
            keep_b -= excess
        if min(keep_a, keep_b) < 0:
            break
    info.update(truncated=None, overhead_tokens=overhead)
    return None


#: JudgeBench's ``truncation_side`` (the side cut away) as our ``keep`` (the side kept).
KEEP_OF_SIDE: dict[str, str] = {"left": "end", "right": "start"}


def messages_text(messages: list[ChatMessage]) -> str:
    """All message texts as one string (what a token count should cover)."""
    return "\n\n".join(m.text for m in messages)


class ContextFit:
    """Keeps prompts inside a small context window by cutting the responses.

    The one place the context options are checked (the same names and meaning
    for every judge that takes them).

    Args:
      context_length: The judge model's context in tokens.
      max_tokens: Tokens reserved for the reply.
      reserve: Further tokens kept free (chat-template wrapping, special tokens).
      tokenizer: ``None`` (estimate), ``"bytes"`` (strict bound) or a
        tokenizer path / hub id (needs ``transformers``).
      keep: ``"end"`` keeps the end of each response, ``"start"`` its start.
    """

    def __init__(
        self,
        context_length: int,
        max_tokens: int,
        reserve: int,
        tokenizer: str | None,
        keep: str,
    ) -> None:
        for opt, val in (("context_length", context_length), ("max_tokens", max_tokens), ("reserve", reserve)):
            if not isinstance(val, int) or isinstance(val, bool) or val < 0:
                raise ValueError(f"{opt} must be a non-negative integer, got {val!r}")
        self.keep = check_choice("keep", keep, ("end", "start"))
        self.budget = context_length - max_tokens - reserve
        if self.budget < 2 * MIN_RESPONSE_TOKENS:
            raise ValueError(
                f"context_length={context_length} leaves no room for a prompt after "
                f"max_tokens={max_tokens} and reserve={reserve}"
            )
        self.context_length = context_length
        self.counter = make_counter(tokenizer)

    @property
    def exact_tokenizer(self) -> bool:
        """Tokens are counted with the judge model's own tokenizer."""
        return isinstance(self.counter, HFTokenizerCounter)

    def judgebench_difference(self, rule: dict[str, Any]) -> str | None:
        """How the context options differ from JudgeBench's cut for the judge, if they do.

        Args:
          rule: JudgeBench's ``truncate_responses`` keywords (``context_limit``,
            ``truncation_side``).
        """
        limit, side = rule.get("context_limit"), rule.get("truncation_side")
        if (self.context_length, self.keep) == (limit, KEEP_OF_SIDE.get(str(side))):
            return None
        return f"context_length={self.context_length}, keep={self.keep} (JudgeBench: {limit}, cut from the {side})"

    def fit_as_judgebench(
        self,
        build: Callable[[str, str], list[ChatMessage]],
        template_text: str,
        first: str,
        second: str,
        rule: dict[str, Any],
    ) -> tuple[list[ChatMessage], dict[str, Any]]:
        """The prompt with both responses cut by JudgeBench's own rule and tokenizer.

        JudgeBench cuts every response (whether or not it fits) to
        ``(context - new tokens - template tokens) // 2 - 2`` tokens, from
        the side its judge names, and decodes the kept tokens.

        Args:
          build: Builds the prompt messages from the two responses.
          template_text: The prompt rendered with empty responses.
          first: Response shown first.
          second: Response shown second.
          rule: JudgeBench's ``truncate_responses`` keywords (``context_limit``,
            ``max_new_tokens``, ``truncation_side``).
        """
        assert isinstance(self.counter, HFTokenizerCounter)
        tokenizer = self.counter.tokenizer
        a, b, info = cut_as_judgebench(
            tokenizer,
            template_text,
            first,
            second,
            int(rule["context_limit"]),
            int(rule["max_new_tokens"]),
            str(rule["truncation_side"]),
        )
        info["counter"] = self.counter.name
        return build(a, b), {"context": info}

    def fit(
        self, build: Callable[[str, str], list[ChatMessage]], first: str, second: str
    ) -> tuple[list[ChatMessage] | None, dict[str, Any]]:
        """The prompt with both responses cut to fit, and the counts for the log.

        Args:
          build: Builds the prompt messages from the two responses.
          first: Response shown first.
          second: Response shown second.

        Returns:
          The messages (``None`` when the question alone fills the context)
          and a dict with the counts.
        """
        fitted = fit_pair(
            lambda a, b: messages_text(build(a, b)), first, second, self.counter, self.budget, self.keep
        )
        if fitted is None:
            return None, {"context": {"counter": self.counter.name, "budget": self.budget, "fits": False}}
        return build(fitted.first, fitted.second), {"context": fitted.info}
