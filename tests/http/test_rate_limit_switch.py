"""Rate limits are switched on or off per application, not per process."""

from __future__ import annotations

from forum import create_app
from forum.extensions import limiter


def _app_with_limited_route(settings: dict, enabled: bool):
    app = create_app({**settings, "RATELIMIT_ENABLED": enabled})

    @app.get("/limited")
    @limiter.limit("1 per minute", scope=f"switch-test-{enabled}")
    def limited():
        return "ok"

    return app


def test_a_later_app_without_limits_does_not_switch_them_off_for_an_earlier_one(app_settings):
    limited = _app_with_limited_route(app_settings, True).test_client()
    unlimited = _app_with_limited_route(app_settings, False).test_client()
    limiter.reset()

    assert limited.get("/limited").status_code == 200
    assert limited.get("/limited").status_code == 429
    assert [unlimited.get("/limited").status_code for _ in range(3)] == [200, 200, 200]
    limiter.reset()
