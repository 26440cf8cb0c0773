"""Keep a library's optional imports out of a process that will not use them.

Some libraries import every optional client they find installed when they are imported
themselves (huey imports redis and psycopg for storages the forum may never configure). Each web
worker would pay their memory. ``without_modules`` hides those modules while such a library is
imported, so it takes its "not installed" branch; the modules stay importable afterwards, and the
caller hands them over when a setting asks for them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_modules(*names: str) -> Iterator[None]:
    """Within the block, importing one of ``names`` (not already imported) raises ImportError."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # the import system's "known to be missing"
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]
