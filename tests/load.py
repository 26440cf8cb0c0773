"""Members writing to a running forum over HTTP (``requests``), and a ledger of what it
acknowledged: the soak and crash tests and ``bench/commit_to_search.py`` drive the real
processes of ``tests/processes.py`` with it.

A write is *acknowledged* when the forum answered it with 2xx or 3xx: it must then be in the
database for good. A write that got no answer (a process killed mid-request) may or may not have
committed; the ledger keeps an edit's text as a possible outcome until a later edit is
acknowledged.
"""

from __future__ import annotations

import random
import re
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from sqlmodel import Session

from forum.discussions.models import Post, Thread
from tests.factories import DEFAULT_PASSWORD, make_thread, make_user

THEME = "klimatneutral-framtid"
# A member's page carries the session's token for htmx; the login form carries it as a field.
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token"[^>]*value="([^"]+)"')
POST_ANCHOR = re.compile(r'id="post-(\d+)"')
WORD = re.compile(r"\b[a-z]{9}\b")  # what ``word`` makes
MIX = {"reply": 4, "search": 3, "edit": 2, "new_thread": 1}  # what members do, by weight
TIMEOUT = 60  # seconds a request may take on a loaded machine before it counts as unanswered


def word(rng: random.Random, syllables: int = 4) -> str:
    """A made-up word, so that a search for it finds exactly the post that holds it."""
    return "".join(
        rng.choice("bdfgklmnprstv") + rng.choice("aeiou") for _ in range(syllables)
    ) + rng.choice(string.ascii_lowercase)


@dataclass
class OwnPost:
    post_id: int
    thread_id: int
    title: str | None  # the first post of a thread is edited with its title


@dataclass
class Ledger:
    """What every member wrote and what the forum answered (shared by the members' threads)."""

    bodies: dict[int, str] = field(default_factory=dict)  # post id -> last acknowledged text
    maybe: dict[int, set[str]] = field(default_factory=dict)  # unanswered edits since then
    titles: dict[int, str] = field(default_factory=dict)  # thread id -> title
    threads: list[int] = field(default_factory=list)  # threads to reply in
    acknowledged: int = 0
    unanswered: int = 0  # writes without an answer: a killed process
    searches: int = 0
    failures: list[str] = field(default_factory=list)  # any other answer (a 5xx above all)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acknowledge(self, post_id: int, body: str) -> None:
        with self.lock:
            self.bodies[post_id] = body
            self.maybe.pop(post_id, None)
            self.acknowledged += 1

    def lost_or_stale(self, session: Session) -> list[str]:
        """Acknowledged posts and titles the database lacks or holds in another version."""
        problems = []
        for post_id, body in sorted(self.bodies.items()):
            post = session.get(Post, post_id)
            if post is None:
                problems.append(f"post {post_id} is lost")
            elif post.body != body and post.body not in self.maybe.get(post_id, ()):
                problems.append(f"post {post_id} holds {post.body!r}, not {body!r}")
        for thread_id, title in sorted(self.titles.items()):
            thread = session.get(Thread, thread_id)
            if thread is None or thread.title != title:
                problems.append(f"thread {thread_id} is lost or has another title")
        return problems


class Member:
    """One member's browser: logs in, then writes and searches in a loop."""

    def __init__(self, base_url: str, email: str, ledger: Ledger, *, seed: int):
        self.base = base_url
        self.email = email
        self.ledger = ledger
        self.rng = random.Random(seed)
        self.http = requests.Session()
        self.own: list[OwnPost] = []
        self.on_reply: Callable[[int, str, float], None] | None = None  # (post id, word, time)

    # -- requests ---------------------------------------------------------------------------------
    def _send(self, method: str, path: str, *, write: bool, **kwargs) -> requests.Response | None:
        """The answer, or None when there was none (the process was killed); any status other
        than 2xx and 3xx is recorded as a failure."""
        try:
            response = self.http.request(
                method, self.base + path, timeout=TIMEOUT, allow_redirects=False, **kwargs
            )
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            if write:
                with self.ledger.lock:
                    self.ledger.unanswered += 1
            time.sleep(0.2)  # the port may be closed while the forum restarts
            return None
        if response.status_code >= 400:
            with self.ledger.lock:
                self.ledger.failures.append(f"{method} {path}: {response.status_code}")
            return None
        return response

    def _post(self, path: str, data: dict) -> requests.Response | None:
        return self._send("POST", path, write=True, data=data)

    def login(self) -> None:
        page = self.http.get(f"{self.base}/login", timeout=TIMEOUT)
        self._token(page.text)
        answer = self.http.post(
            f"{self.base}/login",
            data={"email": self.email, "password": DEFAULT_PASSWORD},
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        assert answer.status_code == 303, f"login of {self.email}: {answer.status_code}"
        self._token(self.http.get(f"{self.base}/threads/new", timeout=TIMEOUT).text)

    def _token(self, html: str) -> None:
        """The session's CSRF token, sent as htmx sends it (a plain form sends the same token)."""
        found = CSRF.search(html)
        self.http.headers["X-CSRFToken"] = found.group(1) or found.group(2)

    # -- what a member does -----------------------------------------------------------------------
    def new_thread(self) -> None:
        title = f"Tråd om {word(self.rng)}"
        body = f"{word(self.rng)} och {word(self.rng)}: hur gör ni med kompost i kvarteret?"
        data = {"theme": THEME, "title": title, "body": body, "language": "sv"}
        answer = self._post("/threads/new", data)
        if answer is None:
            return
        location = urlsplit(answer.headers["Location"]).path
        thread_id = int(re.match(r"/threads/(\d+)", location).group(1))
        with self.ledger.lock:
            self.ledger.titles[thread_id] = title
            self.ledger.threads.append(thread_id)
            self.ledger.acknowledged += 1
        page = self._send("GET", location, write=False)
        if page is not None:  # the opening post: this member's to edit
            first = int(POST_ANCHOR.search(page.text).group(1))
            with self.ledger.lock:
                self.ledger.bodies[first] = body
            self.own.append(OwnPost(first, thread_id, title))

    def reply(self, probe: str | None = None) -> None:
        with self.ledger.lock:
            thread_id = self.rng.choice(self.ledger.threads)
        probe = probe or word(self.rng)
        body = f"Svar: {probe} och {word(self.rng)} i regnbäddarna."
        data = {"reply-body": body, "reply-language": "sv"}
        answer = self._post(f"/threads/{thread_id}/replies", data)
        if answer is None:
            return
        acknowledged = time.monotonic()
        post_id = int(answer.headers["Location"].rpartition("#post-")[2])
        self.ledger.acknowledge(post_id, body)
        self.own.append(OwnPost(post_id, thread_id, None))
        if self.on_reply is not None:
            self.on_reply(post_id, probe, acknowledged)

    def edit(self) -> None:
        target = self.rng.choice(self.own)
        body = f"Ändrat: {word(self.rng)} {word(self.rng)} om dagvatten."
        prefix = f"edit-{target.post_id}"
        data = {f"{prefix}-body": body, f"{prefix}-language": "sv"}
        if target.title is not None:
            data[f"{prefix}-title"] = target.title
        answer = self._post(f"/posts/{target.post_id}/edit", data)
        if answer is not None:
            self.ledger.acknowledge(target.post_id, body)
        else:
            with self.ledger.lock:
                self.ledger.maybe.setdefault(target.post_id, set()).add(body)

    def search(self) -> None:
        with self.ledger.lock:
            known = list(self.ledger.bodies.values())[-50:]
            self.ledger.searches += 1
        words = WORD.findall(self.rng.choice(known)) if known else ["kompost"]
        self._send("GET", "/search", write=False, params={"q": words[0]})

    def run(self, stop: threading.Event, *, pause: float = 0.1, mix: dict | None = None) -> None:
        """Until ``stop`` is set: actions drawn by their weights in ``mix`` (``MIX``), each
        followed by a pause of up to ``pause`` seconds."""
        mix = mix or MIX
        while not stop.is_set():
            action = self.rng.choices(list(mix), list(mix.values()))[0]
            if action == "edit" and not self.own:
                action = "reply"
            getattr(self, action)()
            stop.wait(self.rng.random() * pause)


def start_members(members: list[Member], stop: threading.Event, **run_options) -> list:
    """Log every member in, then run each in a thread of its own until ``stop`` is set."""
    for member in members:
        member.login()
    threads = [
        threading.Thread(target=member.run, args=(stop,), kwargs=run_options, daemon=True)
        for member in members
    ]
    for thread in threads:
        thread.start()
    return threads


def crowd(session: Session, base_url: str, ledger: Ledger, count: int) -> list[Member]:
    """``count`` members, created straight in the database, and a thread by each of the first
    four to reply in."""
    users = [make_user(session) for _ in range(count)]
    rng = random.Random(count)
    for user in users[:4]:
        thread, _ = make_thread(session, user, f"Tråd om {word(rng)}", f"{word(rng)} i kvarteret")
        ledger.threads.append(thread.id)
    return [Member(base_url, user.email, ledger, seed=n) for n, user in enumerate(users)]


def stop_members(threads: list[threading.Thread], stop: threading.Event) -> None:
    stop.set()
    for thread in threads:
        thread.join(timeout=2 * TIMEOUT)
