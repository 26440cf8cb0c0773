"""``/settings``: profile, handle, language, e-mail, password; ``Download my data``; ``Delete my
account``.

Each section is its own form posting to its own URL. A plain browser gets a 303 back to
``/settings``; an htmx request (the sections use ``hx-post``) gets the section fragment back.
"""

from __future__ import annotations

import json

from flask import current_app, make_response, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_session
from ..markup import MarkupTooComplex
from ..permissions import SIGNED_IN
from ..web import accepts_uploads, fail, finish, redirect_target, render, requires, show_on_form
from . import handles, logins, pictures, privacy
from . import settings as settings_service
from .errors import AccountError
from .forms import (
    ActionForm,
    DeleteAccountForm,
    EmailChangeForm,
    HandleForm,
    LanguageForm,
    PasswordChangeForm,
    PictureForm,
    ProfileForm,
)
from .session import sign_in, sign_out
from .views import bp, me

SECTIONS = ("profile", "picture", "handle", "language", "email", "password")


def _forms(**given) -> dict:
    """Every settings form, prefilled from the account, except those given (posted) ones."""
    user = current_user
    forms = {
        "profile": given.get("profile")
        or ProfileForm(
            formdata=None,
            display_name=user.display_name,
            organisation=user.organisation or "",
            actor_type=user.actor_type.value,
            bio=user.bio,
        ),
        "picture": given.get("picture") or PictureForm(formdata=None),
        "handle": given.get("handle") or HandleForm(formdata=None),
        "language": given.get("language") or LanguageForm(formdata=None, locale=user.locale),
        "email": given.get("email") or EmailChangeForm(formdata=None),
        "password": given.get("password") or PasswordChangeForm(formdata=None),
    }
    return forms


def _context(section: str | None = None, done: str | None = None, **given) -> dict:
    return {
        "forms": _forms(**given),
        "done": {section: done} if section and done else {},
        "resend_form": ActionForm(),
        "logout_everywhere_form": ActionForm(),
        "login_count": logins.count_logins(session=get_session(), user=me()),
    }


def _settings_page(status: int = 200, section: str | None = None, **given):
    fragment = f"accounts/_settings_{section}.html" if section else None
    return render("accounts/settings.html", fragment, status=status, **_context(section, **given))


def _section_url(section: str) -> str:
    return url_for("accounts.settings", _anchor=f"settings-{section}")


def _saved(section: str, message: str):
    """Success: the section fragment for htmx, else flash and 303 back to the section."""
    return finish(
        _section_url(section),
        message=message,
        fragment=f"accounts/_settings_{section}.html",
        **_context(section, message),
    )


@bp.get("/settings")
@requires(SIGNED_IN)
def settings():
    return _settings_page()


@bp.post("/settings/profile")
@requires(SIGNED_IN)
def settings_profile():
    form = ProfileForm()
    if form.validate_on_submit():
        try:
            settings_service.update_profile(
                session=get_session(),
                actor=me(),
                display_name=form.display_name.data,
                organisation=form.organisation.data,
                actor_type=form.actor_type.data,
                bio=form.bio.data,
            )
        except MarkupTooComplex as error:
            get_session().rollback()
            show_on_form(form, error)
        else:
            return _saved("profile", _("Your profile is saved."))
    return _settings_page(422, "profile", profile=form)


@bp.post("/settings/picture")
@requires(SIGNED_IN)
@accepts_uploads("PICTURE_REQUEST_MAX_MB")
def settings_picture():
    form = PictureForm()
    if form.validate_on_submit():
        upload = form.picture.data
        try:
            # read one byte past the limit: enough to refuse, never the whole of a larger file
            limit = current_app.config["PICTURE_MAX_MB"] * 1024 * 1024
            data = upload.read(limit + 1) if upload else b""
            pictures.set_picture(session=get_session(), actor=me(), data=data)
        except AccountError as error:
            show_on_form(form, error)
        else:
            return _saved("picture", _("Your picture is saved."))
    return _settings_page(422, "picture", picture=form)


@bp.post("/settings/picture/remove")
@requires(SIGNED_IN)
def settings_picture_remove():
    form = ActionForm()
    if not form.validate_on_submit():
        fail(400, _("The form has expired. Reload the page and try again."))
    pictures.remove_picture(session=get_session(), actor=me())
    return _saved("picture", _("Your picture is removed: your initials are shown instead."))


@bp.post("/settings/handle")
@requires(SIGNED_IN)
def settings_handle():
    form = HandleForm()
    if form.validate_on_submit():
        try:
            handles.change_handle(session=get_session(), actor=me(), handle=form.handle.data)
        except AccountError as error:
            show_on_form(form, error)
        else:
            return _saved("handle", _("Your handle is now @%(handle)s.", handle=me().handle))
    return _settings_page(422, "handle", handle=form)


@bp.post("/settings/language")
@requires(SIGNED_IN)
def settings_language():
    form = LanguageForm()
    if form.validate_on_submit():
        settings_service.set_language(
            session=get_session(),
            actor=me(),
            locale=form.locale.data,
            languages=tuple(current_app.config["LANGUAGES"]),
        )
        session["lang"] = form.locale.data
        # The header's language switch posts here too, naming the page to go back to. The whole
        # page changes language: always a full navigation, never a fragment.
        back = redirect_target(request.form.get("next"))
        return finish(back or _section_url("language"), message=_("Your language is saved."))
    return _settings_page(422, "language", language=form)


@bp.post("/settings/email")
@requires(SIGNED_IN)
def settings_email():
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            settings_service.change_email(
                session=get_session(),
                actor=me(),
                new_email=form.email.data,
                password=form.password.data,
            )
        except AccountError as error:
            show_on_form(form, error)
        else:
            return _saved(
                "email",
                _(
                    "We sent a confirmation link to %(email)s. Your address changes when you "
                    "open it.",
                    email=form.email.data,
                ),
            )
    return _settings_page(422, "email", email=form)


@bp.post("/settings/password")
@requires(SIGNED_IN)
def settings_password():
    form = PasswordChangeForm(account_email=current_user.email)
    if form.validate_on_submit():
        try:
            user = settings_service.change_password(
                session=get_session(),
                actor=me(),
                current_password=form.current_password.data,
                new_password=form.new_password.data,
            )
        except AccountError as error:
            show_on_form(form, error)
        else:
            remember = bool(
                request.cookies.get(
                    current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
                )
            )
            sign_in(user, remember=remember)  # every login ended: this one starts again
            return _saved(
                "password", _("Your password is changed. Other devices have been logged out.")
            )
    return _settings_page(422, "password", password=form)


@bp.post("/settings/logout-everywhere")
@requires(SIGNED_IN)
def settings_logout_everywhere():
    """Every login of this account ends, this one too: a lost phone, a shared computer."""
    form = ActionForm()
    if not form.validate_on_submit():
        fail(400, _("The form has expired. Reload the page and try again."))
    logins.end_all_logins(session=get_session(), user=me())
    sign_out()
    return finish(url_for("accounts.login"), message=_("You are logged out on every device."))


@bp.get("/settings/export")
@requires(SIGNED_IN)
def settings_export():
    data = privacy.export_data(session=get_session(), actor=me())
    response = make_response(json.dumps(data, ensure_ascii=False, indent=2))
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="tillsammans-forum-{current_user.id}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/settings/delete", methods=["GET", "POST"])
@requires(SIGNED_IN)
def settings_delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            privacy.delete_account(session=get_session(), actor=me(), password=form.password.data)
        except AccountError as error:
            show_on_form(form, error)
        else:
            sign_out()
            return finish(
                url_for("site.home"),
                message=_(
                    "Your account is deleted. "
                    "Your posts remain, shown as written by a deleted user."
                ),
            )
    status = 422 if request.method == "POST" else 200
    return render("accounts/delete.html", "accounts/_delete_form.html", status=status, form=form)
