"""Translated labels for project statuses, themes and goals (also used by templates)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from ..i18n import localized
from .models import ProjectStatus

PROJECT_STATUS = {
    ProjectStatus.planned: _l("Planned"),
    ProjectStatus.ongoing: _l("Ongoing"),
    ProjectStatus.completed: _l("Completed"),
}


def project_status_choices() -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in PROJECT_STATUS.items()]


def status_label(value) -> str:
    return str(PROJECT_STATUS.get(ProjectStatus(value), value))


def localized_name(obj) -> str:
    return localized(obj, "name")


def goal_label(goal) -> str:
    return f"{goal.number}. {localized(goal, 'name')}"


# Exposed to templates by the blueprint.
TEMPLATE_HELPERS = {
    "project_status_label": status_label,
    "goal_label": goal_label,
}
