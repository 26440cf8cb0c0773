"""The flow of every moderation action form: a real form first, htmx enhances it.

GET shows the form as a page, or as a fragment for the inline menus of htmx. POST with invalid
input, or an action the service refuses for its input, shows the form again with 422 and what was
typed; other refusals answer with their own 4xx page through the domain error handler.
"""

from __future__ import annotations

from flask import request

from ..db import get_session
from ..domain import InvalidInput
from ..web import render, show_on_form, wants_fragment
from .loaders import back_to


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
