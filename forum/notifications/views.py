"""/notifications, marking read, the watch control of every watchable page, the watching list,
the defaults and mail sections of /settings, and the unsubscribe page of every notification mail.

Every control is a plain form (POST, CSRF, 303 back); with htmx the answer is the control or the
list itself, swapped in place, and a live region says what changed.
"""

from __future__ import annotations

from flask import Blueprint, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.tokens import TokenError
from ..db import get_session
from ..domain import DomainError
from ..extensions import csrf
from ..permissions import SIGNED_IN
from ..search.saved import normalised_query
from ..web import (
    fail,
    finish,
    is_safe_redirect,
    page_arg,
    register_template_globals,
    render,
    requires,
    wants_fragment,
)
from ..web.inputs import PAGE_MAX, whole_number
from . import export, preferences, queries, service  # noqa: F401  (export: its data export)
from .forms import LEVEL_LABELS, DefaultsForm, MailForm, ReadForm, WatchForm
from .kinds import GROUP_LABELS

bp = Blueprint("notifications", __name__)


@bp.record_once
def _template_globals(state):
    register_template_globals(
        state.app,
        "notifications",
        {
            "unread_notification_count": unread_notification_count,
            "watch_control": watch_control,
            "watch_level": watch_level,
            "notification_defaults_form": _defaults_form,
            "notification_mail_form": _mail_form,
            "watch_level_labels": LEVEL_LABELS,
            "saved_search_key": lambda: normalised_query(request.args),
        },
    )


def unread_notification_count() -> int:
    """The header's badge: one indexed statement per request, only for signed-in members."""
    if not current_user.is_authenticated:
        return 0
    if "notifications_unread" not in g:
        g.notifications_unread = queries.unread_count(get_session(), current_user.id)
    return g.notifications_unread


def watch_level(target_type: str, target_key) -> str | None:
    return service.watch_level(
        session=get_session(), user=current_user, target_type=target_type, target_key=target_key
    )


def watch_control(
    target_type: str, target_key, form: WatchForm | None = None, *, level: str | None = ""
) -> dict:
    """The watch form of a page; ``level``: the member's level when the caller has read it."""
    if level == "":
        level = watch_level(target_type, target_key)
    if form is None:
        form = WatchForm(
            formdata=None,
            target_type=target_type,
            target_key=str(target_key),
            next=request.full_path.rstrip("?") if request.method == "GET" else "",
            level=level or "",
        )
    return {"form": form, "level": level}


def _defaults_form() -> DefaultsForm:
    defaults = service.defaults_of(session=get_session(), user_id=current_user.id)
    return DefaultsForm(formdata=None, threads=defaults.threads, lessons=defaults.lessons)


# --- the list -----------------------------------------------------------------------------------
def _list_context(page: int) -> dict:
    listing = queries.notification_page(get_session(), current_user, page)
    return {"listing": listing, "read_form": ReadForm(formdata=None, page=str(listing.page))}


@bp.get("/notifications")
@requires(SIGNED_IN)
def notifications_page():
    return render(
        "notifications/notifications.html",
        "notifications/_list.html",
        **_list_context(page_arg()),
    )


def _posted_page() -> int:
    return whole_number(request.form.get("page", "1"), low=1, high=PAGE_MAX) or 1


def _own(notification_id: int):
    try:
        return service.get_own(
            session=get_session(), actor=current_user, notification_id=notification_id
        )
    except DomainError:
        fail(404, _("This notification does not exist."))


def _after_marking(message: str):
    page = _posted_page()
    return finish(
        url_for("notifications.notifications_page", page=page if page > 1 else None),
        message=message,
        fragment="notifications/_list.html",
        **(_list_context(page) if wants_fragment() else {}),
        refresh_count=True,
    )


@bp.post("/notifications/<int:notification_id>/read")
@requires(SIGNED_IN)
def mark_read(notification_id: int):
    notification = _own(notification_id)
    service.mark_read(session=get_session(), actor=current_user, notification=notification)
    return _after_marking(_("Marked as read."))


@bp.post("/notifications/read")
@requires(SIGNED_IN)
def mark_all_read():
    service.mark_all_read(session=get_session(), actor=current_user)
    return _after_marking(_("All notifications are marked as read."))


@bp.post("/notifications/<int:notification_id>/open")
@requires(SIGNED_IN)
def open_notification(notification_id: int):
    """Opening one marks it (and its group) read and leads to what it is about."""
    session = get_session()
    notification = _own(notification_id)
    service.mark_read(session=session, actor=current_user, notification=notification)
    target = queries.target_of(session, notification)
    if target is None:
        return finish(
            url_for("notifications.notifications_page"),
            message=_("What this notification was about is no longer there."),
        )
    return finish(target)


# --- watching -----------------------------------------------------------------------------------
def _watch_message(level: str | None) -> str:
    if level == service.WATCHING:
        return _("You are watching this now: you will be told about everything new.")
    if level == service.TRACKING:
        return _("You are tracking this now: you will be told about mentions and replies to you.")
    if level == service.MUTED:
        return _("You muted this: you will not be told about it.")
    return _("You are not watching this any more.")


@bp.post("/watch")
@requires(SIGNED_IN)
def watch():
    form = WatchForm()
    back = form.next.data if is_safe_redirect(form.next.data) else url_for("site.home")
    if not form.validate_on_submit():
        fail(400, _("Choose how closely to follow it."))
    level = form.level.data or None
    service.set_watch(
        session=get_session(),
        actor=current_user,
        target_type=form.target_type.data,
        target_key=form.target_key.data,
        level=level,
    )
    message = _watch_message(level)
    fresh = WatchForm(
        formdata=None,
        target_type=form.target_type.data,
        target_key=form.target_key.data,
        next=form.next.data,
        level=level or "",
    )
    return finish(
        back,
        message=message,
        fragment="notifications/_watch_form.html",
        control={"form": fresh, "level": level},
        target_type=form.target_type.data,
        target_key=form.target_key.data,
    )


@bp.get("/notifications/watching")
@requires(SIGNED_IN)
def watching_page():
    return render(
        "notifications/watching.html",
        items=queries.watched_items(get_session(), current_user),
        defaults_form=_defaults_form(),
    )


@bp.post("/notifications/defaults")
@requires(SIGNED_IN)
def save_defaults():
    form = DefaultsForm()  # two tick boxes: nothing to refuse (the CSRF token is checked first)
    service.save_defaults(
        session=get_session(),
        actor=current_user,
        threads=form.threads.data,
        lessons=form.lessons.data,
    )
    return finish(
        url_for("accounts.settings", _anchor="settings-notifications"),
        message=_("Your notification settings are saved."),
        fragment="notifications/_settings.html",
        defaults_form=DefaultsForm(
            formdata=None, threads=form.threads.data, lessons=form.lessons.data
        ),
    )


# --- mail ---------------------------------------------------------------------------------------
def _mail_form(user=None) -> MailForm:
    user = user or current_user
    return MailForm(formdata=None, **preferences.frequencies_of(get_session(), user.id))


@bp.post("/notifications/mail")
@requires(SIGNED_IN)
def save_mail_choices():
    form = MailForm()
    if not form.validate_on_submit():
        fail(400, _("Choose how often to get these by mail."))
    choices = {field.name: field.data for field in form.groups(current_user)}
    preferences.save_choices(session=get_session(), actor=current_user, choices=choices)
    return finish(
        url_for("accounts.settings", _anchor="settings-mail"),
        message=_("Your mail settings are saved."),
        fragment="notifications/_mail_settings.html",
        mail_form=form,
    )


def _token_member(token: str):
    try:
        return preferences.read_unsubscribe_token(get_session(), token)
    except TokenError:
        fail(404, _("This unsubscribe link is not valid any more. Sign in to choose your mail."))


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """The footer link of every notification mail: the member's choices, without signing in."""
    user, groups = _token_member(token)
    return render(
        "notifications/unsubscribe.html",
        token=token,
        member=user,
        groups=[GROUP_LABELS[g] for g in groups],
        mail_form=_mail_form(user),
    )


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # RFC 8058: a mail program posts here with neither session nor CSRF token
def unsubscribe_one_click(token: str):
    """One click (``List-Unsubscribe-Post``): the groups the link names are never mailed."""
    user, groups = _token_member(token)
    preferences.unsubscribe(session=get_session(), token=token)
    get_session().commit()
    return render(
        "notifications/unsubscribed.html",
        token=token,
        groups=[GROUP_LABELS[g] for g in groups],
    )


@bp.post("/unsubscribe/<token>/choices")
def unsubscribe_choices(token: str):
    """The unsubscribe page's form (with its CSRF token, like every form of a page)."""
    user, _groups = _token_member(token)
    form = MailForm()
    if not form.validate_on_submit():
        fail(400, _("Choose how often to get these by mail."))
    preferences.set_frequencies(
        session=get_session(),
        user_id=user.id,
        choices={field.name: field.data for field in form.groups(user)},
    )
    return finish(
        url_for("notifications.unsubscribe_page", token=token),
        message=_("Your mail settings are saved."),
    )
