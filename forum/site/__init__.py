"""The site: the home page and what spans every area, such as everything a person wrote.

Importing the package registers its answers to the accounts area's contribution points (the
profile page and the data export), so they are in place whenever the blueprint is.
"""

from . import export, profile  # noqa: F401  (providers register on import)
