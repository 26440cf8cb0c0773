"""What the lessons area adds to the pages of the areas below it.

The project page lists the project's lessons with their reply counts, the project list counts
each project's lessons, and a reply to a lesson's discussion on its first page returns to the
lesson page, where that page of the discussion is shown.
"""

from __future__ import annotations

from flask import url_for

from ..discussions.contributions import thread_location
from ..projects.contributions import project_list, project_page
from . import queries


@project_page.provide
def lessons_on_project(*, session, project, viewer) -> dict:
    lessons = queries.project_lessons(session=session, project=project, viewer=viewer)
    return {
        "lessons": lessons,
        "reply_counts": queries.reply_counts(session=session, lessons=lessons),
    }


@project_list.provide
def lesson_counts_on_list(*, session, projects) -> dict:
    project_ids = [project.id for project in projects]
    return {"lesson_counts": queries.lesson_counts(session=session, project_ids=project_ids)}


@thread_location.provide
def lesson_of_discussion(*, session, thread) -> dict:
    if thread.kind != "lesson":
        return {}
    lesson = queries.lesson_of_thread(session=session, thread=thread)
    if lesson is None:
        return {}
    return {"url": url_for("lessons.lesson_detail", lesson_id=lesson.id, slug=lesson.slug)}
