"""The project form; partners are repeating rows (``forum.web.forms``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..accounts.labels import ACTOR_TYPE_LABELS
from ..accounts.models import ActorType
from ..web.forms import BLANK_ROWS, MEMBER_PICKER, MENTIONS, MultiCheckboxField
from . import labels
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
    summary = TextAreaField(
        _l("Summary"), validators=[Optional(), Length(max=SUMMARY_MAX)], render_kw=MENTIONS
    )
    website = StringField(_l("Website"), validators=[Optional(), Length(max=WEBSITE_MAX), http_url])
    contact_name = StringField(
        _l("Contact person"), validators=[Optional(), Length(max=80)], render_kw=MEMBER_PICKER
    )
    theme_ids = MultiCheckboxField(_l("Themes"), coerce=int)
    goal_ids = MultiCheckboxField(_l("Sustainable Development Goals"), coerce=int)
    partners = FieldList(
        FormField(PartnerRow), min_entries=BLANK_ROWS, max_entries=PARTNERS_MAX + BLANK_ROWS
    )

    def __init__(self, *args, themes=(), goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = labels.project_status_choices()
        self.theme_ids.choices = [SelectChoice(t.id, labels.localized_name(t)) for t in themes]
        self.goal_ids.choices = [SelectChoice(g.id, labels.goal_label(g)) for g in goals]

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
