"""Translated labels for lesson types and languages (also used by templates and exports)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from .models import LessonType

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


def lesson_type_choices() -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in LESSON_TYPE.items()]


def lesson_language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


def lesson_type_label(value) -> str:
    return str(LESSON_TYPE.get(LessonType(value), value))


def lesson_language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
