"""Demo recordings for ``flask forum seed --demo``: every past demo webinar without a recording
gets a link to a (made-up) video and short Swedish captions, clearly marked as demo text, so the
event page shows a transcript with time codes and search finds what was "said". Runs after the
events' seeder and works with whatever past demo webinars exist then (none: nothing to do)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ..accounts.demo import demo_user
from ..clock import utcnow
from .models import PUBLISHED, Event, EventRecording
from .recordings import RecordingInput, save_recording

DEMO_CAPTIONS = """WEBVTT

NOTE Demotext: påhittade undertexter till forumets demowebbinarium, inget som verkligen sades.

00:00:02.000 --> 00:00:08.000
<v Moderator>Välkomna till månadens webbinarium i Tillsammans 2030! (Demotext.)

00:00:08.500 --> 00:00:15.000
<v Moderator>I dag berättar ett projekt om hur gårdar kan ta hand om skyfall.

00:01:05.000 --> 00:01:12.000
<v Projektledare>Vi började med att kartlägga var vattnet blev stående efter regn.

00:01:12.500 --> 00:01:20.000
<v Projektledare>Öppna dagvattendiken och gröna tak gjorde störst skillnad i kvarteret.

00:02:30.000 --> 00:02:38.000
<v Projektledare>Det som inte fungerade: vi pratade för sent med de boende om underhållet.

00:03:10.000 --> 00:03:18.000
<v Moderator>Tack! Nu öppnar vi för frågor från deltagarna. (Slut på demotexten.)
"""


def seed_demo_recordings(session: Session) -> list[str]:
    admin = demo_user(session, "admin")
    if admin is None:
        return []
    webinars = session.exec(
        select(Event).where(
            col(Event.is_demo),
            col(Event.kind) == "webinar",
            col(Event.state) == PUBLISHED,
            col(Event.ends_at) < utcnow(),
            col(Event.id).not_in(select(EventRecording.event_id)),
        )
    ).all()
    for event in webinars:
        save_recording(
            session=session,
            actor=admin,
            event=event,
            data=RecordingInput(
                video_url=f"https://video.example.org/tillsammans-2030/{event.id}",
                captions=DEMO_CAPTIONS,
                captions_language="sv",
            ),
        )
    return [f"Demo recordings: {len(webinars)} past webinars with captions"] if webinars else []
