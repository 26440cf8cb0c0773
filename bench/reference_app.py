"""The bare reference for ``make bench``: Flask + Jinja + sqlite3 rendering one page of a thread.

It reads the same database as the forum (``BENCH_DATABASE``) and renders the same 30 posts with
their authors, dates and stored HTML in a small layout, with nothing else: no ORM, no sessions,
no translations. The forum's pages are measured as a share of its requests per second.
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, abort, g, render_template_string

PAGE = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/css/forum.css"></head><body><header><nav><a href="/">Hem</a>
<a href="/search">Sök</a></nav></header><main><h1>{{ title }}</h1>
{% for post in posts %}<article id="post-{{ post.id }}" class="post"><header>
<span class="author-name">{{ post.display_name }}</span> {{ post.organisation or "" }}
<time datetime="{{ post.created_at }}">{{ post.created_at[:16] }}</time></header>
<div class="post-body">{{ post.body_html|safe }}</div></article>{% endfor %}
</main></body></html>"""

app = Flask(__name__)


def database() -> sqlite3.Connection:
    if "db" not in g:
        g.db = sqlite3.connect(os.environ["BENCH_DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close(_error) -> None:
    if (connection := g.pop("db", None)) is not None:
        connection.close()


@app.get("/threads/<int:thread_id>")
def thread(thread_id: int):
    title = database().execute("SELECT title FROM thread WHERE id = ?", (thread_id,)).fetchone()
    if title is None:
        abort(404)
    posts = database().execute(
        "SELECT post.id, post.body_html, post.created_at, u.display_name, u.organisation"
        " FROM post JOIN user_account u ON u.id = post.author_id WHERE post.thread_id = ?"
        " ORDER BY post.created_at, post.id LIMIT 30",
        (thread_id,),
    )
    return render_template_string(PAGE, title=title[0], posts=posts.fetchall())
