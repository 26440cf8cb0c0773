"""The extension points through which higher areas add to the core's pages.

Each provider answers a dict (see forum.events.Contributions).
"""

from __future__ import annotations

from ..events import Contributions

#: A part of GET /healthz that a higher area owns (the search index):
#: provider() -> {part name: "ok" or "error: what is wrong"}
health_checks = Contributions("health check")

#: Figures GET /healthz shows for monitoring (how much work waits, how old the oldest is):
#: provider() -> {figure name: a number, or None when it does not apply}
health_figures = Contributions("health figure")
