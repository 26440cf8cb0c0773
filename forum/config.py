"""Configuration: defaults here, overrides from the environment (prefix ``FORUM_``).

No secret has a default outside tests. ``make run`` writes a random key into
``instance/secret_key`` when ``FORUM_SECRET_KEY`` is unset.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = Path(os.environ.get("FORUM_INSTANCE_DIR") or PROJECT_ROOT / "instance")


class ConfigError(RuntimeError):
    """The configuration cannot start a safe application."""


def _read_secret_file() -> str | None:
    path = INSTANCE_PATH / "secret_key"
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        return value or None
    return None


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production-leaning defaults; everything can be overridden by ``FORUM_*``."""

    TESTING = False
    INSTANCE_DIR = str(INSTANCE_PATH)
    SECRET_KEY: str | None = None
    DATABASE_URL = f"sqlite:///{INSTANCE_PATH / 'forum.db'}"
    SQL_ECHO = False
    SEARCH_DIR = str(PROJECT_ROOT / "search_index")
    SEARCH_LOCK_TIMEOUT = 10.0  # seconds a writer waits for Whoosh's index lock
    SEARCH_RETRY_INTERVAL = 5.0  # seconds between background retries of pending index changes
    SEARCH_BACKGROUND_REBUILD = True  # a missing/corrupt index is rebuilt in a background thread

    # Work outside the request (forum/jobs.py): a worker process (`flask forum worker`) runs the
    # index updates, mail and periodic checks; off, they run in the process that asks for them.
    JOBS_WORKER = True
    JOBS_WORKER_THREADS = 2
    JOBS_HEARTBEAT_SECONDS = 10.0  # how often the worker records that it is alive
    # GET /healthz answers 503 when the worker has been silent, or an index change has waited,
    # longer than this many seconds
    HEALTH_WORKER_SILENCE = 60.0
    HEALTH_PENDING_AGE = 300.0
    JOBS_SQLITE_PATH = str(INSTANCE_PATH / "jobs.db")  # the queue on one machine
    # redis-py's URL (redis://host:6379/0, unix:///path/redis.sock): the queue and the rate limits
    # in Redis instead, shared by several machines
    REDIS_URL: str | None = None

    # MiB of rendered posts and rows kept per process (forum/web/fragments.py). 0 turns it off.
    FRAGMENT_CACHE_MB = 2

    LANGUAGES = ("sv", "en")
    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent / "translations")

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 365 * 24 * 3600  # seconds; older logins are forgotten daily
    # Served over HTTPS (behind a proxy that ends TLS): every cookie Secure, HSTS, https links.
    # One switch for all of them, applied by https_settings() below.
    HTTPS = False
    HSTS_MAX_AGE = 365 * 24 * 3600
    MAX_CONTENT_LENGTH = 1024 * 1024
    # Recordings and slides of events: kept under UPLOAD_DIR (unset: INSTANCE_DIR/uploads) under
    # names the forum makes; the largest upload request (a video) and slides file, in MB.
    UPLOAD_DIR: str | None = None
    UPLOAD_MAX_MB = 500
    UPLOAD_SLIDES_MAX_MB = 50
    # Members' pictures: the largest file (MB) and image (pixels: a small file may declare a huge
    # image); the request may be a little larger than the file, for the form around it.
    PICTURE_MAX_MB = 5
    PICTURE_REQUEST_MAX_MB = 6
    PICTURE_MAX_PIXELS = 40_000_000

    # Backups of PostgreSQL: the directory of pg_dump and pg_restore (unset: Debian's newest
    # /usr/lib/postgresql/<version>/bin that suits the server, else the PATH).
    PG_BIN_DIR: str | None = None

    RATELIMIT_ENABLED = True
    # Where the limits count (limits' syntax); unset: REDIS_URL's Redis, else this process's memory.
    # Several processes need a shared storage, or each counts on its own (ratelimit_storage_uri).
    RATELIMIT_STORAGE_URI: str | None = None
    # When the storage is unreachable, each process counts in its own memory until it is back
    # (flask-limiter checks again with growing pauses): the limits hold, though per process, and
    # the site answers. An error while counting a response (deduct_when) is logged, not a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_timeout": 1.0, "socket_connect_timeout": 1.0}
    RATELIMIT_HEADERS_ENABLED = False
    # Posting in discussions (flask-limiter syntax), per user; the second for accounts younger than
    # a day.
    DISCUSSIONS_POST_LIMIT = "8 per minute;60 per hour"
    DISCUSSIONS_NEW_ACCOUNT_POST_LIMIT = "2 per minute;10 per hour"
    # Creating projects and lessons, per user; only a real creation counts.
    PROJECTS_CREATE_LIMIT = "5 per hour;20 per day"
    LESSONS_CREATE_LIMIT = "10 per hour;40 per day"

    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_SENDER = "Tillsammans forum <no-reply@localhost>"
    MAIL_DIR = str(INSTANCE_PATH / "mail")
    MAIL_TIMEOUT = 10.0

    SERVER_URL = "http://127.0.0.1:5000"
    # Who runs the forum: named on /about, as the controller of personal data on /privacy and on
    # /accessibility, and as the publisher of the open-data catalogue (DCAT-AP-SE). PUBLISHER_URL
    # unset is SERVER_URL; PUBLISHER_ADDRESS is a postal address; PUBLISHER_TYPE is a code of the
    # ADMS publisher type vocabulary; CONTACT_EMAIL is where readers write (unset, the pages point
    # to the barrier form and the catalogue's contact point names only the /data page, which
    # dataportal.se refuses: set it where the catalogue is harvested).
    PUBLISHER_NAME = "Tillsammans forum"
    PUBLISHER_URL: str | None = None
    PUBLISHER_ADDRESS: str | None = None
    PUBLISHER_TYPE = "NonProfitOrganisation"
    CONTACT_EMAIL: str | None = None
    # Open data: the most addresses one sitemap file lists (the sitemap protocol allows 50,000);
    # /sitemap.xml is an index of as many files as that takes.
    SITEMAP_PAGE_SIZE = 50000
    # Open data (/data): the nightly dumps are written to DUMPS_DIR (unset: INSTANCE_DIR/dumps)
    # at this hour, Stockholm time.
    DUMPS_DIR: str | None = None
    DUMPS_HOUR = 2
    # Notification mail: digests go out at this hour, Stockholm time (BABEL_DEFAULT_TIMEZONE);
    # an address whose mailbox is read for unsubscribe requests (List-Unsubscribe's mailto:)
    NOTIFICATIONS_DIGEST_HOUR = 7
    UNSUBSCRIBE_MAILTO: str | None = None

    # Optional approval: posts by accounts younger than the age, or with more links
    # than the maximum, wait in the moderation queue before they are public.
    MODERATION_APPROVAL_ENABLED = False
    MODERATION_APPROVAL_MAX_ACCOUNT_AGE_HOURS = 24
    MODERATION_APPROVAL_MAX_LINKS = 2
    MODERATION_REPORT_LIMIT = "10 per minute;30 per hour"  # reports a user may file
    # accessibility barriers one member, or one address when not logged in, may report
    BARRIER_REPORT_LIMIT = "5 per hour;20 per day"

    # Accounts: argon2id cost, token lifetimes in seconds, rate limits. The cost is the
    # lowest-memory of OWASP's equally strong settings (7 MiB, 5 passes, 1 lane): the web worker
    # holds that memory during every login (argon2-cffi's default, 64 MiB, would raise each
    # worker's peak by as much), and here it also takes less CPU than 19 MiB with 2 passes.
    ARGON2_TIME_COST = 5
    ARGON2_MEMORY_COST = 7168  # KiB
    ARGON2_PARALLELISM = 1
    CONFIRM_TOKEN_MAX_AGE = 3 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 3600
    RATELIMIT_LOGIN = "10 per minute;60 per hour"
    RATELIMIT_LOGIN_ACCOUNT = "5 per minute;20 per hour"
    RATELIMIT_REGISTER = "5 per hour;20 per day"
    RATELIMIT_RESET = "5 per hour"
    RATELIMIT_RESET_ACCOUNT = "3 per hour"
    RATELIMIT_CONFIRM_MAIL = "3 per hour"
    RATELIMIT_MEMBER_SEARCH = "60 per minute;600 per hour"  # the @handle suggestions, per user
    RATELIMIT_PREVIEW = "30 per minute;300 per hour"  # Markdown previews, per user (all forms)
    RATELIMIT_API = "120 per minute;2400 per hour"  # the JSON API, per address

    # The invitation list: sign-up links' lifetime (seconds), mails per minute when an invitation
    # is sent, sign-ups per IP and per typed address, an address for mailto unsubscribing.
    INVITATIONS_CONFIRM_TOKEN_MAX_AGE = 3 * 24 * 3600
    INVITATIONS_SEND_PER_MINUTE = 60
    RATELIMIT_INVITATIONS_SIGNUP = "5 per hour;20 per day"
    RATELIMIT_INVITATIONS_SIGNUP_ADDRESS = "3 per hour;10 per day"
    UNSUBSCRIBE_MAILTO: str | None = None

    # Events: the answers to an event's registration questions are emptied this many days after
    # the event ended (a daily job, forum/agenda/registration.py).
    EVENT_ANSWERS_RETENTION_DAYS = 30

    @classmethod
    def from_environment(cls) -> dict:
        """Collect the settings of this class, overridden by ``FORUM_<NAME>`` variables."""
        settings = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        for key, default in list(settings.items()):
            raw = os.environ.get(f"FORUM_{key}")
            if raw is None:
                continue
            if isinstance(default, bool):
                settings[key] = _env_bool(f"FORUM_{key}", default)
            elif isinstance(default, int):
                settings[key] = int(raw)
            elif isinstance(default, float):
                settings[key] = float(raw)
            elif isinstance(default, tuple):
                settings[key] = tuple(part.strip() for part in raw.split(",") if part.strip())
            else:
                settings[key] = raw
        if not settings.get("SECRET_KEY"):
            settings["SECRET_KEY"] = _read_secret_file()
        if "FORUM_SERVER_URL" not in os.environ:
            settings["SERVER_URL"] = (
                server_url_of_bind(os.environ.get("FORUM_BIND")) or settings["SERVER_URL"]
            )
        return settings


@dataclass(frozen=True)
class Publisher:
    """Who runs the forum, as the footer's pages and the open-data catalogue name them."""

    name: str
    url: str
    address: str | None
    type: str | None
    email: str | None


def publisher_of(settings) -> Publisher:
    """The one reading of the PUBLISHER_* and CONTACT_EMAIL settings (see ``Config``), so the
    pages and the catalogue cannot name two different operators. A setting left empty in the
    environment counts as unset: an empty name or address in the catalogue is refused."""

    def setting(key: str) -> str | None:
        return (settings.get(key) or "").strip() or None

    return Publisher(
        name=setting("PUBLISHER_NAME") or Config.PUBLISHER_NAME,
        url=setting("PUBLISHER_URL") or settings["SERVER_URL"],
        address=setting("PUBLISHER_ADDRESS"),
        type=setting("PUBLISHER_TYPE"),
        email=setting("CONTACT_EMAIL"),
    )


def server_url_of_bind(bind: str | None) -> str | None:
    """The address the forum serves, from gunicorn's ``host:port`` (``FORUM_BIND``, which
    ``make run`` sets for the web and the worker alike), so links in mail reach the port actually
    served. A wildcard address becomes ``localhost``; a Unix socket names no URL."""
    if not bind or bind.startswith(("unix:", "fd://")):
        return None
    host, sep, port = bind.rpartition(":")
    if not sep or not port.isascii() or not port.isdigit():
        return None
    if host in ("", "0.0.0.0", "[::]", "::"):  # noqa: S104  (recognises one, binds nothing)
        host = "localhost"
    return f"http://{host}:{port}"


def https_settings(settings) -> dict:
    """What ``HTTPS`` switches on: a cookie set without ``Secure`` on an HTTPS site can be read
    by a network attacker who lures the browser to a plain-HTTP address of the site."""
    if not settings.get("HTTPS"):
        return {}
    return {
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SECURE": True,
        "PREFERRED_URL_SCHEME": "https",
    }


def ratelimit_storage_uri(settings) -> str:
    """The flask-limiter storage of these settings: RATELIMIT_STORAGE_URI when given, else the
    Redis of REDIS_URL (which limits spells ``redis+unix://`` for a socket), else memory."""
    if settings.get("RATELIMIT_STORAGE_URI"):
        return settings["RATELIMIT_STORAGE_URI"]
    redis_url = settings.get("REDIS_URL")
    if not redis_url:
        return "memory://"
    return "redis+" + redis_url if redis_url.startswith("unix://") else redis_url


class TestConfig(Config):
    """Used by the test-suite: a fixed secret, no rate limits unless a test turns them on."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105  (the tests' own)
    SEARCH_RETRY_INTERVAL = 0.0  # tests apply the outbox explicitly or on commit
    JOBS_WORKER = False  # huey's immediate mode: jobs run at once in the test's process
    RATELIMIT_ENABLED = False
    WTF_CSRF_ENABLED = False
    # cheap hashing: tests hash many passwords
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
