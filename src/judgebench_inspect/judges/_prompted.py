"""Shared plumbing for judges driven by a prompt template."""

from __future__ import annotations

from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser

from typing import TYPE_CHECKING

from .templates import PromptTemplate, load_template

if TYPE_CHECKING:
    from .requests import Template


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
