"""The recording form: a video (link or file), slides (link or PDF) and captions (WebVTT file
or pasted text) for a published event."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..accounts.forms import LANGUAGE_NAMES
from ..domain import InvalidInput
from .captions import CAPTIONS_MAX_BYTES
from .models import EventRecording
from .recordings import URL_MAX, RecordingInput, Upload


def _link(label):
    return URLField(
        label,
        filters=[lambda value: (value or "").strip()],
        validators=[Optional(), Length(max=URL_MAX)],
        render_kw={"maxlength": URL_MAX, "inputmode": "url"},
    )


class RecordingForm(FlaskForm):
    video_url = _link(_l("Link to the video on a video host"))
    video_file = FileField(
        _l("Or upload the video (MP4 or WebM)"),
        render_kw={"accept": "video/mp4,video/webm,.mp4,.webm"},
    )
    remove_video = BooleanField(_l("Remove the uploaded video"))
    slides_url = _link(_l("Link to the slides"))
    slides_file = FileField(
        _l("Or upload the slides (PDF)"), render_kw={"accept": "application/pdf,.pdf"}
    )
    remove_slides = BooleanField(_l("Remove the uploaded slides"))
    captions_file = FileField(
        _l("Captions file (WebVTT, .vtt)"), render_kw={"accept": "text/vtt,.vtt"}
    )
    captions = TextAreaField(
        _l("Or paste the captions (WebVTT)"),
        validators=[Optional(), Length(max=CAPTIONS_MAX_BYTES)],
        render_kw={"rows": 10, "spellcheck": "false"},
    )
    captions_language = SelectField(_l("Language of the captions"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.captions_language.choices = [SelectChoice(c, n) for c, n in LANGUAGE_NAMES.items()]

    def to_input(self) -> RecordingInput:
        """The form as service input; a captions file replaces the pasted text (and is put in the
        text area, so a refused file can be corrected there)."""
        captions = self.captions.data or ""
        if _given(self.captions_file.data):
            raw = self.captions_file.data.read(CAPTIONS_MAX_BYTES + 1)
            try:
                captions = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InvalidInput(
                    _l("The captions file must be text in UTF-8."), field="captions_file"
                ) from None
            self.captions.data = captions
        return RecordingInput(
            video_url=self.video_url.data or "",
            video_upload=_upload(self.video_file.data),
            remove_video=bool(self.remove_video.data),
            slides_url=self.slides_url.data or "",
            slides_upload=_upload(self.slides_file.data),
            remove_slides=bool(self.remove_slides.data),
            captions=captions,
            captions_language=self.captions_language.data or "",
        )


def _given(file) -> bool:
    """A file field the member used (a browser sends an empty part for an unused one)."""
    return file is not None and hasattr(file, "stream") and bool(getattr(file, "filename", ""))


def _upload(file) -> Upload | None:
    return Upload(file.stream) if _given(file) else None


def form_data_of(recording: EventRecording | None, language: str) -> dict:
    """The form's initial values: the links and captions kept (files cannot be refilled)."""
    if recording is None:
        return {"captions_language": language}
    return {
        "video_url": recording.video_url or "",
        "slides_url": recording.slides_url or "",
        "captions": recording.captions or "",
        "captions_language": recording.captions_language or language,
    }
