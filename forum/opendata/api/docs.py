"""The API described: the OpenAPI document at ``/api/v1/openapi.json`` and the data dictionary
page at ``/api/dictionary``, both read from the same schemas and in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint
from flask_babel import gettext as _

from ...web import render
from . import schemas
from .openapi import document
from .policy import json_answer
from .views import bp as api_bp

bp = Blueprint("api_docs", __name__)


@api_bp.get("/openapi.json")
def openapi():
    return json_answer(document())


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    description: str


def _kind(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kinds = schema.get("type", "object")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if schema.get("format"):
        kinds = [schema["format"] if kind == "string" else kind for kind in kinds]
    if "array" in kinds:
        return _("array of %(kind)s", kind=_kind(schema["items"]))
    return " | ".join(kinds)


def fields_of(schema: dict, prefix: str = "") -> list[Field]:
    """Every field of an object schema, nested ones as ``project.slug`` and list items as
    ``outcomes[].label``, in the schema's order."""
    found = []
    for name, field in schema["properties"].items():
        found.append(Field(prefix + name, _kind(field), field.get("description", "")))
        if field.get("type") == "object":
            found += fields_of(field, f"{prefix}{name}.")
        items = field.get("items", {})
        if items.get("type") == "object":
            found += fields_of(items, f"{prefix}{name}[].")
    return found


@bp.get("/api/dictionary")
def dictionary():
    objects = {name: schemas.resolved(schema) for name, schema in schemas.OBJECTS.items()}
    return render(
        "opendata/api_dictionary.html",
        objects=[
            (name, schema["description"], fields_of(schema)) for name, schema in objects.items()
        ],
        list_fields=fields_of(schemas.resolved(schemas.page_of("Thread"))),
        error=fields_of(schemas.resolved(schemas.ERROR)),
    )
