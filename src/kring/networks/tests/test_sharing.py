"""Sharing across a network: an item or a question shared by its community is read by the
members of the network's other communities, their marks and answers land at the source, and
withdrawing (or unlinking) takes it away everywhere. Members of a community outside the network
see nothing; the source community's own pages stay closed to them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kring.conversations.models import Reply
from kring.conversations.services.threads import thread_create
from kring.knowledge.models import Useful
from kring.knowledge.services import item_create, item_mark_useful
from kring.networks import services, services_sharing
from kring.networks.models import NetworkShare


@pytest.fixture
def shared_world(world, make_community, make_member, make_user):
    """Tiel and Culemborg linked; Tiel has a practice story by Mia and a question by Mia;
    Cas is a member of Culemborg only; Una is in "Zorg Utrecht", outside the network."""
    people = world["people"]
    services.link_request(network=world["network"], community=world["tiel"], by=people["both"])
    services.link_request(
        network=world["network"], community=world["culemborg"], by=people["admin"]
    )
    cas = make_member(world["culemborg"], full_name="Cas Culemborg").user
    outside = make_community(by=make_user(can_create=True), name="Zorg Utrecht")
    una = make_member(outside, full_name="Una Utrecht").user
    story = item_create(
        community=world["tiel"],
        by=people["member"],
        kind="practice_story",
        title="Buren als mantelzorgers",
        body="Wat we leerden toen buren elkaar gingen helpen.",
    )
    question = thread_create(
        community=world["tiel"],
        by=people["member"],
        kind="question",
        title="Wie kent een goede valpreventie-cursus?",
        body="Voor ouderen in de wijk.",
    )
    world.update(cas=cas, una=una, story=story, question=question, outside=outside)
    return world


def test_an_author_shares_and_a_member_elsewhere_marks_it_useful(shared_world, make_client):
    w = shared_world
    services_sharing.share(network=w["network"], by=w["people"]["member"], item=w["story"])
    cas = make_client(w["cas"])
    listing = cas.get(reverse("network-shared", args=[w["network"].slug]))
    assert listing.status_code == 200 and "Buren als mantelzorgers" in listing.content.decode()
    assert "from Zorg Tiel" in listing.content.decode()
    url = reverse("network-shared-item", args=[w["network"].slug, w["story"].pk])
    assert cas.post(url).status_code == 302
    # The mark lands at the source: the item counts it, and its authors see it there.
    w["story"].refresh_from_db()
    assert w["story"].useful_count == 1
    assert Useful.objects.filter(item=w["story"], user=w["cas"]).exists()
    source = make_client(w["people"]["member"]).get(w["story"].get_absolute_url())
    assert "1 person found this useful" in source.content.decode()
    # The source community's own pages stay closed to Cas.
    assert cas.get(w["story"].get_absolute_url()).status_code in (403, 404)


def test_a_question_is_answered_from_the_network(shared_world, make_client):
    w = shared_world
    services_sharing.share(network=w["network"], by=w["people"]["both"], thread=w["question"])
    url = reverse("network-shared-question", args=[w["network"].slug, w["question"].pk])
    cas = make_client(w["cas"])
    empty = cas.post(url, {"body": "   "})
    assert empty.status_code == 400 and not Reply.objects.exists()
    assert cas.post(url, {"body": "De cursus van de GGD in Culemborg."}).status_code == 302
    reply = Reply.objects.get()
    assert (reply.thread, reply.author) == (w["question"], w["cas"])
    # The asker reads the answer in their own community.
    page = make_client(w["people"]["member"]).get(w["question"].get_absolute_url())
    assert "De cursus van de GGD in Culemborg." in page.content.decode()


def test_members_outside_the_network_see_nothing(shared_world, make_client):
    w = shared_world
    services_sharing.share(network=w["network"], by=w["people"]["member"], item=w["story"])
    una = make_client(w["una"])
    slug = w["network"].slug
    assert una.get(reverse("network-shared", args=[slug])).status_code == 404
    item_url = reverse("network-shared-item", args=[slug, w["story"].pk])
    assert una.get(item_url).status_code == 404
    assert una.post(item_url).status_code == 404
    with pytest.raises(PermissionDenied):
        item_mark_useful(item=w["story"], by=w["una"])
    # Not shared: the question stays closed even to Cas.
    cas = make_client(w["cas"])
    question_url = reverse("network-shared-question", args=[slug, w["question"].pk])
    assert cas.get(question_url).status_code == 404
    # A coordinator who is in no linked community reads nothing shared either.
    coordinator = make_client(w["people"]["coordinator"])
    assert coordinator.get(reverse("network-shared", args=[slug])).status_code == 404


def test_withdrawing_or_unlinking_takes_it_away_everywhere(shared_world, make_client):
    w = shared_world
    shared = services_sharing.share(network=w["network"], by=w["people"]["member"], item=w["story"])
    url = reverse("network-shared-item", args=[w["network"].slug, w["story"].pk])
    assert make_client(w["cas"]).get(url).status_code == 200
    withdraw = reverse("network-share-withdraw", args=[w["network"].slug, shared.pk])
    assert make_client(w["cas"]).post(withdraw).status_code == 404  # not Cas's to withdraw
    assert make_client(w["people"]["member"]).post(withdraw).status_code == 302
    assert not NetworkShare.objects.exists()
    assert make_client(w["cas"]).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        item_mark_useful(item=w["story"], by=w["cas"])

    # Shared again, then Tiel leaves the network: gone as well.
    services_sharing.share(network=w["network"], by=w["people"]["member"], item=w["story"])
    link = w["network"].links.get(community=w["tiel"])
    services.link_remove(link=link, by=w["people"]["both"])
    assert make_client(w["cas"]).get(url).status_code == 404


def test_who_may_share_what(shared_world):
    w = shared_world
    # A member who is not an author, a guest, someone outside: no.
    for who in ("guest", "mo", "coordinator"):
        with pytest.raises(PermissionDenied):
            services_sharing.share(network=w["network"], by=w["people"][who], item=w["story"])
    # A discussion does not travel; a community outside the network cannot share.
    talk = thread_create(
        community=w["tiel"],
        by=w["people"]["member"],
        kind="discussion",
        title="Koffie?",
        body="Wie komt er?",
    )
    with pytest.raises(ValidationError):
        services_sharing.share(network=w["network"], by=w["people"]["both"], thread=talk)
    elsewhere = item_create(
        community=w["outside"], by=w["una"], kind="practice_story", title="Utrecht"
    )
    with pytest.raises(ValidationError):
        services_sharing.share(network=w["network"], by=w["una"], item=elsewhere)
    services_sharing.share(network=w["network"], by=w["people"]["member"], item=w["story"])
    with pytest.raises(ValidationError):  # twice
        services_sharing.share(network=w["network"], by=w["people"]["both"], item=w["story"])
    assert NetworkShare.objects.count() == 1


def test_the_source_page_offers_sharing_to_those_who_may(shared_world, make_client):
    w = shared_world
    page = make_client(w["people"]["member"]).get(w["story"].get_absolute_url()).content.decode()
    assert "Share with this network" in page and "Zorg Gelderland" in page
    other = make_client(w["people"]["mo"]).get(w["story"].get_absolute_url()).content.decode()
    assert "Share with this network" not in other
    response = make_client(w["people"]["member"]).post(
        reverse("network-share", args=[w["network"].slug]),
        {"item": w["story"].pk, "next": w["story"].get_absolute_url()},
    )
    assert response.status_code == 302
    assert NetworkShare.objects.filter(item=w["story"]).exists()
    bad = make_client(w["people"]["member"]).post(
        reverse("network-share", args=[w["network"].slug]), {"item": "abc"}
    )
    assert bad.status_code == 404


def test_the_shared_list_searches(shared_world, make_client, django_capture_on_commit_callbacks):
    """With the site's own search, kept to what is shared here."""
    from kring.core import search

    w = shared_world
    with django_capture_on_commit_callbacks(execute=True):
        search.index_objects("thread", [w["question"].pk])
        search.index_objects("item", [w["story"].pk])
    services_sharing.share(network=w["network"], by=w["people"]["member"], item=w["story"])
    services_sharing.share(network=w["network"], by=w["people"]["member"], thread=w["question"])
    url = reverse("network-shared", args=[w["network"].slug])
    text = make_client(w["cas"]).get(url, {"q": "cursus"}).content.decode()
    assert "valpreventie-cursus" in text and "Buren als mantelzorgers" not in text
    text = make_client(w["cas"]).get(url, {"q": "buren"}).content.decode()
    assert "valpreventie-cursus" not in text and "Buren als mantelzorgers" in text


@pytest.mark.django_db(transaction=True)
def test_marks_and_answers_from_the_network_leave_the_sources_insights_whole(shared_world):
    """An act by someone outside the source community is not one of its members' acts: the
    insights still compute, and name no outsider among the members."""
    from kring.conversations.services.threads import reply_create
    from kring.insights.compute import compute

    w = shared_world
    services_sharing.share(network=w["network"], by=w["people"]["member"], item=w["story"])
    services_sharing.share(network=w["network"], by=w["people"]["member"], thread=w["question"])
    item_mark_useful(item=w["story"], by=w["cas"])
    reply_create(thread=w["question"], by=w["cas"], body="De GGD in Culemborg.")
    raw = compute(community=w["tiel"])
    assert w["cas"].pk not in {m["id"] for m in raw["members"]}


def test_the_network_opens_only_the_mark_and_the_answer(shared_world):
    """A reader from the network marks an item useful and answers a question, nothing more:
    no comments, no flags, no accepting, and the thread is not 'seen' by the source's rules."""
    from kring.conversations import permissions as conversation_permissions
    from kring.knowledge import permissions as knowledge_permissions
    from kring.knowledge.services import comment_create

    w = shared_world
    services_sharing.share(network=w["network"], by=w["people"]["member"], item=w["story"])
    services_sharing.share(network=w["network"], by=w["people"]["member"], thread=w["question"])
    cas = w["cas"]
    assert knowledge_permissions.can_mark_useful(cas, w["story"])
    assert not knowledge_permissions.can_react(cas, w["story"])
    with pytest.raises(PermissionDenied):
        comment_create(item=w["story"], by=cas, body="Mooi!")
    assert conversation_permissions.can_reply(cas, w["question"])
    for check in ("can_see_thread", "can_accept", "can_react", "can_flag", "can_edit_post"):
        assert not getattr(conversation_permissions, check)(cas, w["question"]), check


def test_an_old_share_stays_reachable(shared_world, make_client):
    """A share is fetched by itself, not looked up in the newest of the list."""
    w = shared_world
    services_sharing.share(network=w["network"], by=w["people"]["member"], item=w["story"])
    for n in range(3):
        item = item_create(
            community=w["tiel"], by=w["people"]["member"], kind="toolkit", title=f"Toolkit {n}"
        )
        services_sharing.share(network=w["network"], by=w["people"]["member"], item=item)
    url = reverse("network-shared-item", args=[w["network"].slug, w["story"].pk])
    assert make_client(w["cas"]).get(url).status_code == 200
