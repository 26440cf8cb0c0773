"""Form pieces every area's forms use: optional numbers, checkbox lists and repeating rows.

Repeating rows (partners, measured outcomes) are FieldLists with a few blank rows; "add a row" and
"remove" are submit buttons that re-render the form, so they work without JavaScript.
"""

from __future__ import annotations

from flask import current_app
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from wtforms import FieldList, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

# Blank rows a repeating list offers beyond the filled ones.
BLANK_ROWS = 3

# ``render_kw`` of a field that takes members: static/js/mentions.js enhances it with suggestions
# from the member search (a Markdown textarea completes ``@handle``; a member field, one handle).
# Without JavaScript they are plain fields.
MENTIONS = {"data-mentions": "markdown"}
MEMBER_PICKER = {"data-mentions": "member", "autocomplete": "off", "spellcheck": "false"}

# ``render_kw`` of a required select whose first choice is a real one (a theme is always chosen):
# HTML allows ``required`` on a select only when its first option is an empty placeholder, and
# there the browser would have nothing to check anyway. The validator still requires a value.
ALWAYS_CHOSEN = {"required": False}


def csrf_field() -> Markup:
    """The CSRF token's hidden input, without the ``id="csrf_token"`` WTForms gives it: a page
    with several forms would repeat that id, which HTML forbids. Nothing where CSRF is off, as
    WTForms renders no field then (and the session stays untouched)."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return Markup("")
    return Markup('<input name="csrf_token" type="hidden" value="%s">') % escape(generate_csrf())


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
