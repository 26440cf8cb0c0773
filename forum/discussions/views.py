"""Theme lists, thread pages and starting threads. Posting actions live in ``post_views``."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from ..db import get_session
from ..events import Contributions
from ..i18n import localized
from ..language import choose_language
from ..markup import plain_text, render_markdown
from ..web import fail, register_template_globals, render, wants_fragment
from . import queries, service
from .forms import ReplyForm, ThreadForm
from .loaders import (
    TEMPLATE_HELPERS,
    fail_for,
    get_theme_or_404,
    get_thread_or_404,
    mark_posted,
    page_arg,
    posting_rate_limit,
    require_participant,
    thread_url,
)
from .models import Post, Thread

bp = Blueprint("discussions", __name__)

#: The choices of the new-thread form's fields that a higher area owns (the "Project" field):
#: provider(*, session) -> {field name: choices}
new_thread_form = Contributions("new thread form")
#: What a higher area does with its fields of the new-thread form once the thread exists, in the
#: same transaction: provider(*, session, actor, thread, form) -> {}
thread_started = Contributions("thread started")


@bp.record_once
def _register_template_helpers(state) -> None:
    """Globals (not a context processor) so that imported macros see them too."""
    register_template_globals(state.app, "discussions", TEMPLATE_HELPERS)


# --- theme page ---------------------------------------------------------------------------------
def _filters_from_args() -> queries.ThreadFilters:
    args = request.args
    filters = queries.ThreadFilters()
    sdg = args.get("sdg", "")
    if sdg:
        if not sdg.isdigit() or not 1 <= int(sdg) <= 17:
            fail(400, _("Choose a goal between 1 and 17."))
        filters.goal = int(sdg)
    language = args.get("language", "")
    if language:
        if language not in ("sv", "en"):
            fail(400, _("Choose Swedish or English."))
        filters.language = language
    solved = args.get("solved", "")
    if solved:
        if solved not in ("yes", "no"):
            fail(400, _("Choose solved or unsolved."))
        filters.solved = solved == "yes"
    sort = args.get("sort", "") or "activity"
    if sort not in queries.SORTS:
        fail(400, _("Choose how to sort the threads."))
    filters.sort = sort
    return filters


@bp.get("/t/<slug>")
def theme_page(slug: str):
    theme = get_theme_or_404(slug)
    filters = _filters_from_args()
    page = page_arg()
    listing = queries.list_threads(session=get_session(), theme=theme, filters=filters, page=page)
    if page > listing.pages:
        fail(
            404, _("This page does not exist: the list has %(pages)d page(s).", pages=listing.pages)
        )
    return render(
        "discussions/theme.html",
        "discussions/_thread_rows.html",
        theme=theme,
        listing=listing,
        filters=filters,
        goals=queries.all_goals(get_session()),
    )


# --- thread page --------------------------------------------------------------------------------
def _redirect_merged(thread_id: int):
    """A thread merged away by moderation leads to the one that took its posts."""
    try:
        from ..moderation.models import ThreadRedirect
    except ImportError:  # pragma: no cover - moderation not installed
        return None
    link = get_session().get(ThreadRedirect, thread_id)
    target = get_session().get(Thread, link.new_thread_id) if link else None
    return redirect(thread_url(target), 301) if target is not None else None


def quote_text(post: Post, author) -> str:
    name = (
        author.display_name
        if author is not None and author.deleted_at is None
        else _("Deleted user")
    )
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    return f"> **{name}** ([#{post.id}](/posts/{post.id})):\n{quoted}\n\n"


def thread_context(
    thread: Thread, *, page: int, form: ReplyForm | None = None, quote_id: str | None = None
) -> dict:
    session = get_session()
    view = queries.thread_view(session=session, thread=thread, viewer=current_user, page=page)
    if page > view.pages:
        fail(
            404, _("This page does not exist: the thread has %(pages)d page(s).", pages=view.pages)
        )
    form = form or ReplyForm()
    if quote_id and quote_id.isdigit() and not form.body.data:
        quoted = session.get(Post, int(quote_id))
        if quoted is not None and quoted.thread_id == thread.id and quoted.is_visible:
            author = queries.users_by_id(session, [quoted.author_id]).get(quoted.author_id)
            form.body.data = quote_text(quoted, author)
    return {"view": view, "thread": thread, "form": form}


@bp.get("/threads/<int:thread_id>-<slug>")
@bp.get("/threads/<int:thread_id>")
def thread_page(thread_id: int, slug: str | None = None):
    thread = get_session().get(Thread, thread_id)
    if thread is None:
        moved = _redirect_merged(thread_id)
        if moved is not None:
            return moved
    thread = get_thread_or_404(thread_id)
    if slug != thread.slug:
        query = urlencode(
            list(request.args.items(multi=True))
        )  # as sent: never url_for's own keywords
        return redirect(thread_url(thread) + (f"?{query}" if query else ""), 301)
    context = thread_context(thread, page=page_arg(), quote_id=request.args.get("quote"))
    return render("discussions/thread.html", "discussions/_post_list.html", **context)


# --- new thread ---------------------------------------------------------------------------------
def _thread_form(theme_slug: str | None = None) -> ThreadForm:
    session = get_session()
    form = ThreadForm()
    themes = queries.all_themes(session)
    form.theme.choices = [SelectChoice(t.slug, localized(t, "name")) for t in themes]
    form.goals.choices = [
        SelectChoice(g.id, f"{g.number}. {localized(g, 'name')}")
        for g in queries.all_goals(session)
    ]
    for name, choices in new_thread_form.collect(session=session).items():
        form[name].choices = choices
    if request.method == "GET" and theme_slug:
        form.theme.data = theme_slug
    return form


def _render_thread_form(
    form: ThreadForm, *, status: int = 200, preview: str | None = None, detected=None
):
    return render(
        "discussions/new_thread.html",
        "discussions/_thread_form.html",
        status=status,
        form=form,
        preview=preview,
        detected=detected,
        error=None,
    )


@bp.get("/t/<slug>/new")
def new_thread_in_theme(slug: str):
    theme = get_theme_or_404(slug)
    return redirect(url_for("discussions.new_thread", theme=theme.slug))


@bp.route("/threads/new", methods=["GET", "POST"])
@posting_rate_limit
def new_thread():
    denied = require_participant()
    if denied is not None:
        return denied
    form = _thread_form(request.args.get("theme"))
    if request.method == "GET":
        return _render_thread_form(form)
    if "preview" in request.form:
        form.validate()
        body = form.body.data or ""
        return _render_thread_form(
            form,
            preview=render_markdown(body),
            detected=choose_language(f"{form.title.data or ''}\n{body}"),
        )
    if not form.validate_on_submit():
        return _render_thread_form(form, status=422)
    session = get_session()
    theme = get_theme_or_404(form.theme.data)
    key = form.submission_key.data or None
    created = service.find_submission(session=session, submission_key=key) is None
    try:
        thread = service.create_thread(
            session=session,
            actor=current_user,
            theme=theme,
            title=form.title.data,
            body=form.body.data,
            language=form.language.data or None,
            goal_ids=form.goals.data,
            submission_key=key,
        )
        if created:
            thread_started.collect(session=session, actor=current_user, thread=thread, form=form)
        session.commit()
    except service.InvalidContent as error:
        session.rollback()
        form.body.errors = list(form.body.errors) + [str(error.message)]
        return _render_thread_form(form, status=422)
    except service.DiscussionError as error:
        session.rollback()
        fail_for(error)
    except IntegrityError:  # the same form submitted twice at the same moment
        session.rollback()
        existing = service.find_submission(session=session, submission_key=key)
        if existing is None:
            raise
        thread, created = session.get(Thread, existing.thread_id), False
    if created:
        mark_posted()
    return redirect(thread_url(thread), 303)


@bp.post("/threads/preview")
def preview():
    """htmx: the rendered Markdown and detected language of the text being written."""
    denied = require_participant()
    if denied is not None:
        return denied
    body = request.form.get("body", "")[: service.BODY_MAX]
    title = request.form.get("title", "")[: service.TITLE_MAX]
    if not wants_fragment():
        abort(400)
    return render(
        "discussions/_preview.html",
        "discussions/_preview.html",
        preview=render_markdown(body),
        detected=choose_language(f"{title}\n{body}"),
        excerpt=plain_text(body, 80),
    )


# Registers the posting routes on ``bp``.
from . import post_views  # noqa: E402,F401
