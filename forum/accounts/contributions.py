"""Where the areas above accounts add what a person wrote to the account's pages.

Accounts knows people, not their threads or lessons: the areas that hold writing answer these
points (``@profile_page.provide``), and the account views merge the answers.
"""

from __future__ import annotations

from ..events import Contributions

#: provider(*, session, user) -> template context of the public profile (e.g. ``{"posts": [...]}``)
profile_page = Contributions("profile page")
#: provider(*, session, user) -> sections of "Download my data" (``{"threads": [dicts]}``), in the
#: order the providers registered
data_export = Contributions("data export")
