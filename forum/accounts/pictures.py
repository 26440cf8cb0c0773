"""Members' faces: generated initials in a colour, or an uploaded picture.

An upload is opened by Pillow only after its header says it is a JPEG, PNG or WebP of a bounded
number of pixels (a small file can declare a huge image: a decompression bomb), then drawn into
a fresh square image of fixed size, so nothing of the original file survives: no EXIF (a phone's
GPS position), no ICC profile, no comment, no second frame. Both sizes are kept in the database,
which every node shares; their digest names the version in the URL, so a browser may keep a
picture for a year and still sees a new one at once.
"""

from __future__ import annotations

import hashlib
import io
import warnings

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from .errors import AccountError
from .models import MemberPicture, User

FORMATS = {"JPEG", "PNG", "WEBP"}
SIZES = {"large": 256, "small": 64}
# The colour classes of generated avatars (static/css/accounts.css): white initials on each have
# at least 4.5:1 contrast (WCAG AA).
COLOURS = 10


class BadPicture(AccountError):
    default_message = _l("Choose a JPEG, PNG or WebP picture.")
    default_field = "picture"


def initials(user: User) -> str:
    """Up to two letters: the first of the first and of the last word of the name."""
    words = [word for word in (user.display_name or "").split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def colour(user: User) -> int:
    """A colour class from the member's id: stable when they rename themselves."""
    return (user.id or 0) * 7 % COLOURS


def picture_url(user: User, size: str = "small") -> str | None:
    if not user.picture_key:
        return None
    return url_for("accounts.picture", user_id=user.id, key=user.picture_key, size=size)


def _encode(image, side: int) -> bytes:
    from PIL import Image, ImageOps

    fitted = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
    # A new image from the pixels alone: ``fit`` copies the original's info (EXIF, ICC...).
    clean = Image.frombytes(fitted.mode, fitted.size, fitted.tobytes())
    out = io.BytesIO()
    clean.save(out, "WEBP", quality=85, method=4)
    return out.getvalue()


def _too_large(max_pixels: int) -> BadPicture:
    return BadPicture(
        _l(
            "The picture is too large: at most %(pixels)d megapixels.",
            pixels=max(max_pixels // 1_000_000, 1),
        )
    )


def reencode(data: bytes) -> tuple[bytes, bytes]:
    """The large and small WebP of an uploaded file; ``BadPicture`` for anything else."""
    # Pillow is imported by the process that re-encodes a picture, not by every web worker
    from PIL import Image, ImageOps, UnidentifiedImageError

    max_pixels = current_app.config["PICTURE_MAX_PIXELS"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=sorted(FORMATS)) as image:
                width, height = image.size  # from the header: nothing is decoded yet
                if width * height > max_pixels:
                    raise _too_large(max_pixels)
                image.draft("RGB", (SIZES["large"] * 2, SIZES["large"] * 2))  # JPEG: decode small
                image = ImageOps.exif_transpose(image)  # turned as the camera meant, then EXIF goes
                # has_transparency_data: an alpha band, or a palette's or a colour's transparency
                # (a logo saved as "PNG-8"), which a bare RGB would turn black
                image = image.convert("RGBA" if image.has_transparency_data else "RGB")
                # a quick box reduction first, keeping twice the large size: the fine resampling
                # of a 12-megapixel photo would cost seconds
                factor = min(image.size) // (SIZES["large"] * 2)
                if factor > 1:
                    image = image.reduce(factor)
                return _encode(image, SIZES["large"]), _encode(image, SIZES["small"])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large(max_pixels) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        # SyntaxError: Pillow's parsers raise it on some broken headers
        raise BadPicture(_l("This file is not a picture the forum can read.")) from None


def set_picture(*, session: Session, actor: User, data: bytes) -> MemberPicture:
    """Replace the actor's picture with the re-encoded ``data``."""
    limit = current_app.config["PICTURE_MAX_MB"]
    if not data:
        raise BadPicture(_l("Choose a picture to upload."))
    if len(data) > limit * 1024 * 1024:
        raise BadPicture(_l("The file is too large: at most %(mb)d MB.", mb=limit))
    large, small = reencode(data)
    key = hashlib.sha256(large).hexdigest()[:16]
    picture = session.get(MemberPicture, actor.id)
    if picture is None:
        picture = MemberPicture(user_id=actor.id, key=key, large=large, small=small)
        session.add(picture)
    else:
        picture.key, picture.large, picture.small = key, large, small
    actor.picture_key = key
    session.flush()
    return picture


def remove_picture(*, session: Session, actor: User) -> None:
    """Back to generated initials; the picture's bytes are deleted, not kept."""
    picture = session.get(MemberPicture, actor.id)
    if picture is not None:
        session.delete(picture)
    actor.picture_key = None
    session.flush()
