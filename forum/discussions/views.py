"""Theme lists, thread pages and starting threads.

Replies, edits and revisions live in ``post_views``, one-button actions (delete, useful, solution)
in ``action_views``; all register on the one ``discussions`` blueprint.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from ..accounts.handles import mention_links
from ..core import queries as core_queries
from ..db import get_session
from ..i18n import localized
from ..language import choose_language
from ..markup import render_markdown
from ..permissions import PARTICIPANT
from ..web import (
    announce,
    fail,
    finish,
    page_arg,
    register_template_globals,
    render,
    requires,
    show_on_form,
    wants_fragment,
)
from ..web.inputs import whole_number
from ..web.previews import Preview, render_preview
from . import queries, service
from .contributions import new_thread_form
from .errors import InvalidContent
from .forms import ReplyForm, ThreadForm, blank_reply_form
from .limits import posting_rate_limit
from .loaders import get_theme_or_404, load_visible_thread
from .models import Post, Thread
from .presentation import TEMPLATE_HELPERS, post_url, thread_url

bp = Blueprint("discussions", __name__)


@bp.record_once
def _register_template_helpers(state) -> None:
    """Globals (not a context processor) so that imported macros see them too."""
    register_template_globals(
        state.app, "discussions", {**TEMPLATE_HELPERS, "blank_reply_form": blank_reply_form}
    )


# --- theme page ---------------------------------------------------------------------------------
def thread_filters() -> queries.ThreadFilters:
    """The filters of a theme page's query string (400 with a message for a bad one)."""
    args = request.args
    filters = queries.ThreadFilters()
    sdg = args.get("sdg", "")
    if sdg:
        filters.goal = whole_number(sdg, low=1, high=17)
        if filters.goal is None:
            fail(400, _("Choose a goal between 1 and 17."))
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
    filters = thread_filters()
    page, from_first = _pages_shown()
    listing = queries.list_threads(
        session=get_session(), theme=theme, filters=filters, page=page, from_first=from_first
    )
    if listing.page > listing.pages:
        fail(
            404, _("This page does not exist: the list has %(pages)d page(s).", pages=listing.pages)
        )
    response = render(
        "discussions/theme.html",
        "discussions/_thread_rows.html",
        theme=theme,
        listing=listing,
        filters=filters,
        goals=core_queries.all_goals(get_session()),
    )
    count = len(listing.threads)
    return announce(
        response, ngettext("%(num)d more thread shown", "%(num)d more threads shown", count)
    )


# "Load more" puts ?shown=N in the address (hx-replace-url), so that coming Back to the list, even
# when htmx's copy of the page is gone, shows the N pages that were loaded rather than the first.
MAX_PAGES_SHOWN = 20


def _pages_shown() -> tuple[int, bool]:
    """The page to list and whether the pages before it come along (``?shown=N``)."""
    raw = request.args.get("shown")
    if raw is None:
        return page_arg(), False
    shown = whole_number(raw, low=1, high=MAX_PAGES_SHOWN)
    if shown is None:
        fail(400, _("Up to %(most)d pages can be shown at once.", most=MAX_PAGES_SHOWN))
    return shown, True


# --- thread page --------------------------------------------------------------------------------
def quote_text(post: Post, author) -> str:
    name = (
        author.display_name
        if author is not None and author.deleted_at is None
        else _("Deleted user")
    )
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    number = queries.post_number(session=get_session(), post=post)
    return f"> **{name}** ([#{number}]({post_url(post)})):\n{quoted}\n\n"


def thread_context(
    thread: Thread, *, page: int, form: ReplyForm | None = None, quote_id: str | None = None
) -> dict:
    session = get_session()
    view = queries.thread_view(session=session, thread=thread, viewer=current_user, page=page)
    if page > view.pages:
        fail(
            404, _("This page does not exist: the thread has %(pages)d page(s).", pages=view.pages)
        )
    quote_id = whole_number(quote_id)
    if quote_id is not None and form is None:
        quoted = session.get(Post, quote_id)
        if quoted is not None and quoted.thread_id == thread.id and quoted.is_visible:
            author = queries.users_by_id(session, [quoted.author_id]).get(quoted.author_id)
            form = ReplyForm()
            form.body.data = quote_text(quoted, author)
    # No form: the reply section shows the empty one, cached (``_reply_section.html``).
    return {"view": view, "thread": thread, "form": form}


@bp.get("/threads/<int:thread_id>-<slug>")
@bp.get("/threads/<int:thread_id>")
def thread_page(thread_id: int, slug: str | None = None):
    session = get_session()
    # Held here: the session's identity map keeps objects weakly, and the loader below would
    # otherwise read the thread a second time.
    found = session.get(Thread, thread_id)
    if found is None:
        merged_into = queries.thread_merged_into(session, thread_id)
        if merged_into is not None:  # moderation merged it: its posts live on over there
            return redirect(thread_url(merged_into), 301)
    thread = load_visible_thread(thread_id)["thread"]
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
    themes = core_queries.all_themes(session)
    form.theme.choices = [SelectChoice(t.slug, localized(t, "name")) for t in themes]
    form.goals.choices = [
        SelectChoice(g.id, f"{g.number}. {localized(g, 'name')}")
        for g in core_queries.all_goals(session)
    ]
    for name, choices in new_thread_form.collect(session=session).items():
        form[name].choices = choices
    if request.method == "GET" and theme_slug:
        form.theme.data = theme_slug
    return form


def _render_thread_form(
    form: ThreadForm, *, status: int = 200, preview: Preview | None = None, detected=None
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


def _preview_of(body: str) -> Preview:
    links = mention_links(get_session())
    return render_preview(
        {"body": body},
        lambda text, name, budget: render_markdown(text, mentions=links, budget=budget),
    )


@bp.get("/t/<slug>/new")
def new_thread_in_theme(slug: str):
    theme = get_theme_or_404(slug)
    return redirect(url_for("discussions.new_thread", theme=theme.slug))


def submitted_once(submit):
    """Run ``submit()``, the service call of a form with a submission key.

    When the same form is sent twice at the same moment, the database refuses the second post
    (the key is unique): after a rollback, the same call finds the first one and returns it.
    """
    try:
        return submit()
    except IntegrityError:
        get_session().rollback()
        return submit()


@bp.route("/threads/new", methods=["GET", "POST"])
@posting_rate_limit
@requires(PARTICIPANT)
def new_thread():
    form = _thread_form(request.args.get("theme"))
    if request.method == "GET":
        return _render_thread_form(form)
    if "preview" in request.form:
        form.validate()
        body = form.body.data or ""
        shown = _preview_of(body)
        return _render_thread_form(
            form,
            status=shown.status,
            preview=shown,
            detected=choose_language(f"{form.title.data or ''}\n{body}"),
        )
    if not form.validate_on_submit():
        return _render_thread_form(form, status=422)
    session = get_session()
    theme = get_theme_or_404(form.theme.data)
    key = form.submission_key.data or None
    try:
        thread = submitted_once(
            lambda: service.create_thread(
                session=session,
                actor=current_user,
                theme=theme,
                title=form.title.data,
                body=form.body.data,
                language=form.language.data or None,
                goal_ids=form.goals.data,
                project_id=int(form.project.data) if form.project.data else None,
                submission_key=key,
            )
        )
    except InvalidContent as error:
        show_on_form(form, error)
        return _render_thread_form(form, status=422)
    return finish(thread_url(thread))


@bp.post("/threads/preview")
@requires(PARTICIPANT)
def preview():
    """htmx: the rendered Markdown and detected language of the text being written."""
    body = request.form.get("body", "")[: service.BODY_MAX]
    title = request.form.get("title", "")[: service.TITLE_MAX]
    if not wants_fragment():
        abort(400)
    shown = _preview_of(body)
    return render(
        "discussions/_preview.html",
        status=shown.status,
        preview=shown,
        detected=choose_language(f"{title}\n{body}"),
    )


# The other routes of ``bp``.
from . import action_views, post_views  # noqa: E402,F401
