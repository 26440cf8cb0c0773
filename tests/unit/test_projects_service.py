"""Project services: rules, revisions, slugs, lists and the project of a thread."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from forum.accounts.models import Role
from forum.discussions import service as discussions
from forum.domain import InvalidInput, NotAllowed
from forum.projects import queries as project_queries
from forum.projects import service
from forum.projects.errors import DuplicateSlug
from forum.projects.models import ProjectPartner, ProjectRevision
from forum.projects.queries import ProjectFilters
from forum.projects.service import PartnerInput
from tests.factories import make_user, project_input, theme

# The services translate their messages: every test runs in a request context.
pytestmark = pytest.mark.usefixtures("ctx")


def test_create_project_renders_summary_and_keeps_partners_in_order(db_session, project):
    assert project.slug == "vastra-hamnen"
    assert "<em>housing expo</em>" in project.summary_html
    partners = db_session.exec(
        select(ProjectPartner)
        .where(ProjectPartner.project_id == project.id)
        .order_by(ProjectPartner.position)
    ).all()
    assert [(p.organisation, p.actor_type.value) for p in partners] == [
        ("Malmö stad", "public"),
        ("E.ON", "private"),
    ]
    details = project_queries.project_details(session=db_session, project=project)
    assert [g.number for g in details.goals] == [7, 11]


def test_duplicate_slug_is_refused(db_session, member, project):
    with pytest.raises(DuplicateSlug) as error:
        service.create_project(
            session=db_session, actor=member, data=project_input(db_session, name="Västra  hamnen")
        )
    assert error.value.field == "slug"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_year": 1850}, "start_year"),
        ({"start_year": 2010, "end_year": 2005}, "end_year"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "ftp://example.org"}, "website"),
        ({"name": "x" * 161}, "name"),
        ({"municipality": " "}, "municipality"),
        ({"status": "abandoned"}, "status"),
        ({"theme_ids": [999]}, "theme_ids"),
        ({"contact_name": "Nobody Known"}, "contact_name"),
        ({"partners": [PartnerInput("Org", "alien")]}, "partners"),
    ],
)
def test_bad_project_input_names_the_field(db_session, member, overrides, field):
    with pytest.raises(InvalidInput) as error:
        service.create_project(
            session=db_session,
            actor=member,
            data=project_input(db_session, **{"name": "Hyllie", **overrides}),
        )
    assert error.value.field == field


def test_contact_person_is_found_by_display_name(db_session, member):
    contact = make_user(db_session, display_name="Anna Kontakt")
    created = service.create_project(
        session=db_session,
        actor=member,
        data=project_input(db_session, name="Hyllie", contact_name="anna kontakt"),
    )
    assert created.contact_user_id == contact.id


def test_unconfirmed_member_cannot_create(db_session):
    with pytest.raises(NotAllowed):
        service.create_project(
            session=db_session,
            actor=make_user(db_session, confirmed=False),
            data=project_input(db_session),
        )


def test_edit_keeps_a_revision_and_only_creator_or_moderator_may(db_session, member, project):
    stranger = make_user(db_session)
    with pytest.raises(NotAllowed):
        service.update_project(
            session=db_session,
            actor=stranger,
            project=project,
            data=project_input(db_session, name="Hijack"),
        )
    moderator = make_user(db_session, role=Role.moderator)
    service.update_project(
        session=db_session,
        actor=moderator,
        project=project,
        data=project_input(db_session, summary="New summary", slug="vastra-hamnen"),
    )
    db_session.commit()
    revisions = project_queries.project_revisions(session=db_session, project=project)
    assert len(revisions) == 1 and revisions[0].summary == "Bo01 *housing expo*."
    assert json.loads(revisions[0].snapshot)["goal_numbers"] == [7, 11]
    # saving the same content again adds no revision
    service.update_project(
        session=db_session,
        actor=member,
        project=project,
        data=project_input(db_session, summary="New summary", slug="vastra-hamnen"),
    )
    assert len(db_session.exec(select(ProjectRevision)).all()) == 1


def test_recent_activity_sort_follows_linked_threads(db_session, member, project):
    other = service.create_project(
        session=db_session, actor=member, data=project_input(db_session, name="Hyllie")
    )
    db_session.commit()
    thread = discussions.create_thread(
        session=db_session,
        actor=member,
        theme=theme(db_session),
        title="About Västra Hamnen",
        body="How is the aquifer storage doing?",
        language="en",
    )
    thread.project_id = project.id
    from datetime import timedelta

    thread.last_post_at = other.last_activity_at + timedelta(days=1)
    db_session.commit()
    names = [
        p.name
        for p in project_queries.list_projects(
            session=db_session, filters=ProjectFilters(sort="activity")
        ).items
    ]
    assert names == ["Västra Hamnen", "Hyllie"]
    assert [t.id for t in project_queries.linked_threads(session=db_session, project=project)] == [
        thread.id
    ]


def test_project_choices_for_thread_forms(db_session, member, project):
    assert project_queries.project_choices(db_session) == [
        (str(project.id), "Västra Hamnen (Malmö)")
    ]


def test_names_with_swedish_capitals_are_found(db_session, member):
    contact = make_user(db_session, display_name="Åsa Öberg")
    created = service.create_project(
        session=db_session,
        actor=member,
        data=project_input(
            db_session, name="Örebro resecentrum", municipality="Örebro", contact_name="Åsa Öberg"
        ),
    )
    assert created.contact_user_id == contact.id
    assert project_queries.list_projects(
        session=db_session, filters=ProjectFilters(municipality="Örebro")
    ).items == [created]
