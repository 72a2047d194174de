"""The Kubernetes sandbox of the LiveCodeBench checker (`-T sandbox=k8s`).

No cluster here: the values file itself is checked (keys of the agent-env chart of
inspect-k8s-sandbox, network denied, the same image and memory as the Docker sandbox).
"""

from __future__ import annotations

import yaml

from judgebench_inspect.generation.checkers.livecodebench import DOCKER_COMPOSE_PATH, K8S_VALUES_PATH
from judgebench_inspect.tasks.generate import check_sandbox

#: Top-level and per-service keys of the agent-env chart's values schema that this file may use.
CHART_KEYS = {"services", "allowDomains", "allowCIDR", "allowEntities", "allowDomainsPorts", "networks", "annotations", "labels"}
SERVICE_KEYS = {"image", "command", "args", "runtimeClassName", "resources", "securityContext", "env", "workingDir"}


def test_k8s_sandbox_comes_with_the_values_file() -> None:
    assert check_sandbox("k8s") == ("k8s", str(K8S_VALUES_PATH))
    assert K8S_VALUES_PATH.parent == DOCKER_COMPOSE_PATH.parent


def test_k8s_values_deny_the_network() -> None:
    values = yaml.safe_load(K8S_VALUES_PATH.read_text(encoding="utf-8"))
    assert set(values) <= CHART_KEYS
    assert list(values["services"]) == ["default"]  # the sandbox Inspect execs in
    service = values["services"]["default"]
    assert set(service) <= SERVICE_KEYS and "image" in service
    # no egress beyond the chart's DNS rule and the release's own pods
    assert values["allowDomains"] == values["allowCIDR"] == values["allowEntities"] == []
    assert "allowDomainsPorts" not in values and "networks" not in values
    assert service["securityContext"]["allowPrivilegeEscalation"] is False
    # the same container as the Docker sandbox
    compose = yaml.safe_load(DOCKER_COMPOSE_PATH.read_text(encoding="utf-8"))["services"]["default"]
    assert service["image"] == compose["image"] and service["command"] == compose["command"]
    assert service["resources"]["limits"]["memory"] == compose["mem_limit"].upper() + "i"
    assert service["resources"]["limits"] == service["resources"]["requests"]  # Guaranteed QoS
