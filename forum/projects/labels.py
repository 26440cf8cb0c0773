"""Translated labels for the enums of the projects area (also used by templates and exports)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..i18n import localized
from .models import LessonType, ProjectStatus

PROJECT_STATUS = {
    ProjectStatus.planned: _l("Planned"),
    ProjectStatus.ongoing: _l("Ongoing"),
    ProjectStatus.completed: _l("Completed"),
}

LESSON_TYPE = {
    LessonType.method: _l("Method"),
    LessonType.tool: _l("Tool"),
    LessonType.model: _l("Model"),
    LessonType.training_material: _l("Training material"),
    LessonType.technical_solution: _l("Technical solution"),
    LessonType.innovation: _l("Innovation"),
    LessonType.financing_model: _l("Financing model"),
    LessonType.partnership_model: _l("Partnership model"),
    LessonType.goal_management: _l("Goal management"),
    LessonType.other: _l("Other"),
}

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


def project_status_choices() -> list[tuple[str, str]]:
    return [(key.value, label) for key, label in PROJECT_STATUS.items()]


def lesson_type_choices() -> list[tuple[str, str]]:
    return [(key.value, label) for key, label in LESSON_TYPE.items()]


def status_label(value) -> str:
    return str(PROJECT_STATUS.get(ProjectStatus(value), value))


def lesson_type_label(value) -> str:
    return str(LESSON_TYPE.get(LessonType(value), value))


def localized_name(obj) -> str:
    return localized(obj, "name")


def goal_label(goal) -> str:
    return f"{goal.number}. {localized(goal, 'name')}"


# Exposed to templates by the blueprint.
TEMPLATE_HELPERS = {
    "project_status_label": status_label,
    "lesson_type_label": lesson_type_label,
    "goal_label": goal_label,
    "lesson_language_name": lambda code: LANGUAGE_NAMES.get(code, code),
}
