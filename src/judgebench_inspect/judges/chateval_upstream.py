"""ChatEval's own request, read from its authors' config file at a pinned commit.

JudgeBench published no ChatEval code. ChatEval's authors' repository
(thunlp/ChatEval) holds its prompts as agentverse task configs (YAML). With
``-T prompts=judgebench`` the ChatEval judge reads the config of the setting
JudgeBench describes (two referees, General Public and Critic, speaking one by
one for two rounds: the paper's FairEval setting, and the config the
repository's README runs) from :data:`COMMIT`, through the same mechanism as
JudgeBench's files (:class:`~.upstream.PinnedFiles`): the folder named by
``$CHATEVAL_PROMPTS_DIR`` (laid out like the repository), else the user's
cache folder filled by a download; the file is checked against its SHA-256
and a changed file is refused. The YAML is data: it is read with
``yaml.safe_load`` and nothing in it is run.

How ChatEval's code at that commit turns the config into requests (facts we
restate, not code we run):

* each turn fills the agent's prompt template with :class:`string.Template`
  ``safe_substitute`` (question, both answers, the agent's name and role
  description, and ``final_prompt``: empty before the last round, the agent's
  ``final_prompt_to_use`` in it);
* the chat request is a user message with that prompt, then every message of
  the shared discussion so far as an assistant message ``"<speaker>: <text>"``,
  then a user message holding ``final_prompt`` (empty before the last round);
* sequential order: agents speak in turn; a turn is in the last round when
  ``turn >= max_turns - agents``; every accepted message is added to everyone's
  history;
* the call sends the config's ``temperature`` and ``max_tokens`` and the
  library defaults ``top_p=1``, ``presence_penalty=0``, ``frequency_penalty=0``
  (``n=1``, no ``stop``);
* a last-round reply whose last two non-empty lines do not start with ``The
  score of Assistant 1:`` / ``The score of Assistant 2:`` is refused and the
  same request sent again, at most :data:`MAX_TRIES` times in all; a reply
  still refused is dropped (nobody sees it).
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_ai.model import ChatMessage, ChatMessageAssistant, ChatMessageUser

from ..verdicts import A_BETTER, B_BETTER, TIE, Verdict
from .upstream import PinnedFiles, PromptsUnavailable, pinned_from

#: ChatEval's authors' repository and the commit whose config is used (head of main).
REPOSITORY = "thunlp/ChatEval"
COMMIT = "56b320c04f311705e24922817172a6a4c4749325"
BASE_URL = f"https://raw.githubusercontent.com/{REPOSITORY}/{COMMIT}/"

#: Environment variable naming a local folder laid out like the repository.
PROMPTS_DIR_ENV = "CHATEVAL_PROMPTS_DIR"

#: The config used: two referees, one by one, two rounds (the one the repository's
#: README runs as the paper's setting).
CONFIG_PATH = "agentverse/tasks/llm_eval/config.yaml"

#: The files read, by path in the repository, with their SHA-256.
FILES: dict[str, str] = {
    CONFIG_PATH: "d6d1fb6b4071c76bcbdfb7c34eca4397f2b1d1d1affc134f6bcfb957a2a98502",
}

#: Call parameters ChatEval's chat model class sends besides the config's
#: (its defaults in agentverse/llms/openai.py at the pinned commit).
CALL_DEFAULTS: dict[str, Any] = {"top_p": 1, "presence_penalty": 0, "frequency_penalty": 0}

#: Tries of one request before a reply that fails the format check is dropped
#: (the agent's ``max_retry`` default).
MAX_TRIES = 3

#: What the last two lines of a last-round reply must start with.
SCORE_PREFIXES = ("The score of Assistant 1:", "The score of Assistant 2:")


def chateval_files() -> PinnedFiles:
    """ChatEval's pinned config file."""
    return pinned_from(__name__, "ChatEval", "chateval-prompts", f"the file {CONFIG_PATH} is enough")


@dataclass(frozen=True)
class ChatEvalAgent:
    """One referee as the config defines it.

    Attributes:
      name: The name it speaks under (``${agent_name}`` and the history prefix).
      role_description: Its persona (``${role_description}``).
      final_prompt: Its ``final_prompt_to_use`` (last round).
      temperature: Its call's temperature.
      max_tokens: Its call's token limit.
    """

    name: str
    role_description: str
    final_prompt: str
    temperature: float
    max_tokens: int


@dataclass(frozen=True)
class ChatEvalConfig:
    """The parts of a ChatEval task config that make its requests.

    Attributes:
      template: The agents' prompt template (``string.Template`` syntax).
      agents: The referees in speaking order.
      max_turns: Turns of the environment (sequential: one agent per turn).
      order: ``sequential`` or ``concurrent``.
      origin: Where the file was read (for the log).
    """

    template: str
    agents: tuple[ChatEvalAgent, ...]
    max_turns: int
    order: str
    origin: str = ""

    @property
    def rounds(self) -> int:
        """Rounds of the discussion (every agent speaks once a round)."""
        return self.max_turns // len(self.agents) if self.order == "sequential" else self.max_turns

    def fill(self, agent: ChatEvalAgent, question: str, first: str, second: str, final: bool) -> str:
        """One turn's prompt, filled as ChatEval fills it.

        Args:
          agent: The referee speaking (its name and persona).
          question: The question.
          first: The answer shown first (Assistant 1).
          second: The answer shown second (Assistant 2).
          final: Whether the turn is in the last round.
        """
        values = {
            "agent_name": agent.name,
            "env_description": "",
            "role_description": agent.role_description,
            "source_text": question,
            "reference_text": "",
            "generated_text": "",
            "compared_text_one": first,
            "compared_text_two": second,
            "final_prompt": agent.final_prompt if final else "",
        }
        return string.Template(self.template).safe_substitute(values)

    def provenance(self) -> dict[str, Any]:
        """What the log records about the config: source, commit and hash."""
        return {"repository": REPOSITORY, "commit": COMMIT, "origin": self.origin, "files": dict(FILES)}


def chat_messages(prompt: str, history: list[tuple[str, str]], final_prompt: str) -> list[ChatMessage]:
    """The messages of one ChatEval turn.

    Args:
      prompt: The filled prompt.
      history: The discussion the agent has heard: ``(speaker, text)`` in order.
      final_prompt: The closing user message (empty before the last round).
    """
    messages: list[ChatMessage] = [ChatMessageUser(content=prompt)]
    messages.extend(ChatMessageAssistant(content=f"{speaker}: {text}") for speaker, text in history)
    messages.append(ChatMessageUser(content=final_prompt))
    return messages


def passes_format_check(text: str) -> bool:
    """Whether ChatEval accepts a last-round reply (else it asks again).

    Its last two non-empty lines (after stripping the reply) must start with
    the two score prefixes.

    Args:
      text: The reply.
    """
    lines = re.sub(r"\n+", "\n", text.strip()).split("\n")
    return len(lines) >= 2 and lines[-2].startswith(SCORE_PREFIXES[0]) and lines[-1].startswith(SCORE_PREFIXES[1])


def chateval_verdict(history: list[tuple[str, str]], agents: int) -> tuple[Verdict, dict[str, Any]]:
    """The verdict ChatEval's scoring script reads from one game's discussion.

    It takes the last ``agents`` messages of the discussion as the final
    statements, reads from each the number after ``The score of Assistant 1:``
    on its second-to-last line and after ``The score of Assistant 2:`` on its
    last line (lines split on single newlines of the raw reply, read with
    ``float``), and adds them up over the referees: the higher total wins,
    equal totals are a tie, and a statement it cannot read makes the game a
    tie (its FairEval rule).

    Args:
      history: The accepted messages ``(speaker, text)`` in speaking order.
      agents: Number of referees.

    Returns:
      The verdict (judge's frame) and the totals (or the reason it read none).
    """
    totals = [0.0, 0.0]
    try:
        for _, text in history[-agents:]:
            lines = text.split("\n")
            totals[0] += float(lines[-2].split(SCORE_PREFIXES[0])[-1])
            totals[1] += float(lines[-1].split(SCORE_PREFIXES[1])[-1])
    except (ValueError, IndexError) as ex:
        return TIE, {"read": False, "why": f"unreadable final statement ({ex}); ChatEval counts a tie"}
    figures: dict[str, Any] = {"read": True, "total_assistant_1": totals[0], "total_assistant_2": totals[1]}
    if totals[0] > totals[1]:
        return A_BETTER, figures
    if totals[1] > totals[0]:
        return B_BETTER, figures
    return TIE, figures


def _need(cond: bool, what: str) -> None:
    if not cond:
        raise PromptsUnavailable(f"ChatEval config {CONFIG_PATH}: {what}")


def parse_config(data: Any, origin: str = "") -> ChatEvalConfig:
    """The request-making parts of a loaded ChatEval config.

    Only the structure this judge reproduces is accepted: an ``llm_eval``
    environment with sequential or concurrent order, everyone seeing every
    message, and ``llm_eval_multi`` agents with chat-history memory sharing
    one prompt template.

    Args:
      data: The YAML document (``yaml.safe_load``).
      origin: Where the file was read.

    Raises:
      PromptsUnavailable: The config is not of that structure.
    """
    _need(isinstance(data, dict), "not a mapping")
    env = data.get("environment")
    _need(isinstance(env, dict) and env.get("env_type") == "llm_eval", "environment is not llm_eval")
    rule = env.get("rule") or {}
    order = (rule.get("order") or {}).get("type", "sequential")
    _need(order in ("sequential", "concurrent"), f"unexpected order {order!r}")
    _need((rule.get("visibility") or {}).get("type", "all") == "all", "visibility is not 'all'")
    max_turns = env.get("max_turns")
    _need(isinstance(max_turns, int) and max_turns > 0, "max_turns is not a positive number")
    raw_agents = data.get("agents")
    _need(isinstance(raw_agents, list) and len(raw_agents) > 0, "no agents")
    agents: list[ChatEvalAgent] = []
    templates: set[str] = set()
    for raw in raw_agents:
        _need(isinstance(raw, dict), "an agent is not a mapping")
        _need(raw.get("agent_type") in ("llm_eval_multi", "llm_eval_multi_con"), "unexpected agent_type")
        _need((raw.get("memory") or {}).get("memory_type") == "chat_history", "memory is not chat_history")
        llm = raw.get("llm") or {}
        _need(isinstance(llm.get("max_tokens"), int), "an agent has no max_tokens")
        for key in ("name", "role_description", "final_prompt_to_use", "prompt_template"):
            _need(isinstance(raw.get(key), str), f"an agent has no {key}")
        templates.add(raw["prompt_template"])
        agents.append(
            ChatEvalAgent(
                name=raw["name"],
                role_description=raw["role_description"],
                final_prompt=raw["final_prompt_to_use"],
                temperature=float(llm.get("temperature", 1.0)),
                max_tokens=int(llm["max_tokens"]),
            )
        )
    _need(len(templates) == 1, "agents use different prompt templates")
    config = ChatEvalConfig(template=templates.pop(), agents=tuple(agents), max_turns=max_turns, order=order, origin=origin)
    if order == "sequential":
        _need(max_turns % len(agents) == 0, "max_turns is not whole rounds")
    return config


@functools.lru_cache(maxsize=4)
def _load(root: str, origin: str, digest: str) -> ChatEvalConfig:
    import yaml  # installed with inspect-ai

    text = (Path(root) / CONFIG_PATH).read_text(encoding="utf-8")
    return parse_config(yaml.safe_load(text), origin)


def load_chateval() -> ChatEvalConfig:
    """ChatEval's config: located (downloaded if needed), verified and parsed.

    Raises:
      PromptsUnavailable: It cannot be had, was changed, or is not of the expected structure.
    """
    root, origin = chateval_files().locate()
    return _load(str(root), origin, FILES[CONFIG_PATH])
