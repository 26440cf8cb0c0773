"""Tillsammans forum: the application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from sqlmodel import SQLModel

# Stable constraint names, so Alembic can alter tables on SQLite and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def create_app(config: dict | type | None = None) -> Flask:
    """Build the application. ``config`` is a Config class or a dict of overrides."""
    from . import db, errors, jobs, models  # noqa: F401  (models fills the metadata)
    from .accounts.session import load_user
    from .config import PROJECT_ROOT, Config, ConfigError, https_settings
    from .extensions import babel, csrf, htmx, login_manager
    from .i18n import BABEL_LOCALES, remember_language_choice, select_locale
    from .locale_data import load_trimmed
    from .web import DatabaseIntConverter, ForumRequest
    from .web.conditional import init_conditional_get
    from .web.fragments import init_fragments
    from .web.rendering import ForumEnvironment
    from .web.security import init_security_headers

    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.jinja_environment = ForumEnvironment
    app.url_map.converters["int"] = DatabaseIntConverter
    app.request_class = ForumRequest
    if isinstance(config, type):
        app.config.update({k: getattr(config, k) for k in dir(config) if k.isupper()})
    else:
        app.config.update(Config.from_environment())
        if config:
            app.config.update(config)
    app.config.update(https_settings(app.config))
    if not app.config.get("SECRET_KEY"):
        raise ConfigError(
            "No secret key: set FORUM_SECRET_KEY or run `make run`, "
            "which writes one to instance/secret_key."
        )
    logging.basicConfig(level=logging.INFO)

    db.init_app(app)
    jobs.init_app(app)
    load_trimmed(BABEL_LOCALES.values())
    babel.init_app(app, locale_selector=select_locale)
    htmx.init_app(app)
    csrf.init_app(app)
    _init_limiter(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    _prepare_directories(app)
    from . import search
    from .agenda import searchable  # noqa: F401  (events register in search before it opens)

    search.init_app(app)

    app.before_request(remember_language_choice)
    errors.register_error_handlers(app)
    _register_template_helpers(app)
    init_fragments(app)
    init_conditional_get(app)
    init_security_headers(app)

    from .accounts.views import bp as accounts_bp
    from .cli import forum_cli
    from .core.views import bp as core_bp
    from .discussions.views import bp as discussions_bp
    from .lessons.views import bp as lessons_bp
    from .moderation.views import bp as moderation_bp
    from .projects.views import bp as projects_bp
    from .search.views import bp as search_bp
    from .site.views import bp as site_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(discussions_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(lessons_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(site_bp)
    # imported after site, so its sections come after site's in "Download my data"
    from .notifications.views import bp as notifications_bp

    app.register_blueprint(notifications_bp)
    from .invitations.views import bp as invitations_bp

    app.register_blueprint(invitations_bp)
    from .agenda.views import bp as events_bp

    app.register_blueprint(events_bp)
    from .opendata import init_opendata

    init_opendata(app)
    app.cli.add_command(forum_cli)
    app.extensions["jobs"].install()  # every area has declared its jobs by now
    return app


def _init_limiter(app: Flask) -> None:
    """flask-limiter keeps one on/off switch per process (the last init_app wins, and a disabled
    init registers nothing). The forum always registers it and decides per application, from its
    own RATELIMIT_ENABLED, in the request filter of forum.extensions."""
    from .config import ratelimit_storage_uri
    from .extensions import limiter

    app.config["RATELIMIT_STORAGE_URI"] = ratelimit_storage_uri(app.config)
    wanted = app.config["RATELIMIT_ENABLED"]
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    app.config["RATELIMIT_ENABLED"] = wanted


def _prepare_directories(app: Flask) -> None:
    """Create the search directory if possible; a failure is reported by /healthz, not fatal."""
    for key in ("SEARCH_DIR",):
        try:
            Path(app.config[key]).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            app.logger.warning("cannot create %s=%s: %s", key, app.config[key], exc)


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import format_date

    from .clock import machine_time
    from .i18n import current_language, format_datetime, localized, time_ago
    from .permissions import TEMPLATE_PREDICATES
    from .web import current_path_with, register_template_globals
    from .web.forms import csrf_field

    register_template_globals(
        app,
        "forum",
        {
            "current_language": current_language,
            "localized": localized,
            "time_ago": time_ago,
            "format_date": format_date,
            "format_datetime": format_datetime,
            "machine_time": machine_time,
            "csrf_field": csrf_field,
            "current_path_with": current_path_with,
            "languages": app.config["LANGUAGES"],
            **TEMPLATE_PREDICATES,
        },
    )
