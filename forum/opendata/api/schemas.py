"""The JSON Schemas of the API's objects, written once: the OpenAPI document, the data
dictionary page and the tests all read them from here, so none of them can drift from the others.

Descriptions are lazy translations: the document and the dictionary come in the reader's
language. Every property is required (a value that may be absent is ``null``), and no object has
properties its schema does not name.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ...agenda.models import KINDS
from ...lessons.models import LESSON_SECTIONS, LessonType
from ...projects.models import ProjectStatus

LANGUAGES = ("sv", "en")


def _typed(kind, description, nullable=False, **more) -> dict:
    return {"type": [kind, "null"] if nullable else kind, "description": description, **more}


def integer(description, **more) -> dict:
    return _typed("integer", description, **more)


def text(description, **more) -> dict:
    return _typed("string", description, **more)


def choice(description, values, nullable=False) -> dict:
    values = list(values) + ([None] if nullable else [])
    return _typed("string", description, nullable=nullable, enum=values)


def boolean(description) -> dict:
    return _typed("boolean", description)


def moment(description, nullable=False) -> dict:
    return _typed("string", description, nullable=nullable, format="date-time")


def address(description, nullable=False) -> dict:
    return _typed("string", description, nullable=nullable, format="uri")


def listed(items: dict, description) -> dict:
    return {"type": "array", "description": description, "items": items}


def record(description, properties: dict) -> dict:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def bilingual(description) -> dict:
    return record(description, {"sv": text(_l("In Swedish.")), "en": text(_l("In English."))})


def _identity(html_description) -> dict:
    return {
        "id": integer(_l("Its number: stable, never reused.")),
        "url": address(_l("Its address in the API.")),
        "html_url": address(html_description),
    }


LANGUAGE = choice(_l("The language the content is written in (ISO 639-1)."), LANGUAGES)
THEME = text(_l("The slug of the theme (see /api/v1/themes)."))
GOALS = listed(
    integer(_l("A goal's number."), minimum=1, maximum=17),
    _l("The UN Sustainable Development Goals it concerns, by number (1-17)."),
)
AUTHOR = text(_l('The author\'s display name ("deleted user" for a deleted account).'))
SECTIONS = {
    "context": _l("Context: the place, the starting point and who took part."),
    "what_was_done": _l("What was done."),
    "results": _l("Results."),
    "what_worked": _l("What worked: what the authors would do again."),
    "what_did_not_work": _l("What did not work, and why."),
    "advice": _l("Advice for the next city or organisation."),
}
POSTS_URL = address(_l("The API address of its discussion's posts."), nullable=True)

THREAD = record(
    _l("A discussion thread, as its theme page lists it."),
    {
        **_identity(_l("The thread's page on the forum.")),
        "title": text(_l("The title.")),
        "language": LANGUAGE,
        "theme": THEME,
        "goals": GOALS,
        "author": AUTHOR,
        "created_at": moment(_l("When the thread was started (UTC).")),
        "last_post_at": moment(_l("When the last visible post was written (UTC).")),
        "post_count": integer(_l("Visible posts, the opening post included."), minimum=0),
        "pinned": boolean(_l("Moderators keep it at the top of its theme.")),
        "locked": boolean(_l("It takes no more replies.")),
        "solved": boolean(_l("A reply is marked as its solution.")),
        "project_id": integer(_l("The project it is about, if any."), nullable=True),
        "posts_url": address(_l("The API address of its posts.")),
    },
)

POST = record(
    _l("A visible post (the opening post of a thread or a reply)."),
    {
        **_identity(_l("The post's permanent link on the forum.")),
        "thread_id": integer(_l("The thread it belongs to.")),
        "thread_url": address(_l("The API address of that thread.")),
        "language": LANGUAGE,
        "author": AUTHOR,
        "created_at": moment(_l("When it was written (UTC).")),
        "edited_at": moment(_l("When it was last edited (UTC), if ever."), nullable=True),
        "body": text(_l("The text as its author wrote it (Markdown).")),
        "body_html": text(_l("The text as the forum shows it: sanitized HTML.")),
        "useful_count": integer(_l("How many members marked it useful."), minimum=0),
    },
)

PROJECT_SUMMARY = record(
    _l("The project the lesson comes from."),
    {
        "id": integer(_l("The project's number: it never changes.")),
        "slug": text(_l("The project's short name in addresses (it may change).")),
        "name": text(_l("The project's name.")),
        "url": address(_l("The project's address in the API.")),
        "html_url": address(_l("The project's page on the forum.")),
    },
)

OUTCOME = record(
    _l("A measured outcome."),
    {
        "label": text(_l("What was measured.")),
        "value": {"type": "number", "description": _l("The number.")},
        "unit": text(_l("Its unit (may be empty).")),
    },
)

LESSON = record(
    _l("A published lesson of a project (CC BY 4.0)."),
    {
        **_identity(_l("The lesson's page on the forum.")),
        "title": text(_l("The title.")),
        "language": LANGUAGE,
        "lesson_type": choice(_l("What kind of lesson it is."), [t.value for t in LessonType]),
        "theme": THEME,
        "goals": GOALS,
        "project": PROJECT_SUMMARY,
        "sections": record(
            _l("The lesson's sections, each as its author wrote it (Markdown, may be empty)."),
            {name: text(SECTIONS[name]) for name in LESSON_SECTIONS},
        ),
        "outcomes": listed(OUTCOME, _l("Measured outcomes, in the author's order.")),
        "links": listed(text(_l("A link.")), _l("Links the author gave.")),
        "author": AUTHOR,
        "published_at": moment(_l("When it was published (UTC).")),
        "updated_at": moment(_l("When it was last changed (UTC).")),
        "useful_count": integer(_l("How many members marked it useful."), minimum=0),
        "reply_count": integer(_l("Replies in its discussion."), minimum=0),
        "posts_url": POSTS_URL,
        "licence": address(_l("The licence of the lesson's text.")),
    },
)

PARTNER = record(
    _l("A partner of the project."),
    {
        "organisation": text(_l("The organisation's name.")),
        "actor_type": text(_l("What kind of actor it is (public, private, academia...).")),
    },
)

PROJECT = record(
    _l("A project (place, years, partners) that lessons come from."),
    {
        **_identity(_l("The project's page on the forum.")),
        "slug": text(_l("The short name in its page's address (it may change; the id does not).")),
        "name": text(_l("The name.")),
        "district": text(_l("The district (may be empty).")),
        "municipality": text(_l("The municipality.")),
        "status": choice(_l("Where the project stands."), [s.value for s in ProjectStatus]),
        "start_year": integer(_l("The year it started, if known."), nullable=True),
        "end_year": integer(_l("The year it ended or ends, if known."), nullable=True),
        "summary": text(_l("The summary (Markdown).")),
        "summary_html": text(_l("The summary as the forum shows it: sanitized HTML.")),
        "website": address(_l("The project's own website, if any."), nullable=True),
        "themes": listed(THEME, _l("Its themes, by slug.")),
        "goals": GOALS,
        "partners": listed(PARTNER, _l("Its partners, in the project's order.")),
        "created_at": moment(_l("When it was added to the forum (UTC).")),
        "updated_at": moment(_l("When it was last edited (UTC).")),
        "lessons_url": address(_l("The API address of its lessons.")),
    },
)

THEME_OBJECT = record(
    _l("A theme: the threads, lessons and projects are grouped by theme."),
    {
        **_identity(_l("The theme's page on the forum.")),
        "slug": text(_l("The short name in addresses and filters.")),
        "name": bilingual(_l("The name in Swedish and English.")),
        "description": bilingual(_l("The description in Swedish and English.")),
        "threads_url": address(_l("The API address of its threads.")),
        "lessons_url": address(_l("The API address of its lessons.")),
    },
)

GOAL = record(
    _l("One of the UN's 17 Sustainable Development Goals."),
    {
        "id": integer(_l("The goal's number (1-17)."), minimum=1, maximum=17),
        "url": address(_l("Its address in the API.")),
        "html_url": address(_l("The forum's search for content with this goal.")),
        "name": bilingual(_l("The name in Swedish and English.")),
        "colour": text(_l("The goal's official colour (#rrggbb)."), pattern="^#[0-9a-fA-F]{6}$"),
        "threads_url": address(_l("The API address of the threads with this goal.")),
        "lessons_url": address(_l("The API address of the lessons with this goal.")),
    },
)

EVENT = record(
    _l("A published (or cancelled) event of the agenda. The join link is never given."),
    {
        **_identity(_l("The event's page on the forum.")),
        "title": text(_l("The title.")),
        "language": LANGUAGE,
        "summary": text(_l("The description (Markdown).")),
        "summary_html": text(_l("The description as the forum shows it: sanitized HTML.")),
        "kind": choice(_l("What kind of event it is."), KINDS),
        "status": choice(_l("Published, or cancelled."), ("published", "cancelled")),
        "starts_at": moment(_l("When it starts (UTC).")),
        "ends_at": moment(_l("When it ends (UTC).")),
        "online": boolean(_l("It takes place online.")),
        "address": text(_l("Where it takes place, if on site."), nullable=True),
        "meeting_point": text(_l("Where to meet, if given."), nullable=True),
        "themes": listed(THEME, _l("Its themes, by slug.")),
        "goals": GOALS,
        "project_id": integer(_l("The project it belongs to, if any."), nullable=True),
        "updated_at": moment(_l("When it was last changed (UTC).")),
        "posts_url": POSTS_URL,
    },
)

ERROR = record(
    _l("What went wrong with a request."),
    {
        "error": record(
            _l("The error."),
            {
                "code": text(_l("A stable code for programs (bad_request, not_found...).")),
                "status": integer(_l("The HTTP status.")),
                "title": text(_l("A short title in the reader's language.")),
                "message": text(_l("What to do about it, in the reader's language.")),
            },
        )
    },
)

COLLECTION = record(
    _l("A collection of the API."),
    {
        "name": text(_l("Its name.")),
        "url": address(_l("Its address.")),
        "description": text(_l("What it holds.")),
    },
)

INDEX = record(
    _l("The API's entry point: its collections and documents."),
    {
        "collections": listed(COLLECTION, _l("The collections.")),
        "openapi": address(_l("The OpenAPI 3.1 document describing the API.")),
        "dictionary": address(_l("The data dictionary: every field explained.")),
    },
)

# The objects the API hands out, by the name their schema has in the OpenAPI document.
OBJECTS = {
    "Thread": THREAD,
    "Post": POST,
    "Lesson": LESSON,
    "Project": PROJECT,
    "Theme": THEME_OBJECT,
    "Goal": GOAL,
    "Event": EVENT,
}


def page_of(name: str) -> dict:
    return record(
        _l("A page of a list, in the list's order."),
        {
            "data": listed(ref(name), _l("The objects of this page.")),
            "next": address(_l("The address of the next page; null on the last."), nullable=True),
            "limit": integer(_l("The most objects a page of this request holds.")),
        },
    )


def components() -> dict:
    """Every schema of the document, by name: the objects, a page of each, the errors and the
    index."""
    schemas = dict(OBJECTS)
    schemas.update({f"{name}Page": page_of(name) for name in OBJECTS})
    schemas.update({"Error": ERROR, "Index": INDEX})
    return schemas


def resolved(value):
    """``value`` with every lazy translation turned into text in the current language."""
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, dict):
        return {key: resolved(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolved(item) for item in value]
    return value
