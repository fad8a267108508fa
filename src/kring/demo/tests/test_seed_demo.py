"""`kring seed-demo`: demo communities, people and libraries, built through the services,
idempotently."""

import io
import json
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Community, GroundRule, Membership, Role, Visibility
from kring.communities.verbs import CommunityVerb
from kring.conversations.models import (
    Conversation,
    Flag,
    FlagStatus,
    Message,
    Notification,
    PostRevision,
    Reaction,
    Reply,
    Thread,
    ThreadKind,
)
from kring.conversations.verbs import ConversationVerb
from kring.core.models import ActivityEvent, SearchDocument, Tag
from kring.core.search import text
from kring.demo.conversations import FLAGS, MENTION, MESSAGES, THREADS
from kring.demo.data import COMMUNITIES, PEOPLE
from kring.demo.library import LIBRARY
from kring.demo.services import DEFAULT_PASSWORD
from kring.knowledge.models import (
    LESSON_SECTIONS,
    Comment,
    Featured,
    ItemAuthor,
    Kind,
    KnowledgeItem,
    Revision,
    Useful,
)
from kring.knowledge.search import item_plain_text
from kring.knowledge.verbs import KnowledgeVerb
from kring.meetings.models import (
    ActionPoint,
    Attendance,
    AttendanceStatus,
    Reflection,
    Rsvp,
    Series,
    Session,
)

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
        for model in (
            User,
            Community,
            Membership,
            GroundRule,
            Tag,
            ActivityEvent,
            KnowledgeItem,
            ItemAuthor,
            Revision,
            Useful,
            Comment,
            SearchDocument,
            Thread,
            Reply,
            PostRevision,
            Reaction,
            Conversation,
            Message,
            Flag,
            Notification,
            Series,
            Session,
            Rsvp,
            Attendance,
            Reflection,
            ActionPoint,
        )
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
        ActivityEvent.objects.filter(verb=CommunityVerb.JOINED).values_list("created_at", flat=True)
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
    assert "(0 new; 0 useful marks and 0 comments added)" in output
    assert "(0 new; 0 direct messages and 0 flags added)" in output


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


# --- The library -------------------------------------------------------------------------

LESSON_KEYS = [key for key, _label in LESSON_SECTIONS]


def spec_words(spec) -> int:
    return len(text.words(" ".join([spec.body, *spec.sections.values()])))


def test_library_specs_are_consistent_with_the_people_and_communities():
    """Every demo item is written by non-guest members of its community, read and commented
    on by other members, featured by a facilitator, and has 80-300 words and 1-3 themes
    of which at least one is something a member says they can help with."""
    roles = {(key, person.name): role for person in PEOPLE for key, role in person.memberships}
    started = {community.key: community.started_days_ago for community in COMMUNITIES}
    help_tags = {
        community.key: {
            tag.lower()
            for person in PEOPLE
            if any(key == community.key for key, _role in person.memberships)
            for tag in person.help_tags
        }
        for community in COMMUNITIES
    }
    titles = Counter((spec.community, spec.title) for spec in LIBRARY)
    assert max(titles.values()) == 1
    for spec in LIBRARY:
        where = (spec.community, spec.title)
        assert spec.kind in Kind.values, where
        assert spec.title == " ".join(spec.title.split()), where
        assert 80 <= spec_words(spec) <= 300, (where, spec_words(spec))
        assert 1 <= len(spec.tags) <= 3, where
        assert help_tags[spec.community] & {t.lower() for t in spec.tags}, where
        assert 0 < spec.days_ago < started[spec.community], where
        for name in spec.authors:
            assert roles.get((spec.community, name)) in ("facilitator", "core", "member"), name
        assert len(set(spec.useful)) == len(spec.useful), where
        assert not set(spec.useful) & set(spec.authors), where
        for name in [*spec.useful, *(name for name, _text in spec.comments)]:
            assert (spec.community, name) in roles, (where, name)
        if spec.featured:
            assert spec.featured[0] in Featured.values, where
            assert roles[(spec.community, spec.featured[1])] == "facilitator", where
        if spec.kind == Kind.LESSON_LEARNED:
            assert list(spec.sections) == LESSON_KEYS and not spec.body, where
        else:
            assert not spec.sections, where
            # Markdown with structure: headings or lists.
            assert re.search(r"^(## |- |\d+\. )", spec.body, flags=re.MULTILINE), where
        # The wrapped source is joined again: no line starts indented.
        for part in [spec.body, *spec.sections.values()]:
            assert not re.search(r"^[ \t]+\S", part, flags=re.MULTILINE), where


def test_each_community_gets_a_library_of_every_kind():
    """Each community has 8-12 library items: toolkits, a step-by-step plan, a webinar with a
    web address, a hand-out, a practice example, a link, 3-4 practice stories and 2-3
    lessons learned, each with one to three themes."""
    seed("--quiet")
    for community in Community.objects.all():
        items = list(community.knowledge_items.prefetch_related("tags"))
        assert 8 <= len(items) <= 12, community.slug
        kinds = Counter(item.kind for item in items)
        for kind in (Kind.TOOLKIT, Kind.STEP_PLAN, Kind.HANDOUT, Kind.PRACTICE_EXAMPLE):
            assert kinds[kind] >= 1, (community.slug, kind)
        assert 3 <= kinds[Kind.PRACTICE_STORY] <= 4, community.slug
        assert 2 <= kinds[Kind.LESSON_LEARNED] <= 3, community.slug
        for kind in (Kind.WEBINAR, Kind.LINK):
            urls = [item.url for item in items if item.kind == kind]
            assert urls and all(url.startswith("https://") for url in urls), community.slug
        for item in items:
            assert 1 <= len(item.tags.all()) <= 3, item.title
            assert item.revisions.count() == 1, item.title


def test_items_are_written_by_members_and_dated_after_they_joined():
    """Authors (some with a co-author) are members of the item's community, and each item
    is dated after all its authors joined, spread over the community's life."""
    seed("--quiet")
    now = timezone.now()
    co_authored = 0
    for community in Community.objects.all():
        joined = dict(community.memberships.values_list("user_id", "joined_at"))
        dates = []
        for item in community.knowledge_items.prefetch_related("item_authors"):
            authors = [link.user_id for link in item.item_authors.all()]
            assert authors[0] == item.created_by_id, item.title
            assert all(pk in joined for pk in authors), item.title
            assert max(joined[pk] for pk in authors) < item.created_at <= now, item.title
            co_authored += len(authors) > 1
            dates.append(item.created_at)
        life = now - community.created_at
        assert max(dates) - min(dates) > life / 2, community.slug
        created = ActivityEvent.objects.filter(community=community, verb=KnowledgeVerb.ITEM_CREATED)
        assert sorted(created.values_list("created_at", flat=True)) == sorted(dates)
    assert co_authored >= 6


def test_lessons_learned_have_all_four_sections(client):
    """Every lesson learned is written in the four parts, and its page shows them."""
    seed("--quiet")
    lessons = KnowledgeItem.objects.filter(kind=Kind.LESSON_LEARNED).select_related("community")
    assert lessons.count() >= 6
    for lesson in lessons:
        # jsonb (PostgreSQL) keeps no key order: compare the parts, not their order.
        assert sorted(lesson.sections) == sorted(LESSON_KEYS), lesson.title
        assert all(len(part.split()) >= 15 for part in lesson.sections.values()), lesson.title
        assert lesson.body == ""
    lesson = lessons.first()
    client.force_login(lesson.created_by)
    page = client.get(lesson.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    first_words = " ".join(lesson.sections["learned"].split()[:4])
    assert first_words in html


def test_members_mark_items_useful_comment_and_facilitators_feature():
    """Other members (guests too) found items useful and left comments; the counters agree;
    in each community a facilitator featured one or two items."""
    seed("--quiet")
    for community in Community.objects.all():
        items = list(community.knowledge_items.prefetch_related("item_authors"))
        marks = Useful.objects.filter(item__community=community)
        comments = Comment.objects.filter(item__community=community)
        assert marks.count() >= 3 * len(items), community.slug
        assert comments.count() >= 5, community.slug
        assert marks.filter(user__memberships__community=community).count() == marks.count()
        for item in items:
            authors = {link.user_id for link in item.item_authors.all()}
            readers = set(item.useful_marks.values_list("user_id", flat=True))
            assert readers and not readers & authors, item.title
            assert item.useful_count == len(readers), item.title
            assert item.comment_count == item.comments.count(), item.title
        featured = [item for item in items if item.featured]
        assert 1 <= len(featured) <= 2, community.slug
        assert {item.featured for item in featured} <= {Featured.GOOD_EXAMPLE, Featured.TOOLBOX}
        facilitators = set(
            community.memberships.filter(role=Role.FACILITATOR).values_list("user_id", flat=True)
        )
        events = ActivityEvent.objects.filter(community=community, verb=KnowledgeVerb.ITEM_FEATURED)
        assert events.count() == len(featured)
        assert set(events.values_list("actor_id", flat=True)) <= facilitators
    assert Useful.objects.filter(user__memberships__role=Role.GUEST).exists()
    # The stories are the best read: on average more marks than the explicit kinds.
    stories = KnowledgeItem.objects.filter(
        kind__in=[Kind.PRACTICE_STORY, Kind.LESSON_LEARNED]
    ).values_list("useful_count", flat=True)
    others = KnowledgeItem.objects.exclude(
        kind__in=[Kind.PRACTICE_STORY, Kind.LESSON_LEARNED]
    ).values_list("useful_count", flat=True)
    assert sum(stories) / len(stories) > sum(others) / len(others)


def search_json(slug: str, query: str) -> dict:
    out = io.StringIO()
    call_command("search", slug, query, "--people", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_search_finds_demo_items_by_a_stemmed_word_and_who_knows():
    """After seeding, the search index holds the library: "portiekgesprek" finds the story
    titled "Portiekgesprekken" (the singular appears nowhere in it), and a search for
    "mantelzorgers" finds items and the people who know about it."""
    seed("--quiet")
    energy = Community.objects.get(slug="energiekring-vogelwijk")
    story = energy.knowledge_items.get(title__startswith="Portiekgesprekken")
    assert "portiekgesprek" not in text.words(f"{story.title} {item_plain_text(story)}")

    found = search_json(energy.slug, "portiekgesprek")
    assert {"type": "item", "id": story.pk} in [
        {"type": hit["type"], "id": hit["id"]} for hit in found["results"]
    ]

    care = Community.objects.get(slug="langer-thuis-rivierenland")
    found = search_json(care.slug, "mantelzorgers")
    titles = {hit["title"] for hit in found["results"] if hit["type"] == "item"}
    assert len(titles) >= 3
    assert "Gesprekskaart: en hoe gaat het met ú?" in titles
    names = {person["name"] for person in found["people"]}
    assert {"Mehmet Kaya", "Gerrit Kuipers"} <= names


# --- Conversations -----------------------------------------------------------------------


def _replies(specs):
    for spec in specs:
        yield spec
        yield from _replies(spec.children)


def test_conversation_specs_are_consistent_with_the_people_and_communities():
    """Every demo thread is started by a non-guest member of its community; everyone who
    replies, marks, is mentioned or flags belongs there too; nobody marks their own post;
    answers are accepted by the asker or a facilitator; messages go between people who
    share a community; each flag points at an existing ground rule."""
    roles = {(key, person.name): role for person in PEOPLE for key, role in person.memberships}
    rules = {community.key: community.ground_rules for community in COMMUNITIES}
    titles = Counter((spec.community, spec.title) for spec in THREADS)
    assert max(titles.values()) == 1
    for spec in THREADS:
        where = (spec.community, spec.title)
        assert len(spec.title) <= 200 and spec.body, where
        assert roles.get((spec.community, spec.author)) in ("facilitator", "core", "member")
        assert spec.author not in spec.useful, where
        replies = list(_replies(spec.replies))
        texts = [spec.body, *(r.body for r in replies)]
        names = {m for text in texts for m in MENTION.findall(text)}
        for name in [*spec.useful, *names, *(r.author for r in replies)]:
            assert (spec.community, name) in roles, (where, name)
        for reply in replies:
            assert reply.author not in reply.useful, (where, reply.author)
            assert all((spec.community, name) in roles for name in reply.useful), where
        accepted = [r for r in replies if r.accepted]
        assert len(accepted) <= 1, where
        if spec.kind == ThreadKind.DISCUSSION:
            assert not accepted, where
        if spec.accepted_by:
            assert roles[(spec.community, spec.accepted_by)] == "facilitator", where
    memberships = {person.name: {key for key, _r in person.memberships} for person in PEOPLE}
    for message in MESSAGES:
        assert memberships[message.sender] & memberships[message.recipient], message
    for flag in FLAGS:
        thread = next(t for t in THREADS if (t.community, t.title) == (flag.community, flag.thread))
        assert flag.reply_author in {r.author for r in _replies(thread.replies)}
        assert flag.reporter != flag.reply_author
        assert 0 <= flag.rule < len(rules[flag.community])


def test_each_community_has_questions_discussions_and_waiting_questions():
    """Each community gets about six questions (most answered, two still waiting, oldest
    first on the waiting list) and about three discussions with nested replies, @mentions and
    useful marks; times to first response vary."""
    seed("--quiet")
    for community in Community.objects.all():
        threads = Thread.objects.filter(community=community)
        questions = threads.filter(kind=ThreadKind.QUESTION)
        assert 5 <= questions.count() <= 8, community.slug
        assert threads.filter(kind=ThreadKind.DISCUSSION).count() >= 3, community.slug
        waiting = list(Thread.objects.filter(community=community).waiting())
        assert len(waiting) == 2, community.slug
        assert all(t.reply_count == 0 for t in waiting)
        answered = questions.filter(accepted_reply__isnull=False).select_related(
            "accepted_reply", "accepted_by"
        )
        assert answered.count() >= 3, community.slug
        facilitators = set(
            community.memberships.filter(role=Role.FACILITATOR).values_list("user_id", flat=True)
        )
        for question in answered:
            assert question.accepted_reply.thread_id == question.pk
            assert question.accepted_reply.author_id != question.author_id
            assert question.accepted_by_id == question.author_id or (
                question.accepted_by_id in facilitators
            )
            assert question.accepted_at > question.accepted_reply.created_at
        responses = [
            t.time_to_first_response for t in questions.filter(first_response_at__isnull=False)
        ]
        assert min(responses) < timedelta(hours=12) < timedelta(days=1) < max(responses)
        assert Reply.objects.filter(thread__community=community, parent__isnull=False).exists()
        assert Reaction.objects.filter(thread__community=community).count() >= 10
        mentions = ActivityEvent.objects.filter(
            community=community, verb=ConversationVerb.MENTIONED
        )
        assert mentions.exists(), community.slug
        for thread in threads:
            assert thread.reply_count == thread.replies.count(), thread.title
            assert thread.useful_count == thread.reactions.filter(reply=None).count()


def test_conversations_are_dated_after_people_joined_and_spread_over_months():
    """Threads, replies and marks happen after their authors joined and not in the future;
    threads span months; the activity history has an 'asked' event per question."""
    seed("--quiet")
    now = timezone.now()
    joined = {(m.community_id, m.user_id): m.joined_at for m in Membership.objects.all()}
    for thread in Thread.objects.all():
        assert joined[(thread.community_id, thread.author_id)] < thread.created_at <= now
        for reply in thread.replies.all():
            assert joined[(thread.community_id, reply.author_id)] < reply.created_at <= now
            assert reply.created_at >= thread.created_at
    for reaction in Reaction.objects.select_related("thread"):
        assert joined[(reaction.thread.community_id, reaction.user_id)] <= reaction.created_at
        assert reaction.created_at <= now
    dates = list(Thread.objects.values_list("created_at", flat=True))
    assert max(dates) - min(dates) > timedelta(days=180)
    asked = ActivityEvent.objects.filter(verb=ConversationVerb.ASKED).count()
    assert asked == Thread.objects.filter(kind=ThreadKind.QUESTION).count()


def test_demo_has_direct_messages_and_sends_no_email(mailoutbox):
    """A few direct messages between demo people; seeding e-mails nobody, and only recent
    notifications are unread."""
    seed("--quiet")
    assert Conversation.objects.count() == 3
    assert Message.objects.count() == len(MESSAGES)
    for message in Message.objects.select_related("conversation"):
        assert message.conversation.has(message.sender)
        assert message.conversation.has(message.recipient)
    assert mailoutbox == []
    assert Notification.objects.exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    old = timezone.now() - timedelta(days=15)
    assert not Notification.objects.filter(created_at__lt=old, read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).exists()


def test_each_community_has_one_open_flag_pointing_at_a_ground_rule():
    """A member flagged one reply per community, pointing at one of its ground rules."""
    pytest.importorskip("kring.conversations.services.moderation")
    seed("--quiet")
    for community in Community.objects.all():
        flags = list(Flag.objects.filter(community=community).select_related("reply"))
        assert len(flags) == 1, community.slug
        flag = flags[0]
        assert flag.status == FlagStatus.OPEN
        assert flag.ground_rule.community_id == community.pk
        assert flag.ground_rule_text == flag.ground_rule.text
        assert flag.reply is not None and flag.reporter_id != flag.reply.author_id


def test_each_community_meets_every_six_weeks_with_attendance_and_learning():
    """Each community has a six-weekly series with attendance on past sessions, answers for
    the next one, reflections and action points (open ones included), and some people who
    come less and less."""
    from django.utils import timezone

    seed("--quiet")
    now = timezone.now()
    for community in Community.objects.all():
        sessions = list(Session.objects.filter(community=community).order_by("starts_at"))
        gaps = {
            (b.starts_at.date() - a.starts_at.date()).days
            for a, b in zip(sessions, sessions[1:], strict=False)
        }
        assert gaps == {42}
        past = [s for s in sessions if s.ends_at < now]
        assert past and all(s.attendances.exists() for s in past)
        nxt = next(s for s in sessions if s.starts_at > now)
        assert nxt.rsvps.filter(response="yes").exists()
        assert Reflection.objects.filter(session__community=community).exists()
        assert ActionPoint.objects.filter(community=community, done_at__isnull=True).exists()
    attended_late = Attendance.objects.filter(
        status=AttendanceStatus.ATTENDED, session__starts_at__gte=now - timezone.timedelta(days=120)
    ).values_list("user_id", flat=True)
    early = Attendance.objects.filter(
        status=AttendanceStatus.ATTENDED, session__starts_at__lt=now - timezone.timedelta(days=200)
    ).values_list("user_id", flat=True)
    assert set(early) - set(attended_late)
