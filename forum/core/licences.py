"""The licences open data is published under, named once for every export, dump and catalogue.

Lessons and projects are shared under CC BY 4.0: their authors write them for reuse, and the
lesson form says so. Posts and events are not: their authors keep the copyright, and the forum
publishes them under its terms (``/terms``), which allow quoting with a link to the forum.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Response


@dataclass(frozen=True)
class Licence:
    name: str
    url: str  # an absolute URL, or a path of this site (the forum's terms)


CC_BY_4_0 = Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
FORUM_TERMS = Licence("Tillsammans forum terms", "/terms")


def licensed(response: Response, licence: Licence = CC_BY_4_0) -> Response:
    """An open-data download: its licence as ``Link: <...>; rel="license"``, readable by
    scripts on any site (CORS: the data is public, and no cookie is sent with it)."""
    response.headers["Link"] = f'<{licence.url}>; rel="license"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def json_download(document: dict, licence: Licence = CC_BY_4_0) -> Response:
    """An open-data JSON document, readable (indented, not ASCII-escaped) and licensed."""
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return licensed(Response(body, mimetype="application/json"), licence)
