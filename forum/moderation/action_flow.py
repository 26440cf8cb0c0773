"""The flow of every moderation action form: a real form first, htmx enhances it.

GET shows the form as a page, or as a fragment for the inline menus of htmx. POST with invalid
input, or an action the service refuses for its input, shows the form again with 422 and what was
typed; other refusals answer with their own 4xx page through the domain error handler.
Actions taken at once (restore, pin...) have no form page: a reason too long answers 422 alone.
From the review queue, every action answers with the settled entry.
"""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _

from ..db import get_session
from ..domain import InvalidInput
from ..web import fail, finish, render, show_on_form, wants_fragment
from .forms import OptionalReasonForm
from .loaders import back_to
from .rules import REASON_MAX


def action_page(
    form,
    *,
    title,
    submit,
    action_url,
    cancel_url,
    danger=False,
    status=200,
    subject=None,
    hx_target=None,
):
    response = render(
        "moderation/action.html",
        "moderation/_action_form.html",
        status=status,
        form=form,
        title=title,
        submit=submit,
        action_url=action_url,
        cancel_url=cancel_url,
        danger=danger,
        subject=subject,
        next=back_to(cancel_url),
        hx_target=hx_target,
    )
    if status == 422 and wants_fragment():
        # The inline menu's target is the controls: the form with its errors replaces itself.
        response.headers["HX-Retarget"] = "#mod-action-form"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


def run_form(form, page: dict, act):
    """The form's page on GET, again with 422 on invalid input or a refused input; otherwise the
    response ``act(session)`` gives."""
    if request.method == "GET":
        return action_page(form, **page)
    if not form.validate_on_submit():
        return action_page(form, status=422, **page)
    session = get_session()
    try:
        return act(session)
    except InvalidInput as error:
        session.rollback()
        show_on_form(form, error)
        return action_page(form, status=422, **page)


def optional_reason() -> str:
    """The optional reason of an action taken at once."""
    form = OptionalReasonForm()
    if not form.validate_on_submit():
        fail(422, _("Keep the reason under %(max)d characters.", max=REASON_MAX))
    return form.reason.data or ""


def from_queue() -> bool:
    return request.form.get("context") == "queue"


def settled_in_queue(message: str, location: str | None = None):
    """The queue's entry, settled (htmx); a plain browser goes to ``location`` or back."""
    return finish(
        location or back_to(url_for("moderation.queue_page")),
        message=message,
        fragment="moderation/_queue_done.html",
    )
