"""Translated labels of the account enums: the actor types and roles everyone else shows."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import ActorType, Role

ACTOR_TYPE_LABELS = {
    ActorType.public.value: _l("Public sector"),
    ActorType.private.value: _l("Private sector"),
    ActorType.nonprofit.value: _l("Non-profit organisation"),
    ActorType.academia.value: _l("Academia"),
    ActorType.civil_society.value: _l("Civil society"),
    ActorType.individual.value: _l("Individual"),
}
ROLE_LABELS = {
    Role.member.value: _l("Member"),
    Role.organiser.value: _l("Event organiser"),
    Role.moderator.value: _l("Moderator"),
    Role.admin.value: _l("Administrator"),
}


def actor_type_label(value) -> str:
    """The label of an ``ActorType`` (or its value); unknown values are shown as they are."""
    value = getattr(value, "value", value)
    return str(ACTOR_TYPE_LABELS.get(value, value))


def role_label(value) -> str:
    value = getattr(value, "value", value)
    return str(ROLE_LABELS.get(value, value))
