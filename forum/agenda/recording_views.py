"""The recording of an event: the organisers' form, removing it, and the files it serves.

The video, slides and captions are served only for events the reader may see (``load_event``),
under the forum's own names: ``/events/<id>/recording/video`` (with range requests, so a player
can seek), ``/events/<id>/slides`` and ``/events/<id>/captions.vtt``.
"""

from __future__ import annotations

from flask import Response, current_app, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from .. import permissions
from ..accounts.forms import ActionForm
from ..db import get_session
from ..domain import DomainError
from ..errors import render_error
from ..permissions import Rule
from ..web import (
    accepts_uploads,
    discard_request_body,
    fail,
    finish,
    render,
    requires,
    show_on_form,
)
from . import organisers, recordings, uploads
from .models import Event, EventRecording
from .recording_forms import RecordingForm, form_data_of
from .views import bp, event_url, load_event
from .write_views import load_managed_event

WRITES_RECORDINGS = Rule(
    permissions.can_manage_event,
    _l("Only the event's organisers, moderators and administrators can change recordings."),
    on=("event", "organiser_ids"),
)
NO_FILE = _l("This event has no such file.")


def _form_page(form, event: Event, recording: EventRecording | None, *, status: int = 200):
    return render(
        "events/recording_form.html",
        "events/_recording_form.html",
        status=status,
        form=form,
        event=event,
        recording=recording,
        remove_form=ActionForm(formdata=None),
        upload_max_mb=current_app.config["UPLOAD_MAX_MB"],
        slides_max_mb=current_app.config["UPLOAD_SLIDES_MAX_MB"],
    )


def _saved_message(recording: EventRecording) -> str:
    if (recording.video_url or recording.video_file) and not recording.captions:
        return _(
            "The recording was saved. It has no captions yet: recorded video must be captioned, "
            "so add them as soon as you can."
        )
    return _("The recording was saved.")


@bp.route("/events/<int:event_id>/recording", methods=["GET", "POST"])
@accepts_uploads("UPLOAD_MAX_MB")
@requires(WRITES_RECORDINGS, load=load_managed_event)
def recording_edit(event_id: int, event: Event, organiser_ids):
    session = get_session()
    if event.state != "published":
        fail(409, _("Only a published event can have a recording. Publish it first."))
    recording = session.get(EventRecording, event.id)
    if request.method == "GET":
        form = RecordingForm(data=form_data_of(recording, event.language))
        return _form_page(form, event, recording)
    form = RecordingForm()
    if not form.validate_on_submit():
        return _form_page(form, event, recording, status=422)
    try:
        saved = recordings.save_recording(
            session=session, actor=current_user, event=event, data=form.to_input()
        )
    except DomainError as error:
        session.rollback()
        show_on_form(form, error)
        return _form_page(form, event, session.get(EventRecording, event.id), status=error.status)
    return finish(event_url(event, _anchor="recording"), message=_saved_message(saved))


@bp.post("/events/<int:event_id>/recording/remove")
@requires(WRITES_RECORDINGS, load=load_managed_event)
def recording_remove(event_id: int, event: Event, organiser_ids):
    if not ActionForm().validate_on_submit():
        fail(400, _("This form has expired. Reload the page and try again."))
    removed = recordings.remove_recording(session=get_session(), actor=current_user, event=event)
    message = _("The recording was removed.") if removed else _("There was no recording.")
    return finish(event_url(event), message=message)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    """An upload over the limit: the recording form again, as filled as the stored recording
    allows (the refused request's own fields were never read), with the limit named."""
    discard_request_body()
    event = get_session().get(Event, request.view_args.get("event_id", 0) or 0)
    if (
        request.endpoint != "events.recording_edit"
        or event is None
        or not permissions.can_manage_event(
            current_user, event, organisers.organiser_ids(get_session(), event)
        )
        or event.state != "published"
    ):
        return render_error(413)
    recording = get_session().get(EventRecording, event.id)
    form = RecordingForm(formdata=None, data=form_data_of(recording, event.language))
    form.form_errors.append(
        _(
            "The upload is too large: a video may be at most %(size)s MB, slides at most "
            "%(slides)s MB. Nothing was saved.",
            size=current_app.config["UPLOAD_MAX_MB"],
            slides=current_app.config["UPLOAD_SLIDES_MAX_MB"],
        )
    )
    return _form_page(form, event, recording, status=413)


def _recording_or_404(event_id: int) -> tuple[Event, EventRecording]:
    event = load_event(event_id)["event"]
    recording = get_session().get(EventRecording, event.id)
    if recording is None:
        fail(404, str(NO_FILE))
    return event, recording


def _send(name: str | None, mimetype: str, download_name: str):
    if not name:
        fail(404, str(NO_FILE))
    try:
        response = send_file(
            uploads.path_of(name),
            mimetype=mimetype,
            download_name=download_name,
            conditional=True,
        )
    except (FileNotFoundError, ValueError):
        fail(404, str(NO_FILE))
    return _no_sniffing(response)


def _no_sniffing(response: Response) -> Response:
    """Members' files are only ever what their type says (never HTML a browser might run)."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/events/<int:event_id>/recording/video")
def recording_video(event_id: int):
    event, recording = _recording_or_404(event_id)
    mimetype = recording.video_type or "application/octet-stream"
    suffix = recordings.VIDEO_TYPES.get(mimetype, "")
    return _send(recording.video_file, mimetype, f"event-{event.id}{suffix}")


@bp.get("/events/<int:event_id>/slides")
def recording_slides(event_id: int):
    event, recording = _recording_or_404(event_id)
    return _send(recording.slides_file, recordings.PDF, f"event-{event.id}-slides.pdf")


@bp.get("/events/<int:event_id>/captions.vtt")
def recording_captions(event_id: int):
    event, recording = _recording_or_404(event_id)
    if not recording.captions:
        fail(404, str(NO_FILE))
    response = Response(recording.captions, mimetype="text/vtt")
    response.headers["Content-Disposition"] = f'inline; filename="event-{event.id}.vtt"'
    return _no_sniffing(response)
