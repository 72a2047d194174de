"""JudgeBench's own prompts, fetched at run time from a pinned commit and verified.

The judge prompts of JudgeBench (its Jinja templates, and the few strings and
call parameters that live in its Python code) are not part of this project.
With ``-T prompts=judgebench`` (the default) they are read from JudgeBench's
repository at :data:`COMMIT`:

* the folder named by the environment variable :data:`PROMPTS_DIR_ENV`, laid
  out like the repository (``utils/templates/*.jinja2``, ``utils/*.py``); or
* the user's cache folder, filled on first use by downloading each file from
  :data:`BASE_URL`.

Every file is checked against its SHA-256 in :data:`FILES`; a changed file is
refused. The Python files are parsed (never imported or run) to read the
strings and parameters each judge's request uses: the call keywords of each
judge class (``temperature``, ``top_p``, ``max_tokens``, ``extra_body``),
Prometheus 2's system prompt and rubric, Arena-Hard's follow-up message and
attempt count, PandaLM's special-token pattern and prompt suffix and the
context rule's arguments, the Jinja environment's settings, and the request
rule for ``o1`` models (the system message folded into the user message
between markers; no sampling parameters sent).

:class:`~judgebench_inspect.pinned.PinnedFiles` (in :mod:`judgebench_inspect.pinned`,
importable from here too) is the fetch-and-verify mechanism itself; the ChatEval
judge uses it for its authors' config (:mod:`.chateval_upstream`), LLMBar's hub
id for its data files.
"""

from __future__ import annotations

import ast
import functools
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# the fetch-and-verify mechanism, importable from here as before
from ..pinned import DOWNLOAD_TIMEOUT, FilesUnavailable, PinnedFiles, sha256_of  # noqa: F401

#: The JudgeBench repository and the commit whose prompts are used.
REPOSITORY = "ScalerLab/JudgeBench"
COMMIT = "e2c52c284e735e139b3daa61c206ee208f36c461"
BASE_URL = f"https://raw.githubusercontent.com/{REPOSITORY}/{COMMIT}/"

#: Environment variable naming a local folder laid out like the repository.
PROMPTS_DIR_ENV = "JUDGEBENCH_PROMPTS_DIR"

#: The files read, by path in the repository, with their SHA-256.
FILES: dict[str, str] = {
    "utils/templates/arena_hard_judge_prompt.jinja2": "16c2290ec6737343982773be71f80bd1caa8a8eaffe65077736586252ddda4c3",
    "utils/templates/arena_hard_judge_system.jinja2": "03f68010febd7a6405102ef882b4dd5a9700c56b2e1ff286d3b38f5d3a929bbf",
    "utils/templates/arena_hard_judge_system_notie.jinja2": "951c71fb8fb5c417577c30f41d57a009abedf7251811be41014821c0255952da",
    "utils/templates/autoj_prompt.jinja2": "465e22810bba39cd615ef04a0f14fdcb5e0e753c51bb40bb157349223020b395",
    "utils/templates/judgelm_prompt.jinja2": "cc9ea7ee7e6506fd3bb89acb7adb7387f4b12d8563fc44a79f649dd4c9765d1b",
    "utils/templates/pandalm_prompt.jinja2": "98c3cf9b690c42cd5b7212a0e6010476285bb036925cbe9b67cda402a1dc0960",
    "utils/templates/prometheus2_prompt.jinja2": "9894b506210fce47f7acb506bea44d5f0c1077c563a191fd2555235a7a13b592",
    "utils/templates/skywork_critic_prompt.jinja2": "4b0e07aaa873da013bff00b9b3a1e137f956b5aa13aab9ea3f6b9840902a5186",
    "utils/templates/vanilla_prompt.jinja2": "45d0b0bd8304b032c9b34a2fece15ac9ad5c241ef296aff9896e5d5666d77026",
    "utils/judges.py": "960c5f59d773e7bdee426b7b2df97a5c51d59118053446ace19a419cfe09f236",
    "utils/models.py": "6ae425a999920dc7a472f4ccd7d3e77bf095e3c4b846f8d35575b4565fb144a9",
    "utils/prompts.py": "184588c09af8397567dcc71477dcc12a049e47259529f90fecd05bd042eab7fa",
}


class PromptsUnavailable(FilesUnavailable):
    """JudgeBench's prompt files cannot be had, or one of them was changed."""


def upstream_file_of_hash(digest: str) -> str | None:
    """The repository path of the pinned file with this SHA-256, if any.

    Args:
      digest: A SHA-256 as hex.
    """
    for path, known in FILES.items():
        if known == digest:
            return path
    return None


def pinned_from(module_name: str, label: str, cache_name: str, enough: str) -> PinnedFiles:
    """The pinned files a module describes, read from its settings at call time.

    The module holds ``REPOSITORY``, ``COMMIT``, ``FILES``, ``PROMPTS_DIR_ENV``
    and ``BASE_URL`` (read when called, so tests can patch them).

    Args:
      module_name: The module's ``__name__``.
      label: Whose files these are, for messages.
      cache_name: Folder under the user's cache folder.
      enough: What part of the repository a local copy needs.
    """
    mod = sys.modules[module_name]
    return PinnedFiles(
        label, mod.REPOSITORY, mod.COMMIT, mod.FILES, mod.PROMPTS_DIR_ENV, cache_name, enough, mod.BASE_URL,
        error=PromptsUnavailable,
    )


def judgebench_files() -> PinnedFiles:
    """JudgeBench's pinned prompt files."""
    return pinned_from(__name__, "JudgeBench", "judgebench-prompts", "its utils/ folder is enough")


# --- reading the Python files without running them ---------------------------------


def _parse(path: Path) -> ast.Module:
    """Parse a Python file (its invalid string escapes are JudgeBench's, not ours to warn about)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _class(tree: ast.Module, name: str, where: str) -> ast.ClassDef:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    raise PromptsUnavailable(f"{where}: no class {name}")


def _method(cls: ast.ClassDef, name: str, where: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return node
    raise PromptsUnavailable(f"{where}: class {cls.name} has no method {name}")


def _self_constants(cls: ast.ClassDef) -> dict[str, Any]:
    """``self.X = <literal>`` assignments anywhere in a class (X -> value)."""
    out: dict[str, Any] = {}
    for node in ast.walk(cls):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                try:
                    out[target.attr] = ast.literal_eval(node.value)
                except ValueError:
                    # not a literal; a compiled pattern keeps its source string
                    if (
                        isinstance(node.value, ast.Call)
                        and isinstance(node.value.func, ast.Attribute)
                        and node.value.func.attr == "compile"
                        and node.value.args
                    ):
                        out[target.attr] = ast.literal_eval(node.value.args[0])
    return out


def _literal_keywords(call: ast.Call) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kw in call.keywords:
        if kw.arg is None:
            continue
        try:
            out[kw.arg] = ast.literal_eval(kw.value)
        except ValueError:
            continue  # messages=..., prompt=...: the request's content, not a parameter
    return out


def _calls_named(fn: ast.AST, name: str) -> list[ast.Call]:
    return [
        n
        for n in ast.walk(fn)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == name
    ]


@dataclass(frozen=True)
class JudgeFacts:
    """What one judge class of ``utils/judges.py`` sends besides its template.

    Attributes:
      endpoint: ``chat`` or ``complete`` (a completions endpoint with a prompt string).
      params: The call's literal keywords (``temperature``, ``max_tokens``, ...).
      constants: The class's ``self.X = <literal>`` values (rubric, system prompt, ...).
      follow_up: The user message appended before a further attempt, if the class has one.
      truncation: Keywords of its ``truncate_responses`` call, if it cuts responses.
      prompt_suffix: Text added after the rendered prompt (PandaLM adds a newline).
    """

    endpoint: str
    params: dict[str, Any]
    constants: dict[str, Any] = field(default_factory=dict)
    follow_up: str | None = None
    truncation: dict[str, Any] = field(default_factory=dict)
    prompt_suffix: str = ""


def _judge_facts(tree: ast.Module, cls_name: str) -> JudgeFacts:
    where = "utils/judges.py"
    cls = _class(tree, cls_name, where)
    fn = _method(cls, "get_judgment", where)
    calls = [(name, c) for name in ("chat", "complete") for c in _calls_named(fn, name)]
    if len(calls) != 1:
        raise PromptsUnavailable(f"{where}: {cls_name}.get_judgment makes {len(calls)} model calls, expected 1")
    endpoint, call = calls[0]
    follow_up = None
    for append in _calls_named(fn, "append"):
        if append.args and isinstance(append.args[0], ast.Dict):
            try:
                message = ast.literal_eval(append.args[0])
            except ValueError:
                continue
            if message.get("role") == "user":
                follow_up = str(message["content"])
    truncation: dict[str, Any] = {}
    for cut in _calls_named(fn, "truncate_responses"):
        truncation = _literal_keywords(cut)
    suffix = ""
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("build_") and node.name.endswith("_prompt"):
            for ret in ast.walk(node):
                if (
                    isinstance(ret, ast.Return)
                    and isinstance(ret.value, ast.BinOp)
                    and isinstance(ret.value.op, ast.Add)
                    and isinstance(ret.value.right, ast.Constant)
                ):
                    suffix = str(ret.value.right.value)
    return JudgeFacts(
        endpoint=endpoint,
        params=_literal_keywords(call),
        constants=_self_constants(cls),
        follow_up=follow_up,
        truncation=truncation,
        prompt_suffix=suffix,
    )


def _jinja_settings(tree: ast.Module) -> dict[str, Any]:
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "Environment":
            kw = _literal_keywords(call)
            return {k: kw[k] for k in ("trim_blocks", "lstrip_blocks") if k in kw}
    raise PromptsUnavailable("utils/prompts.py: no jinja2.Environment(...) found")


@dataclass(frozen=True)
class FoldRule:
    """How JudgeBench sends a request to a model family with no system role.

    Attributes:
      prefix: Model names starting with this get the rule (``o1``).
      parts: The folded user message as literal text and the names
        ``system`` (the system message, stripped) and ``user`` (the user message).
    """

    prefix: str
    parts: tuple[str, ...]

    def applies(self, model_name: str) -> bool:
        """Whether a model (Inspect name, provider prefix allowed) is of the family.

        Args:
          model_name: E.g. ``openai/o1-mini`` or ``o1-preview-2024-09-12``.
        """
        return model_name.rsplit("/", 1)[-1].startswith(self.prefix)

    def fold(self, system: str, user: str) -> str:
        """The single user message made of a system and a user message.

        Args:
          system: The system message.
          user: The user message.
        """
        values = {"\0system": system.strip(), "\0user": user}
        return "".join(values.get(p, p) for p in self.parts)


def _fold_rule(tree: ast.Module) -> FoldRule:
    where = "utils/models.py"
    fn = _method(_class(tree, "OpenAIAPI", where), "chat", where)
    prefix = None
    for call in _calls_named(fn, "startswith"):
        if call.args and isinstance(call.args[0], ast.Constant):
            prefix = str(call.args[0].value)
    strings = [n for n in ast.walk(fn) if isinstance(n, ast.JoinedStr)]
    if prefix is None or len(strings) != 1:
        raise PromptsUnavailable(f"{where}: OpenAIAPI.chat does not have the expected model-family rule")
    parts: list[str] = []
    for value in strings[0].values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        elif isinstance(value, ast.FormattedValue):
            expr = value.value
            if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "strip":
                expr = expr.func.value
            if not isinstance(expr, ast.Name) or expr.id not in ("system_message", "user_message"):
                raise PromptsUnavailable(f"{where}: unexpected field in the folded message")
            parts.append("\0system" if expr.id == "system_message" else "\0user")
    return FoldRule(prefix=prefix, parts=tuple(parts))


class UpstreamPrompts:
    """JudgeBench's prompt files at :data:`COMMIT`, verified and parsed.

    Args:
      root: A folder laid out like the repository, already verified.
      origin: Where it came from (for the log).
    """

    def __init__(self, root: Path, origin: str) -> None:
        import jinja2
        from jinja2.sandbox import SandboxedEnvironment

        self.root = root
        self.origin = origin
        judges_tree = _parse(root / "utils/judges.py")
        self._judges_tree = judges_tree
        self._facts: dict[str, JudgeFacts] = {}
        self.jinja_settings = _jinja_settings(_parse(root / "utils/prompts.py"))
        self.fold_rule = _fold_rule(_parse(root / "utils/models.py"))
        self._env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(str(root / "utils" / "templates")), **self.jinja_settings
        )

    def facts(self, cls_name: str) -> JudgeFacts:
        """The call facts of a judge class in ``utils/judges.py``.

        Args:
          cls_name: E.g. ``ArenaHard``, ``PandaLM``.
        """
        if cls_name not in self._facts:
            self._facts[cls_name] = _judge_facts(self._judges_tree, cls_name)
        return self._facts[cls_name]

    def render(self, name: str, **variables: Any) -> str:
        """Render a template by name (without ``.jinja2``) as JudgeBench does.

        Args:
          name: Template name, e.g. ``vanilla_prompt``.
          **variables: The template's variables.
        """
        return self._env.get_template(f"{name}.jinja2").render(**variables)

    @staticmethod
    def template_path(name: str) -> str:
        """The repository path of a template."""
        return f"utils/templates/{name}.jinja2"

    def provenance(self) -> dict[str, Any]:
        """What the log records about the prompts: source, commit and file hashes."""
        return {"repository": REPOSITORY, "commit": COMMIT, "origin": self.origin, "files": dict(FILES)}


@functools.lru_cache(maxsize=4)
def _load(root: str, origin: str) -> UpstreamPrompts:
    return UpstreamPrompts(Path(root), origin)


def load_upstream() -> UpstreamPrompts:
    """JudgeBench's prompts: located (downloaded if needed), verified and parsed.

    Raises:
      PromptsUnavailable: They cannot be had, or a file was changed.
    """
    root, origin = judgebench_files().locate()
    return _load(str(root), origin)
