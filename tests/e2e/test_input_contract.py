"""Every route's input, walked mechanically: bounded integers, strict times and days.

A route added later without bounds, or with a plain ``datetime``, fails here before
a stranger finds the 500 (issue 12, point 4).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from adapters.bootstrap import bootstrap
from api.app import create_app
from api.schemas.common import INT64_MAX
from tests.conftest import sqlite_settings

NUMBERS_THAT_ARE_NOT_TIMES = ["1587896100", "0", "0.5", "-1"]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    container = bootstrap(sqlite_settings(Path(tmp_path_factory.mktemp("contract"))))
    yield create_app(container)
    container.close()


def _schemas(app: FastAPI) -> tuple[dict[str, Any], dict[str, Any]]:
    spec = app.openapi()
    return spec["paths"], spec.get("components", {}).get("schemas", {})


def _integers(schema: dict[str, Any], where: str, components: dict[str, Any]) -> Iterator[tuple]:
    """Every integer in a JSON schema, with its bounds, following references."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        yield from _integers(components[name], f"{where}({name})", components)
        return
    if schema.get("type") == "integer":
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        yield where, low, schema.get("maximum", schema.get("exclusiveMaximum"))
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            yield from _integers(part, where, components)
    if "items" in schema:
        yield from _integers(schema["items"], f"{where}[]", components)
    for name, part in schema.get("properties", {}).items():
        yield from _integers(part, f"{where}.{name}", components)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield from _integers(extra, f"{where}{{}}", components)


def _request_integers(app: FastAPI) -> Iterator[tuple]:
    paths, components = _schemas(app)
    for path, operations in paths.items():
        for verb, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = f"{verb.upper()} {path} {parameter['name']}"
                yield from _integers(parameter["schema"], where, components)
            for media in operation.get("requestBody", {}).get("content", {}).values():
                yield from _integers(media.get("schema", {}), f"{verb.upper()} {path}", components)


def test_every_integer_a_request_carries_is_bounded(app: FastAPI) -> None:
    found = list(_request_integers(app))
    assert len(found) > 20  # the walk reaches parameters and bodies
    unbounded = [
        where
        for where, low, high in found
        if low is None or high is None or low < -INT64_MAX - 1 or high > INT64_MAX
    ]
    assert unbounded == []


def _plain(annotation: Any) -> list[Any]:
    """The types inside Optional, unions and lists."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, tuple, set, dict):
        return [t for arg in typing.get_args(annotation) for t in _plain(arg)]
    if origin is Annotated:
        return _plain(typing.get_args(annotation)[0])
    return [annotation]


def _is_time(annotation: Any) -> bool:
    """datetime, date, and pydantic's AwareDatetime and kin: whatever says it is a time."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return False
    try:
        schema = TypeAdapter(annotation).json_schema()
    except Exception:
        return False
    return schema.get("format") in ("date-time", "date")


def _time_fields(name: str, info: FieldInfo, seen: set[type]) -> Iterator[tuple[str, Any]]:
    for inner in _plain(info.annotation):
        if _is_time(inner):
            metadata = tuple(info.metadata)
            yield name, Annotated[info.annotation, *metadata] if metadata else info.annotation
        elif isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in seen:
            seen.add(inner)
            for field, sub in inner.model_fields.items():
                yield from _time_fields(f"{name}.{field}", sub, seen)


def _params(dependant: Dependant) -> Iterator[Any]:
    yield from dependant.query_params + dependant.path_params + dependant.body_params
    for sub in dependant.dependencies:
        yield from _params(sub)


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router, kept as one entry
            yield from _api_routes(route.original_router.routes)


def _request_time_fields(app: FastAPI) -> Iterator[tuple[str, Any]]:
    for route in _api_routes(app.routes):
        for param in _params(route.dependant):
            yield from _time_fields(f"{route.name}.{param.name}", param.field_info, set())


def test_every_time_a_request_carries_is_iso_text_never_a_number(app: FastAPI) -> None:
    found = dict(_request_time_fields(app))
    assert len(found) >= 10  # bodies' and queries' times are all reached
    accepted = []
    for where, annotation in found.items():
        adapter = TypeAdapter(annotation)
        for number in NUMBERS_THAT_ARE_NOT_TIMES:
            for sent in (number, float(number)):
                try:
                    adapter.validate_python(sent)
                except ValidationError:
                    continue
                accepted.append((where, sent))
    assert accepted == []
