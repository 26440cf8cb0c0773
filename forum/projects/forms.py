"""Forms of the projects area. Repeating rows (partners, measured outcomes) are FieldLists with a
few blank rows; "add a row" and "remove" are submit buttons that re-render the form, so they work
without JavaScript."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.labels import ACTOR_TYPE_LABELS
from ..accounts.models import ActorType
from . import labels
from .lessons import (
    LABEL_MAX,
    LINKS_MAX,
    OUTCOMES_MAX,
    SECTION_MAX,
    TITLE_MAX,
    TITLE_MIN,
    LessonInput,
    OutcomeInput,
    parse_number,
)
from .service import (
    NAME_MAX,
    PARTNERS_MAX,
    PLACE_MAX,
    SLUG_MAX,
    SUMMARY_MAX,
    WEBSITE_MAX,
    YEAR_MAX,
    YEAR_MIN,
    PartnerInput,
    ProjectInput,
    is_http_url,
)

BLANK_ROWS = 3


def optional_int(value):
    """Coerce a select's value to int; anything else becomes None (the service says what is
    wrong)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # unknown ids are reported by the service with a clear message
        pass


def http_url(form, field):
    if field.data and not is_http_url(field.data.strip()):
        raise ValidationError(_l("Enter a web address starting with http:// or https://."))


class PartnerRow(Form):
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=NAME_MAX)])
    actor_type = SelectField(
        _l("Actor type"),
        default=ActorType.public.value,
        choices=[SelectChoice(value, label) for value, label in ACTOR_TYPE_LABELS.items()],
    )


class ProjectForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(min=2, max=NAME_MAX)])
    slug = StringField(_l("Web address"), validators=[Optional(), Length(max=SLUG_MAX)])
    district = StringField(_l("District"), validators=[Optional(), Length(max=PLACE_MAX)])
    municipality = StringField(
        _l("Municipality"), validators=[DataRequired(), Length(max=PLACE_MAX)]
    )
    status = SelectField(_l("Status"))
    start_year = IntegerField(
        _l("Start year"), validators=[Optional(), NumberRange(min=YEAR_MIN, max=YEAR_MAX)]
    )
    end_year = IntegerField(
        _l("End year"), validators=[Optional(), NumberRange(min=YEAR_MIN, max=YEAR_MAX)]
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=SUMMARY_MAX)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=WEBSITE_MAX), http_url])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=80)])
    theme_ids = MultiCheckboxField(_l("Themes"), coerce=int)
    goal_ids = MultiCheckboxField(_l("Sustainable Development Goals"), coerce=int)
    partners = FieldList(
        FormField(PartnerRow), min_entries=BLANK_ROWS, max_entries=PARTNERS_MAX + BLANK_ROWS
    )

    def __init__(self, *args, themes=(), goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = labels.project_status_choices()
        self.theme_ids.choices = [(t.id, labels.localized_name(t)) for t in themes]
        self.goal_ids.choices = [(g.id, labels.goal_label(g)) for g in goals]

    def validate_end_year(self, field):
        if field.data and self.start_year.data and field.data < self.start_year.data:
            raise ValidationError(_l("The end year cannot be before the start year."))

    def to_input(self) -> ProjectInput:
        return ProjectInput(
            name=self.name.data or "",
            slug=self.slug.data or "",
            district=self.district.data or "",
            municipality=self.municipality.data or "",
            status=self.status.data or "",
            start_year=self.start_year.data,
            end_year=self.end_year.data,
            summary=self.summary.data or "",
            website=(self.website.data or "").strip(),
            contact_name=self.contact_name.data or "",
            theme_ids=list(self.theme_ids.data or []),
            goal_ids=list(self.goal_ids.data or []),
            partners=[
                PartnerInput(r.organisation.data or "", r.actor_type.data or "")
                for r in self.partners
            ],
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


class LessonForm(FlaskForm):
    project_id = SelectField(_l("Project"), coerce=optional_int, validate_choice=False)
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(min=TITLE_MIN, max=TITLE_MAX)]
    )
    lesson_type = SelectField(_l("Type of lesson"))
    theme_id = SelectField(_l("Theme"), coerce=optional_int)
    language = SelectField(_l("Written in"))
    goal_ids = MultiCheckboxField(_l("Sustainable Development Goals"), coerce=int)
    context = TextAreaField(
        _l("Context and challenge"), validators=[DataRequired(), Length(max=SECTION_MAX)]
    )
    what_was_done = TextAreaField(
        _l("What was done"), validators=[DataRequired(), Length(max=SECTION_MAX)]
    )
    results = TextAreaField(_l("Results"), validators=[Optional(), Length(max=SECTION_MAX)])
    outcomes = FieldList(
        FormField(OutcomeRow), min_entries=BLANK_ROWS, max_entries=OUTCOMES_MAX + BLANK_ROWS
    )
    what_worked = TextAreaField(_l("What worked"), validators=[Optional(), Length(max=SECTION_MAX)])
    what_did_not_work = TextAreaField(
        _l("What did not work"), validators=[Optional(), Length(max=SECTION_MAX)]
    )
    advice = TextAreaField(
        _l("Advice for others"), validators=[DataRequired(), Length(max=SECTION_MAX)]
    )
    links = TextAreaField(_l("Links"), validators=[Optional(), Length(max=LINKS_MAX * 510)])

    def __init__(self, *args, projects=(), themes=(), goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id.choices = [("", _l("Choose a project"))] + list(projects)
        self.lesson_type.choices = labels.lesson_type_choices()
        self.theme_id.choices = [("", _l("Choose a theme"))] + [
            (t.id, labels.localized_name(t)) for t in themes
        ]
        self.language.choices = [("sv", "Svenska"), ("en", "English")]
        self.goal_ids.choices = [(g.id, labels.goal_label(g)) for g in goals]

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


def add_row(field_list: FieldList) -> None:
    """One more blank row (up to the list's maximum)."""
    if field_list.max_entries is None or len(field_list.entries) < field_list.max_entries:
        field_list.append_entry()


def remove_row(field_list: FieldList, raw_index: str | None) -> None:
    """Drop the row whose position is ``raw_index``; a bad index changes nothing."""
    try:
        index = int(raw_index or "")
    except ValueError:
        return
    if 0 <= index < len(field_list.entries):
        del field_list.entries[index]
