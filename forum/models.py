"""Imports every table so ``SQLModel.metadata`` is complete (Alembic, tests)."""

from sqlmodel import SQLModel

from .accounts.models import LoginSession, MemberPicture, User  # noqa: F401
from .agenda.models import Event, EventGoal, EventTheme  # noqa: F401
from .agenda.series_models import (  # noqa: F401
    EventOrganiser,
    EventRevision,
    EventSeries,
    EventSeriesGoal,
    EventSeriesOrganiser,
    EventSeriesTheme,
)
from .core.models import Goal, Theme  # noqa: F401
from .discussions.models import (  # noqa: F401
    Post,
    PostRevision,
    Reaction,
    Thread,
    ThreadGoal,
    ThreadRedirect,
)
from .invitations.models import Invitation, InvitationDelivery, Subscriber  # noqa: F401
from .lessons.models import (  # noqa: F401
    Lesson,
    LessonGoal,
    LessonOutcome,
    LessonReaction,
    LessonRevision,
)
from .mail.models import MailOutbox  # noqa: F401
from .moderation.models import (  # noqa: F401
    BarrierReport,
    ModerationAction,
    Report,
    Suspension,
    UserNote,
    UserWarning,
)
from .notifications.models import (  # noqa: F401
    DigestSent,
    MailPreference,
    Notification,
    Watch,
    WatchDefaults,
)
from .projects.models import (  # noqa: F401
    Project,
    ProjectGoal,
    ProjectPartner,
    ProjectRevision,
    ProjectSlugHistory,
    ProjectTheme,
)
from .search.models import (  # noqa: F401
    GlossaryGroup,
    GlossaryTerm,
    ImportedItem,
    SearchNode,
    SearchOutbox,
    SearchOutboxApplied,
)

metadata = SQLModel.metadata
