"""The development path and the life stage derived from constructed histories."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kring.communities.models import Role
from kring.communities.services import community_update
from kring.growth import services
from kring.growth.models import StepKey
from kring.growth.tests.helpers import (
    community_since,
    document,
    founder,
    members,
    sessions_every,
    step,
    with_perspective,
)
from kring.insights.tests.histories import join

pytestmark = pytest.mark.django_db


def test_brand_new_community_is_potential_with_the_first_steps_open(make_community):
    """A community with only a name is `potential`; theme, urgency and rhythm are open."""
    community = make_community(name="Only a name")
    doc = document(community)
    assert doc["stage"]["key"] == "potential"
    assert doc["stage"]["reasons"][0] == "No session has been held yet."
    assert [s["key"] for s in doc["steps"]] == list(StepKey.values)
    assert {k: step(doc, k)["status"] for k in ("theme", "urgency", "rhythm")} == {
        "theme": "open",
        "urgency": "open",
        "rhythm": "open",
    }
    assert all(s["override"] is None for s in doc["steps"])


def test_no_links_between_communities_is_said_not_invented(make_community):
    """The stage's reasons say that links to other communities are not counted."""
    doc = document(make_community())
    assert any("links to other communities are not counted" in r for r in doc["stage"]["reasons"])


def test_theme_and_goal_written_make_the_theme_step_done(make_community):
    """Theme and shared goal: done; only the theme: partial, naming the goal as missing."""
    community = make_community(theme="Loneliness in the neighbourhood")
    assert step(document(community), "theme")["status"] == "partial"
    assert "goal you share" in step(document(community), "theme")["missing"][0]
    community_update(community=community, by=founder(community), shared_goal="Fewer lonely days")
    assert step(document(community), "theme")["status"] == "done"


def test_two_facilitators_of_one_perspective_is_partial(make_community, make_user):
    """Two facilitators, both municipality: `facilitators` is partial, and says why."""
    community = make_community()
    with_perspective(founder(community), "municipality")
    second = with_perspective(make_user(full_name="Bo Visser"), "municipality")
    join_as(community, second, Role.FACILITATOR)
    facilitators = step(document(community), "facilitators")
    assert facilitators["status"] == "partial"
    assert facilitators["missing"] == [
        "All facilitators come from the same perspective (Municipality): the method asks for "
        "two different perspectives."
    ]
    assert "Bo Visser (Municipality)" in facilitators["evidence"][0]


def test_two_facilitators_of_different_perspectives_is_done(make_community, make_user):
    """A municipality and an experience expert facilitating: done."""
    community = make_community()
    with_perspective(founder(community), "municipality")
    join_as(community, with_perspective(make_user(), "experience-expert"), Role.FACILITATOR)
    assert step(document(community), "facilitators")["status"] == "done"


def test_one_facilitator_is_partial(make_community):
    """One facilitator: partial, asking for a second one."""
    facilitators = step(document(make_community()), "facilitators")
    assert facilitators["status"] == "partial"
    assert "second facilitator" in facilitators["missing"][0]


def join_as(community, user, role):
    from kring.communities.services import membership_add

    return membership_add(community=community, user=user, role=role)


def test_every_six_weeks_for_eighteen_months_keeps_the_rhythm(make_community):
    """Sessions every six weeks for eighteen months, up to now: `rhythm` done, no gaps."""
    community = community_since(make_community, days=600)
    now = timezone.now()
    sessions_every(
        community, founder(community), first=now - timedelta(days=14 * 42), days=42, count=15
    )
    rhythm = step(document(community), "rhythm")
    assert rhythm["status"] == "done"
    assert rhythm["missing"] == []
    assert "15 sessions held since" in rhythm["evidence"][0]
    assert "about every 6 weeks" in rhythm["evidence"][1]


def test_six_weekly_for_a_year_is_partial_with_the_months_to_go(make_community):
    """A regular rhythm kept for a year: partial, with the months still to go."""
    community = community_since(make_community, days=400)
    now = timezone.now()
    sessions_every(
        community, founder(community), first=now - timedelta(days=8 * 42 + 10), days=42, count=9
    )
    rhythm = step(document(community), "rhythm")
    assert rhythm["status"] == "partial"
    assert rhythm["missing"] == [
        "Keep the rhythm for about 6 more months to reach eighteen months."
    ]


def test_irregular_meetings_are_partial_with_the_gaps_named(make_community):
    """Long gaps between sessions: partial, each gap named with its dates and weeks."""
    community = community_since(make_community, days=700)
    now = timezone.now()
    by = founder(community)
    first = now - timedelta(days=600)
    sessions_every(community, by, first=first, days=42, count=4)  # up to day 126
    sessions_every(community, by, first=first + timedelta(days=300), days=42, count=3)
    later = first + timedelta(days=300 + 84 + 150)
    sessions_every(community, by, first=later, days=42, count=1)
    rhythm = step(document(community), "rhythm")
    assert rhythm["status"] == "partial"
    gaps = [line for line in rhythm["missing"] if line.startswith("No session")]
    assert len(gaps) == 3
    assert "(25 weeks)" in gaps[0]
    assert "(21 weeks)" in gaps[1]
    assert gaps[2].startswith("No session since")
    assert gaps[2].endswith("plan the next one.")


def test_an_override_shows_as_an_override(make_community):
    """A facilitator's override counts, is marked as such and keeps the derived status;
    the latest decision counts and handing back restores the data's word."""
    community = make_community()
    by = founder(community)
    services.step_judge(
        community=community, by=by, step="urgency", status="done", note="Told at the kick-off"
    )
    urgency = step(document(community), "urgency")
    assert urgency["status"] == "done"
    assert urgency["override"]["kind"] == "overridden"
    assert urgency["override"]["derived"] == "open"
    assert urgency["override"]["note"] == "Told at the kick-off"
    assert urgency["override"]["by"] == by.full_name
    services.step_judge(community=community, by=by, step="urgency", status="open", note="Agreed")
    assert step(document(community), "urgency")["override"]["kind"] == "confirmed"
    services.step_judge(community=community, by=by, step="urgency", status="", note="Data decide")
    assert step(document(community), "urgency")["override"] is None


def test_the_mandate_step_is_done_once_recorded(make_community):
    """Recording who gave room to experiment makes the mandate step done, with its scope."""
    community = make_community()
    assert step(document(community), "mandate")["status"] == "open"
    services.mandate_record(
        community=community,
        by=founder(community),
        given_by="The municipal board",
        scope="Try new ways of reaching lonely elderly people",
    )
    mandate = step(document(community), "mandate")
    assert mandate["status"] == "done"
    assert "The municipal board" in mandate["evidence"][0]


def _growing(make_community, make_user):
    """Began 400 days ago; members joined at the start; six-weekly sessions from day 200."""
    community = community_since(make_community, days=400)
    now = timezone.now()
    start = now - timedelta(days=399)
    people = members(community, make_user, count=6, at=start)
    sessions_every(community, founder(community), first=now - timedelta(days=200), days=42, count=5)
    return community, people


def test_the_stage_changes_over_as_of(make_community, make_user):
    """Before the first session the community was potential; after it, coalescing."""
    community, _people = _growing(make_community, make_user)
    before = (timezone.now() - timedelta(days=250)).date()
    assert document(community, day=before)["stage"]["key"] == "potential"
    assert document(community)["stage"]["key"] == "coalescing"


def test_a_maturing_community(make_community, make_user):
    """Six months old, four sessions or more, five active members, three library items and
    a core group: maturing."""
    from kring.insights.tests.histories import act
    from kring.knowledge.services import item_create

    community, people = _growing(make_community, make_user)
    join(community, make_user, at=timezone.now() - timedelta(days=300), role=Role.CORE)
    for n, person in enumerate(people):
        act(person, community, timezone.now() - timedelta(days=5 + n))
    for n in range(3):
        item_create(
            community=community,
            by=founder(community),
            kind="link",
            title=f"Link {n}",
            url="https://example.org/",
        )
    doc = document(community)
    assert doc["stage"]["key"] == "maturing", doc["stage"]["reasons"]


def test_a_stage_correction_counts_and_shows(make_community):
    """A facilitator's correction is the stage shown (the community's too), with its reason;
    handing it back returns the derived stage."""
    community = make_community()
    by = founder(community)
    services.stage_correct(
        community=community, by=by, stage="coalescing", note="We met twice offline"
    )
    doc = document(community)
    assert doc["stage"]["key"] == "coalescing"
    assert doc["stage"]["reasons"][0].startswith("A facilitator set the stage to Coalescing")
    community.refresh_from_db()
    assert community.stage == "coalescing"
    services.stage_correct(community=community, by=by, stage="", note="Let the data decide")
    community.refresh_from_db()
    assert community.stage == "potential"
    assert document(community)["stage"]["key"] == "potential"
