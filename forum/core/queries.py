"""Themes and goals as every area reads them: one query each, in display order.

The statements are built once and run with parameters: every page reads themes or goals, and
building a statement (and its cache key) costs several times more than running one of these.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from .models import Goal, Theme

_THEMES = select(Theme).order_by(Theme.position)
_GOALS = select(Goal).order_by(Goal.number)
_THEME_BY_SLUG = select(Theme).where(Theme.slug == bindparam("slug"))


def all_themes(session: Session) -> list[Theme]:
    """Every theme in the order the forum shows them."""
    return list(session.exec(_THEMES))


def all_goals(session: Session) -> list[Goal]:
    """The 17 goals by number."""
    return list(session.exec(_GOALS))


def theme_by_slug(session: Session, slug: str) -> Theme | None:
    return session.exec(_THEME_BY_SLUG, params={"slug": slug}).first()


def themes_by_id(session: Session) -> dict[int, Theme]:
    return {theme.id: theme for theme in session.exec(_THEMES)}


def themes_by_slug(session: Session) -> dict[str, Theme]:
    return {theme.slug: theme for theme in session.exec(_THEMES)}


def goals_by_number(session: Session) -> dict[int, Goal]:
    return {goal.number: goal for goal in session.exec(_GOALS)}


def unknown_goal_ids(session: Session, goal_ids) -> set[int]:
    """The ids in ``goal_ids`` that name no goal (empty when all are known)."""
    wanted = set(goal_ids or ())
    if not wanted:
        return set()
    return wanted - set(session.exec(select(Goal.id).where(Goal.id.in_(wanted))))


@cache
def _goals_of_owners(link_table, owner_name: str):
    owner = getattr(link_table, owner_name)
    return (
        select(owner, Goal)
        .join(link_table, link_table.goal_id == Goal.id)
        .where(owner.in_(bindparam("owner_ids", expanding=True)))
        .order_by(Goal.number)
    )


def goals_of(session: Session, link_table, owner_column, owner_ids) -> dict[int, list[Goal]]:
    """The goals of each owner (thread, project, lesson, event...) through its link table, by
    number, in one statement whatever their number; every owner asked for has an entry."""
    owner_ids = list(owner_ids)
    found: dict[int, list[Goal]] = {owner_id: [] for owner_id in owner_ids}
    if not owner_ids:
        return found
    statement = _goals_of_owners(link_table, owner_column.key)
    for owner_id, goal in session.exec(statement, params={"owner_ids": owner_ids}):
        found[owner_id].append(goal)
    return found


def goals_linked(session: Session, link_table, owner_column, owner_id: int) -> list[Goal]:
    """The goals of one thread, project or lesson through its link table, by number."""
    return goals_of(session, link_table, owner_column, [owner_id])[owner_id]
