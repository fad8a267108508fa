"""Mentions as people write them (@Name) and as Kring stores them (@[Name](/people/ID/)):
the round trip through the forms, and what may not be turned into a mention."""

import pytest
from django.urls import reverse

from kring.conversations import mention_text
from kring.conversations.models import Notification, NotificationKind, Reply, Thread


def stored(user) -> str:
    return f"@[{user.full_name}](/people/{user.pk}/)"


def reply_url(thread):
    return reverse("reply-create", kwargs={"slug": thread.community.slug, "pk": thread.pk})


def edit_url(reply):
    thread = reply.thread
    return reverse(
        "reply-update",
        kwargs={"slug": thread.community.slug, "pk": thread.pk, "reply_pk": reply.pk},
    )


def test_as_names_and_back_is_the_same_text():
    """Stored mentions shown as names turn back into the same stored text."""
    text = "Ask @[Bram Answerer](/people/7/) or @[Anna de Vries](/people/9/), please."
    shown = mention_text.as_names(text)
    assert shown == "Ask @Bram Answerer or @Anna de Vries, please."
    assert mention_text.as_stored(shown, people={}, initial=text) == text


def test_the_longest_name_wins():
    """ "@Anna de Vries" is not taken for "@Anna", and an e-mail address is left alone."""
    text = "@Anna de Vries and @Anna, mail anna@Anna.nl"
    result = mention_text.as_stored(text, people={1: "Anna", 2: "Anna de Vries"})
    assert result == "@[Anna de Vries](/people/2/) and @[Anna](/people/1/), mail anna@Anna.nl"


def test_hidden_ids_are_parsed_strictly():
    """Only whole numbers come through from the hidden field, at most fifty."""
    assert mention_text.parse_ids("12 x 13,12 -4 <b>") == [12, 13]
    assert len(mention_text.parse_ids(" ".join(str(n) for n in range(1, 200)))) == 50


def test_reply_with_a_chosen_name_is_stored_as_a_mention(circle, make_thread, make_client):
    """The autocomplete's name and id become the stored mention, and the person is told."""
    thread = make_thread()
    make_client(circle.asker).post(
        reply_url(thread),
        {"body": "Ask @Bram Answerer about it.", "body_mentions": str(circle.answerer.pk)},
    )
    reply = Reply.objects.get(thread=thread)
    assert reply.body == f"Ask {stored(circle.answerer)} about it."
    assert Notification.objects.filter(
        recipient=circle.answerer, kind=NotificationKind.MENTION
    ).exists()


def test_a_typed_name_works_without_javascript(circle, make_thread, make_client):
    """With no hidden ids, a name exactly one member has is a mention too."""
    thread = make_thread()
    make_client(circle.asker).post(reply_url(thread), {"body": "Thanks @Bram Answerer!"})
    assert Reply.objects.get(thread=thread).body == f"Thanks {stored(circle.answerer)}!"


def test_the_stored_syntax_still_works(circle, make_thread, make_client):
    """Someone who types the stored form gets it kept as it is."""
    thread = make_thread()
    body = f"Thanks {stored(circle.answerer)}"
    make_client(circle.asker).post(reply_url(thread), {"body": body})
    assert Reply.objects.get(thread=thread).body == body


def test_outsiders_and_shared_names_are_not_mentioned(
    circle, make_thread, make_member, make_client
):
    """An outsider's id is ignored; a name two members share needs the chosen id."""
    twin_a = make_member(circle.community, full_name="Sam Smit").user
    twin_b = make_member(circle.community, full_name="Sam Smit").user
    thread = make_thread()
    client = make_client(circle.asker)
    client.post(
        reply_url(thread),
        {"body": "Hi @Otto Outsider and @Sam Smit", "body_mentions": str(circle.outsider.pk)},
    )
    assert Reply.objects.get(thread=thread).body == "Hi @Otto Outsider and @Sam Smit"
    client.post(reply_url(thread), {"body": "Hi @Sam Smit", "body_mentions": str(twin_b.pk)})
    assert Reply.objects.filter(thread=thread).latest("pk").body == f"Hi {stored(twin_b)}"
    assert twin_a.pk != twin_b.pk


def test_editing_shows_names_and_saves_the_same_text(circle, make_thread, make_reply, make_client):
    """The edit form shows @Name with the id beside it; saved as shown, nothing changes."""
    thread = make_thread()
    body = f"Ask {stored(circle.asker)} first."
    reply = make_reply(thread, body=body)
    client = make_client(circle.answerer)
    form = client.get(edit_url(reply)).context["form"]
    html = str(form["body"])
    assert "Ask @Anna Asker first." in html and "/people/" not in html
    assert f'name="body_mentions" value="{circle.asker.pk}"' in html
    client.post(edit_url(reply), {"body": "Ask @Anna Asker first, then @Fenna Facilitator."})
    reply.refresh_from_db()
    assert reply.body == f"Ask {stored(circle.asker)} first, then {stored(circle.facilitator)}."


def test_an_error_keeps_the_names_and_ids(circle, make_client):
    """A question sent back for a missing title keeps the text and the chosen people."""
    response = make_client(circle.asker).post(
        reverse("thread-create", kwargs={"slug": circle.community.slug}),
        {
            "kind": "question",
            "title": "",
            "body": "Who knows? @Bram Answerer maybe.",
            "body_mentions": str(circle.answerer.pk),
            "tags": "zorg, wijk",
        },
    )
    html = response.content.decode()
    assert "Give it a title." in html
    assert "Who knows? @Bram Answerer maybe." in html
    assert f'name="body_mentions" value="{circle.answerer.pk}"' in html
    assert "zorg, wijk" in html
    assert not Thread.objects.exists()


@pytest.mark.parametrize("name", ["Anna <b>Asker</b>", "Anna [Asker]"])
def test_odd_names_stay_text(circle, make_thread, make_member, make_client, name):
    """Names with markup or brackets are escaped on the page and do not break the syntax."""
    odd = make_member(circle.community, full_name=name).user
    thread = make_thread()
    label = mention_text.label(name)
    make_client(circle.asker).post(
        reply_url(thread), {"body": f"Hi @{label}", "body_mentions": str(odd.pk)}
    )
    body = Reply.objects.get(thread=thread).body
    assert body == f"Hi @[{label}](/people/{odd.pk}/)"
    page = make_client(circle.asker).get(thread.get_absolute_url()).content.decode()
    assert "<b>Asker</b>" not in page


def test_a_reply_error_keeps_the_text_and_the_people(circle, make_thread, make_client):
    """A reply refused as too long comes back with the typed text and the chosen ids."""
    thread = make_thread()
    body = "@Bram Answerer " + "x" * 20000
    response = make_client(circle.asker).post(
        reply_url(thread), {"body": body, "body_mentions": str(circle.answerer.pk)}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "The text is too long" in html
    assert body in html
    assert f'name="body_mentions" value="{circle.answerer.pk}"' in html
    assert not Reply.objects.exists()


def test_an_edit_keeps_a_mention_when_a_namesake_joins_later(
    circle, make_thread, make_member, make_reply, make_client
):
    """Someone mentioned leaves and another member with the same name joins: editing the
    text keeps the mention on the first person, never moves it to the newcomer."""
    from kring.communities.models import Membership

    first = make_member(circle.community, full_name="Sam Smit").user
    reply = make_reply(make_thread(), body=f"Thanks {stored(first)}!")
    Membership.objects.filter(user=first, community=circle.community).delete()
    make_member(circle.community, full_name="Sam Smit")
    make_client(reply.author).post(
        edit_url(reply),
        {"body": "Thanks @Sam Smit! (typo fixed)", "body_mentions": str(first.pk)},
    )
    reply.refresh_from_db()
    assert reply.body == f"Thanks {stored(first)}! (typo fixed)"


def test_two_people_with_one_name_stay_two_mentions(
    circle, make_thread, make_member, make_reply, make_client
):
    """Two members share a name and both are mentioned: after an edit each mention still
    points at its own person, in the order they stand in the text."""
    a = make_member(circle.community, full_name="Sam Smit").user
    b = make_member(circle.community, full_name="Sam Smit").user
    reply = make_reply(make_thread(), body=f"{stored(b)} and {stored(a)}")
    make_client(reply.author).post(
        edit_url(reply), {"body": "@Sam Smit and @Sam Smit.", "body_mentions": f"{b.pk} {a.pk}"}
    )
    reply.refresh_from_db()
    assert reply.body == f"{stored(b)} and {stored(a)}."


def test_twins_chosen_in_a_new_text_are_mentioned_in_the_order_chosen():
    """In a new text, people chosen from the list get the mentions in the order chosen."""
    text = mention_text.as_stored(
        "@Sam Smit, @Sam Smit", people={6: "Sam Smit", 7: "Sam Smit"}, chosen=[7, 6]
    )
    assert text == "@[Sam Smit](/people/7/), @[Sam Smit](/people/6/)"
