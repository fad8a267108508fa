"""`kring seed-demo`: demo communities and people, built through the services, idempotently."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Community, GroundRule, Membership, Role, Visibility
from kring.core.models import ActivityEvent, Tag, Verb
from kring.demo.services import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "demo-media"
    return settings.MEDIA_ROOT


def seed(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed-demo", *args, stdout=out, stderr=err)
    return out.getvalue()


def demo_people():
    return User.objects.filter(is_superuser=False)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Community, Membership, GroundRule, Tag, ActivityEvent)
    }


def test_creates_over_forty_people_each_with_photo_perspectives_and_tags(media):
    """Seeding creates 40+ people, each with a stored photo, perspectives and topic tags."""
    seed("--quiet")
    people = list(demo_people().prefetch_related("perspectives", "help_tags", "seeking_tags"))
    assert len(people) >= 40
    for person in people:
        assert person.photo, person.email
        assert (media / person.photo.name).is_file(), person.email
        assert 1 <= len(person.perspectives.all()) <= 2, person.email
        assert 2 <= len(person.help_tags.all()) <= 4, person.email
        assert 1 <= len(person.seeking_tags.all()) <= 2, person.email
        assert person.organisation and person.job_title and person.bio, person.email
        assert person.memberships.exists(), person.email


def test_photos_are_distinct_square_jpegs():
    """Every demo photo went through photo_prepare (square JPEG) and no two are the same."""
    from PIL import Image

    seed("--quiet")
    contents = set()
    for person in User.objects.all():
        with person.photo.open("rb") as handle:
            data = handle.read()
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG"
        assert image.size[0] == image.size[1]
        contents.add(data)
    assert len(contents) == User.objects.count()


def test_creates_communities_with_two_facilitators_core_group_and_framing():
    """Each of the 2-3 communities has its framing, rules, two facilitators and a core group."""
    seed("--quiet")
    communities = list(Community.objects.all())
    assert 2 <= len(communities) <= 3
    assert sum(c.visibility == Visibility.PUBLIC for c in communities) == 1
    for community in communities:
        roles = list(community.memberships.values_list("role", flat=True))
        assert roles.count(Role.FACILITATOR) == 2, community.slug
        assert 3 <= roles.count(Role.CORE) <= 5, community.slug
        assert 1 <= roles.count(Role.GUEST) <= 2, community.slug
        assert 4 <= community.ground_rules.count() <= 6, community.slug
        assert community.theme and community.urgency and community.shared_goal
        assert community.signature
        assert 0 < sum(community.target_mix.values()) <= 100


def test_most_people_belong_to_one_community_and_some_to_two():
    """Most demo people are in one community; a few are in two."""
    seed("--quiet")
    per_person = [person.memberships.count() for person in demo_people()]
    assert per_person.count(2) >= 2
    assert per_person.count(1) > len(per_person) / 2
    assert max(per_person) == 2


def test_join_dates_spread_over_the_past_year_and_match_the_activity_history():
    """Memberships started over the last twelve months, and each has a matching joined event."""
    seed("--quiet")
    now = timezone.now()
    joined = sorted(Membership.objects.values_list("joined_at", flat=True))
    assert joined[0] >= now - timedelta(days=366)
    assert joined[-1] <= now
    assert joined[-1] - joined[0] > timedelta(days=240)
    events = sorted(
        ActivityEvent.objects.filter(verb=Verb.JOINED).values_list("created_at", flat=True)
    )
    assert events == joined
    for community in Community.objects.all():
        first = community.memberships.order_by("joined_at").first()
        assert first.role == Role.FACILITATOR
        assert first.joined_at == community.created_at


def test_running_twice_creates_nothing_new(media):
    """A second run leaves the same rows, the same photos and no new activity events."""
    seed("--quiet")
    before = counts()
    photos = dict(User.objects.values_list("email", "photo"))
    files = sorted(p.name for p in (media / "photos").iterdir())

    output = seed()

    assert counts() == before
    assert dict(User.objects.values_list("email", "photo")) == photos
    assert sorted(p.name for p in (media / "photos").iterdir()) == files
    assert "0 new" in output


def test_rerun_restores_a_changed_role_and_a_missing_photo(media):
    """A second run puts a changed role back and draws a photo whose file went missing."""
    seed("--quiet")
    membership = Membership.objects.filter(role=Role.MEMBER).select_related("user").first()
    membership.role = Role.GUEST
    membership.save()
    person = membership.user
    (media / person.photo.name).unlink()

    seed("--quiet")

    membership.refresh_from_db()
    person.refresh_from_db()
    assert membership.role == Role.MEMBER
    assert (media / person.photo.name).is_file()


def test_output_lists_logins_for_admin_facilitators_and_members():
    """The printed block names the password, the admin, a facilitator per community and members."""
    output = seed()
    assert f"Password for every account: {DEFAULT_PASSWORD}" in output
    admin = User.objects.get(is_superuser=True)
    assert re.search(rf"platform admin\s+{re.escape(admin.email)}", output)
    for community in Community.objects.all():
        assert community.name in output
        facilitator_emails = community.memberships.filter(role=Role.FACILITATOR).values_list(
            "user__email", flat=True
        )
        assert any(email in output for email in facilitator_emails), community.slug
    members = re.findall(r"^\s+member\s+(\S+@\S+)", output, flags=re.MULTILINE)
    assert len(members) >= 2
    assert any(User.objects.get(email=email).memberships.count() == 2 for email in members)


def test_a_printed_member_can_log_in_with_the_printed_password(client):
    """A member listed in the output logs in with the printed password and sees the home page."""
    output = seed()
    password = re.search(r"Password for every account: (\S+)", output).group(1)
    email = re.search(r"^\s+member\s+(\S+@\S+)", output, flags=re.MULTILINE).group(1)

    assert client.login(username=email, password=password)
    assert client.get(reverse("home")).status_code == 200


def test_printed_admin_is_a_superuser_who_can_log_in(client):
    """The printed admin account is an active superuser with the demo password."""
    output = seed()
    email = re.search(r"platform admin\s+(\S+@\S+)", output).group(1)
    admin = User.objects.get(email=email)
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert client.login(username=email, password=DEFAULT_PASSWORD)


def test_password_option_sets_every_demo_password(client):
    """--password sets the shared password, also for accounts made by an earlier run."""
    seed("--quiet")
    output = seed("--password", "Another-demo-pass-77")
    assert "Another-demo-pass-77" in output
    email = demo_people().first().email
    assert client.login(username=email, password="Another-demo-pass-77")
    assert not client.login(username=email, password=DEFAULT_PASSWORD)


@pytest.mark.parametrize("password", ["short", "password123", "12345678901"])
def test_weak_password_is_refused_and_nothing_is_created(password):
    """A password Django's validators reject stops the command before anything is written."""
    with pytest.raises(CommandError, match="Password refused"):
        seed("--password", password)
    assert User.objects.count() == 0
    assert Community.objects.count() == 0


def test_quiet_prints_nothing():
    """--quiet suppresses the summary and the list of logins."""
    assert seed("--quiet") == ""
    assert User.objects.count() > 40
