"""Prompt templates: the built-in ones and those a user passes as a file.

A template file is plain UTF-8 text. It may be split into a system part and a
user part by lines that read exactly ``[system]`` and ``[user]``; without them
the whole file is the user message. Placeholders are ``{question}``,
``{answer_a}`` (the response shown first) and ``{answer_b}`` (shown second).
Other braces are left alone, so JSON or LaTeX in a template is safe.

A template (ours, a user's, or JudgeBench's own, see :mod:`.requests`) is
rendered into a game's opening messages by :func:`prompt_messages`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser

from ..errors import ConfigError
from .upstream import sha256_of, upstream_file_of_hash

if TYPE_CHECKING:
    from .requests import Template

PLACEHOLDERS: tuple[str, ...] = ("question", "answer_a", "answer_b")
_PLACEHOLDER_RE = re.compile(r"\{(question|answer_a|answer_b)\}")


class TemplateError(ConfigError):
    """A prompt template that cannot be used."""


@dataclass(frozen=True)
class PromptTemplate:
    """A system message (optional) and a user message with placeholders.

    Attributes:
      user: The user message template.
      system: The system message, or ``None``.
      origin: Where the template came from (for messages and logs).
      upstream: The path in JudgeBench's repository of the file this template
        is byte for byte (its SHA-256 matches), else ``None``.
    """

    user: str
    system: str | None = None
    origin: str = "built-in"
    upstream: str | None = None

    def render(self, question: str, answer_a: str, answer_b: str) -> tuple[str | None, str]:
        """Fill the placeholders in one pass (inserted text is never re-read).

        Args:
          question: The question.
          answer_a: The response shown first.
          answer_b: The response shown second.

        Returns:
          The system message (or ``None``) and the user message.
        """
        values = {"question": question, "answer_a": answer_a, "answer_b": answer_b}

        def fill(text: str) -> str:
            return _PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], text)

        return (fill(self.system) if self.system is not None else None, fill(self.user))


def load_template(path: str | Path) -> PromptTemplate:
    """Read a user's template file.

    Args:
      path: The file.

    A file that is one of JudgeBench's own templates (same SHA-256) is not
    parsed: it comes back with :attr:`PromptTemplate.upstream` set, and the
    judge whose template it is sends JudgeBench's exact request.

    Raises:
      TemplateError: The file is missing, not UTF-8, empty, or lacks a placeholder.
    """
    p = Path(path).expanduser()
    try:
        data = p.read_bytes()
    except OSError as ex:
        raise TemplateError(f"template {p}: cannot read ({ex.strerror})") from None
    known = upstream_file_of_hash(sha256_of(data))
    if known is not None and known.startswith("utils/templates/"):
        # JudgeBench's own template file: the judge renders it as JudgeBench does.
        return PromptTemplate(user="", origin=str(p), upstream=known)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as ex:
        raise TemplateError(
            f"template {p}: not UTF-8 text (byte 0x{ex.object[ex.start]:02x} at offset {ex.start}); "
            "save the template as UTF-8"
        ) from None
    system: str | None = None
    user = text
    lines = text.splitlines(keepends=True)
    marks = {ln.strip(): i for i, ln in enumerate(lines) if ln.strip() in ("[system]", "[user]")}
    if marks:
        if "[user]" not in marks:
            raise TemplateError(f"template {p}: has a [system] section but no [user] section")
        u = marks["[user]"]
        s = marks.get("[system]")
        if s is not None and s > u:
            raise TemplateError(f"template {p}: put the [system] section before [user]")
        if s is not None:
            system = "".join(lines[s + 1 : u]).strip("\n")
        elif "".join(lines[:u]).strip():
            raise TemplateError(f"template {p}: text before [user] must be under [system]")
        user = "".join(lines[u + 1 :]).strip("\n")
    if not user.strip():
        raise TemplateError(f"template {p}: the user message is empty")
    found = set(_PLACEHOLDER_RE.findall(user + (system or "")))
    missing = [name for name in PLACEHOLDERS if name not in found]
    if missing:
        raise TemplateError(
            f"template {p}: missing placeholder(s) {', '.join('{' + m + '}' for m in missing)}"
        )
    return PromptTemplate(user=user, system=system, origin=str(p))


def resolve_template(template: str | PromptTemplate | None, default: PromptTemplate) -> PromptTemplate:
    """The template to use: the built-in default, a loaded file, or a given one.

    Args:
      template: ``None``, a path to a template file, or a template.
      default: The strategy's built-in template.
    """
    if template is None:
        return default
    if isinstance(template, PromptTemplate):
        return template
    return load_template(template)


def messages_of(system: str | None, user: str) -> list[ChatMessage]:
    """The opening messages of a game: an optional system message, then the user message.

    Args:
      system: The system message, or ``None``.
      user: The user message.
    """
    messages: list[ChatMessage] = []
    if system is not None:
        messages.append(ChatMessageSystem(content=system))
    messages.append(ChatMessageUser(content=user))
    return messages


def prompt_messages(template: "Template", question: str, first: str, second: str) -> list[ChatMessage]:
    """Render a template into the opening messages of a game.

    Args:
      template: The template.
      question: The question.
      first: Response shown first.
      second: Response shown second.
    """
    return messages_of(*template.render(question, first, second))
