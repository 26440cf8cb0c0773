"""Accounts blueprint: registration, confirmation, login/logout, password reset, terms.

Settings and privacy routes live in ``settings_views.py``, profiles and the user administration in
``profile_views.py``; all of them register on this blueprint.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..db import get_session
from ..extensions import limiter, login_manager
from ..i18n import current_language, in_language
from ..permissions import SIGNED_IN
from ..web import (
    fail,
    finish,
    redirect_target,
    register_template_globals,
    render,
    requires,
    show_on_form,
    wants_fragment,
)
from . import login as login_service
from . import pictures, service
from .errors import AccountError, AlreadyConfirmed, EmailTaken, ExpiredToken
from .forms import (
    ActionForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from .labels import actor_type_label, role_label
from .session import sign_in, sign_out
from .urls import profile_path, public_name

bp = Blueprint("accounts", __name__)


@bp.record_once
def _configure_login_manager(state) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in to see that page.")
    login_manager.login_message_category = "info"


@bp.record_once
def _template_globals(state) -> None:
    register_template_globals(
        state.app,
        "accounts",
        {
            "actor_type_label": actor_type_label,
            "role_label": role_label,
            "public_name": public_name,
            "profile_path": profile_path,
            "picture_url": pictures.picture_url,
            "avatar_initials": pictures.initials,
            "avatar_colour": pictures.colour,
            "action_form": ActionForm,
        },
    )


# --- helpers shared by the account views -------------------------------------------------------


def form_email_key() -> str:
    """Rate-limit key per account: the e-mail address typed into the form."""
    return "email:" + service.normalize_email(request.form.get("email", ""))


def user_key() -> str:
    return (
        f"user:{current_user.get_id().partition(':')[0]}"
        if current_user.is_authenticated
        else "anonymous"
    )


def failed(response) -> bool:
    """Count only refused attempts (the form came back with errors)."""
    return response.status_code == 422


def me():
    """The logged-in ``User`` itself (not flask-login's proxy), for services and ``sign_in``."""
    return current_user._get_current_object()


# --- registration and confirmation -------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTER"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_REGISTER"], methods=["POST"], key_func=form_email_key
)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = current_language()
    if form.validate_on_submit():
        if form.website.data:  # the honeypot was filled in: a bot
            fail(400, _("Your registration could not be accepted."))
        email = service.normalize_email(form.email.data)
        try:
            user = _register(form, email)
        except AccountError as error:  # the password: nothing about the address
            get_session().rollback()
            show_on_form(form, error)
        else:
            if user is not None:
                return _welcome(user)
            # a taken address: the owner gets mail; the answer is the one the form always gave
            return finish(
                url_for("accounts.login"),
                message=_(
                    "Welcome! We sent a confirmation link to %(email)s. You can log in now; "
                    "confirm your address to start posting.",
                    email=email,
                ),
            )
    status = 422 if request.method == "POST" else 200
    return render(
        "accounts/register.html", "accounts/_register_form.html", status=status, form=form
    )


def _welcome(user):
    """A new member is signed in at once (unconfirmed: they read until they open the link), so
    they need not type their address and password again."""
    sign_in(user, remember=False)
    login_service.record_login(session=get_session(), user=user)
    with in_language(user.locale):
        message = _(
            "Welcome to the forum, %(name)s! We sent a confirmation link to %(email)s: open it "
            "to start posting.",
            name=user.display_name,
            email=user.email,
        )
    return finish(url_for("site.home"), message=message)


def _register(form: RegisterForm, email: str):
    """The new member, or None when the address already has an account."""
    try:
        return service.register(
            session=get_session(),
            display_name=form.display_name.data,
            email=email,
            password=form.password.data,
            organisation=form.organisation.data,
            actor_type=form.actor_type.data,
            locale=form.locale.data,
        )
    except EmailTaken:  # a concurrent registration won the race: as for any taken address
        get_session().rollback()
        service.queue_registration_mail(session=get_session(), email=email)
        return None


@bp.get("/confirm/<token>")
def confirm(token: str):
    try:
        user, address = service.check_confirm_token(session=get_session(), token=token)
    except AccountError as error:
        return _token_problem(error)
    already = address == user.email and user.is_confirmed
    return render(
        "accounts/confirm.html",
        "accounts/_confirm_form.html",
        form=ActionForm(),
        token=token,
        address=address,
        already=already,
    )


@bp.post("/confirm/<token>")
def confirm_post(token: str):
    form = ActionForm()
    if not form.validate_on_submit():
        fail(400, _("The form has expired. Open the link again."))
    try:
        user, outcome = service.confirm(session=get_session(), token=token)
    except EmailTaken as error:
        fail(409, str(error.message))
    except AccountError as error:
        return _token_problem(error)
    messages = {
        "confirmed": _("Thank you, your e-mail address is confirmed."),
        "already_confirmed": _("Your e-mail address is already confirmed."),
        "email_changed": _("Your new e-mail address %(email)s is confirmed.", email=user.email),
    }
    next_page = "accounts.settings" if current_user.is_authenticated else "accounts.login"
    return finish(url_for(next_page), message=messages[outcome])


def _token_problem(error: AccountError, *, purpose: str = "confirm"):
    """A link that cannot be used; ``purpose`` ("confirm" or "reset") decides what is offered
    instead, so a used password link never talks about confirming an address."""
    return render(
        "accounts/token_problem.html",
        "accounts/_token_problem.html",
        status=error.status,
        message=str(error.message),
        expired=isinstance(error, ExpiredToken),
        purpose=purpose,
    )


@bp.post("/confirm/resend")
@requires(SIGNED_IN)
@limiter.limit(lambda: current_app.config["RATELIMIT_CONFIRM_MAIL"])
@limiter.limit(lambda: current_app.config["RATELIMIT_CONFIRM_MAIL"], key_func=user_key)
def resend_confirmation():
    form = ActionForm()
    if not form.validate_on_submit():
        fail(400, _("The form has expired. Reload the page and try again."))
    try:
        service.send_confirmation(session=get_session(), actor=me())
    except AlreadyConfirmed as error:
        message, category = str(error.message), "info"
    else:
        message = _("We sent a new confirmation link to %(email)s.", email=current_user.email)
        category = "success"
    # htmx swaps in the notice with the message; a browser reads it (as info when nothing was
    # sent) on the page it goes back to
    if not wants_fragment():
        flash(message, category)
    return finish(
        redirect_target(request.form.get("next")) or url_for("site.home"),
        fragment="accounts/_confirm_notice.html",
        sent_message=message,
    )


# --- login and logout --------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN_ACCOUNT"],
    methods=["POST"],
    key_func=form_email_key,
    deduct_when=failed,
)
def login():
    form = LoginForm()
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(redirect_target(request.args.get("next")) or url_for("site.home"))
        form.next.data = redirect_target(request.args.get("next")) or ""
    if form.validate_on_submit():
        try:
            user = login_service.authenticate(
                session=get_session(), email=form.email.data, password=form.password.data
            )
        except AccountError as error:
            show_on_form(form, error)
        else:
            sign_in(user, remember=form.remember.data)
            first = login_service.record_login(session=get_session(), user=user)
            with in_language(user.locale):  # the next page is in the member's language
                greeting = (
                    _("Welcome to the forum, %(name)s.", name=user.display_name)
                    if first
                    else _("Welcome back, %(name)s.", name=user.display_name)
                )
            # finish commits the login's moment (and a password hash that was upgraded)
            return finish(redirect_target(form.next.data) or url_for("site.home"), message=greeting)
    status = 422 if request.method == "POST" else 200
    return render("accounts/login.html", "accounts/_login_form.html", status=status, form=form)


@bp.post("/logout")
def logout():
    form = ActionForm()
    if not form.validate_on_submit():
        fail(400, _("The form has expired. Reload the page and try again."))
    sign_out()
    return finish(url_for("site.home"), message=_("You are logged out."))


# --- password reset ----------------------------------------------------------------------------


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_RESET"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_RESET_ACCOUNT"], methods=["POST"], key_func=form_email_key
)
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        login_service.request_reset(session=get_session(), email=form.email.data)
        return finish(
            url_for("accounts.login"),
            message=_(
                "If an account uses %(email)s, we have sent it a link to choose a new password. "
                "The link is valid for one hour.",
                email=form.email.data,
            ),
        )
    status = 422 if request.method == "POST" else 200
    return render(
        "accounts/reset_request.html", "accounts/_reset_request_form.html", status=status, form=form
    )


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = login_service.check_reset_token(session=get_session(), token=token)
    except AccountError as error:
        return _token_problem(error, purpose="reset")
    form = ResetPasswordForm(account_email=user.email)
    if form.validate_on_submit():
        try:
            login_service.reset_password(
                session=get_session(), token=token, password=form.password.data
            )
        except AccountError as error:
            show_on_form(form, error)
        else:
            sign_out()
            return finish(
                url_for("accounts.login"),
                message=_(
                    "Your new password is set and you are logged out everywhere. "
                    "Log in with the new password."
                ),
            )
    status = 422 if request.method == "POST" else 200
    return render(
        "accounts/reset_password.html",
        "accounts/_reset_password_form.html",
        status=status,
        form=form,
        token=token,
    )


@bp.get("/terms")
def terms():
    return render("accounts/terms.html", "accounts/_terms.html")


from . import (  # noqa: E402,F401  (routes on this bp)
    admin_jobs,
    member_views,
    profile_views,
    settings_views,
)
