"""How a judge's requests are made: JudgeBench's own (``prompts=judgebench``) or ours.

A judge module declares its :class:`UpstreamSpec`: which class of JudgeBench's
``utils/judges.py`` it mirrors, which templates it renders and with which
variable names. :func:`make_request` turns that into a :class:`RequestPlan`:
the template, the generation settings and, per call, JudgeBench's rule for
the model's family (for ``o1`` models the system message is folded into the
user message and no sampling parameters are sent). Each game records whether
its requests were exactly JudgeBench's and, if not, why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser, GenerateConfig, Model

from ..errors import ConfigError, did_you_mean
from .templates import PromptTemplate, TemplateError, resolve_template
from .upstream import JudgeFacts, UpstreamPrompts, load_upstream

#: The values of the ``prompts`` option.
PROMPT_MODES: tuple[str, ...] = ("judgebench", "builtin")
DEFAULT_PROMPTS = "judgebench"

#: Inspect providers that send one user message as a raw completion prompt.
COMPLETION_PROVIDERS: tuple[str, ...] = ("openai-api-completions", "vllm-completions")


def check_prompts(prompts: str) -> str:
    """Validate the ``prompts`` option.

    Args:
      prompts: ``judgebench`` or ``builtin``.
    """
    if prompts not in PROMPT_MODES:
        raise ConfigError(
            f"prompts must be one of {', '.join(PROMPT_MODES)}; got {prompts!r}{did_you_mean(prompts, PROMPT_MODES)}"
        )
    return prompts


@dataclass(frozen=True)
class UpstreamSpec:
    """Where a judge's exact request comes from in JudgeBench.

    Attributes:
      cls: The judge class in ``utils/judges.py`` (its call parameters are read there).
      user: The template of the user message (or completion prompt).
      names: The template variables given the question, the first and the
        second response, in that order.
      system: The template of the system message, if any.
      system_constant: Or the class constant holding the system message.
      constants: Further template variables taken from class constants
        (variable -> constant name).
    """

    cls: str
    user: str
    names: tuple[str, str, str]
    system: str | None = None
    system_constant: str | None = None
    constants: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class UpstreamTemplate:
    """A prompt rendered from JudgeBench's template files with JudgeBench's variables.

    Attributes:
      upstream: JudgeBench's files.
      spec: The judge's spec.
      facts: The judge class's call facts (constants used as variables or system text).
    """

    upstream: UpstreamPrompts
    spec: UpstreamSpec
    facts: JudgeFacts

    @property
    def origin(self) -> str:
        """Where the template comes from (for messages and logs)."""
        return f"JudgeBench {UpstreamPrompts.template_path(self.spec.user)}"

    def render(self, question: str, answer_a: str, answer_b: str) -> tuple[str | None, str]:
        """The system message (or ``None``) and the user message, as JudgeBench renders them.

        Args:
          question: The question.
          answer_a: The response shown first.
          answer_b: The response shown second.
        """
        spec = self.spec
        values: dict[str, Any] = dict(zip(spec.names, (question, answer_a, answer_b)))
        values.update({var: self.facts.constants[const] for var, const in spec.constants.items()})
        user = self.upstream.render(spec.user, **values)
        if spec.system is not None:
            return self.upstream.render(spec.system), user
        if spec.system_constant is not None:
            return str(self.facts.constants[spec.system_constant]), user
        return None, user


#: Any template a judge renders.
Template = PromptTemplate | UpstreamTemplate


@dataclass
class RequestPlan:
    """A judge's requests: the template, the settings, and JudgeBench's per-model rules.

    Attributes:
      mode: ``judgebench`` or ``builtin``.
      template: The prompt template.
      config: Generation settings of each call.
      upstream: JudgeBench's files (``judgebench`` mode).
      facts: The JudgeBench judge class's call facts (``judgebench`` mode).
      inexact: Why the requests differ from JudgeBench's whatever the model
        (a replaced template, a changed option, a missing tokenizer, ...).
      completion: JudgeBench sent these requests to a completions endpoint.
    """

    mode: str
    template: Template
    config: GenerateConfig
    upstream: UpstreamPrompts | None = None
    facts: JudgeFacts | None = None
    inexact: list[str] = field(default_factory=list)
    completion: bool = False

    @property
    def exact_mode(self) -> bool:
        """Requests follow JudgeBench's (``prompts=judgebench``)."""
        return self.upstream is not None

    def prepare(
        self, model: Model, messages: list[ChatMessage]
    ) -> tuple[list[ChatMessage], GenerateConfig, dict[str, Any]]:
        """The messages and settings actually sent to a model, and what the log says of them.

        In ``judgebench`` mode, a model of the ``o1`` family gets the system
        message folded into the user message (JudgeBench's markers) and no
        generation settings; a judge JudgeBench ran on a completions endpoint
        is exact only on one of :data:`COMPLETION_PROVIDERS`.

        Args:
          model: The judge model.
          messages: The game's opening messages.
        """
        if self.upstream is None:
            return messages, self.config, {"prompts": self.mode, "exact": False, "why": ["prompts=builtin"]}
        why = list(self.inexact)
        config = self.config
        info: dict[str, Any] = {"prompts": self.mode}
        name = str(model)
        provider = name.split("/", 1)[0]
        rule = self.upstream.fold_rule
        if rule.applies(name):
            info["family"] = rule.prefix
            if messages and isinstance(messages[0], ChatMessageSystem) and len(messages) > 1:
                folded = rule.fold(messages[0].text, messages[1].text)
                messages = [ChatMessageUser(content=folded), *messages[2:]]
            config = GenerateConfig()
        if self.completion and provider not in COMPLETION_PROVIDERS:
            why.append(
                "JudgeBench sent this judge's prompt to a completions endpoint; "
                f"{provider} is a chat provider (use openai-api-completions/ or vllm-completions/)"
            )
        info["exact"] = not why
        if why:
            info["why"] = why
        return messages, config, info


def make_request(
    prompts: str,
    spec: UpstreamSpec | None,
    builtin: PromptTemplate,
    template: str | PromptTemplate | None,
    builtin_config: GenerateConfig,
    options: dict[str, Any] | None = None,
) -> RequestPlan:
    """Plan a judge's requests.

    Args:
      prompts: ``judgebench`` (JudgeBench's files, fetched and verified) or ``builtin``.
      spec: Where the judge's request lives in JudgeBench (``None``: JudgeBench has none).
      builtin: The judge's own template.
      template: A user template (file path or template) replacing the prompt, or ``None``.
      builtin_config: Settings in ``builtin`` mode.
      options: The judge's options that JudgeBench fixes, by call keyword
        (e.g. ``{"max_tokens": 4096}``): in ``judgebench`` mode a value that
        differs from JudgeBench's is used and makes the requests inexact.
    """
    check_prompts(prompts)
    user_template = resolve_template(template, builtin) if template is not None else None
    # A template file that is JudgeBench's own file for this judge means JudgeBench's requests.
    if user_template is not None and user_template.upstream is not None:
        if spec is None or user_template.upstream != UpstreamPrompts.template_path(spec.user):
            raise TemplateError(
                f"template {user_template.origin} is JudgeBench's {user_template.upstream}, "
                "which is not this judge's prompt"
            )
        prompts, user_template = "judgebench", None
    if prompts == "builtin" or spec is None:
        plan = RequestPlan(mode=prompts, template=user_template or builtin, config=builtin_config)
        if spec is None and prompts == "judgebench":
            plan.inexact.append("JudgeBench has no code for this judge: the prompts are this project's")
        return plan
    upstream = load_upstream()
    facts = upstream.facts(spec.cls)
    params = dict(facts.params)
    inexact: list[str] = []
    for key, value in (options or {}).items():
        if value is not None and params.get(key) != value:
            inexact.append(f"{key}={value} (JudgeBench: {params.get(key)})")
            params[key] = value
    # JudgeBench decodes greedily everywhere; the task sets temperature 0, so a
    # user's --temperature still applies (and the report then says the run is not exact)
    if params.get("temperature") == 0:
        del params["temperature"]
    config = GenerateConfig(**params)
    chosen: Template = UpstreamTemplate(upstream, spec, facts)
    if user_template is not None:
        inexact.append(f"prompt template replaced by {user_template.origin}")
        chosen = user_template
    return RequestPlan(
        mode="judgebench",
        template=chosen,
        config=config,
        upstream=upstream,
        facts=facts,
        inexact=inexact,
        completion=facts.endpoint == "complete",
    )
