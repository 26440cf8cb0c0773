"""``/data``: what can be downloaded and under which licence; the DCAT-AP-SE catalogue in Turtle
and JSON-LD (``/data/catalog`` chooses by ``Accept``); the nightly dumps.

Everything here is public and the same for every reader but the page's language: the catalogue
carries both languages, and the dumps are files the job worker wrote.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _

from ..config import publisher_of
from ..core.licences import licensed
from ..web import fail, render
from .datasets import (
    API_PATH,
    CATALOGUE_PATHS,
    DATASETS,
    DATASETS_BY_NAME,
    DICTIONARY_PATH,
    OPENAPI_PATH,
)
from .dumps import dump_filename, dumps_dir, read_manifest

bp = Blueprint("data", __name__)
CATALOGUE_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json"}


@bp.get("/data")
def data_page():
    manifest = read_manifest() or {}
    return render(
        "opendata/data.html",
        "opendata/_data.html",
        datasets=DATASETS,
        dumps=_shown(manifest.get("datasets", {})),
        dumped_at=_moment(manifest.get("finished_at")),
        api_path=API_PATH,
        openapi_path=OPENAPI_PATH,
        dictionary_path=DICTIONARY_PATH,
        catalogue_paths=CATALOGUE_PATHS,
    )


def _shown(dumps: dict) -> dict:
    """Each dump's figures as the page's language writes numbers."""
    return {
        name: {
            **dump,
            "records_shown": format_decimal(dump["records"]),
            "size_shown": format_decimal(round(dump["bytes"] / 1024, 1)),
        }
        for name, dump in dumps.items()
    }


def _moment(stamp: str | None) -> datetime | None:
    """A manifest's aware UTC time as the naive UTC the page's date helpers take."""
    return datetime.fromisoformat(stamp).replace(tzinfo=None) if stamp else None


@lru_cache(maxsize=8)
def _catalogue_bytes(media_type: str, modified: str | None, _settings: tuple) -> bytes:
    """The catalogue, kept per process: it changes only with a new dump (``modified``) or with
    the settings it names (``_settings``, part of the key), and takes 15 ms of CPU to build."""
    # rdflib is imported on the first catalogue asked for, not in every worker at start (memory)
    from . import catalogue as rdf

    graph = rdf.catalogue_graph(modified=datetime.fromisoformat(modified) if modified else None)
    return rdf.serialize(graph, media_type)


def _catalogue_response(media_type: str) -> Response:
    modified = (read_manifest() or {}).get("finished_at")
    settings = (current_app.config["SERVER_URL"], publisher_of(current_app.config))
    body = _catalogue_bytes(media_type, modified, settings)
    response = Response(body, mimetype=media_type)
    response.charset = "utf-8"
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.no_cache = True
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


@bp.get("/data/catalog.<any(ttl, jsonld):extension>")
def catalogue_file(extension: str):
    return _catalogue_response(CATALOGUE_TYPES[extension])


@bp.get("/data/catalog")
def catalogue():
    """The catalogue in the format ``Accept`` prefers (Turtle when it names none); a browser,
    which asks for HTML, is sent to the /data page."""
    offered = ["text/turtle", "application/ld+json", "text/html"]
    wanted = request.accept_mimetypes.best_match(offered, default="text/turtle")
    if wanted == "text/html":
        response = redirect(url_for("data.data_page"), 303)
    else:
        response = _catalogue_response(wanted)
    response.vary.add("Accept")
    return response


@bp.get("/data/dumps/<name>.jsonl.gz")
def dump_file(name: str):
    """A dump as the worker last wrote it, with ``Last-Modified``, ``ETag`` and 304s (Flask's
    ``send_file``); 404 before the first one."""
    dataset = DATASETS_BY_NAME.get(name)
    if dataset is None:
        fail(404, _("There is no such dump."))
    path = dumps_dir() / dump_filename(name)
    if not path.is_file():
        fail(404, _("This dump has not been written yet: the first one is made tonight."))
    response = send_from_directory(
        path.parent,
        path.name,
        mimetype="application/gzip",
        as_attachment=True,
        conditional=True,
        etag=True,
        max_age=None,
    )
    response.cache_control.public = True
    response.cache_control.no_cache = True
    return licensed(response, dataset.licence)  # the forum's terms: a relative link, /terms
