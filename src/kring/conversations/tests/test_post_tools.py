"""The tools under each post: one main action as a button, the rest in a "More" menu, and the
moderation steps last in that menu."""

import re

import pytest
from django.urls import reverse


@pytest.fixture
def setup(circle, make_thread, make_reply):
    thread = make_thread(body="We want to start a buurtteam.")
    reply = make_reply(thread)
    return thread, reply


def _page(make_client, person, thread) -> str:
    url = reverse("thread-detail", kwargs={"slug": thread.community.slug, "pk": thread.pk})
    return make_client(person).get(url).content.decode()


def _card(page: str, anchor: str) -> str:
    """The HTML of one post's tools row."""
    start = page.index(anchor)
    tools = page.index('class="actions post-tools"', start)
    return page[tools : page.index("</details>", tools) + len("</details>")]


def _buttons_outside_menu(html: str) -> list[str]:
    outside = re.sub(r"<details class=\"menu\">.*?</details>", "", html, flags=re.S)
    return re.findall(r'class="button button-small[^"]*"', outside)


def test_opening_post_has_one_primary_action(setup, circle, make_client):
    """The opening post offers "Answer" as its one main button, under its title, marked as
    the page's primary action; edit and history are in the menu under the post."""
    thread, _reply = setup
    page = _page(make_client, circle.asker, thread)
    opening = page[page.index('id="post-thread"') : page.index('id="replies-title"')]
    assert page.count("data-primary-action") == 1
    assert re.search(r'href="#reply-title" data-primary-action>Answer</a>', opening)
    assert opening.index("data-primary-action") < opening.index('class="prose"')
    tools = _card(page, 'id="post-thread"')
    menu = tools[tools.index('<details class="menu">') :]
    assert ">Edit</a>" in menu and ">History</a>" in menu
    # Under the post, at most the "Useful" toggle stands beside the menu.
    assert all("button-useful" in b for b in _buttons_outside_menu(tools))


def test_reply_accept_is_the_button_and_moderation_is_last(setup, circle, make_client):
    """On a reply the asker can accept, accepting is the one button; for a facilitator the
    hide step comes last in the menu and leads to the moderation page."""
    thread, reply = setup
    asker_tools = _card(_page(make_client, circle.asker, thread), f'id="reply-{reply.pk}"')
    assert "Accept as the answer" in asker_tools.split('<details class="menu">')[0]
    page = _page(make_client, circle.facilitator, thread)
    tools = _card(page, f'id="reply-{reply.pk}"')
    menu = tools[tools.index('<div class="menu-panel">') :]
    items = re.findall(r'class="menu-item[^"]*"[^>]*>([^<]+)<', menu)
    assert items[-1] == "Hide…"
    assert 'menu-item menu-danger" href="/communities/' in menu
    assert f"?reply={reply.pk}#hide" in menu


@pytest.mark.parametrize("who", ["guest", "answerer", "asker", "facilitator"])
def test_no_empty_menus(setup, circle, make_client, who):
    """Whoever reads, every "More" menu on the page holds at least one action."""
    thread, _reply = setup
    page = _page(make_client, getattr(circle, who), thread)
    panels = re.findall(r'<div class="menu-panel">(.*?)</div>\s*</details>', page, flags=re.S)
    assert panels
    assert all('class="menu-item' in panel for panel in panels)
