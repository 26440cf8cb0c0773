"""The event form: one page to write, save as a draft and publish; times in Swedish local time."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from ..accounts.forms import LANGUAGE_NAMES
from ..projects.labels import goal_label, localized_name
from ..web.forms import MultiCheckboxField, optional_int
from .history import TEXT_FIELDS
from .labels import KIND_LABELS, QUESTION_LABELS
from .models import Event
from .service import EventInput, to_local

SUMMARY_MAX = 20_000


def _text(label, *, required: bool = False, size: int = 300):
    first = DataRequired() if required else Optional()
    return StringField(
        label,
        filters=[lambda value: (value or "").strip()],
        validators=[first, Length(max=size)],
        render_kw={"maxlength": size},
    )


class EventForm(FlaskForm):
    kind = SelectField(_l("Kind of event"))
    language = SelectField(_l("Written in"))
    title = _text(_l("Title"), required=True, size=200)
    summary = TextAreaField(
        _l("Summary (Markdown)"), validators=[DataRequired(), Length(max=SUMMARY_MAX)]
    )
    title_translation = _text(_l("Title in the other language (optional)"), size=200)
    summary_translation = TextAreaField(
        _l("Summary in the other language (Markdown, optional)"),
        validators=[Optional(), Length(max=SUMMARY_MAX)],
    )
    start_date = DateField(
        _l("Date"), validators=[DataRequired(message=_l("Give the date as YYYY-MM-DD."))]
    )
    start_time = TimeField(
        _l("Starts at"), validators=[DataRequired(message=_l("Give the time as HH:MM."))]
    )
    end_date = DateField(_l("Ends on (if another day)"), validators=[Optional()])
    end_time = TimeField(
        _l("Ends at"), validators=[DataRequired(message=_l("Give the time as HH:MM."))]
    )
    online = BooleanField(_l("Online event"))
    join_url = URLField(
        _l("Link to join"),
        validators=[Optional(), URL(message=_l("Give a web address starting with https://."))],
        render_kw={"maxlength": 500},
    )
    address = _text(_l("Address"))
    meeting_point = _text(_l("Meeting point"))
    accessibility = TextAreaField(
        _l("Accessibility of the venue"), validators=[Optional(), Length(max=2000)]
    )
    project_id = SelectField(_l("Project"), coerce=optional_int, validate_choice=False)
    theme_ids = MultiCheckboxField(_l("Themes"), coerce=int)
    goal_ids = MultiCheckboxField(_l("Sustainable Development Goals"), coerce=int)
    capacity = IntegerField(
        _l("Seats (optional)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=100_000, message=_l("Give a number of seats from 1 up.")),
        ],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    questions = MultiCheckboxField(_l("Questions at registration (all optional to answer)"))
    organisers = _text(_l("Co-organisers (@handles)"), size=700)

    def __init__(self, *args, projects=(), themes=(), goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(k, label) for k, label in KIND_LABELS.items()]
        self.language.choices = [SelectChoice(c, n) for c, n in LANGUAGE_NAMES.items()]
        self.project_id.choices = [SelectChoice("", _l("No project"))] + [
            SelectChoice(value, label) for value, label in projects
        ]
        self.theme_ids.choices = [SelectChoice(t.id, localized_name(t)) for t in themes]
        self.goal_ids.choices = [SelectChoice(g.id, goal_label(g)) for g in goals]
        self.questions.choices = [SelectChoice(k, label) for k, label in QUESTION_LABELS.items()]

    def to_input(self, day=None) -> EventInput:
        """``day``: the start date when the form has none of its own (a series' first date)."""
        start_day = day or self.start_date.data
        end_day = (self.end_date.data if self.end_date else None) or start_day
        return EventInput(
            kind=self.kind.data or "",
            language=self.language.data or "",
            title=self.title.data or "",
            summary=self.summary.data or "",
            title_translation=self.title_translation.data or "",
            summary_translation=self.summary_translation.data or "",
            starts_local=datetime.combine(start_day, self.start_time.data),
            ends_local=datetime.combine(end_day, self.end_time.data),
            online=bool(self.online.data),
            join_url=self.join_url.data or "",
            address=self.address.data or "",
            meeting_point=self.meeting_point.data or "",
            accessibility=self.accessibility.data or "",
            project_id=self.project_id.data,
            theme_ids=list(self.theme_ids.data or []),
            goal_ids=list(self.goal_ids.data or []),
            capacity=self.capacity.data,
            questions=list(self.questions.data or []),
        )


def text_values(item) -> dict:
    """The text fields of an event or a series as the form shows them (None as empty)."""
    return {name: getattr(item, name) or "" for name in TEXT_FIELDS}


def form_data_of(event: Event, theme_ids: list[int], goal_ids: list[int]) -> dict:
    """The edit form's initial values: the stored event in local time."""
    starts, ends = to_local(event.starts_at), to_local(event.ends_at)
    data = text_values(event)
    return {
        **data,
        "online": event.online,
        "project_id": event.project_id,
        "start_date": starts.date(),
        "start_time": starts.time(),
        "end_date": ends.date() if ends.date() != starts.date() else None,
        "end_time": ends.time(),
        "theme_ids": theme_ids,
        "goal_ids": goal_ids,
        "capacity": event.capacity,
        "questions": [key for key in (event.questions or "").split(",") if key],
    }
