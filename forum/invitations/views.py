"""The invitation list's public pages: the archive, signing up and confirming, unsubscribing;
and the section of /settings where a member joins or leaves the list.

The one-click unsubscribe POST (RFC 8058) is the forum's only form without a CSRF token: mail
programs send it without any session, and all it can do is remove the address its signed link
names, which the link's holder may do anyway.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.forms import ActionForm
from ..accounts.service import normalize_email
from ..db import get_session
from ..domain import DomainError
from ..extensions import csrf, limiter, user_or_address
from ..i18n import current_language
from ..permissions import SIGNED_IN
from ..web import fail, finish, page_arg, register_template_globals, render, requires
from . import export, queries, service  # noqa: F401  (export: the data export's section)
from .forms import SignupForm

bp = Blueprint("invitations", __name__)


@bp.record_once
def _template_globals(state):
    register_template_globals(
        state.app,
        "invitations",
        {"invitation_subscription": _my_subscription, "invitation_text": invitation_text},
    )


def _my_subscription():
    return service.subscription_of(get_session(), current_user)


def invitation_text(invitation) -> dict:
    """The version a reader gets: English for English readers when there is one."""
    english = current_language() == "en" and invitation.has_english
    return {
        "lang": "en" if english else "sv",
        "subject": invitation.subject_en if english else invitation.subject_sv,
        "html": invitation.body_en_html if english else invitation.body_sv_html,
    }


def _address_key() -> str:
    """The per-address limit counts the address typed, listed or not: a refusal says nothing."""
    return "invitation-signup:" + normalize_email(request.form.get("email", ""))


def _signup_form() -> SignupForm:
    form = SignupForm()
    if request.method == "GET":
        form.locale.data = current_language()
    return form


# --- the archive ---------------------------------------------------------------------------------
@bp.get("/invitations")
def archive():
    page = page_arg()
    invitations, has_next = queries.archive(get_session(), page)
    return render(
        "invitations/archive.html",
        invitations=invitations,
        page_number=page,
        has_next=has_next,
        form=_signup_form(),
    )


@bp.get("/invitations/<int:invitation_id>")
def invitation_page(invitation_id: int):
    invitation = queries.sent_invitation(get_session(), invitation_id)
    if invitation is None:
        fail(404, _("There is no such invitation."))
    return render("invitations/invitation.html", invitation=invitation, form=_signup_form())


# --- signing up ----------------------------------------------------------------------------------
@bp.route("/invitations/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_INVITATIONS_SIGNUP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_INVITATIONS_SIGNUP_ADDRESS"],
    methods=["POST"],
    key_func=_address_key,
)
def signup():
    form = _signup_form()
    if form.validate_on_submit():
        service.request_signup(
            session=get_session(), email=form.email.data, locale=form.locale.data
        )
        return finish(
            url_for("invitations.archive"),
            message=_signed_up_message(form.email.data),
            fragment="invitations/_signup_done.html",
        )
    status = 422 if request.method == "POST" else 200
    return render(
        "invitations/signup.html", "invitations/_signup_form.html", status=status, form=form
    )


def _signed_up_message(email: str) -> str:
    # the same words whether or not the address is listed: its owner learns which from the mail
    return _(
        "Check your inbox: we sent a mail to %(email)s. Open the link in it to confirm that you "
        "want the invitations.",
        email=email,
    )


@bp.get("/invitations/confirm/<token>")
def confirm(token: str):
    try:
        email, _locale = service.read_signup(token)
    except DomainError as error:
        return _link_problem(error)
    return render("invitations/confirm.html", form=ActionForm(), token=token, email=email)


@bp.post("/invitations/confirm/<token>")
def confirm_post(token: str):
    if not ActionForm().validate_on_submit():
        fail(400, _("The form has expired. Open the link again."))
    try:
        subscriber = service.confirm_signup(session=get_session(), token=token)
    except DomainError as error:
        get_session().rollback()
        return _link_problem(error)
    return finish(
        url_for("invitations.archive"),
        message=_(
            "Thank you: %(email)s is on the invitation list. Every invitation has a link to "
            "leave the list.",
            email=subscriber.email,
        ),
    )


def _link_problem(error: DomainError):
    return render("invitations/link_problem.html", status=error.status, message=str(error.message))


# --- unsubscribing -------------------------------------------------------------------------------
@bp.get("/invitations/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """The button the POST answers; a link this forum did not make is said so at once, rather
    than after the button is pressed."""
    try:
        service.check_unsubscribe_link(token)
    except DomainError as error:
        return _link_problem(error)
    return render("invitations/unsubscribe.html", token=token, done=False)


@bp.post("/invitations/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str):
    """RFC 8058's one-click POST (no session, no CSRF token) and the page's own button."""
    try:
        removed = service.unsubscribe(session=get_session(), token=token)
    except DomainError as error:
        return _link_problem(error)
    get_session().commit()
    return render("invitations/unsubscribe.html", token=token, done=True, removed=removed)


# --- a member's settings -------------------------------------------------------------------------
@bp.post("/invitations/join")
@requires(SIGNED_IN)
@limiter.limit(
    lambda: current_app.config["RATELIMIT_INVITATIONS_SIGNUP_ADDRESS"], key_func=user_or_address
)
def join():
    """One click from the settings; still a confirmation mail (see the README)."""
    if not ActionForm().validate_on_submit():
        fail(400, _("The form has expired. Reload the page and try again."))
    service.request_signup(
        session=get_session(), email=current_user.email, locale=current_user.locale
    )
    return _settings_answer(_signed_up_message(current_user.email))


@bp.post("/invitations/leave")
@requires(SIGNED_IN)
def leave():
    if not ActionForm().validate_on_submit():
        fail(400, _("The form has expired. Reload the page and try again."))
    service.leave(session=get_session(), user=current_user)
    return _settings_answer(_("You have left the invitation list."))


def _settings_answer(message: str):
    return finish(
        url_for("accounts.settings") + "#settings-invitations",
        message=message,
        fragment="invitations/_settings.html",
    )


from . import admin_views  # noqa: E402,F401  (routes on this bp)
