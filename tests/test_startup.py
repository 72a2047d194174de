"""Start-up: a judge run with a non-Anthropic model does not import the Anthropic SDK."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

from support import PAIRS_GPT

#: Runs two pairs through the judge task with mockllm, then says which modules got imported.
SCRIPT = """
import json, sys
from inspect_ai import eval
from inspect_ai.model import ModelOutput, ModelUsage, get_model
from judgebench.tasks import judge

usage = ModelUsage(input_tokens=10, output_tokens=5, total_tokens=15)
outputs = [ModelOutput.from_content("mockllm/model", "My final verdict is [[A>B]]") for _ in range(4)]
for o in outputs:
    o.usage = usage
model = get_model("mockllm/model", custom_outputs=outputs)
log = eval(judge(dataset=sys.argv[1]), model=model, limit=2, display="none", log_dir=sys.argv[2])[0]
import inspect_ai.model._assistant_internal as internal
print(json.dumps({
    "status": log.status,
    "samples": len(log.samples or []),
    "sdk": "anthropic" in sys.modules,
    "provider": "inspect_ai.model._providers.anthropic" in sys.modules,
    "flag": bool(internal._HAS_ANTHROPIC),
}))
"""


def run_script(tmp_path: Path, extra: str = "") -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT + extra, str(PAIRS_GPT), str(tmp_path / "logs")],
        capture_output=True, text=True, timeout=240,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_judge_run_without_anthropic_model_skips_the_sdk(tmp_path: Path) -> None:
    got = run_script(tmp_path)
    assert got == {"status": "success", "samples": 2, "sdk": False, "provider": False, "flag": False}


def test_anthropic_state_is_initialised_once_its_provider_is_loaded(tmp_path: Path) -> None:
    """Once Inspect's Anthropic provider is imported (an Anthropic model in the run),
    every sample initialises its state again, as Inspect does by default."""
    from inspect_ai.model import _assistant_internal as internal

    from judgebench_inspect.provider_state import ModuleImported, skip_unloaded_provider_state

    assert skip_unloaded_provider_state() is True
    assert isinstance(internal._HAS_ANTHROPIC, ModuleImported)
    assert skip_unloaded_provider_state() is True  # idempotent
    importlib.import_module("inspect_ai.model._providers.anthropic")  # what resolving an Anthropic model does

    assert bool(internal._HAS_ANTHROPIC) is True
    internal.init_sample_assistant_internal()  # binds fresh per-sample Anthropic state
    from inspect_ai.model._providers.anthropic import _anthropic_assistant_internal

    state = _anthropic_assistant_internal.get()
    internal.init_sample_assistant_internal()
    assert _anthropic_assistant_internal.get() is not state  # a new state per sample
