"""Themes and goals as every area reads them: one query each, in display order."""

from __future__ import annotations

from sqlmodel import Session, select

from .models import Goal, Theme


def all_themes(session: Session) -> list[Theme]:
    """Every theme in the order the forum shows them."""
    return list(session.exec(select(Theme).order_by(Theme.position)))


def all_goals(session: Session) -> list[Goal]:
    """The 17 goals by number."""
    return list(session.exec(select(Goal).order_by(Goal.number)))


def theme_by_slug(session: Session, slug: str) -> Theme | None:
    return session.exec(select(Theme).where(Theme.slug == slug)).first()


def themes_by_id(session: Session) -> dict[int, Theme]:
    return {theme.id: theme for theme in session.exec(select(Theme))}


def themes_by_slug(session: Session) -> dict[str, Theme]:
    return {theme.slug: theme for theme in session.exec(select(Theme))}


def goals_by_number(session: Session) -> dict[int, Goal]:
    return {goal.number: goal for goal in session.exec(select(Goal))}


def unknown_goal_ids(session: Session, goal_ids) -> set[int]:
    """The ids in ``goal_ids`` that name no goal (empty when all are known)."""
    wanted = set(goal_ids or ())
    if not wanted:
        return set()
    return wanted - set(session.exec(select(Goal.id).where(Goal.id.in_(wanted))))


def goals_linked(session: Session, link_table, owner_column, owner_id: int) -> list[Goal]:
    """The goals of one thread, project or lesson through its link table, by number."""
    query = (
        select(Goal)
        .join(link_table, link_table.goal_id == Goal.id)
        .where(owner_column == owner_id)
        .order_by(Goal.number)
    )
    return list(session.exec(query))
