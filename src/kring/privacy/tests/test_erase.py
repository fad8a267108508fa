"""Erasing an account (issue 11, GDPR art. 17): what stays, what goes, and who may do it."""

import json
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils import timezone

from kring.accounts.models import ApiToken, User
from kring.accounts.services import photo_prepare, profile_update
from kring.communities.models import Membership
from kring.conversations.models import (
    Conversation,
    Message,
    Notification,
    PostRevision,
    Reply,
    Thread,
)
from kring.conversations.services.direct_messages import message_send
from kring.conversations.services.threads import answer_accept, reply_create, thread_create
from kring.core import search
from kring.core.models import ActivityEvent, SearchDocument
from kring.knowledge.models import Attachment, Comment, ItemAuthor, KnowledgeItem, Revision
from kring.knowledge.services import attachment_add, comment_create, item_create, item_update
from kring.meetings.models import Attendance, Reflection, Rsvp
from kring.meetings.services import attendance_set, session_create
from kring.meetings.services_learning import reflection_save
from kring.meetings.services_rsvp import rsvp_set
from kring.privacy.erasure import account_erase
from kring.privacy.erasure_policy import POLICY, Policy, policy_for, user_relations

pytestmark = pytest.mark.django_db(transaction=False)


def _events_per_community() -> dict:
    return dict(
        ActivityEvent.objects.values_list("community_id").annotate(n=Count("id")).order_by()
    )


@pytest.fixture
def world(make_user, make_community, make_member, make_image):
    """Two communities; Eva (to be erased) posts, replies, messages, writes and attends."""
    fac = make_user(full_name="Fenna Facilitator", language="en")
    a = make_community(by=fac, name="Zorg thuis")
    b = make_community(by=fac, name="Buurtwerk")
    eva = make_user(full_name="Eva Erased", email="eva@example.org", language="en")
    anna = make_member(a, full_name="Anna Other", language="en").user
    bram = make_member(a, full_name="Bram Other", language="en").user
    carl = make_member(b, full_name="Carl Other", language="en").user
    make_member(a, user=eva)
    make_member(b, user=eva)
    profile_update(user=eva, by=eva, photo=photo_prepare(upload=make_image()), bio="Hello")
    eva.refresh_from_db()

    # Eva's question with replies by two others, one accepted.
    asked = thread_create(
        community=a, by=eva, kind="question", title="Eva asks", body="Eva text", tags=["wonen"]
    )
    r_anna = reply_create(thread=asked, by=anna, body="Anna answers")
    reply_create(thread=asked, by=bram, body="Bram answers")
    eva_own = reply_create(thread=asked, by=eva, body="Eva thanks")
    answer_accept(thread=asked, reply=r_anna, by=eva)
    # Eva's discussion nobody answered, in the other community.
    lonely = thread_create(community=b, by=eva, kind="discussion", title="Eva alone", body="x")
    # Anna's question, answered by Eva (accepted), and by Bram; Anna replies to Eva's reply.
    annas = thread_create(community=a, by=anna, kind="question", title="Anna asks", body="y")
    r_eva = reply_create(thread=annas, by=eva, body="Eva answers Anna")
    reply_create(thread=annas, by=bram, body=f"Ask @[Eva Erased](/people/{eva.pk}/) too")
    answer_accept(thread=annas, reply=r_eva, by=anna)
    # Carl's thread, where Eva answers and Carl replies to Eva's reply.
    carls = thread_create(community=b, by=carl, kind="discussion", title="Carl asks", body="z")
    r_eva_b = reply_create(thread=carls, by=eva, body="Eva to Carl")
    r_carl_child = reply_create(thread=carls, by=carl, body="Carl to Eva", parent=r_eva_b)

    # Direct messages both ways.
    message_send(sender=eva, recipient=anna, body="Hi Anna, from Eva")
    message_send(sender=anna, recipient=eva, body="Hi Eva, from Anna")

    # Library: one item only Eva wrote (with a file), one with Anna; Eva edits Bram's item.
    solo = item_create(community=a, by=eva, kind="toolkit", title="Eva's toolkit", body="solo")
    solo_file = attachment_add(item=solo, by=eva, upload=make_image(name="scan.png"))
    shared = item_create(
        community=a, by=anna, kind="toolkit", title="Shared", body="both", authors=[anna, eva]
    )
    brams = item_create(community=a, by=bram, kind="toolkit", title="Bram's", body="b1")
    item_update(item=brams, by=bram, body="b2")
    comment_create(item=shared, by=eva, body="Eva comments")
    comment_create(item=shared, by=anna, body="Anna comments")

    # Sessions: a past one Eva attended and reflected on; a future one she said yes to.
    now = timezone.now()
    past = session_create(
        community=a,
        by=fac,
        starts_at=now - timedelta(days=7),
        ends_at=now - timedelta(days=7) + timedelta(hours=2),
        title="Past",
        location="Buurthuis",
    )
    future = session_create(
        community=a,
        by=fac,
        starts_at=now + timedelta(days=7),
        ends_at=now + timedelta(days=7, hours=2),
        title="Future",
        location="Buurthuis",
    )
    attendance_set(session=past, by=fac, user=eva, status="attended")
    attendance_set(session=past, by=fac, user=anna, status="attended")
    reflection_save(session=past, by=eva, learned="Eva learned")
    rsvp_set(session=future, user=eva, response="yes")
    rsvp_set(session=future, user=anna, response="yes")

    return SimpleNamespace(
        fac=fac,
        a=a,
        b=b,
        eva=eva,
        anna=anna,
        bram=bram,
        carl=carl,
        asked=asked,
        eva_own=eva_own,
        lonely=lonely,
        annas=annas,
        carls=carls,
        r_eva_b=r_eva_b,
        r_carl_child=r_carl_child,
        solo=solo,
        solo_file=solo_file,
        shared=shared,
        brams=brams,
        past=past,
        future=future,
    )


def _stored_former_member() -> str:
    """Stored text (a mention) is written in the platform's language, whatever the reader's."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext("Former member")


def _media(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def _nothing_points_at(old_pk: int) -> None:
    assert not User.objects.filter(pk=old_pk).exists()
    for key, field in user_relations():
        if field.many_to_many:
            through = field.remote_field.through
            assert not through.objects.filter(**{field.m2m_reverse_field_name(): old_pk}).exists()
        else:
            assert not field.model._base_manager.filter(**{field.attname: old_pk}).exists(), key


def _check_both(w, tombstone, old_pk, photo, events_before, django_capture_on_commit_callbacks):
    """What is the same after keep and remove."""
    _nothing_points_at(old_pk)
    assert tombstone.is_erased and not tombstone.is_active
    assert not tombstone.has_usable_password()
    assert tombstone.full_name == "" and not tombstone.photo and tombstone.bio == ""
    assert tombstone.email.endswith("@erased.invalid")
    assert str(tombstone) == "Former member"
    assert not Membership.objects.filter(user=tombstone).exists()
    # The community's history: as many events per community as before, none about Eva.
    assert _events_per_community() == events_before
    assert ActivityEvent.objects.filter(actor=tombstone).exists()
    # The other side of the conversation survives, with the former member.
    conversation = Conversation.objects.get()
    assert {conversation.user_low_id, conversation.user_high_id} == {w.anna.pk, tombstone.pk}
    assert set(Message.objects.values_list("body", "sender_id")) == {
        ("Hi Anna, from Eva", tombstone.pk),
        ("Hi Eva, from Anna", w.anna.pk),
    }
    # Others' mentions of her lose her name and the link to her profile.
    mention = Reply.objects.get(thread=w.annas, author=w.bram)
    assert mention.body == f"Ask @{_stored_former_member()} too"
    assert not PostRevision.objects.filter(body__contains="Eva Erased").exists()
    # Other people's replies under Eva's question survive.
    assert Reply.objects.filter(thread=w.asked, author__in=[w.anna, w.bram]).count() == 2
    assert Reply.objects.filter(pk=w.r_carl_child.pk).exists()
    # Private things go; past attendance stays (counted), the future yes goes.
    assert Notification.objects.filter(recipient_id=old_pk).count() == 0
    assert Attendance.objects.filter(session=w.past).count() == 2
    assert Attendance.objects.filter(session=w.past, user=tombstone).exists()
    assert not Rsvp.objects.filter(session=w.future, user=tombstone).exists()
    assert Rsvp.objects.filter(session=w.future, user=w.anna).exists()
    # Files: the photo is gone from disk.
    assert not _media(photo).exists()
    # Bram's item keeps its history; the co-authored item keeps Anna.
    assert Revision.objects.filter(item=w.brams).count() == 2
    assert ItemAuthor.objects.filter(item=w.shared, user=w.anna).exists()
    # One confirmation e-mail, to the address that is now gone.
    assert [m.to for m in mail.outbox] == [["eva@example.org"]]
    entry = LogEntry.objects.get(object_id=str(tombstone.pk))
    assert "eva" not in entry.change_message.lower() + entry.object_repr.lower()


def _erase(w, contributions, django_capture_on_commit_callbacks, by=None):
    events_before = _events_per_community()
    photo = w.eva.photo.name
    assert _media(photo).exists()
    old_pk = w.eva.pk
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tombstone = account_erase(user=w.eva, contributions=contributions, by=by or w.eva)
    return tombstone, old_pk, photo, events_before


def test_erase_keep(world, django_capture_on_commit_callbacks):
    """keep: Eva's posts, items, comments and reflection stay, by the former member."""
    w = world
    tombstone, old_pk, photo, before = _erase(w, "keep", django_capture_on_commit_callbacks)
    _check_both(w, tombstone, old_pk, photo, before, django_capture_on_commit_callbacks)
    asked = Thread.objects.get(pk=w.asked.pk)
    assert (asked.title, asked.body, asked.author_id) == ("Eva asks", "Eva text", tombstone.pk)
    assert asked.reply_count == 3 and asked.accepted_reply_id is not None
    assert asked.tags.exists()
    assert Thread.objects.filter(pk=w.lonely.pk, author=tombstone).exists()
    annas = Thread.objects.get(pk=w.annas.pk)
    assert annas.accepted_reply.author_id == tombstone.pk and annas.reply_count == 2
    assert KnowledgeItem.objects.get(pk=w.solo.pk).author_list == [tombstone]
    assert _media(w.solo_file.file.name).exists()
    assert set(ItemAuthor.objects.filter(item=w.shared).values_list("user_id", flat=True)) == {
        w.anna.pk,
        tombstone.pk,
    }
    assert Comment.objects.filter(item=w.shared, author=tombstone).exists()
    assert Reflection.objects.filter(session=w.past, author=tombstone).exists()


def test_erase_remove(world, django_capture_on_commit_callbacks):
    """remove: Eva's own content goes, but the others' replies under her question survive."""
    w = world
    search.reindex_all()
    assert SearchDocument.objects.filter(doc_type="person", doc_id=w.eva.pk).exists()
    assert SearchDocument.objects.filter(doc_type="item", doc_id=w.solo.pk).exists()
    tombstone, old_pk, photo, before = _erase(w, "remove", django_capture_on_commit_callbacks)
    _check_both(w, tombstone, old_pk, photo, before, django_capture_on_commit_callbacks)
    # Her question stays for the others' replies, emptied and by the former member.
    asked = Thread.objects.get(pk=w.asked.pk)
    assert asked.author_id == tombstone.pk
    assert "Eva" not in asked.title + asked.body
    assert not asked.revisions.filter(reply__isnull=True).exists()
    assert not asked.tags.exists()
    assert sorted(asked.replies.values_list("body", flat=True)) == ["Anna answers", "Bram answers"]
    assert asked.reply_count == 2 and asked.accepted_reply_id is not None
    # Her lonely discussion is gone.
    assert not Thread.objects.filter(pk=w.lonely.pk).exists()
    # Her accepted answer on Anna's question is gone: no accepted answer, counts right.
    annas = Thread.objects.get(pk=w.annas.pk)
    assert annas.accepted_reply_id is None and annas.accepted_at is None
    assert annas.reply_count == 1
    bodies = list(annas.replies.values_list("body", flat=True))
    assert bodies == [f"Ask @{_stored_former_member()} too"]
    # Her reply Carl answered stays, emptied, so Carl's reply keeps its place.
    emptied = Reply.objects.get(pk=w.r_eva_b.pk)
    assert emptied.author_id == tombstone.pk and "Eva" not in emptied.body
    assert Reply.objects.get(pk=w.r_carl_child.pk).parent_id == emptied.pk
    assert Thread.objects.get(pk=w.carls.pk).reply_count == 2
    # Library: her solo item and its file are gone; the shared item keeps Anna only.
    assert not KnowledgeItem.objects.filter(pk=w.solo.pk).exists()
    assert not Attachment.objects.filter(pk=w.solo_file.pk).exists()
    assert not _media(w.solo_file.file.name).exists()
    assert list(ItemAuthor.objects.filter(item=w.shared).values_list("user_id", flat=True)) == [
        w.anna.pk
    ]
    shared = KnowledgeItem.objects.get(pk=w.shared.pk)
    assert list(shared.comments.values_list("body", flat=True)) == ["Anna comments"]
    assert shared.comment_count == 1
    assert not Reflection.objects.filter(session=w.past).exists()
    # The search index forgets her: no person, no solo item, no text of her emptied posts.
    assert not SearchDocument.objects.filter(doc_type="person", doc_id=old_pk).exists()
    assert not SearchDocument.objects.filter(doc_type="item", doc_id=w.solo.pk).exists()
    assert not SearchDocument.objects.filter(doc_type="thread", doc_id=w.lonely.pk).exists()
    asked_doc = SearchDocument.objects.get(doc_type="thread", doc_id=w.asked.pk)
    assert "Eva" not in asked_doc.title + asked_doc.body
    assert "Anna answers" in asked_doc.body


def test_policy_covers_every_relation_to_user():
    """Every relation to User in every app has an erasure policy, so nothing can cascade
    silently; and the policy names no relation that does not exist."""
    keys = [key for key, _field in user_relations()]
    assert len(keys) > 40
    missing = [key for key in keys if policy_for(key) is None]
    assert missing == [], f"add these to kring.privacy.erasure_policy.POLICY: {missing}"
    assert set(POLICY) <= set(keys), set(POLICY) - set(keys)
    assert all(isinstance(policy, Policy) and why for policy, why in POLICY.values())


# --- Who may erase ---------------------------------------------------------------------------


def test_another_member_cannot_erase_someone(world):
    """A member (even a facilitator) cannot erase someone else; nothing changes."""
    for by in (world.anna, world.fac):
        with pytest.raises(PermissionDenied):
            account_erase(user=world.eva, contributions="keep", by=by)
    assert User.objects.filter(pk=world.eva.pk).exists()


def test_last_superuser_cannot_be_erased(make_admin):
    """The last platform administrator cannot erase their account."""
    admin = make_admin()
    with pytest.raises(ValidationError):
        account_erase(user=admin, contributions="keep", by=admin)
    assert User.objects.filter(pk=admin.pk, erased_at__isnull=True).exists()


def test_bad_choice_erases_nothing(world):
    """Neither keep nor remove: a clear error, nothing erased."""
    with pytest.raises(ValidationError):
        account_erase(user=world.eva, contributions="everything", by=world.eva)
    assert User.objects.filter(pk=world.eva.pk).exists()


# --- API -------------------------------------------------------------------------------------


def _delete(client, body, **headers):
    return client.delete(
        "/api/v1/me", data=json.dumps(body), content_type="application/json", **headers
    )


def test_api_erase_then_token_is_refused(world, client, bearer):
    """DELETE /api/v1/me answers 204; the same token gets 401 at once."""
    headers = bearer(world.eva)
    response = _delete(client, {"contributions": "remove"}, **headers)
    assert response.status_code == 204
    assert not User.objects.filter(pk=world.eva.pk).exists()
    assert not ApiToken.objects.exists()
    again = client.get("/api/v1/communities", **headers)
    assert again.status_code == 401
    assert again.json()["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "body", [{}, {"contributions": "all"}, {"contributions": ""}, {"contributions": None}]
)
def test_api_erase_bad_body_is_422(world, client, bearer, body):
    """A missing or unknown choice: 422 invalid, nothing erased."""
    response = _delete(client, body, **bearer(world.eva))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert User.objects.filter(pk=world.eva.pk, is_active=True).exists()


def test_api_erase_wrong_people(world, client, bearer):
    """Anonymous: 401; a read token: 403 read_only_token; nothing erased."""
    assert _delete(client, {"contributions": "keep"}).status_code == 401
    response = _delete(client, {"contributions": "keep"}, **bearer(world.eva, scope="read"))
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"
    assert User.objects.filter(pk=world.eva.pk).exists()


def test_openapi_documents_erase(client):
    """The OpenAPI document describes DELETE /me with its body."""
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/me"]["delete"]
    assert "204" in operation["responses"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert body["properties"]["contributions"]["enum"] == ["keep", "remove"]
    assert body["required"] == ["contributions"]


# --- The page --------------------------------------------------------------------------------


def test_page_shows_the_erase_form(world, make_client):
    """Your data shows the erase form, with both choices and a button that is no primary."""
    response = make_client(world.eva).get("/me/data/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="keep"' in html and 'value="remove"' in html
    assert 'class="button button-danger erase-button"' in html


def test_page_warns_the_only_facilitator(world, make_client):
    """The only facilitator of a community is told before erasing; a member is not."""
    html = make_client(world.fac).get("/me/data/").content.decode()
    assert "You are the only facilitator of:" in html
    assert "Zorg thuis" in html and "Buurtwerk" in html
    html = make_client(world.eva).get("/me/data/").content.decode()
    assert "only facilitator" not in html


def test_page_anonymous_is_sent_to_login(client):
    """Nobody signed in: the erase form sends you to the login page; nothing happens."""
    response = client.post("/me/data/erase/", {"contributions": "keep"})
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"confirm_email": "eva@example.org"}, "Choose what happens to what you wrote."),
        ({"contributions": "keep", "confirm_email": "anna@x.org"}, "not the e-mail address"),
        ({"contributions": "keep"}, "Type your e-mail address."),
        ({"contributions": "<script>", "confirm_email": "eva@example.org"}, "valid choice"),
        ({"contributions": "keep", "confirm_email": "x" * 300}, "at most 254"),
    ],
)
def test_page_bad_input_erases_nothing(world, make_client, data, message):
    """Wrong or missing input: the message next to the field, nothing erased."""
    client = make_client(world.eva)
    response = client.post("/me/data/erase/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert User.objects.filter(pk=world.eva.pk, is_active=True).exists()
    assert client.get("/me/data/").status_code == 200  # still signed in


def test_page_erases_and_signs_out(world, make_client, django_capture_on_commit_callbacks):
    """The right e-mail address (any case) erases the account and signs you out."""
    client = make_client(world.eva)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/me/data/erase/", {"contributions": "keep", "confirm_email": "EVA@example.org"}
        )
    assert response.status_code == 302 and response["Location"] == "/me/data/erased/"
    assert not User.objects.filter(pk=world.eva.pk).exists()
    done = client.get("/me/data/erased/")
    assert "Your account has been erased" in done.content.decode()
    assert client.get("/me/data/").status_code == 302  # signed out


# --- Admin -----------------------------------------------------------------------------------


def test_admin_erase_goes_through_the_service(world, make_admin, make_client):
    """The admin's erase page asks keep or remove, erases through the service, and logs it
    without the person's name or address."""
    admin = make_admin()
    client = make_client(admin)
    page = client.get(f"/admin/accounts/user/{world.eva.pk}/delete/")
    assert page.status_code == 302 and page["Location"].endswith("/erase/")
    url = f"/admin/accounts/user/{world.eva.pk}/erase/"
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 422  # no choice: nothing erased
    assert User.objects.filter(pk=world.eva.pk).exists()
    response = client.post(url, {"contributions": "remove"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=world.eva.pk).exists()
    # The others' replies under her question survive an admin erasure too.
    assert Reply.objects.filter(thread=world.asked, author=world.anna).exists()
    entry = LogEntry.objects.filter(user=admin).latest("action_time")
    tombstone = User.objects.get(pk=int(entry.object_id))
    assert tombstone.is_erased
    assert "remove" in entry.change_message and str(tombstone.pk) in entry.change_message
    assert "Eva" not in entry.change_message and "eva@" not in entry.change_message


def test_admin_bulk_action_confirms_first(world, make_admin, make_client):
    """The bulk action shows a confirmation page first; the plain delete action is gone."""
    admin = make_admin()
    client = make_client(admin)
    changelist = client.get("/admin/accounts/user/").content.decode()
    assert "delete_selected" not in changelist and "erase_keep" in changelist
    data = {"action": "erase_keep", "_selected_action": [world.eva.pk, world.anna.pk]}
    confirm = client.post("/admin/accounts/user/", data)
    assert confirm.status_code == 200 and "Yes, erase" in confirm.content.decode()
    assert User.objects.filter(pk__in=[world.eva.pk, world.anna.pk]).count() == 2
    client.post("/admin/accounts/user/", {**data, "confirm": "yes"})
    assert not User.objects.filter(pk__in=[world.eva.pk, world.anna.pk]).exists()
    assert LogEntry.objects.filter(user=admin, change_message__contains="keep").count() == 2


def test_admin_cannot_erase_themselves(world, make_admin, make_client):
    """An admin cannot erase their own account from the admin."""
    admin = make_admin()
    make_admin()  # not the last one, so only the self-rule applies
    client = make_client(admin)
    client.post(f"/admin/accounts/user/{admin.pk}/erase/", {"contributions": "keep"})
    data = {"action": "erase_keep", "_selected_action": [admin.pk], "confirm": "yes"}
    client.post("/admin/accounts/user/", data)
    assert User.objects.filter(pk=admin.pk, erased_at__isnull=True).exists()


def test_admin_staff_without_permission_cannot_erase(world, make_user, make_client):
    """Staff who may see people but not delete them get neither the actions nor the page."""
    from django.contrib.auth.models import Permission

    staff = make_user(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="view_user")
    )
    client = make_client(staff)
    changelist = client.get("/admin/accounts/user/")
    assert changelist.status_code == 200 and "erase_keep" not in changelist.content.decode()
    assert client.get(f"/admin/accounts/user/{world.eva.pk}/erase/").status_code == 403
    client.post(
        "/admin/accounts/user/",
        {"action": "erase_keep", "_selected_action": [world.eva.pk], "confirm": "yes"},
    )
    with pytest.raises(PermissionDenied):
        account_erase(user=world.eva, contributions="keep", by=staff)
    assert User.objects.filter(pk=world.eva.pk).exists()


# --- How a former member is shown ------------------------------------------------------------


def test_former_member_shown_without_profile_link(world, make_client):
    """After erase-keep, the thread page names the author "Former member", with no profile
    link and nothing of Eva; the former member has no profile page and is in no directory."""
    tombstone = account_erase(user=world.eva, contributions="keep", by=world.eva)
    client = make_client(world.anna)
    html = client.get(world.asked.get_absolute_url()).content.decode()
    assert "Former member" in html
    assert f"/people/{tombstone.pk}/" not in html
    assert "Eva Erased" not in html
    assert client.get(f"/people/{tombstone.pk}/").status_code == 404
    members = client.get(f"/communities/{world.a.slug}/members/")
    assert members.status_code == 200
    assert "Former member" not in members.content.decode()


def test_former_member_name_follows_the_reader_language(world):
    """The name is translated when shown (with the reader's language), not stored."""
    from django.utils import translation

    tombstone = account_erase(user=world.eva, contributions="keep", by=world.eva)
    tombstone = User.objects.get(pk=tombstone.pk)
    assert tombstone.full_name == ""
    with translation.override("nl"):
        assert str(tombstone) == translation.gettext("Former member")
        assert tombstone.display_name == translation.gettext("Former member")


def test_staff_with_permission_cannot_erase_a_superuser(make_user, make_admin):
    """Staff who may delete people may erase a member, but not a platform administrator."""
    from django.contrib.auth.models import Permission

    staff = make_user(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="delete_user")
    )
    admin, _other = make_admin(), make_admin()
    with pytest.raises(PermissionDenied):
        account_erase(user=admin, contributions="keep", by=staff)
    member = make_user()
    account_erase(user=member, contributions="keep", by=staff)
    assert not User.objects.filter(pk=member.pk).exists()


def test_erase_deletes_the_persons_data_exports_and_their_files(
    world, django_capture_on_commit_callbacks
):
    """A copy of Eva's data made before she left goes with her: the row and the ZIP on disk."""
    from kring.privacy.export import data_export_build, export_path
    from kring.privacy.models import DataExport
    from kring.privacy.services import data_export_request

    w = world
    with django_capture_on_commit_callbacks(execute=True):
        export, _created = data_export_request(user=w.eva)
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    zip_path = export_path(export)
    assert zip_path.exists()
    _erase(w, "keep", django_capture_on_commit_callbacks)
    assert not DataExport.objects.filter(pk=export.pk).exists()
    assert not zip_path.exists()
