"""A demo invitation for ``flask forum seed --demo``: one past webinar in the public archive (sent
to nobody: the demo list is empty), so the archive page shows what it is for."""

from __future__ import annotations

from sqlmodel import Session, select

from ..accounts.demo import demo_user
from ..clock import utcnow
from .models import SENT, Invitation
from .service import create_invitation

SUBJECT_SV = "Webbinarium: skyfallssäkra kvarter i Malmö"
BODY_SV = """Välkommen till månadens webbinarium i partnerskapet **Tillsammans 2030**.

- Hur Augustenborgs öppna dagvattensystem klarade skyfallet 2014
- Vad en bostadsrättsförening kan göra på egen gård
- Frågor och samtal

Länk till mötet skickas dagen före."""
SUBJECT_EN = "Webinar: cloudburst-proof neighbourhoods in Malmö"
BODY_EN = """Welcome to this month's webinar of the **Tillsammans 2030** partnership.

- How Augustenborg's open stormwater system coped with the 2014 cloudburst
- What a housing cooperative can do in its own courtyard
- Questions and conversation

The meeting link is sent the day before."""


def seed_demo_invitations(session: Session) -> list[str]:
    admin = demo_user(session, "admin")
    if admin is None or session.exec(select(Invitation.id)).first() is not None:
        return []
    invitation = create_invitation(
        session=session,
        actor=admin,
        subject_sv=SUBJECT_SV,
        body_sv=BODY_SV,
        subject_en=SUBJECT_EN,
        body_en=BODY_EN,
    )
    invitation.state, invitation.sent_at = SENT, utcnow()
    session.flush()
    return ["Demo invitation in the archive: /invitations"]
