"""The OpenAPI 3.1 document of ``/api/v1/``, built from the routes themselves (their paths come
from the URL map), the filters' own choices (sorts, types, kinds) and the JSON Schemas of
``schemas``: a route, a filter or a field cannot change without the document changing too."""

from __future__ import annotations

import re

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from ...agenda.models import KINDS
from ...discussions.queries import SORTS
from ...lessons.models import LessonType
from ...lessons.queries import LESSON_SORTS
from ...projects.models import ProjectStatus
from ...projects.queries import PROJECT_SORTS
from ..feeds import site_url
from . import schemas
from .pagination import MAX_LIMIT
from .views import EVENT_TIMES


def _query(name: str, description, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _choice(name: str, description, values) -> dict:
    return _query(name, description, {"type": "string", "enum": list(values)})


PARAMETERS = {
    "limit": _query(
        "limit",
        _l("How many objects a page holds (at most %(most)d; 20 when not given).", most=MAX_LIMIT),
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    ),
    "cursor": _query(
        "cursor",
        _l("Where the page starts: copy it from the previous page's next link, never build it."),
        {"type": "string"},
    ),
    "theme": _query("theme", _l("Only this theme (its slug)."), {"type": "string"}),
    "sdg": _query(
        "sdg", _l("Only this goal (1-17)."), {"type": "integer", "minimum": 1, "maximum": 17}
    ),
    "language": _choice("language", _l("Only content in this language."), schemas.LANGUAGES),
    "solved": _choice("solved", _l("Only solved (yes) or unsolved (no) threads."), ("yes", "no")),
    "thread_sort": _choice("sort", _l("The order (pinned threads first)."), SORTS),
    "project": _query("project", _l("Only this project (its slug)."), {"type": "string"}),
    "type": _choice("type", _l("Only this kind of lesson."), [t.value for t in LessonType]),
    "lesson_sort": _choice("sort", _l("The order."), LESSON_SORTS),
    "status": _choice(
        "status", _l("Only projects at this stage."), [s.value for s in ProjectStatus]
    ),
    "municipality": _query("municipality", _l("Only this municipality."), {"type": "string"}),
    "project_sort": _choice("sort", _l("The order."), PROJECT_SORTS),
    "kind": _choice("kind", _l("Only this kind of event."), KINDS),
    "series": _query("series", _l("Only this series (its number)."), {"type": "integer"}),
    "lang": _choice(
        "lang",
        _l("The language of error messages and descriptions (else Accept-Language)."),
        schemas.LANGUAGES,
    ),
    "when": _choice(
        "when", _l("Only upcoming or past events (each in the page's order)."), EVENT_TIMES
    ),
}
PAGED = ("limit", "cursor")

# endpoint: (summary, response schema, query parameters)
OPERATIONS = {
    "index": (_l("The collections and documents of the API"), "Index", ()),
    "threads": (
        _l("Discussion threads"),
        "ThreadPage",
        (*PAGED, "theme", "sdg", "language", "solved", "thread_sort"),
    ),
    "thread": (_l("One thread"), "Thread", ()),
    "thread_posts": (_l("The visible posts of a thread"), "PostPage", PAGED),
    "post": (_l("One post"), "Post", ()),
    "lessons": (
        _l("Published lessons"),
        "LessonPage",
        (*PAGED, "project", "theme", "sdg", "type", "language", "lesson_sort"),
    ),
    "lesson": (_l("One lesson"), "Lesson", ()),
    "projects": (
        _l("Projects"),
        "ProjectPage",
        (*PAGED, "theme", "sdg", "status", "municipality", "project_sort"),
    ),
    "project": (_l("One project"), "Project", ()),
    "themes": (_l("The themes"), "ThemePage", ()),
    "theme": (_l("One theme"), "Theme", ()),
    "goals": (_l("The 17 Sustainable Development Goals"), "GoalPage", ()),
    "goal": (_l("One goal"), "Goal", ()),
    "events": (
        _l("Events"),
        "EventPage",
        (*PAGED, "theme", "sdg", "kind", "series", "when"),
    ),
    "event": (_l("One event"), "Event", ()),
    "openapi": (_l("This document"), None, ()),
}

ERRORS = {
    "400": _l("A parameter is not one the list knows (the message says which)."),
    "404": _l("No such object, or one that is not public."),
    "429": _l("Too many requests from this address: wait as Retry-After says."),
}


def _path_of(rule) -> tuple[str, list[dict]]:
    """An OpenAPI path (``/api/v1/threads/{thread_id}``) and its path parameters."""
    names = re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule.rule)
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}}
        for name in names
    ]
    return path, parameters


def _operation(endpoint: str, path_parameters: list[dict]) -> dict:
    summary, schema, query = OPERATIONS[endpoint]
    content = {"$ref": f"#/components/schemas/{schema}"} if schema else {"type": "object"}
    responses = {
        "200": {
            "description": _l("The answer, with an ETag."),
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": content}},
        },
        "304": {"description": _l("Not modified: the copy whose ETag was sent is current.")},
    }
    error = {"application/json": {"schema": schemas.ref("Error")}}
    for status, description in ERRORS.items():
        responses[status] = {"description": description, "content": error}
    if schema and schema.endswith("Page"):
        responses["200"]["headers"]["Link"] = {
            "description": _l('The next page as rel="next", when there is one.'),
            "schema": {"type": "string"},
        }
    return {
        "operationId": endpoint,
        "summary": summary,
        "parameters": path_parameters + [PARAMETERS[name] for name in (*query, "lang")],
        "responses": responses,
    }


def document() -> dict:
    """The whole document, with descriptions in the reader's language."""
    paths = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path, parameters = _path_of(rule)
        paths[path] = {"get": _operation(rule.endpoint.removeprefix("api."), parameters)}
    return schemas.resolved(
        {
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {
                "title": "Tillsammans forum API",
                "version": "1.0.0",
                "summary": _l("Read-only open data of Tillsammans forum."),
                "description": _l(
                    "Public content only, as anyone sees it on the forum. Lists are pages "
                    "in the forum's own orders: follow the next link (also in the Link header) "
                    "until it is null. Every answer has an ETag; send it back in If-None-Match "
                    "for a 304. Lessons and projects are under CC BY 4.0."
                ),
                "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"},
            },
            "servers": [{"url": site_url("")}],
            "externalDocs": {
                "description": _l("The data dictionary: every field explained."),
                "url": site_url(url_for("api_docs.dictionary")),
            },
            "paths": dict(sorted(paths.items())),
            "components": {"schemas": schemas.components()},
        }
    )
