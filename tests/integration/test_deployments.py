"""The deployment files parse, name only real settings, and point at what the project has."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from adapters.settings import Settings
from api.cli import app

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deployments"
K8S = DEPLOY / "k8s"
PROJECT_IMAGE = "tadamon:0.1.0"
THIRD_PARTY = ("postgres:", "apache/kafka:", "prom/prometheus:")


def documents(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def compose() -> dict[str, Any]:
    (found,) = documents(DEPLOY / "compose.yaml")
    return found  # type: ignore[no-any-return]


def manifests() -> list[dict[str, Any]]:
    return [doc for path in sorted(K8S.glob("*.yaml")) for doc in documents(path)]


def containers() -> Iterator[dict[str, Any]]:
    for doc in manifests():
        spec = doc.get("spec", {}).get("template", {}).get("spec", {})
        yield from spec.get("containers", [])


def tadamon_env_names() -> set[str]:
    names: set[str] = set()
    for service in compose()["services"].values():
        environment = service.get("environment", {})
        names.update(environment if isinstance(environment, dict) else [])
    for line in (DEPLOY / "tadamon.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            names.add(line.split("=", 1)[0])
    for doc in manifests():
        names.update(doc.get("data", {}) or {})
        names.update(doc.get("stringData", {}) or {})
    for container in containers():
        names.update(item["name"] for item in container.get("env", []))
    return {name for name in names if name.startswith("TADAMON_")}


def test_every_yaml_file_parses() -> None:
    files = sorted(DEPLOY.rglob("*.yaml")) + sorted(DEPLOY.rglob("*.yml"))
    assert len(files) >= 9
    for path in files:
        assert documents(path), path


def test_every_tadamon_variable_is_a_setting() -> None:
    names = tadamon_env_names()
    assert {"TADAMON_DATABASE_URL", "TADAMON_PROJECTION_SOURCE", "TADAMON_METRICS_PORT"} <= names
    fields = set(Settings.model_fields)
    unknown = sorted(n for n in names if n.removeprefix("TADAMON_").lower() not in fields)
    assert not unknown, f"not Settings fields: {unknown}"


def project_commands() -> list[list[str]]:
    found = [
        list(service["command"])
        for service in compose()["services"].values()
        if service.get("image") == PROJECT_IMAGE
    ]
    found += [list(c["args"]) for c in containers() if c["image"] == PROJECT_IMAGE]
    return found


def test_commands_exist_in_the_cli() -> None:
    group = typer.main.get_command(app)
    commands = project_commands()
    assert {c[0] for c in commands} == {"serve", "relay", "project"}
    for args in commands:
        command = group.commands[args[0]]  # type: ignore[attr-defined]
        command.make_context("tadamon", args[1:])  # raises on an unknown option or value


def test_images_are_the_project_image_or_known_services() -> None:
    services = compose()["services"]
    images = [s["image"] for s in services.values()] + [c["image"] for c in containers()]
    for image in images:
        assert image == PROJECT_IMAGE or image.startswith(THIRD_PARTY), image
    built = [s for s in services.values() if "build" in s]
    assert built and all(s["image"] == PROJECT_IMAGE for s in built)
    for service in built:
        context = (DEPLOY / service["build"]["context"]).resolve()
        assert context == ROOT
        assert (context / service["build"]["dockerfile"]).is_file()


def test_the_dockerfile_installs_this_package_as_a_non_root_user() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert text.splitlines()[2] == "FROM python:3.11-slim"
    for source in re.findall(r"^COPY (.+) \S+$", text, re.MULTILINE):
        for path in source.split():
            assert (ROOT / path).exists(), path
    assert "RUN pip install ." in text
    assert re.search(r"^USER 10001$", text, re.MULTILINE)
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert 'ENTRYPOINT ["tadamon"]' in text and "tadamon" in scripts


def test_every_service_has_a_healthcheck_and_every_pod_probes_and_resources() -> None:
    for name, service in compose()["services"].items():
        assert "healthcheck" in service, name
    for container in containers():
        assert {"livenessProbe", "readinessProbe", "resources"} <= container.keys()
        assert container["resources"].get("requests")


def test_no_secret_is_written_in_the_files() -> None:
    for service in compose()["services"].values():
        environment = service.get("environment", {})
        for key, value in environment.items():
            assert not re.search("SECRET|PASSWORD$|DATABASE_URL", key), key
            assert not re.search(r"://[^/\s]*@", str(value)), key  # credentials in a URL
    for doc in manifests():
        if doc["kind"] == "Secret":
            assert all("change-me" in v for v in doc["stringData"].values())
    tracked = (DEPLOY / ".gitignore").read_text()
    assert "tadamon.env" in tracked and "secrets/*" in tracked


@pytest.mark.parametrize("job", ["api:8000", "relay:9100", "projector"])
def test_prometheus_scrapes_the_services(job: str) -> None:
    (config,) = documents(DEPLOY / "prometheus.yml")
    text = yaml.safe_dump(config)
    assert job in text
    assert job.split(":")[0] in compose()["services"]


def test_the_k8s_relay_runs_one_pod_a_shard_each_its_ordinal() -> None:
    (relay,) = [doc for doc in manifests() if doc.get("metadata", {}).get("name") == "relay"]
    (container,) = relay["spec"]["template"]["spec"]["containers"]
    env = {item["name"]: item for item in container["env"]}
    shards = int(env["TADAMON_RELAY_SHARDS"]["value"])
    assert relay["kind"] == "StatefulSet" and relay["spec"]["replicas"] == shards
    path = env["TADAMON_RELAY_SHARD"]["valueFrom"]["fieldRef"]["fieldPath"]
    assert path == "metadata.labels['apps.kubernetes.io/pod-index']"
    (config,) = [doc for doc in manifests() if doc["kind"] == "ConfigMap"]
    assert shards <= int(config["data"]["TADAMON_KAFKA_PARTITIONS"])
