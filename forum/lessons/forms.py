"""The lesson form: one form for a draft, a preview and publishing; measured outcomes are
repeating rows (``forum.web.forms``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..projects.labels import goal_label, localized_name
from ..web.forms import BLANK_ROWS, MENTIONS, MultiCheckboxField, optional_int
from .labels import lesson_language_choices, lesson_type_choices
from .models import Lesson
from .queries import format_value, lesson_goals, lesson_outcomes
from .service import (
    LABEL_MAX,
    LINKS_MAX,
    OUTCOMES_MAX,
    SECTION_MAX,
    TITLE_MAX,
    TITLE_MIN,
    LessonInput,
    OutcomeInput,
    lesson_fields,
    parse_number,
)


class OutcomeRow(Form):
    label = StringField(_l("Label"), validators=[Optional(), Length(max=LABEL_MAX)])
    value = StringField(_l("Value"), validators=[Optional(), Length(max=40)])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=40)])

    def validate_value(self, field):
        if (field.data or "").strip() and parse_number(field.data) is None:
            raise ValidationError(_l("Write the value as a number, e.g. -30 or 12.5."))
        if (field.data or "").strip() and not (self.label.data or "").strip():
            raise ValidationError(_l("Each measured outcome needs a label."))

    def validate_label(self, field):
        if (field.data or "").strip() and not (self.value.data or "").strip():
            raise ValidationError(_l("Give the measured value as a number."))


SECTION_HINTS = {
    "context": _l("The situation and the problem the project set out to solve."),
    "what_was_done": _l("The method, tool or model: what you actually did, step by step."),
    "results": _l("What came out of it, in words. Add measured outcomes below."),
    "what_worked": _l("What you would do again."),
    "what_did_not_work": _l(
        "Mistakes, dead ends and surprises: the most valuable part for others."
    ),
    "advice": _l("What should the next city or organisation know before starting?"),
}


def _section(label, *, required: bool = False) -> TextAreaField:
    """A Markdown section of the lesson (it offers @handle completion)."""
    first = DataRequired() if required else Optional()
    return TextAreaField(label, validators=[first, Length(max=SECTION_MAX)], render_kw=MENTIONS)


class LessonForm(FlaskForm):
    project_id = SelectField(_l("Project"), coerce=optional_int, validate_choice=False)
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(min=TITLE_MIN, max=TITLE_MAX)]
    )
    lesson_type = SelectField(_l("Type of lesson"))
    theme_id = SelectField(_l("Theme"), coerce=optional_int)
    language = SelectField(_l("Written in"))
    goal_ids = MultiCheckboxField(_l("Sustainable Development Goals"), coerce=int)
    context = _section(_l("Context and challenge"), required=True)
    what_was_done = _section(_l("What was done"), required=True)
    results = _section(_l("Results"))
    outcomes = FieldList(
        FormField(OutcomeRow), min_entries=BLANK_ROWS, max_entries=OUTCOMES_MAX + BLANK_ROWS
    )
    what_worked = _section(_l("What worked"))
    what_did_not_work = _section(_l("What did not work"))
    advice = _section(_l("Advice for others"), required=True)
    links = TextAreaField(_l("Links"), validators=[Optional(), Length(max=LINKS_MAX * 510)])

    def __init__(self, *args, projects=(), themes=(), goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id.choices = [SelectChoice("", _l("Choose a project"))] + [
            SelectChoice(value, label) for value, label in projects
        ]
        self.lesson_type.choices = lesson_type_choices()
        self.theme_id.choices = [SelectChoice("", _l("Choose a theme"))] + [
            SelectChoice(t.id, localized_name(t)) for t in themes
        ]
        self.language.choices = lesson_language_choices()
        self.goal_ids.choices = [SelectChoice(g.id, goal_label(g)) for g in goals]

    def to_input(self) -> LessonInput:
        return LessonInput(
            project_id=self.project_id.data,
            title=self.title.data or "",
            lesson_type=self.lesson_type.data or "",
            theme_id=self.theme_id.data,
            language=self.language.data or "",
            goal_ids=list(self.goal_ids.data or []),
            links=self.links.data or "",
            outcomes=[
                OutcomeInput(
                    r.form.label.data or "", r.form.value.data or "", r.form.unit.data or ""
                )
                for r in self.outcomes
            ],
            **{name: getattr(self, name).data or "" for name in SECTION_HINTS},
        )


def lesson_input_from(session, lesson: Lesson) -> LessonInput:
    """The current state of a lesson as form input (to fill the edit form)."""
    return LessonInput(
        **lesson_fields(lesson),
        goal_ids=[g.id for g in lesson_goals(session=session, lesson=lesson)],
        outcomes=[
            OutcomeInput(o.label, format_value(o.value), o.unit)
            for o in lesson_outcomes(session=session, lesson=lesson)
        ],
    )
