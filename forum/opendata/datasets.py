"""The forum's open datasets, described once for the ``/data`` page and the DCAT-AP-SE catalogue:
what each holds, its licence, how often it changes, and every way to download it.

Paths are the site's own addresses (``SERVER_URL`` makes them absolute in the catalogue); the
JSON API's are written out, since the API answers them whether or not this module can name its
endpoints.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..core.licences import CC_BY_4_0, FORUM_TERMS, Licence
from .dumps import dump_filename

API_PATH = "/api/v1/"
OPENAPI_PATH = "/api/v1/openapi.json"
DICTIONARY_PATH = "/api/dictionary"
CATALOGUE_PATHS = {
    "text/turtle": "/data/catalog.ttl",
    "application/ld+json": "/data/catalog.jsonld",
}
# the EU's vocabularies, which DCAT-AP-SE asks for (publications.europa.eu authority tables)
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
DATA_THEMES = ("REGI", "ENVI", "SOCI")  # regions and cities; environment; population and society


@dataclass(frozen=True)
class Distribution:
    key: str  # unique within its dataset: "json", "csv", "atom", "dump", "api" ...
    path: str
    media_type: str
    label: object  # a lazy string: what a reader downloads
    is_api: bool = False
    is_dump: bool = False


@dataclass(frozen=True)
class Dataset:
    name: str
    title: object
    description: object
    keywords: tuple
    licence: Licence
    frequency: str  # a code of the EU frequency vocabulary
    changes: object  # the /data page's words for how often it changes
    landing_path: str
    distributions: tuple[Distribution, ...]


def _dump(name: str) -> Distribution:
    return Distribution(
        "dump",
        f"/data/dumps/{dump_filename(name)}",
        "application/gzip",
        _l("Full dump, gzipped JSON Lines (rewritten nightly)"),
        is_dump=True,
    )


_API = Distribution("api", API_PATH, "application/json", _l("JSON API"), is_api=True)
_JSON = _l("JSON (filters as on the list page)")
_CSV = _l("CSV for spreadsheets (filters as on the list page)")

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "lessons",
        _l("Lessons from sustainable city projects"),
        _l(
            "Structured lessons from real urban projects: the context, what was done, what "
            "worked, what did not, and advice for the next city, with outcomes, themes and SDGs."
        ),
        (
            _l("lessons learned"),
            _l("sustainable cities"),
            _l("urban development"),
            _l("Sustainable Development Goals"),
        ),
        CC_BY_4_0,
        "IRREG",
        _l("When a lesson is published or edited, several times a month."),
        "/lessons",
        (
            Distribution("json", "/lessons.json", "application/json", _JSON),
            Distribution("csv", "/lessons.csv", "text/csv", _CSV),
            Distribution("atom", "/lessons.atom", "application/atom+xml", _l("Atom feed")),
            Distribution("rss", "/lessons.rss", "application/rss+xml", _l("RSS feed")),
            _dump("lessons"),
            _API,
        ),
    ),
    Dataset(
        "projects",
        _l("Sustainable city projects"),
        _l(
            "Urban projects that lessons come from: place, status, years, partners and the kind "
            "of actor each partner is, themes and SDGs."
        ),
        (
            _l("projects"),
            _l("sustainable cities"),
            _l("partnerships"),
            _l("Sustainable Development Goals"),
        ),
        CC_BY_4_0,
        "IRREG",
        _l("When a project is added or edited, a few times a month."),
        "/projects",
        (
            Distribution("json", "/projects.json", "application/json", _JSON),
            Distribution("csv", "/projects.csv", "text/csv", _CSV),
            _dump("projects"),
            _API,
        ),
    ),
    Dataset(
        "threads",
        _l("Discussion threads and posts"),
        _l(
            "Public discussions of the forum's themes, with every visible post, its author's "
            "display name, language and dates; also the discussions of lessons and events."
        ),
        (_l("discussions"), _l("sustainable cities"), _l("climate"), _l("communities")),
        FORUM_TERMS,
        "CONT",
        _l("Continuously: whenever a member posts."),
        "/",
        (
            Distribution("atom", "/threads.atom", "application/atom+xml", _l("Atom feed")),
            Distribution("rss", "/threads.rss", "application/rss+xml", _l("RSS feed")),
            _dump("threads"),
            _API,
        ),
    ),
    Dataset(
        "events",
        _l("Events: webinars, workshops and study visits"),
        _l(
            "Published and cancelled events with their times (UTC), place or online form, "
            "themes and SDGs. Join links of online events are never included."
        ),
        (_l("events"), _l("webinars"), _l("study visits")),
        FORUM_TERMS,
        "IRREG",
        _l("When an event is published, changed or cancelled, several times a month."),
        "/events",
        (
            Distribution("ics", "/events.ics", "text/calendar", _l("iCalendar feed")),
            Distribution("atom", "/events.atom", "application/atom+xml", _l("Atom feed")),
            _dump("events"),
            _API,
        ),
    ),
)

DATASETS_BY_NAME = {dataset.name: dataset for dataset in DATASETS}
