"""WebVTT captions read with webvtt-py: the cues a transcript shows and search indexes.

A caption file is user input: anything webvtt-py cannot read, or a file with no cue, is refused
with a message the form can show, never an exception that reaches the reader.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..domain import InvalidInput

CAPTIONS_MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class Cue:
    start: int  # whole seconds from the start of the recording (for ``#t=``)
    end: int
    text: str
    voice: str | None = None


def parse_captions(text: str, *, field: str = "captions") -> list[Cue]:
    """The cues of a WebVTT file, in order; InvalidInput if it is not one."""
    if len(text.encode("utf-8")) > CAPTIONS_MAX_BYTES:
        raise InvalidInput(
            _l("The captions file is too large (at most %(size)s MB).", size=2), field=field
        )
    import webvtt  # only where captions are read: most processes never read any
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        captions = webvtt.from_buffer(io.StringIO(text.lstrip("\ufeff")))
    except (MalformedFileError, MalformedCaptionError, ValueError, IndexError):
        raise InvalidInput(
            _l("The captions file is not valid WebVTT: it must start with WEBVTT and hold cues."),
            field=field,
        ) from None
    cues = [
        Cue(
            start=int(caption.start_in_seconds),
            end=int(caption.end_in_seconds),
            text=" ".join(caption.text.split()),
            voice=getattr(caption, "voice", None),
        )
        for caption in captions
        if caption.text.strip()
    ]
    if not cues:
        raise InvalidInput(_l("The captions file holds no captions."), field=field)
    return cues


def time_code(seconds: int) -> str:
    """``12:34`` or ``1:02:03``: how a transcript shows a moment."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
