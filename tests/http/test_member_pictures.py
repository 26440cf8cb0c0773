"""Members' faces: generated initials, uploaded pictures (re-encoded, stripped of metadata,
bounded in bytes and pixels), how they are served and cached, and names that link to profiles."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from PIL import ExifTags, Image
from sqlmodel import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from forum.accounts.models import MemberPicture, User
from forum.accounts.pictures import COLOURS, colour, initials
from tests.factories import DEFAULT_PASSWORD, login_as, make_thread, make_user


def _jpeg_with_position(size=(400, 300)) -> bytes:
    """A photo as a phone writes it: EXIF with the camera and where it was taken."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "Kamera AB"
    exif[ExifTags.Base.ImageDescription] = "Hemma hos Anna"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (55.0, 36.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 0.0, 1.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def _image(fmt: str, size=(120, 80), mode="RGB", colour=(10, 120, 60)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (*colour, 128) if mode == "RGBA" else colour).save(out, fmt)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge image: decoding it would take gigabytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _upload(client, data: bytes, name="picture.jpg", path="/settings/picture", **headers):
    # The body built here, in memory: the test client would spool a large one into a temporary
    # file that it never closes.
    boundary, body = encode_multipart({"picture": FileStorage(io.BytesIO(data), name)})
    return client.post(
        path,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=headers,
    )


def _picture_paths(html: str) -> list[str]:
    return re.findall(r'src="(/u/\d+/picture-[0-9a-f]+-(?:small|large)\.webp)"', html)


@pytest.fixture
def member(db_session):
    return make_user(db_session, display_name="Anna Lindqvist", locale="en")


def test_without_a_picture_a_member_has_initials_in_a_colour_of_their_own(client, db_session):
    author = make_user(db_session, display_name="Karin von Otter", locale="en")
    thread, _posts = make_thread(db_session, author)
    html = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    expected = f'avatar avatar-small avatar-c{colour(author)}" aria-hidden="true">KO</span>'
    assert expected in html
    assert initials(make_user(db_session, display_name="Zoë")) == "Z"
    assert initials(make_user(db_session, display_name="  (x) ")) == "?"
    # ten colour classes, spread over neighbouring ids
    assert {colour(User(id=n)) for n in range(1, 11)} == set(range(COLOURS))
    assert "style=" not in re.sub(r"<style.*?</style>", "", html, flags=re.S)


def test_upload_reencodes_to_two_squares_without_metadata(client, db_session, member):
    login_as(client, member)
    original = _jpeg_with_position()
    response = _upload(client, original)
    assert response.status_code == 303
    db_session.refresh(member)
    assert member.picture_key and len(member.picture_key) == 16
    exported = client.get("/settings/export").get_json()["profile"]["picture"]
    assert exported.endswith(f"/u/{member.id}/picture-{member.picture_key}-large.webp")
    html = client.get(f"/u/{member.id}-anna-lindqvist").get_data(as_text=True)
    (large_path,) = [p for p in _picture_paths(html) if p.endswith("-large.webp")]
    for size, side in (("large", 256), ("small", 64)):
        served = client.get(large_path.replace("-large.", f"-{size}."))
        assert served.status_code == 200 and served.mimetype == "image/webp"
        data = served.get_data()
        for trace in (b"Exif", b"Kamera AB", b"Hemma hos", b"secret comment", b"XMP", b"ICCP"):
            assert trace not in data
        image = Image.open(io.BytesIO(data))
        assert image.format == "WEBP" and image.size == (side, side)
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
        assert image.getpixel((side // 2, side // 2))[:3] == pytest.approx((200, 30, 30), abs=12)


def test_a_picture_is_cached_for_a_year_under_a_versioned_address(client, db_session, member):
    login_as(client, member)
    _upload(client, _image("PNG"), "face.png")
    db_session.refresh(member)
    path = f"/u/{member.id}/picture-{member.picture_key}-small.webp"
    response = client.get(path)  # asked by a member: still public, the same for everyone
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache
    assert "no-store" not in cache and "private" not in cache
    etag = response.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert client.get(f"/u/{member.id}/picture-0000000000000000-small.webp").status_code == 404
    assert client.get(f"/u/{member.id}/picture-{member.picture_key}-huge.webp").status_code == 404
    # a new picture is a new address; the old one is gone
    _upload(client, _image("WEBP", size=(90, 300), colour=(90, 20, 140)), "new.webp")
    db_session.refresh(member)
    assert path != f"/u/{member.id}/picture-{member.picture_key}-small.webp"
    assert client.get(path).status_code == 404


def test_transparent_png_keeps_its_transparency(client, db_session, member):
    login_as(client, member)
    assert _upload(client, _image("PNG", mode="RGBA"), "alpha.png").status_code == 303
    db_session.refresh(member)
    data = client.get(f"/u/{member.id}/picture-{member.picture_key}-large.webp").get_data()
    assert Image.open(io.BytesIO(data)).mode == "RGBA"


def test_a_palette_png_keeps_its_transparent_background(client, db_session, member):
    # a logo saved with a palette (pngquant, most image editors' "PNG-8"): transparency is a
    # palette index, not an alpha band
    logo = Image.new("P", (120, 120), 0)
    logo.putpalette([255, 255, 255, 200, 30, 30])
    logo.paste(1, (40, 40, 80, 80))
    out = io.BytesIO()
    logo.save(out, "PNG", transparency=0)
    login_as(client, member)
    assert _upload(client, out.getvalue(), "logo.png").status_code == 303
    db_session.refresh(member)
    data = client.get(f"/u/{member.id}/picture-{member.picture_key}-large.webp").get_data()
    picture = Image.open(io.BytesIO(data))
    assert picture.mode == "RGBA" and picture.getpixel((2, 2))[3] == 0
    assert picture.getpixel((128, 128))[3] == 255


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"this is not an image at all", "notes.jpg", "not a picture the forum can read"),
        (_image("GIF"), "moving.gif", "not a picture the forum can read"),
        (_image("BMP"), "old.bmp", "not a picture the forum can read"),
        (_jpeg_with_position()[:300], "cut.jpg", "not a picture the forum can read"),
        (_png_claiming(100_000, 100_000), "bomb.png", "The picture is too large"),
        (b"", "empty.jpg", "Choose a picture to upload"),
    ],
    ids=["garbage", "gif", "bmp", "truncated", "decompression-bomb", "empty"],
)
def test_a_bad_file_gets_the_form_back_with_a_message(
    client, db_session, member, data, name, message
):
    login_as(client, member)
    response = _upload(client, data, name)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'id="settings-picture"' in html and 'id="picture-error"' in html
    fragment = _upload(client, data, name, **{"HX-Request": "true"})
    assert fragment.status_code == 422 and "<html" not in fragment.get_data(as_text=True)
    db_session.refresh(member)
    assert member.picture_key is None
    assert db_session.exec(select(MemberPicture)).first() is None


def test_the_answer_is_swedish_for_a_swedish_reader(client, db_session):
    swede = make_user(db_session, locale="sv")
    login_as(client, swede)
    html = _upload(client, b"garbage", "x.png").get_data(as_text=True)
    assert "Filen är inte en bild som forumet kan läsa" in html


def test_size_limits_in_bytes_and_pixels(app, client, db_session, member):
    login_as(client, member)
    app.config.update(PICTURE_MAX_MB=1, PICTURE_REQUEST_MAX_MB=3)
    large_file = _image("PNG", size=(8, 8)) + b"\0" * (1024 * 1024 + 10)
    response = _upload(client, large_file, "big.png")
    assert response.status_code == 422 and "at most 1 MB" in response.get_data(as_text=True)
    huge_request = _upload(client, b"\0" * (4 * 1024 * 1024), "huge.png")
    assert huge_request.status_code == 413
    app.config.update(PICTURE_MAX_PIXELS=10_000)
    response = _upload(client, _image("JPEG", size=(200, 100)), "wide.jpg")
    assert response.status_code == 422 and "too large" in response.get_data(as_text=True)
    db_session.refresh(member)
    assert member.picture_key is None


def test_upload_and_remove_with_htmx_answer_the_section(client, db_session, member):
    login_as(client, member)
    response = _upload(client, _image("JPEG"), "me.jpg", **{"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="settings-picture"' in html and "Your picture is saved." in html
    assert _picture_paths(html) and "Remove picture" in html
    removed = client.post("/settings/picture/remove", headers={"HX-Request": "true"})
    assert removed.status_code == 200 and "Your picture is removed" in removed.get_data(
        as_text=True
    )
    db_session.refresh(member)
    assert member.picture_key is None
    assert db_session.get(MemberPicture, member.id) is None


def test_only_the_member_changes_their_own_picture(app, client, db_session, member):
    login_as(client, member)
    _upload(client, _image("PNG"), "a.png")
    db_session.refresh(member)
    key = member.picture_key
    anonymous = app.test_client()
    for path in ("/settings/picture", "/settings/picture/remove"):
        response = anonymous.post(
            path,
            data={"picture": (io.BytesIO(_image("PNG")), "x.png")},
            content_type="multipart/form-data",
        )
        assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    other = app.test_client()
    login_as(other, make_user(db_session))
    assert other.post("/settings/picture/remove").status_code == 303
    db_session.refresh(member)
    assert member.picture_key == key and db_session.get(MemberPicture, member.id) is not None


def test_a_deleted_member_gets_a_neutral_face_and_their_picture_goes(client, db_session, member):
    thread, _posts = make_thread(db_session, member)
    login_as(client, member)
    _upload(client, _image("PNG"), "a.png")
    db_session.refresh(member)
    old = f"/u/{member.id}/picture-{member.picture_key}-small.webp"
    response = client.post(
        "/settings/delete", data={"password": DEFAULT_PASSWORD, "understood": "y"}
    )
    assert response.status_code == 303
    assert db_session.get(MemberPicture, member.id) is None
    assert client.get(old).status_code == 404
    html = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert "avatar-neutral" in html and old not in html


def test_the_picture_shows_next_to_posts_and_in_thread_lists(client, db_session, member):
    replier = make_user(db_session, display_name="Bo Ek", locale="en")
    thread, _posts = make_thread(db_session, member, replies=[(replier, "Så gjorde vi i Lund.")])
    login_as(client, member)
    _upload(client, _image("JPEG"), "me.jpg")
    db_session.refresh(member)
    page = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert f"/u/{member.id}/picture-{member.picture_key}-small.webp" in page
    assert f'avatar-c{colour(replier)}" aria-hidden="true">BE</span>' in page
    home = client.get("/").get_data(as_text=True)
    assert f"/u/{member.id}/picture-{member.picture_key}-small.webp" in home  # who started it
    assert f'avatar-c{colour(replier)}" aria-hidden="true">BE</span>' in home  # who replied last
