"""What areas above projects add to the project pages (see ``forum.events.Contributions``).

The lessons area answers both: the lessons of a project with their reply counts, and the lesson
count of each project on the list. The templates include that area's fragments for them.
"""

from __future__ import annotations

from ..events import Contributions

#: provider(*, session, project, viewer) -> dict, merged into the project page's context
project_page = Contributions("project page")
#: provider(*, session, projects) -> dict, merged into the project list's context
project_list = Contributions("project list")
