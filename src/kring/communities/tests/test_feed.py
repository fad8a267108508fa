"""The community home feed: entries from activity events, the waiting questions on top,
paging with and without htmx, and only for people inside."""

import html as htmllib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.accounts.services import profile_update
from kring.communities.models import Role
from kring.conversations.services import moderation as moderation_services
from kring.conversations.services import threads as thread_services
from kring.core import feed
from kring.knowledge import services as knowledge
from kring.knowledge.models import Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(make_user, make_community, make_member):
    facilitator = make_user(full_name="Fenna Facilitator")
    community = make_community(by=facilitator, name="Zorg thuis", slug="zorg-thuis")
    anna = make_member(community, full_name="Anna de Vries", organisation="Gemeente Ede").user
    bram = make_member(community, full_name="Bram Bos").user
    return community, facilitator, anna, bram


def plain(markup) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", str(markup))).split())


def url(community) -> str:
    return f"/communities/{community.slug}/"


def test_entries_for_joined_items_questions_and_accepted(home, make_member, make_client):
    """Each kind of entry reads as a sentence, newest first, with the waiting marker while a
    question has no response."""
    community, facilitator, anna, bram = home
    profile_update(user=anna, by=anna, help_tags=["mantelzorg"])
    knowledge.item_create(
        community=community, by=bram, kind=Kind.TOOLKIT, title="Toolkit buurtzorg", body="x"
    )
    waiting = thread_services.thread_create(
        community=community, by=anna, kind="question", title="Who knows respite care?"
    )
    answered = thread_services.thread_create(
        community=community, by=anna, kind="question", title="Where to start?"
    )
    reply = thread_services.reply_create(thread=answered, by=bram, body="With one street.")
    thread_services.answer_accept(thread=answered, reply=reply, by=facilitator)
    page = feed.community_feed(community=community, user=anna)
    texts = [plain(e.sentence) for e in page.entries]
    assert texts[0] == "Fenna Facilitator accepted Bram Bos's answer to Where to start?"
    assert "Anna de Vries asks: Where to start?" in texts
    assert "Bram Bos shared a library item: Toolkit buurtzorg" in texts
    assert "Welcome Anna de Vries, who works on mantelzorg" in texts
    assert "Welcome Bram Bos" in texts
    waiting_entry = next(e for e in page.entries if waiting.title in str(e.sentence))
    answered_entry = next(
        e for e in page.entries if "asks: " in str(e.sentence) and e is not waiting_entry
    )
    assert waiting_entry.extra["waiting"] and not answered_entry.extra["waiting"]
    assert not any("replied" in t for t in texts)


def test_hidden_and_gone_targets_drop_out(home):
    """A hidden question, a deleted item and a member who left leave no entry behind."""
    community, facilitator, anna, bram = home
    thread = thread_services.thread_create(
        community=community, by=anna, kind="question", title="Hidden question"
    )
    item = knowledge.item_create(
        community=community, by=bram, kind=Kind.TOOLKIT, title="Gone item", body="x"
    )
    moderation_services.post_hide(by=facilitator, thread=thread, reason="Not here")
    knowledge.item_delete(item=item, by=bram)
    from kring.communities.services import membership_remove

    membership_remove(membership=bram.memberships.get(community=community), by=bram)
    text = " ".join(
        str(e.sentence) for e in feed.community_feed(community=community, user=anna).entries
    )
    assert "Hidden question" not in text
    assert "Gone item" not in text
    assert "Bram Bos" not in text


def test_hostile_titles_show_as_text(home, make_client):
    """A question title with markup is escaped in the feed and the waiting box."""
    community, facilitator, anna, bram = home
    thread_services.thread_create(
        community=community, by=anna, kind="question", title="<script>alert(1)</script>"
    )
    html = make_client(bram).get(url(community)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_waiting_box_oldest_first(home, make_client):
    """The questions without a response are listed on top of the feed, oldest first."""
    community, facilitator, anna, bram = home
    first = thread_services.thread_create(
        community=community, by=anna, kind="question", title="First question"
    )
    thread_services.thread_create(
        community=community, by=bram, kind="question", title="Second question"
    )
    answered = thread_services.thread_create(
        community=community, by=bram, kind="question", title="Answered one"
    )
    thread_services.reply_create(thread=answered, by=anna, body="Here you go")
    html = make_client(anna).get(url(community)).content.decode()
    box = html.split('id="waiting-title"')[1].split("</section>")[0]
    assert box.index("First question") < box.index("Second question")
    assert "Answered one" not in box
    assert first.get_absolute_url() in box


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_outsiders_do_not_see_the_feed(home, make_user, make_client, make_community, who):
    """Someone outside a public community sees its landing page but not the feed."""
    from kring.communities.models import Visibility

    community, facilitator, anna, bram = home
    community.visibility = Visibility.PUBLIC
    community.save()
    thread_services.thread_create(
        community=community, by=anna, kind="question", title="Inside question"
    )
    client = make_client(make_user() if who == "outsider" else None)
    response = client.get(url(community))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="feed"' not in html and "Inside question" not in html
    assert "Welcome Anna" not in plain(html)


def test_guest_sees_the_feed(home, make_member, make_client):
    """A guest is inside and sees the feed."""
    community, facilitator, anna, bram = home
    guest = make_member(community, role=Role.GUEST, full_name="Gijs Guest").user
    html = make_client(guest).get(url(community)).content.decode()
    assert 'id="feed"' in html and "Welcome Gijs Guest" in plain(html)


def _grow(community, make_member, n, offset=0):
    for i in range(n):
        person = make_member(community, full_name=f"Member {offset + i}").user
        profile_update(user=person, by=person, help_tags=[f"theme {offset + i}"])
        knowledge.item_create(
            community=community, by=person, kind=Kind.TOOLKIT, title=f"Item {offset + i}", body="x"
        )
        thread_services.thread_create(
            community=community, by=person, kind="question", title=f"Question {offset + i}"
        )


def _count(client, path) -> int:
    # From a cold cache each time (the member counts are cached; the test's transaction is
    # never committed, so joining does not clear them): both pages do the same work.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def test_page_queries_do_not_grow(home, make_member, make_client):
    """The community page with its feed runs the same number of queries for 3 or 30 members
    with items and questions."""
    community, facilitator, anna, bram = home
    client = make_client(anna)
    _grow(community, make_member, 3)
    small = _count(client, url(community))
    _grow(community, make_member, 27, offset=3)
    assert _count(client, url(community)) == small


def test_paging_without_htmx(home, make_member, make_client):
    """'Show more' is a plain link to the next page of entries, which starts where the first
    ended, without repeats."""
    community, facilitator, anna, bram = home
    _grow(community, make_member, 10)
    client = make_client(anna)
    first = feed.community_feed(community=community, user=anna)
    assert len(first.entries) == feed.FEED_PAGE_SIZE and first.next_before
    html = client.get(url(community)).content.decode()
    assert f"?before={first.next_before.replace(',', '%2C')}" in html
    second = client.get(url(community), {"before": first.next_before})
    assert second.status_code == 200
    assert "<html" in second.content.decode()
    page2 = feed.community_feed(community=community, user=anna, before=first.next_before)
    ids = [e.event_id for e in first.entries] + [e.event_id for e in page2.entries]
    assert len(ids) == len(set(ids))
    everything = feed.community_feed(community=community, user=anna, limit=1000)
    assert ids == [e.event_id for e in everything.entries][: len(ids)]


def test_paging_with_htmx_returns_the_fragment(home, make_member, make_client):
    """With htmx the next page comes as list items only, ending in its own 'Show more'."""
    community, facilitator, anna, bram = home
    _grow(community, make_member, 10)
    first = feed.community_feed(community=community, user=anna)
    response = make_client(anna).get(
        url(community), {"before": first.next_before}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'class="feed-entry' in html
    assert "HX-Request" in response["Vary"]


def test_bad_cursor_means_first_page(home, make_client):
    """A garbled ?before= shows the newest entries instead of an error."""
    community, facilitator, anna, bram = home
    for value in ("abc", "1,2,3", "-5,1", "99999999999999999999,1"):
        response = make_client(anna).get(url(community), {"before": value})
        assert response.status_code == 200
        assert "Welcome Bram Bos" in plain(response.content.decode())
