"""Previews of text being written: each costs a rendering, so a member may ask for only so many
(``RATELIMIT_PREVIEW``, counted in the rate limiter's storage, shared by every worker), and text
over the rendering budget (``forum.markup``) is refused with the reason instead of a preview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse_many

from ..domain import DomainError
from ..extensions import limiter, user_or_address
from ..markup import MarkupTooComplex, RenderBudget


class TooManyPreviews(DomainError):
    status = 429
    default_message = _l(
        "You asked for many previews in a short time. Wait a minute and try again."
    )


@dataclass(frozen=True)
class Preview:
    """What a preview shows: the rendered HTML of each text, or the reason there is none
    (``refusal``, answered with ``status``)."""

    html: dict[str, str]
    refusal: str | None = None
    status: int = 200


def spend_preview() -> None:
    """Count one preview of the signed-in member (or address); ``TooManyPreviews`` over the
    limit. Like every limit, off with ``RATELIMIT_ENABLED`` and let through when the storage
    fails and ``RATELIMIT_SWALLOW_ERRORS`` says so."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return
    key = user_or_address()
    try:
        allowed = all(
            limiter.limiter.hit(limit, "preview", key)
            for limit in parse_many(config["RATELIMIT_PREVIEW"])
        )
    except Exception:
        if not config.get("RATELIMIT_SWALLOW_ERRORS"):
            raise
        current_app.logger.exception("The preview limit could not be counted")
        return
    if not allowed:
        raise TooManyPreviews()


def render_preview(
    texts: dict[str, str], render: Callable[[str, str, RenderBudget], str]
) -> Preview:
    """Spend one preview and render each of ``texts`` (name -> Markdown) once with
    ``render(text, name, budget)``, all on one budget; a refusal instead when over the limit or
    the budget."""
    budget = RenderBudget()
    try:
        spend_preview()
        return Preview({name: render(text, name, budget) for name, text in texts.items()})
    except (TooManyPreviews, MarkupTooComplex) as error:
        return Preview({}, refusal=str(error.message), status=error.status)
