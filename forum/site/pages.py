"""The pages every public service owes its readers, linked from every page's footer: what the
forum is (/about), how it handles personal data (/privacy) and how accessible it is
(/accessibility), with a form to report a barrier that lands in the moderation queue.

The prose is in one template per language (``templates/site/pages/<page>_<lang>.html``): long
text reads and is kept better as whole paragraphs than as a hundred catalogue entries. What
varies with the installation (who runs it, how long things are kept) comes from the configuration.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..config import publisher_of
from ..db import get_session
from ..domain import InvalidInput
from ..extensions import CreationLimit
from ..i18n import current_language
from ..moderation.barriers import file_barrier_report
from ..web import finish, is_safe_redirect, render, show_on_form
from .forms import BarrierForm
from .views import bp

# The date this statement's assessment was last made; change it with the statement.
STATEMENT_REVIEWED = date(2026, 12, 1)


def _page(name: str, title: str, *, status: int = 200, fragment: str | None = None, **context):
    return render(
        "site/page.html",
        fragment,
        status=status,
        title=title,
        body=f"site/pages/{name}_{current_language()}.html",
        operator=publisher_of(current_app.config),
        **context,
    )


@bp.get("/about")
def about():
    return _page("about", _("About the forum"))


@bp.get("/privacy")
def privacy():
    config = current_app.config
    return _page(
        "privacy",
        _("Privacy notice"),
        login_days=int(config["REMEMBER_COOKIE_DURATION"]) // (24 * 3600),
        answers_days=int(config["EVENT_ANSWERS_RETENTION_DAYS"]),
    )


@bp.get("/accessibility")
def accessibility():
    return _accessibility_page(BarrierForm(formdata=None, page=_came_from()))


def _came_from() -> str:
    """The forum's page the visitor followed the footer link from: most likely where the
    barrier is, so the form starts with it (they may change it)."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or referrer.path == url_for("site.accessibility"):
        return ""
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return path if is_safe_redirect(path) else ""


def _accessibility_page(form: BarrierForm, status: int = 200):
    return _page(
        "accessibility",
        _("Accessibility statement"),
        status=status,
        fragment="site/_barrier_form.html" if status != 200 else None,
        reviewed=STATEMENT_REVIEWED,
        form=form,
    )


# Only a report that was filed counts: a form sent back with errors costs nothing, so a visitor
# who struggles with the form (perhaps the very barrier they report) is not locked out by it.
barrier_limit = CreationLimit(
    lambda: current_app.config["BARRIER_REPORT_LIMIT"], scope="barrier-report"
)


@bp.post("/accessibility/report")
@barrier_limit
def report_barrier():
    form = BarrierForm()
    if form.validate_on_submit():
        try:
            file_barrier_report(
                session=get_session(),
                actor=current_user,
                page=form.page.data or "",
                description=form.description.data,
                contact_email=form.email.data,
            )
        except InvalidInput as error:
            get_session().rollback()
            show_on_form(form, error)
        else:
            barrier_limit.mark_created()
            return finish(
                url_for("site.accessibility", _anchor="report-barrier"),
                message=_("Thank you. The moderators will look at what you reported."),
                fragment="site/_barrier_form.html",
                form=BarrierForm(formdata=None),
                sent=True,
            )
    return _accessibility_page(form, status=422)
