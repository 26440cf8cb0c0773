"""The series form: the event form's text, place and links, a first date and times, and the
rule as a friendly choice (the Nth weekday of every month, a weekday every week) or, in the
advanced choice, a raw RRULE."""

from __future__ import annotations

import re
from datetime import datetime

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional

from .forms import EventForm, text_values
from .recurrence import ORDINALS, WEEKDAYS
from .series import SeriesInput
from .series_models import EventSeries

MONTHLY, WEEKLY, ADVANCED = "monthly", "weekly", "advanced"
NEVER, UNTIL, COUNT = "never", "until", "count"
MONTHLY_RULE = re.compile(r"FREQ=MONTHLY;BYDAY=(-1|[1-5])(MO|TU|WE|TH|FR|SA|SU)\Z")
WEEKLY_RULE = re.compile(r"FREQ=WEEKLY;BYDAY=(MO|TU|WE|TH|FR|SA|SU)\Z")
END = re.compile(r";(UNTIL=(\d{8})|COUNT=(\d+))\Z")


class SeriesForm(EventForm):
    start_date = None
    end_date = None
    first_date = DateField(
        _l("First date"), validators=[DataRequired(message=_l("Give the date as YYYY-MM-DD."))]
    )
    pattern = SelectField(_l("Repeats"))
    ordinal = SelectField(_l("Which week of the month"))
    weekday = SelectField(_l("Weekday"))
    rule = StringField(
        _l("Recurrence rule (RRULE)"),
        filters=[lambda value: (value or "").strip()],
        render_kw={"maxlength": 300, "spellcheck": "false"},
    )
    ends = SelectField(_l("The series ends"))
    until = DateField(_l("Last date"), validators=[Optional()])
    count = IntegerField(
        _l("Number of times"),
        validators=[Optional(), NumberRange(min=1, max=500, message=_l("From 1 to 500."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pattern.choices = [
            SelectChoice(MONTHLY, _l("Every month on a weekday (e.g. the second Friday)")),
            SelectChoice(WEEKLY, _l("Every week on a weekday")),
            SelectChoice(ADVANCED, _l("Advanced: write an RRULE")),
        ]
        self.ordinal.choices = [SelectChoice(str(n), label) for n, label in ORDINALS.items()]
        names = get_day_names("wide", locale=get_locale())
        self.weekday.choices = [SelectChoice(code, names[i]) for i, code in enumerate(WEEKDAYS)]
        self.ends.choices = [
            SelectChoice(NEVER, _l("Never")),
            SelectChoice(UNTIL, _l("On the last date")),
            SelectChoice(COUNT, _l("After a number of times")),
        ]

    def rule_text(self) -> str:
        if self.pattern.data == ADVANCED:
            return self.rule.data or ""
        if self.pattern.data == WEEKLY:
            text = f"FREQ=WEEKLY;BYDAY={self.weekday.data}"
        else:
            text = f"FREQ=MONTHLY;BYDAY={self.ordinal.data}{self.weekday.data}"
        if self.ends.data == UNTIL and self.until.data:
            text += f";UNTIL={self.until.data:%Y%m%d}"
        elif self.ends.data == COUNT and self.count.data:
            text += f";COUNT={self.count.data}"
        return text

    def to_series_input(self) -> SeriesInput:
        return SeriesInput(event=self.to_input(self.first_date.data), rule=self.rule_text())


def series_form_data(series: EventSeries, theme_ids, goal_ids, organisers: str) -> dict:
    """The edit form's values: a rule the friendly choices can show is shown that way."""
    data = text_values(series)
    data.update(
        online=series.online,
        project_id=series.project_id,
        first_date=series.first_date,
        start_time=series.start_time,
        end_time=series.end_time,
        theme_ids=theme_ids,
        goal_ids=goal_ids,
        organisers=organisers,
        pattern=ADVANCED,
        rule=series.rule,
        ends=NEVER,
    )
    end = END.search(series.rule)
    core = series.rule[: end.start()] if end else series.rule
    monthly, weekly = MONTHLY_RULE.match(core), WEEKLY_RULE.match(core)
    if monthly or weekly:
        data.update(pattern=MONTHLY if monthly else WEEKLY, rule="")
        data.update(ordinal=monthly.group(1) if monthly else "2")
        data.update(weekday=(monthly or weekly).groups()[-1])
        if end and end.group(2):
            data.update(ends=UNTIL, until=datetime.strptime(end.group(2), "%Y%m%d").date())
        elif end:
            data.update(ends=COUNT, count=int(end.group(3)))
    return data
