"""Demo accounts for ``flask forum seed --demo``: one admin, one moderator and two members.

Passwords are random and printed only when the accounts are created (the first run). Other
areas' demo seeders find these people with ``demo_user(session, "admin")`` and so on.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session

from .models import ActorType, Role, User
from .service import create_user, find_by_email
from .settings import update_profile

DEMO_DOMAIN = "demo.tillsammans.example"
DEMO_ACCOUNTS = [
    {
        "key": "admin",
        "role": Role.admin,
        "display_name": "Anna Lindqvist",
        "email": f"anna.lindqvist@{DEMO_DOMAIN}",
        "organisation": "Malmö stad, miljöförvaltningen",
        "actor_type": ActorType.public,
        "locale": "sv",
        "bio": "Samordnar stadens klimatomställning och arbetet med **Klimatkontrakt Hyllie**.",
    },
    {
        "key": "moderator",
        "role": Role.moderator,
        "display_name": "Yasmin Haddad",
        "email": f"yasmin.haddad@{DEMO_DOMAIN}",
        "organisation": "Malmö universitet",
        "actor_type": ActorType.academia,
        "locale": "sv",
        "bio": "Forskar om social hållbarhet och delaktighet i stadsutveckling, med fokus på Rosengård.",
    },
    {
        "key": "member",
        "role": Role.member,
        "display_name": "Erik Johansson",
        "email": f"erik.johansson@{DEMO_DOMAIN}",
        "organisation": "Fastighets AB Västra Hamnen",
        "actor_type": ActorType.private,
        "locale": "sv",
        "bio": "Projektleder energieffektiviseringar i bostadsbeståndet: värmepumpar, solceller och dagvatten.",
    },
    {
        "key": "member2",
        "role": Role.member,
        "display_name": "Grace Okafor",
        "email": f"grace.okafor@{DEMO_DOMAIN}",
        "organisation": "Föreningen Odla i Rosengård",
        "actor_type": ActorType.civil_society,
        "locale": "en",
        "bio": "Runs community gardens and cooking courses with neighbours in Rosengård.",
    },
]
_WORDS = (  # ASCII only: easy to type on any keyboard
    "ek",
    "bok",
    "hav",
    "sol",
    "vind",
    "regn",
    "lind",
    "bro",
    "park",
    "cykel",
    "buss",
    "torg",
    "kompost",
    "dagvatten",
    "solcell",
    "odling",
    "hamn",
    "skyfall",
    "damm",
    "humla",
    "tak",
    "sand",
)


def demo_password() -> str:
    """Four random words and a number, e.g. ``hamn-solcell-humla-torg-47`` (easy to type)."""
    return "-".join(secrets.choice(_WORDS) for _ in range(4)) + f"-{secrets.randbelow(90) + 10}"


def demo_user(session: Session, key: str) -> User | None:
    """The demo account with this key (``admin``, ``moderator``, ``member``, ``member2``)."""
    spec = next((a for a in DEMO_ACCOUNTS if a["key"] == key), None)
    return find_by_email(session, spec["email"]) if spec else None


def seed_demo_accounts(session: Session) -> list[str]:
    """Create the missing demo accounts; describe them (with passwords only when created now)."""
    created, existing = [], []
    for spec in DEMO_ACCOUNTS:
        if find_by_email(session, spec["email"]) is not None:
            existing.append(spec)
            continue
        password = demo_password()
        user = create_user(
            session=session,
            display_name=spec["display_name"],
            email=spec["email"],
            password=password,
            organisation=spec["organisation"],
            actor_type=spec["actor_type"],
            locale=spec["locale"],
            role=spec["role"],
            confirmed=True,
        )
        update_profile(
            session=session,
            actor=user,
            display_name=user.display_name,
            organisation=user.organisation,
            actor_type=user.actor_type,
            bio=spec["bio"],
        )
        created.append((spec, password))
    lines = []
    if created:
        lines.append("Demo accounts (the passwords are shown only now, write them down):")
        lines.extend(
            f"  {spec['role'].value:<9} {spec['display_name']:<16} {spec['email']:<44} password: {password}"
            for spec, password in created
        )
    if existing:
        lines.append(
            f'{len(existing)} demo account(s) already exist; forgot a password? Use "Forgot your password?" '
            "on /login (without SMTP the mail lands in instance/mail/)."
        )
    return lines
