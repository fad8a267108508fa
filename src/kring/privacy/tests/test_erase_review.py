"""Erasing an account, second review (issue 11): the community's trends, what still named the
person without a foreign key, all-or-nothing, and who may erase through which door."""

import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.utils import translation

from kring.accounts.models import User
from kring.accounts.services import profile_update
from kring.communities.models import FormerMembership
from kring.conversations.models import Reply, Thread
from kring.core.models import ActivityEvent
from kring.insights.compute import compute
from kring.insights.models import Suggestion, SuggestionStatus
from kring.insights.services import suggestion_decide
from kring.meetings.services import attendance_set
from kring.privacy import erasure, erasure_content
from kring.privacy.erasure import account_erase
from kring.privacy.tests import test_erase
from kring.privacy.tests.test_erase import _media

pytestmark = pytest.mark.django_db(transaction=False)
world = test_erase.world  # the same people and posts as the first tests


def _history(community) -> dict:
    trends = compute(community=community)["trends"]
    return {key: value for key, value in trends.items() if key != "months"}


# --- The community's trends ------------------------------------------------------------------


@pytest.mark.parametrize("contributions", ["keep", "remove"])
def test_trends_stay_exact(world, contributions):
    """Active members, contributions, new ties and attendance per month are the same after the
    erasure: the former member's events still count, though it is no member and not in the
    network or the signals."""
    before = {c.slug: _history(c) for c in (world.a, world.b)}
    assert before[world.a.slug]["active_members"][-1] >= 3
    tombstone = account_erase(user=world.eva, contributions=contributions, by=world.eva)
    assert {c.slug: _history(c) for c in (world.a, world.b)} == before
    assert set(FormerMembership.objects.values_list("community_id", "user_id")) == {
        (world.a.pk, tombstone.pk),
        (world.b.pk, tombstone.pk),
    }
    raw = compute(community=world.a)
    assert tombstone.pk not in {m["id"] for m in raw["members"]}
    assert world.eva.pk not in {m["id"] for m in raw["members"]}


def test_done_suggestion_stays_for_the_follow_up_trend(world):
    """A suggestion about the person marked done stays (the follow-up trend counts it), without
    their e-mail address in its key or the facilitator's note; open ones about them go."""
    done = Suggestion.objects.create(
        community=world.a, key=f"call:{world.eva.email}:2026-01-01", kind="call", params={}
    )
    done.members.add(world.eva)
    suggestion_decide(suggestion=done, by=world.fac, status="done", note="Eva Erased: called")
    still_open = Suggestion.objects.create(
        community=world.a, key=f"welcome:{world.eva.email}", kind="welcome", params={}
    )
    still_open.members.add(world.eva, world.anna)
    follow_ups = _history(world.a)["follow_ups"]
    assert sum(follow_ups) == 1

    tombstone = account_erase(user=world.eva, contributions="keep", by=world.eva)
    assert _history(world.a)["follow_ups"] == follow_ups
    done.refresh_from_db()
    assert done.status == SuggestionStatus.DONE and done.note == ""
    assert "eva" not in done.key
    assert list(done.members.all()) == [tombstone]
    assert not Suggestion.objects.filter(pk=still_open.pk).exists()
    # The dashboard's log of decided suggestions names the former member, and nothing of Eva.
    client = Client()
    client.force_login(world.fac)
    html = client.get(f"/communities/{world.a.slug}/insights/").content.decode()
    assert "Eva" not in html and "eva@" not in html


# --- What named the person without a foreign key ---------------------------------------------


def test_admin_history_and_event_pointers_lose_the_person(world, make_admin):
    """The admin's history of changes to the account held the person's name; profile events
    pointed at the account, attendance events at who recorded them: after the erasure all
    point at the former member."""
    admin = make_admin()
    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.log_actions(
        user_id=admin.pk, queryset=[world.eva], action_flag=CHANGE, change_message="[]"
    )
    assert LogEntry.objects.filter(object_repr="Eva Erased").exists()
    profile_update(user=world.eva, by=world.eva, bio="Changed")
    assert ActivityEvent.objects.filter(target_type=user_type, target_id=world.eva.pk).exists()
    # Eva records attendance (as a facilitator of her own session would).
    world.eva.is_superuser = True
    world.eva.save(update_fields=["is_superuser"])
    attendance_set(session=world.past, by=world.eva, user=world.bram, status="attended")
    assert ActivityEvent.objects.filter(data__recorded_by=world.eva.pk).exists()
    old_pk = world.eva.pk

    tombstone = account_erase(user=world.eva, contributions="keep", by=admin)
    dump = json.dumps(list(LogEntry.objects.values("object_repr", "change_message")))
    assert "Eva" not in dump and "eva@" not in dump
    assert LogEntry.objects.filter(content_type=user_type, object_id=str(tombstone.pk)).count() == 2
    assert not ActivityEvent.objects.filter(target_type=user_type, target_id=old_pk).exists()
    assert not ActivityEvent.objects.filter(data__recorded_by=old_pk).exists()
    assert ActivityEvent.objects.filter(data__recorded_by=tombstone.pk).exists()


# --- All or nothing --------------------------------------------------------------------------


def test_failure_half_way_leaves_everything(world, monkeypatch, django_capture_on_commit_callbacks):
    """When a step fails after others have run, nothing is erased: the person, their posts,
    the others' replies, their photo on disk; no former member, no e-mail."""
    users_before = User.objects.count()
    replies_before = Reply.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure_content, "insights", broken)  # after posts, items and meetings
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        account_erase(user=world.eva, contributions="remove", by=world.eva)
    assert callbacks == []
    assert User.objects.count() == users_before
    assert not User.objects.filter(erased_at__isnull=False).exists()
    assert Reply.objects.count() == replies_before
    assert Thread.objects.get(pk=world.lonely.pk).author_id == world.eva.pk
    assert _media(world.eva.photo.name).exists()
    assert _media(world.solo_file.file.name).exists()
    assert mail.outbox == []


# --- Who may erase, through which door -------------------------------------------------------


def test_superuser_may_erase_another_superuser(make_admin, make_user):
    """A platform administrator may erase another one (not the last), but nobody erases twice."""
    first, second = make_admin(), make_admin()
    tombstone = account_erase(user=second, contributions="keep", by=first)
    assert tombstone.is_erased and not User.objects.filter(pk=second.pk).exists()
    with pytest.raises(erasure.ValidationError):
        account_erase(user=first, contributions="keep", by=first)  # now the last one
    assert User.objects.filter(pk=first.pk, is_superuser=True).exists()


def test_inactive_or_erased_cannot_erase(world, make_admin):
    """A deactivated admin erases nobody; a former member cannot be erased again."""
    admin = make_admin()
    make_admin()
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    with pytest.raises(erasure.PermissionDenied):
        account_erase(user=world.eva, contributions="keep", by=admin)
    tombstone = account_erase(user=world.eva, contributions="keep", by=world.eva)
    with pytest.raises((erasure.PermissionDenied, erasure.ValidationError)):
        account_erase(user=tombstone, contributions="keep", by=make_admin())


def test_web_form_needs_csrf(world):
    """The erase form without a CSRF token is refused; nothing is erased."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.eva)
    response = client.post(
        "/me/data/erase/", {"contributions": "keep", "confirm_email": world.eva.email}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=world.eva.pk, erased_at__isnull=True).exists()


def test_admin_erase_needs_csrf(world, make_admin):
    """The admin's erase page without a CSRF token is refused; nothing is erased."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_admin())
    response = client.post(
        f"/admin/accounts/user/{world.eva.pk}/erase/", {"contributions": "remove"}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=world.eva.pk).exists()


def test_api_with_session_needs_csrf(world):
    """DELETE /api/v1/me with the browser session but no CSRF token: 403, nothing erased."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.eva)
    response = client.delete(
        "/api/v1/me", data=json.dumps({"contributions": "keep"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=world.eva.pk).exists()


def test_admin_erase_of_former_member_or_unknown_is_not_found(world, make_admin, make_client):
    """The admin does not list former members, so their erase page is not found (a redirect
    with a message, as for any unknown id); nothing happens."""
    tombstone = account_erase(user=world.eva, contributions="keep", by=world.eva)
    client = make_client(make_admin())
    for pk in (tombstone.pk, 999_999):
        response = client.post(f"/admin/accounts/user/{pk}/erase/", {"contributions": "keep"})
        assert response.status_code == 302 and "/erase/" not in response["Location"]
    assert User.objects.filter(pk=tombstone.pk).exists()


def test_erase_with_wrong_confirmation_then_right_one(world, make_client):
    """A wrong address erases nothing and keeps you signed in; the right one then erases."""
    client = make_client(world.eva)
    wrong = client.post("/me/data/erase/", {"contributions": "remove", "confirm_email": "eva"})
    assert wrong.status_code == 422
    assert Thread.objects.filter(pk=world.lonely.pk).exists()
    right = client.post(
        "/me/data/erase/", {"contributions": "remove", "confirm_email": world.eva.email}
    )
    assert right.status_code == 302
    assert not Thread.objects.filter(pk=world.lonely.pk).exists()


def test_mail_queue_forgets_the_person(world, settings, django_capture_on_commit_callbacks):
    """Queued and sent e-mails keep the whole message in the task table until pruned: the
    ones to the person go, sent ones to others that name them too; unsent mail to others
    stays; the goodbye e-mail is queued after the erasure."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "kring.core.mail.QueuedEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_mail("To Eva", "Hello Eva", None, [world.eva.email])
        mail.send_mail("Reply", "Eva Erased replied to you", None, [world.anna.email])
        mail.send_mail("Unsent", "Eva Erased mentioned you", None, [world.bram.email])
        mail.send_mail("Other", "Nothing about her", None, [world.carl.email])
    DBTaskResult.objects.exclude(args_kwargs__kwargs__message__subject="Unsent").update(
        status="SUCCESSFUL"
    )
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=world.eva, contributions="keep", by=world.eva)
    subjects = sorted(
        DBTaskResult.objects.filter(task_path="kring.core.tasks.email_deliver").values_list(
            "args_kwargs__kwargs__message__subject", flat=True
        )
    )
    assert subjects == ["Other", "Unsent", "Your Kring account has been erased"]


def test_api_last_admin_is_refused(make_admin, bearer, client):
    """The last platform administrator erasing through the API: 422 with the reason; nothing
    erased, the token still works."""
    admin = make_admin()
    headers = bearer(admin)
    response = client.delete(
        "/api/v1/me",
        data=json.dumps({"contributions": "keep"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert "last platform administrator" in response.json()["detail"]
    assert User.objects.filter(pk=admin.pk, erased_at__isnull=True).exists()
    assert client.get("/api/v1/communities", **headers).status_code == 200


def test_plain_delete_of_a_person_is_refused(world, make_user):
    """A plain delete (shell, script) of someone with content would cascade into others'
    replies and messages: it is refused and nothing goes. Someone with nothing at all may
    still be deleted."""
    from django.db import transaction
    from django.db.models import ProtectedError

    replies = Reply.objects.count()
    # Django deletes inside a transaction without a savepoint: as outside tests, the
    # refusal rolls back that transaction.
    with pytest.raises(ProtectedError, match="account_erase"), transaction.atomic():
        world.eva.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        User.objects.filter(pk=world.eva.pk).delete()
    assert User.objects.filter(pk=world.eva.pk).exists()
    assert Reply.objects.count() == replies
    nobody = make_user()
    nobody.delete()
    assert not User.objects.filter(pk=nobody.pk).exists()


def test_other_side_reads_but_cannot_write_to_former_member(world, make_client):
    """The other person still reads the conversation, named "Former member", but cannot send
    to it: a former member shares no community; no message, no notification is made."""
    from kring.conversations.models import Conversation, Message, Notification

    tombstone = account_erase(user=world.eva, contributions="keep", by=world.eva)
    conversation = Conversation.objects.get(user_high=tombstone)
    client = make_client(world.anna)
    page = client.get(f"/messages/{conversation.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Former member" in html and "Hi Anna, from Eva" in html
    assert "Eva Erased" not in html
    messages_before = Message.objects.count()
    response = client.post(f"/messages/{conversation.pk}/", {"body": "Are you there?"})
    assert response.status_code in (403, 404, 422)
    assert Message.objects.count() == messages_before
    assert not Notification.objects.filter(recipient=tombstone).exists()
    assert client.get(f"/messages/new/{tombstone.pk}/").status_code == 404


def test_undeletable_file_does_not_stop_the_rest(
    world, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """After the erasure is saved, a file that cannot be deleted is logged; the search index
    still forgets the person and the goodbye e-mail still goes."""
    from django.core.files.storage import FileSystemStorage

    from kring.core import search
    from kring.core.models import SearchDocument

    search.reindex_all()
    old_pk = world.eva.pk
    assert SearchDocument.objects.filter(doc_type="person", doc_id=old_pk).exists()

    def refuse(self, name):
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr(FileSystemStorage, "delete", refuse)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=world.eva, contributions="keep", by=world.eva)
    assert not SearchDocument.objects.filter(doc_type="person", doc_id=old_pk).exists()
    assert [m.to for m in mail.outbox] == [["eva@example.org"]]
    assert "could not delete the file" in caplog.text


def test_replies_to_a_former_members_thread_notify_nobody(world):
    """keep: others can still reply under the former member's question; the former member
    gets no notification (nor e-mail to its made-up address)."""
    from kring.conversations.models import Notification
    from kring.conversations.services.threads import reply_create

    tombstone = account_erase(user=world.eva, contributions="keep", by=world.eva)
    mail.outbox.clear()
    reply_create(thread=Thread.objects.get(pk=world.asked.pk), by=world.bram, body="Still here")
    assert Thread.objects.get(pk=world.asked.pk).reply_count == 4
    assert not Notification.objects.filter(recipient=tombstone).exists()
    assert not [m for m in mail.outbox if tombstone.email in m.to]


def test_second_erasure_of_the_same_account_is_a_clear_error(world, make_client):
    """Erasing with an account object that was erased meanwhile (a double click, a retried API
    call waiting on the lock) is a clear error, not a crash; the page says so."""
    stale = User.objects.get(pk=world.eva.pk)
    account_erase(user=world.eva, contributions="keep", by=world.eva)
    with pytest.raises(erasure.ValidationError, match="already been erased"):
        account_erase(user=stale, contributions="keep", by=stale)
    assert User.objects.filter(erased_at__isnull=False).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_erasures_at_once(make_user, make_community, make_member, make_admin):
    """Two erasures of one person at the same moment (PostgreSQL: the row lock makes the second
    wait): one erases, the other is told the account is gone; one former member, nothing half."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the second waits or fails to lock")
    from kring.conversations.services.threads import reply_create, thread_create

    fac = make_user(full_name="Fenna")
    community = make_community(by=fac)
    eva = make_member(community, full_name="Eva Twice").user
    anna = make_member(community, full_name="Anna").user
    thread = thread_create(community=community, by=eva, kind="question", title="Q", body="b")
    reply_create(thread=thread, by=anna, body="Anna answers")
    admin = make_admin()
    barrier, results = threading.Barrier(2), []

    def erase(choice):
        translation.activate("en")  # a new thread starts in the site's language (Dutch)
        try:
            stale = User.objects.get(pk=eva.pk)
            barrier.wait(timeout=30)
            account_erase(user=stale, contributions=choice, by=admin)
            results.append("erased")
        except erasure.ValidationError as error:
            results.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=erase, args=(c,)) for c in ("keep", "remove")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(results) == ["This account has already been erased.", "erased"]
    assert User.objects.filter(erased_at__isnull=False).count() == 1
    assert not User.objects.filter(pk=eva.pk).exists()
    assert Reply.objects.filter(thread=thread, author=anna).exists()


def test_backfill_for_former_members_erased_before_the_fix(world):
    """Former members erased before FormerMembership existed get one per community where they
    have events, from their first event there: the trends count them again."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module(
        "kring.communities.migrations.0004_former_membership_backfill"
    ).backfill
    before = _history(world.a)
    tombstone = account_erase(user=world.eva, contributions="keep", by=world.eva)
    FormerMembership.objects.all().delete()  # as the erase branch left it
    assert _history(world.a) != before
    backfill(apps, None)
    assert _history(world.a) == before
    first = ActivityEvent.objects.filter(actor=tombstone, community=world.a).earliest("created_at")
    assert FormerMembership.objects.get(community=world.a, user=tombstone).joined_at == (
        first.created_at
    )
    backfill(apps, None)  # a second run adds nothing
    assert FormerMembership.objects.filter(user=tombstone).count() == 2
