"""Erasing with "remove" never removes other people's rows (issue 11, security review): not
through the cascades of a deleted library item or post either."""

from collections import Counter

import pytest
from django.db.models import Q

from kring.conversations.models import Flag, ModerationAction, Notification, Reaction, Reply, Thread
from kring.conversations.services.moderation import flag_create, post_hide
from kring.conversations.services.threads import reaction_set, reply_create, thread_create
from kring.knowledge.models import Attachment, Comment, KnowledgeItem, Revision, Useful
from kring.knowledge.services import (
    attachment_add,
    comment_create,
    item_create,
    item_mark_useful,
    item_update,
)
from kring.privacy.erasure import account_erase
from kring.privacy.erasure_content import removed_text
from kring.privacy.erasure_policy import user_relations
from kring.privacy.tests import test_erase

pytestmark = pytest.mark.django_db(transaction=False)
world = test_erase.world


def _others_q(model, skip: set[int]) -> Q:
    """Rows of `model` with a link to a person other than the ones in `skip`."""
    q = Q(pk__in=[])
    for _key, field in user_relations():
        if field.many_to_many and field.remote_field.through is model:
            column = field.m2m_reverse_field_name()
        elif not field.many_to_many and field.model is model:
            column = field.name
        else:
            continue
        q |= Q(**{f"{column}__isnull": False}) & ~Q(**{f"{column}__in": skip})
    return q


def _models() -> set:
    return {
        field.remote_field.through if field.many_to_many else field.model
        for _key, field in user_relations()
    }


def _others_rows(skip: set[int]) -> Counter:
    """Per model: the rows that belong to (point at) someone other than `skip`."""
    return Counter(
        {
            model._meta.label: model._base_manager.filter(_others_q(model, skip)).count()
            for model in _models()
        }
    )


@pytest.fixture
def rich(world, make_image):
    """The first tests' world, plus everything others can add to Eva's content."""
    w = world
    # Solo items: one others commented on (and found useful), one a facilitator edited, one
    # with a file of someone else, one only found useful, and one with nothing by others.
    w.commented = item_create(community=w.a, by=w.eva, kind="toolkit", title="C", body="eva c")
    comment_create(item=w.commented, by=w.anna, body="Anna comments here")
    item_mark_useful(item=w.commented, by=w.bram)
    w.edited = item_create(community=w.a, by=w.eva, kind="toolkit", title="E", body="eva e")
    item_update(item=w.edited, by=w.fac, body="Fenna improves it")
    item_update(item=w.edited, by=w.eva, body="Eva again")
    w.filed = item_create(community=w.a, by=w.eva, kind="toolkit", title="F", body="eva f")
    w.eva_file = attachment_add(item=w.filed, by=w.eva, upload=make_image(name="eva.png"))
    w.fac_file = attachment_add(item=w.filed, by=w.fac, upload=make_image(name="fenna.png"))
    w.liked = item_create(community=w.a, by=w.eva, kind="toolkit", title="L", body="eva l")
    item_mark_useful(item=w.liked, by=w.anna)
    # Posts: a thread someone flagged, one a facilitator hid, one only marked useful; a reply
    # someone flagged and one a facilitator hid.
    w.flagged = thread_create(community=w.a, by=w.eva, kind="discussion", title="T1", body="b")
    flag_create(by=w.anna, thread=w.flagged, reason="Not kind")
    w.hidden = thread_create(community=w.a, by=w.eva, kind="discussion", title="T2", body="b")
    post_hide(by=w.fac, thread=w.hidden, reason="Off topic")
    w.reacted = thread_create(community=w.a, by=w.eva, kind="discussion", title="T3", body="b")
    reaction_set(thread=w.reacted, by=w.bram)
    w.r_flagged = reply_create(thread=w.annas, by=w.eva, body="Eva flagged reply")
    flag_create(by=w.bram, thread=w.annas, reply=w.r_flagged, reason="Rude")
    w.r_hidden = reply_create(thread=w.carls, by=w.eva, body="Eva hidden reply")
    post_hide(by=w.fac, thread=w.carls, reply=w.r_hidden, reason="Rude")
    return w


def _going(w, skip: set[int], contributions: str) -> Counter:
    """What may go: the notifications to Eva (hers, even when about someone else's act); with
    "remove" also others' marks on Eva's posts that nobody else wrote, edited, flagged or
    moderated in, and the notifications about her replies that go."""
    lonely_items = [w.solo.pk, w.liked.pk]
    lonely_threads = [w.lonely.pk, w.reacted.pk]
    kept_replies = [w.r_eva_b.pk, w.r_flagged.pk, w.r_hidden.pk]  # answered, flagged, hidden
    going = {
        Useful: Useful.objects.filter(item_id__in=lonely_items),
        Reaction: Reaction.objects.filter(thread_id__in=lonely_threads),
        Notification: Notification.objects.filter(
            Q(recipient=w.eva)
            | Q(thread_id__in=lonely_threads)
            | (Q(reply__author=w.eva) & ~Q(reply_id__in=kept_replies))
        ),
    }
    if contributions == "keep":
        going = {Notification: Notification.objects.filter(recipient=w.eva)}
    return Counter(
        {
            model._meta.label: rows.filter(_others_q(model, skip)).count()
            for model, rows in going.items()
        }
    )


@pytest.mark.parametrize("contributions", ["remove", "keep"])
def test_erasure_never_removes_other_peoples_rows(rich, contributions):
    w = rich
    skip = {w.eva.pk}  # no earlier former members in this world
    before = _others_rows(skip)
    going = _going(w, skip, contributions)
    assert going["conversations.Notification"]
    if contributions == "remove":
        assert going["knowledge.Useful"] == 1 and going["conversations.Reaction"] == 1
    for label in ("Comment", "Revision", "Attachment", "Useful"):
        assert before[f"knowledge.{label}"], label
    assert before["conversations.Flag"] and before["conversations.ModerationAction"]

    tombstone = account_erase(user=w.eva, contributions=contributions, by=w.eva)

    after = _others_rows(skip | {tombstone.pk})
    lost = {label: before[label] - after[label] for label in before if after[label] < before[label]}
    assert lost == {label: n for label, n in going.items() if n}


def test_items_others_worked_on_stay_emptied(rich, make_client):
    w = rich
    tombstone = account_erase(user=w.eva, contributions="remove", by=w.eva)

    assert not KnowledgeItem.objects.filter(pk__in=[w.solo.pk, w.liked.pk]).exists()
    for item in (w.commented, w.edited, w.filed):
        item.refresh_from_db()
        assert (item.title, item.body) == removed_text()
        assert item.author_list == [tombstone]
    assert Comment.objects.filter(item=w.commented, author=w.anna).exists()
    assert Useful.objects.filter(item=w.commented, user=w.bram).exists()
    # Fenna's version stays; Eva's versions (her text) go; the emptied text is the newest.
    assert list(Revision.objects.filter(item=w.edited).values_list("edited_by", "body")) == [
        (tombstone.pk, removed_text()[1]),
        (w.fac.pk, "Fenna improves it"),
    ]
    assert list(Attachment.objects.filter(item=w.filed)) == [w.fac_file]
    assert not Attachment.objects.filter(pk=w.eva_file.pk).exists()
    # The pages still work, without Eva's words or name.
    client = make_client(w.anna)
    for item in (w.commented, w.edited, w.filed):
        for url in (item.get_absolute_url(), f"{item.get_absolute_url()}revisions/"):
            page = client.get(url)
            assert page.status_code == 200, url
            html = page.content.decode()
            assert "Eva Erased" not in html and "eva c" not in html and "Eva again" not in html
    assert "Anna comments here" in client.get(w.commented.get_absolute_url()).content.decode()


def test_flagged_or_moderated_posts_stay_emptied(rich):
    w = rich
    tombstone = account_erase(user=w.eva, contributions="remove", by=w.eva)

    title, body = removed_text()
    for thread in (w.flagged, w.hidden):
        thread.refresh_from_db()
        assert (thread.title, thread.body, thread.author) == (title, body, tombstone)
    for reply in (w.r_flagged, w.r_hidden):
        reply.refresh_from_db()
        assert (reply.body, reply.author) == (body, tombstone)
    assert Flag.objects.filter(thread=w.flagged, reporter=w.anna).exists()
    assert Flag.objects.filter(reply=w.r_flagged, reporter=w.bram).exists()
    assert ModerationAction.objects.get(thread=w.hidden).subject == tombstone
    assert ModerationAction.objects.get(reply=w.r_hidden).actor == w.fac
    assert not Thread.objects.filter(pk__in=[w.lonely.pk, w.reacted.pk]).exists()
    assert not Reply.objects.filter(pk=w.eva_own.pk).exists()
