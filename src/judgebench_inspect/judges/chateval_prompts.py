"""ChatEval's referees and what they are told: personas, turn prompts, summaries.

The structure follows ChatEval (Chan et al. 2023, thunlp/ChatEval): every turn
is one fresh prompt holding the question, both answers framed by start/end
markers, the task, the discussion the referee may see, its persona and a
request to speak; in the last round that request asks for the final judgement
with one score per assistant. The summariser folds each round's new messages
into a running summary. The personas' names (General Public, Critic,
Scientist, Psychologist, News Author) are ChatEval's; every description and
prompt here is our own wording.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import ConfigError, did_you_mean

#: Built-in personas by key: (display name, description).
BUILTIN_PERSONAS: dict[str, tuple[str, str]] = {
    "general_public": (
        "General Public",
        "You look at the answers as a curious, careful member of the public would: you want an "
        "answer you can trust and understand, one that really settles what was asked. Make up "
        "your own mind first, and be ready to say which answer is better.",
    ),
    "critic": (
        "Critic",
        "You are a demanding critic. Probe every claim and every step of reasoning in both "
        "answers, and question the other referees' judgements so that none stands unexamined. "
        "If the two answers look equally good, look harder for what separates them.",
    ),
    "scientist": (
        "Scientist",
        "You check facts, calculations and logic rigorously, working the problem out yourself "
        "where you can, and you accept only what you can verify.",
    ),
    "psychologist": (
        "Psychologist",
        "You consider how each answer serves the person who asked: whether it understood what "
        "they needed, is honest about uncertainty, and would leave them with a correct "
        "understanding rather than a confident mistake.",
    ),
    "news_author": (
        "News Author",
        "You weigh the answers as a careful writer checking a story before print: is the key "
        "point stated plainly and accurately, does the answer stick to what the question says, "
        "and is anything important left out or made up?",
    ),
}

#: Personas used when only a number of agents is given (JudgeBench ran two).
DEFAULT_PERSONA_ORDER: tuple[str, ...] = tuple(BUILTIN_PERSONAS)


class PersonaError(ConfigError):
    """Personas or an agent count that cannot be used."""


@dataclass(frozen=True)
class Persona:
    """One referee.

    Attributes:
      index: 1-based position in the speaking order (model role ``agent{index}``).
      name: The name the referee speaks under (unique within a panel).
      description: Who the referee is and what it looks for.
    """

    index: int
    name: str
    description: str

    @property
    def role(self) -> str:
        """The model role this referee uses when it is bound (``agent1``, ...)."""
        return f"agent{self.index}"


def persona_key(name: str) -> str:
    """Normalise a persona name for lookup: ``General Public`` -> ``general_public``."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _load_persona_file(path: str) -> Any:
    file = Path(path)
    if not file.is_file():
        raise PersonaError(f"personas file {path!r} does not exist")
    text = file.read_text(encoding="utf-8")
    try:
        if file.suffix == ".json":
            return json.loads(text)
        import yaml  # installed with inspect-ai

        return yaml.safe_load(text)
    except Exception as ex:  # noqa: BLE001 - reported with the file name
        raise PersonaError(f"personas file {path!r} cannot be read: {ex}") from ex


def _unique_names(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    counts: dict[str, int] = {}
    for name, _ in pairs:
        counts[name] = counts.get(name, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for name, desc in pairs:
        if counts[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name} {seen[name]}"
        out.append((name, desc))
    return out


def resolve_personas(
    agents: int | None,
    personas: str | Sequence[str] | Mapping[str, str | None] | None,
    table: Mapping[str, tuple[str, str]] | None = None,
) -> list[Persona]:
    """The panel of referees from the ``agents`` and ``personas`` options.

    Args:
      agents: Number of referees (``None``: as many as ``personas`` names, else 2).
      personas: ``None`` for the built-in personas in order; a list of names
        (built-in keys such as ``critic``, any spelling such as ``General
        Public``), or one comma-separated string of them; a mapping of name to
        description (a ``None`` description takes the built-in one); or a path
        to a ``.json``/``.yaml``/``.yml`` file holding such a list or mapping.
        The same name twice gives two referees, numbered ``Critic 1``, ``Critic 2``.
      table: The known personas by key (:func:`persona_key`) -> (name,
        description), in default order; ``None``: :data:`BUILTIN_PERSONAS`.

    Raises:
      PersonaError: Unknown names without a description, an empty panel, or a
        count that does not match the names given.
    """
    if isinstance(personas, str):
        text = personas.strip()
        if text.endswith((".json", ".yaml", ".yml")):
            personas = _load_persona_file(text)
            if not isinstance(personas, (list, dict)):
                raise PersonaError(f"personas file {text!r} must hold a list of names or a mapping name -> description")
        else:
            personas = [p for p in (s.strip() for s in text.split(",")) if p]

    known = BUILTIN_PERSONAS if table is None else table
    order = tuple(known)
    pairs: list[tuple[str, str]] = []
    if personas is None:
        count = 2 if agents is None else agents
        if count < 1:
            raise PersonaError(f"agents must be at least 1, got {count}")
        if count > len(order):
            raise PersonaError(
                f"agents={count} but there are only {len(order)} built-in personas "
                f"({', '.join(order)}); give personas= to name more referees "
                "(a name may repeat)"
            )
        pairs = [known[k] for k in order[:count]]
    elif isinstance(personas, Mapping):
        for name, desc in personas.items():
            name = str(name).strip()
            if not name:
                raise PersonaError("a persona has an empty name")
            if desc is None or not str(desc).strip():
                found = known.get(persona_key(name))
                if found is None:
                    raise PersonaError(
                        f"persona {name!r} has no description and is not built in "
                        f"(built-in: {', '.join(order)})"
                    )
                pairs.append(found)
            else:
                pairs.append((name, str(desc).strip()))
    else:
        for item in personas:
            name = str(item).strip()
            found = known.get(persona_key(name))
            if found is None:
                raise PersonaError(
                    f"unknown persona {name!r}{did_you_mean(name, order)}; built-in personas: {', '.join(order)} "
                    "(for your own, give a mapping name -> description)"
                )
            pairs.append(found)

    if not pairs:
        raise PersonaError("personas is empty: at least one referee is needed")
    if personas is not None and agents is not None and agents != len(pairs):
        raise PersonaError(f"agents={agents} but {len(pairs)} personas were given")
    return [Persona(i + 1, name, desc) for i, (name, desc) in enumerate(_unique_names(pairs))]


# -- prompts -----------------------------------------------------------------

SYSTEM = (
    "You are {name}, one of {count} referees who together judge two AI assistants' answers to "
    "the same question. {description}\n"
    "The referees discuss the answers before each gives a final score. Think for yourself: do "
    "not simply go along with the others."
)

TASK = (
    "[Task]\n"
    "Judge how well each assistant answered the question above: how accurate, helpful, relevant "
    "and detailed each answer is, with correctness above all. In the end every referee gives "
    "each assistant an overall score from 1 to 10, where higher means better. Other referees "
    "share this task with you: it is your job to discuss the answers with them and to think "
    "critically before your final judgement."
)

DISCUSS_REQUEST = (
    "It is your turn to speak, {name} (round {round} of {rounds}). Keep it short and clear: say "
    "what you make of the two answers, and take up the other referees' points where you agree "
    "or disagree. Do not give your final scores yet."
)

#: The score lines every final statement must end with (parsed by chateval.parse_scores).
SCORE_FORMAT = "Score of Assistant 1: <number from 1 to 10>\nScore of Assistant 2: <number from 1 to 10>"

FINAL_REQUEST = (
    "It is your turn to speak, {name} (round {round} of {rounds}, the last round): give your "
    "final judgement. First explain your evaluation in full, and do not let the order in which "
    "the two answers were shown affect it. Your scores are your own: they need not match the "
    "other referees'. Then end your reply with exactly these two lines and nothing after them:\n"
    + SCORE_FORMAT
)

#: Sent (in the same conversation) when a final statement has no readable scores.
SCORES_AGAIN = (
    "Your final statement did not end with two readable scores. Reply now with only these two "
    "lines, each with a single number from 1 to 10:\n" + SCORE_FORMAT
)

NO_HISTORY = "(Nobody has spoken yet: you open the discussion.)"
NO_SUMMARY = "(No summary yet: you open the discussion.)"


def render_answers(question: str, first: str, second: str) -> str:
    """The question and both answers, each answer framed by start and end markers."""
    return (
        f"[Question]\n{question}\n\n"
        f"[Start of Assistant 1's answer]\n{first}\n[End of Assistant 1's answer]\n\n"
        f"[Start of Assistant 2's answer]\n{second}\n[End of Assistant 2's answer]"
    )


def render_history(entries: Sequence[tuple[int, str, str]]) -> str:
    """The discussion a referee may see: ``(round, speaker, text)`` in speaking order."""
    if not entries:
        return NO_HISTORY
    return "\n\n".join(f"<{speaker}, round {rnd}>\n{text.strip()}" for rnd, speaker, text in entries)


def turn_prompt(
    persona: Persona,
    count: int,
    question: str,
    first: str,
    second: str,
    history: str,
    round_no: int,
    rounds: int,
    final: bool,
    summarised: bool,
) -> tuple[str, str]:
    """The system and user messages of one referee turn.

    Args:
      persona: The referee speaking.
      count: Number of referees.
      question: The question.
      first: The answer shown first (Assistant 1).
      second: The answer shown second (Assistant 2).
      history: What the referee sees of the discussion (rendered messages or a summary).
      round_no: This round (1-based).
      rounds: Number of rounds.
      final: Whether this is the final statement (last round).
      summarised: Whether ``history`` is a summary.
    """
    system = SYSTEM.format(name=persona.name, count=count, description=persona.description)
    heading = "[Summary of the discussion so far]" if summarised else "[Discussion so far]"
    request = (FINAL_REQUEST if final else DISCUSS_REQUEST).format(
        name=persona.name, round=round_no, rounds=rounds
    )
    user = f"{render_answers(question, first, second)}\n\n{TASK}\n\n{heading}\n{history}\n\n[Your turn]\n{request}"
    return system, user


SUMMARY_SYSTEM = (
    "You keep the minutes of a panel of referees who are discussing which of two AI assistants "
    "answered a question better. You write summaries only; you never judge yourself."
)

SUMMARY_REQUEST = (
    "[Current summary]\n{summary}\n\n"
    "[New contributions, round {round}]\n{lines}\n\n"
    "Write the new summary: merge the new contributions into the current summary, keeping each "
    "referee's main arguments and leanings, who made them, and where the referees agree or "
    "disagree. Reply with the new summary only."
)


def summary_prompt(summary: str | None, round_no: int, lines: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """The system and user messages asking the summariser to fold in one round.

    Args:
      summary: The summary so far (``None`` before the first).
      round_no: The round just finished.
      lines: ``(speaker, text)`` of that round.
    """
    rendered = "\n\n".join(f"<{speaker}>\n{text.strip()}" for speaker, text in lines)
    user = SUMMARY_REQUEST.format(summary=summary or "(none yet)", round=round_no, lines=rendered)
    return SUMMARY_SYSTEM, user
