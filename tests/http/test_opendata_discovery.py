"""What search engines and link previews read: the sitemap (an index cut into files), robots.txt,
and the Open Graph tags and schema.org JSON-LD of thread, lesson, project and event pages."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from forum.clock import utcnow
from forum.moderation.items import hide_item
from tests.events_helpers import make_event
from tests.factories import login_as, make_lesson, make_project, make_thread, make_user

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://127.0.0.1:5000"
HOSTILE = 'Skyfall </script><script>alert("x")</script> & <b>"citat"</b>'


@pytest.fixture
def site(app, db_session):
    """Public content and its hidden and draft twins."""
    author = make_user(db_session)
    mod = make_user(db_session, role="moderator")
    with app.test_request_context("/"):
        public, _ = make_thread(db_session, author, "Regnbäddar i Augustenborg", "Om dagvatten.")
        hidden, _ = make_thread(db_session, author, "Dold tråd", "Dold.", hidden_at=utcnow())
        project = make_project(db_session, author, name="Ekostaden Augustenborg")
        secret = make_project(db_session, author, name="Dolt projekt")
        hide_item(session=db_session, actor=mod, item=secret, reason="spam")
        lesson = make_lesson(db_session, project, author, title="Gröna tak lönar sig")
        draft = make_lesson(db_session, project, author, title="Ett utkast", publish=False)
        event = make_event(db_session, mod, title="Studiebesök i Augustenborg")
        draft_event = make_event(db_session, mod, title="Utkast till evenemang", publish=False)
        db_session.commit()
    return {
        "public": [
            f"/threads/{public.id}-{public.slug}",
            f"/projects/{project.slug}",
            f"/lessons/{lesson.id}-{lesson.slug}",
            f"/events/{event.id}",
            "/t/klimatneutral-framtid",
            "/lessons",
            "/data",
        ],
        "private": [
            f"/threads/{hidden.id}-{hidden.slug}",
            f"/projects/{secret.slug}",
            f"/lessons/{draft.id}-{draft.slug}",
            f"/events/{draft_event.id}",
        ],
    }


def parse(answer) -> etree._Element:
    assert answer.status_code == 200
    assert answer.mimetype == "application/xml"
    return etree.fromstring(answer.data)


def sitemap_urls(client) -> list[str]:
    index = parse(client.get("/sitemap.xml"))
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    urls = []
    for location in index.xpath("s:sitemap/s:loc/text()", namespaces=SITEMAP):
        assert location.startswith(BASE + "/sitemaps/")
        urlset = parse(client.get(location.removeprefix(BASE)))
        assert 1 <= len(urlset.xpath("s:url", namespaces=SITEMAP)) <= 50000
        urls += urlset.xpath("s:url/s:loc/text()", namespaces=SITEMAP)
    return urls


def test_the_sitemap_lists_public_pages_only(client, site):
    urls = sitemap_urls(client)
    assert len(urls) == len(set(urls))
    for path in site["public"]:
        assert BASE + path in urls, path
    for path in site["private"]:
        assert not any(url.startswith(BASE + path) for url in urls), path
    assert BASE + "/" in urls


def test_sitemap_addresses_carry_their_last_change(client, site):
    urlset = parse(client.get("/sitemaps/threads-1.xml"))
    [lastmod] = urlset.xpath("s:url/s:lastmod/text()", namespaces=SITEMAP)
    assert lastmod.endswith("+00:00") and lastmod[:4].isdigit()


def test_the_sitemap_index_is_cut_into_files_of_the_configured_size(app, client, db_session, site):
    author = make_user(db_session)
    for number in range(4):
        make_thread(db_session, author, f"Tråd om regn {number}", "Text.", commit=False)
    db_session.commit()
    app.config["SITEMAP_PAGE_SIZE"] = 2
    index = parse(client.get("/sitemap.xml"))
    files = index.xpath("s:sitemap/s:loc/text()", namespaces=SITEMAP)
    threads = [f for f in files if "/sitemaps/threads-" in f]
    assert threads == [f"{BASE}/sitemaps/threads-{n}.xml" for n in (1, 2, 3)]  # 5 public threads
    assert len(sitemap_urls(client)) == len(set(sitemap_urls(client)))
    assert client.get("/sitemaps/threads-4.xml").status_code == 404
    assert client.get("/sitemaps/secrets-1.xml").status_code == 404


def test_the_sitemap_answers_304_when_unchanged(client, site):
    first = client.get("/sitemap.xml")
    again = client.get("/sitemap.xml", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_robots_keeps_private_and_action_urls_out_and_names_the_sitemap(client):
    answer = client.get("/robots.txt")
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    lines = answer.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")}
    for path in ("/settings", "/notices", "/mod/", "/admin/", "/login", "/register", "/reset"):
        assert path in disallowed, path
    for path in ("/search?", "/threads/*/replies", "/posts/*/useful", "/logout", "/threads/new"):
        assert path in disallowed, path
    assert "/data/dumps/" in disallowed
    for public in ("/", "/threads/", "/lessons", "/projects/", "/events", "/t/", "/search"):
        assert public not in disallowed
    for public in ("/data",):
        assert public not in disallowed
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def head_of(client, path: str) -> etree._Element:
    answer = client.get(path)
    assert answer.status_code == 200, path
    return etree.HTML(answer.data).find("head")


def meta(head, name: str) -> str | None:
    found = head.xpath(f"meta[@property='{name}' or @name='{name}']/@content")
    return found[0] if found else None


def json_ld(head) -> dict | None:
    blocks = head.xpath("script[@type='application/ld+json']/text()")
    assert len(blocks) <= 1
    return json.loads(blocks[0]) if blocks else None


@pytest.fixture
def hostile(app, db_session):
    """A thread, project, lesson and event whose titles try to close the JSON-LD script."""
    author = make_user(db_session, display_name="Hanna </script>")
    mod = make_user(db_session, role="moderator")
    with app.test_request_context("/"):
        thread, _ = make_thread(db_session, author, HOSTILE, "Text </script> med <b>taggar</b>.")
        project = make_project(db_session, author, name=HOSTILE[:150], summary="Om </script>.")
        lesson = make_lesson(db_session, project, author, title=HOSTILE, language="sv")
        event = make_event(db_session, mod, title=HOSTILE)
    return {
        "DiscussionForumPosting": (f"/threads/{thread.id}-{thread.slug}", HOSTILE, "article"),
        "Project": (f"/projects/{project.slug}", HOSTILE[:150], "website"),
        "CreativeWork": (f"/lessons/{lesson.id}-{lesson.slug}", HOSTILE, "article"),
        "Event": (f"/events/{event.id}", HOSTILE, "website"),
    }


def test_link_previews_and_json_ld_survive_hostile_titles(client, hostile):
    for kind, (path, title, og_type) in hostile.items():
        raw = client.get(path).get_data(as_text=True)
        head = head_of(client, path)
        assert meta(head, "og:title") == title, path
        assert meta(head, "twitter:title") == title
        assert meta(head, "og:type") == og_type
        assert meta(head, "og:url") == BASE + path
        assert meta(head, "og:locale") == "sv_SE"
        assert meta(head, "og:site_name") == "Tillsammans forum"
        assert meta(head, "twitter:card") == "summary"
        assert meta(head, "og:description") is not None
        data = json_ld(head)
        assert data["@context"] == "https://schema.org" and data["@type"] == kind
        assert data.get("headline", data.get("name")) == title
        assert data["url"] == BASE + path
        block = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
        assert "<" not in block, path  # nothing in the data can end the element early


def test_json_ld_fields_per_kind(client, hostile):
    thread = json_ld(head_of(client, hostile["DiscussionForumPosting"][0]))
    assert thread["author"] == {"@type": "Person", "name": "Hanna </script>"}
    assert thread["text"] == "Text </script> med <b>taggar</b>."  # typed, so shown as text
    assert thread["datePublished"].endswith("+00:00") and thread["commentCount"] == 0
    lesson = json_ld(head_of(client, hostile["CreativeWork"][0]))
    assert lesson["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert lesson["isPartOf"]["@type"] == "Project" and lesson["inLanguage"] == "sv"
    event = json_ld(head_of(client, hostile["Event"][0]))
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["location"]["@type"] == "VirtualLocation"
    assert "meet.example.org" not in json.dumps(event)  # the join link is for participants
    assert event["startDate"].startswith("2027-01-15T12:00:00+01:00")


def test_pages_that_are_not_public_preview_nothing(app, client, db_session, site):
    hidden_thread, hidden_project, _draft_lesson, draft_event = site["private"]
    login_as(client, make_user(db_session, role="moderator"))  # who may open all three
    for path in (hidden_thread, hidden_project, draft_event):
        head = head_of(client, path)
        assert meta(head, "og:title") is None and json_ld(head) is None, path
    anonymous = app.test_client()
    head = head_of(anonymous, hidden_project)  # anonymous readers get the notice
    assert meta(head, "og:title") is None and json_ld(head) is None
    assert meta(head_of(anonymous, "/lessons"), "og:title") is None
