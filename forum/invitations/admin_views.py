"""The admins' invitations (``/admin/invitations``): write, preview, send; the state of each."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import permissions
from ..accounts.forms import ActionForm
from ..db import get_session
from ..domain import DomainError, NotFound
from ..markup import render_markdown
from ..permissions import Rule
from ..web import fail, finish, render, requires, show_on_form, wants_fragment
from ..web.previews import Preview, render_preview
from . import queries, sending, service
from .forms import BODY_MAX, InvitationForm
from .models import DRAFT, Invitation
from .views import bp

SENDS_INVITATIONS = Rule(
    permissions.can_manage_users, _l("Only administrators can write invitations.")
)


def load_invitation(invitation_id: int) -> dict:
    invitation = get_session().get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound()
    return {"invitation": invitation}


@bp.get("/admin/invitations")
@requires(SENDS_INVITATIONS)
def admin_list():
    rows, subscribers = queries.admin_list(get_session())
    return render("invitations/admin_list.html", rows=rows, subscribers=subscribers)


@bp.route("/admin/invitations/new", methods=["GET", "POST"])
@requires(SENDS_INVITATIONS)
def admin_new():
    return _edit(InvitationForm(), None)


@bp.route("/admin/invitations/<int:invitation_id>/edit", methods=["GET", "POST"])
@requires(SENDS_INVITATIONS, load=load_invitation)
def admin_edit(invitation_id: int, invitation: Invitation):
    if invitation.state != DRAFT:
        fail(409, str(service.NotADraft.default_message))
    return _edit(InvitationForm(obj=invitation), invitation)


def _edit(form: InvitationForm, invitation: Invitation | None):
    if request.method == "POST" and "preview" in request.form:
        form.validate()
        shown = _previews(form.body_sv.data, form.body_en.data)
        return _form_page(form, invitation, status=shown.status, previews=shown)
    if not form.validate_on_submit():
        return _form_page(form, invitation, status=422 if request.method == "POST" else 200)
    texts = {name: form[name].data for name in ("subject_sv", "body_sv", "subject_en", "body_en")}
    try:
        if invitation is None:
            invitation = service.create_invitation(
                session=get_session(), actor=current_user, **texts
            )
        else:
            service.update_invitation(session=get_session(), invitation=invitation, **texts)
    except DomainError as error:
        get_session().rollback()
        show_on_form(form, error)
        return _form_page(form, invitation, status=error.status)
    return finish(url_for("invitations.admin_list"), message=_("The invitation is saved."))


def _previews(body_sv: str | None, body_en: str | None) -> Preview:
    texts = {"sv": (body_sv or "")[:BODY_MAX]}
    if (body_en or "").strip():
        texts["en"] = body_en[:BODY_MAX]
    return render_preview(
        texts, lambda text, name, budget: render_markdown(text, field=f"body_{name}", budget=budget)
    )


def _form_page(form, invitation, *, status: int = 200, previews: dict | None = None):
    return render(
        "invitations/admin_edit.html",
        status=status,
        form=form,
        invitation=invitation,
        previews=previews,
    )


@bp.post("/admin/invitations/preview")
@requires(SENDS_INVITATIONS)
def admin_preview():
    """htmx: the rendered Markdown of both texts while they are written."""
    if not wants_fragment():
        abort(400)
    shown = _previews(request.form.get("body_sv"), request.form.get("body_en"))
    return render("invitations/_preview.html", status=shown.status, previews=shown)


@bp.route("/admin/invitations/<int:invitation_id>/send", methods=["GET", "POST"])
@requires(SENDS_INVITATIONS, load=load_invitation)
def admin_send(invitation_id: int, invitation: Invitation):
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            count = sending.start_sending(session=get_session(), invitation=invitation)
        except DomainError as error:
            fail(error.status, str(error.message))
        return finish(
            url_for("invitations.admin_list"),
            message=_("Sending to %(count)d addresses has started.", count=count),
        )
    if invitation.state != DRAFT:
        fail(409, str(service.NotADraft.default_message))
    return render(
        "invitations/admin_send.html",
        status=400 if request.method == "POST" else 200,
        form=form,
        invitation=invitation,
        subscribers=queries.subscriber_count(get_session()),
    )
