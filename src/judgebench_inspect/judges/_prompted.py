"""Shared plumbing for judges driven by a prompt template."""

from __future__ import annotations

from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser

from .templates import PromptTemplate, load_template


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


def prompt_messages(
    template: PromptTemplate, question: str, first: str, second: str
) -> list[ChatMessage]:
    """Render a template into the opening messages of a game.

    Args:
      template: The template.
      question: The question.
      first: Response shown first.
      second: Response shown second.
    """
    system, user = template.render(question, first, second)
    messages: list[ChatMessage] = []
    if system is not None:
        messages.append(ChatMessageSystem(content=system))
    messages.append(ChatMessageUser(content=user))
    return messages
