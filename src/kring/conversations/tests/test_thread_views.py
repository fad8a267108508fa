"""The web pages for questions and discussions: who may do what, bad and hostile input, and
what the pages show."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kring.communities.models import Visibility
from kring.conversations.models import PostAttachment, PostRevision, Reaction, Reply, Thread

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def url(name, thread=None, **kw):
    if thread is None:
        return reverse(name, kwargs={"slug": kw.pop("slug"), **kw})
    return reverse(name, kwargs={"slug": thread.community.slug, "pk": thread.pk, **kw})


@pytest.fixture
def people(circle, make_admin):
    """Everyone who may come knocking, by name."""
    return {
        "facilitator": circle.facilitator,
        "asker": circle.asker,
        "answerer": circle.answerer,
        "guest": circle.guest,
        "outsider": circle.outsider,
        "admin": make_admin(full_name="Ada Admin"),
    }


@pytest.fixture
def setup(circle, make_thread, make_reply):
    """A question by the asker with one answer by the answerer, and an attachment."""
    thread = make_thread(body="We want to start a **buurtteam**.", attachments=[pdf()])
    reply = make_reply(thread)
    return thread, reply


# --- Permission table ------------------------------------------------------------------------

GET_TABLE = [
    # (view, person, status)
    ("thread-list", "outsider", 404),
    ("thread-list", "guest", 200),
    ("thread-list", "asker", 200),
    ("thread-list", "admin", 200),
    ("thread-create", "outsider", 404),
    ("thread-create", "guest", 403),
    ("thread-create", "answerer", 200),
    ("thread-create", "facilitator", 200),
    ("thread-create", "admin", 200),
    ("thread-detail", "outsider", 404),
    ("thread-detail", "guest", 200),
    ("thread-detail", "answerer", 200),
    ("thread-detail", "admin", 200),
    ("thread-update", "outsider", 404),
    ("thread-update", "answerer", 403),
    ("thread-update", "facilitator", 403),
    ("thread-update", "asker", 200),
    ("thread-history", "outsider", 404),
    ("thread-history", "guest", 200),
    ("reply-update", "outsider", 404),
    ("reply-update", "asker", 403),
    ("reply-update", "facilitator", 403),
    ("reply-update", "answerer", 200),
    ("post-attachment", "outsider", 404),
    ("post-attachment", "guest", 200),
    ("mention-search", "outsider", 404),
    ("mention-search", "guest", 200),
]


@pytest.mark.parametrize(("view", "who", "status"), GET_TABLE)
def test_get_permissions(view, who, status, people, setup, make_client):
    """Each page answers the right people and refuses (403) or hides (404) from the rest."""
    thread, reply = setup
    slug = thread.community.slug
    if view in ("thread-list", "thread-create", "mention-search"):
        target = url(view, slug=slug)
        if view == "mention-search":
            target += "?q=Bram"
    elif view == "reply-update":
        target = url(view, thread, reply_pk=reply.pk)
    elif view == "post-attachment":
        target = url(view, thread, att_pk=thread.attachments.get().pk)
    else:
        target = url(view, thread)
    response = make_client(people[who]).get(target)
    assert response.status_code == status


def test_anonymous_visitor_is_sent_to_login(setup, client):
    """Someone not logged in is sent to the login page, not shown the thread."""
    thread, _reply = setup
    response = client.get(url("thread-detail", thread))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_non_member_of_public_community_gets_404(make_community, make_user, make_client):
    """A public landing page does not open the conversations to people outside."""
    community = make_community(visibility=Visibility.PUBLIC)
    thread = Thread.objects.create(
        community=community, kind="question", title="Q", author=community.memberships.get().user
    )
    client = make_client(make_user())
    assert client.get(url("thread-list", slug=community.slug)).status_code == 404
    assert client.get(url("thread-detail", thread)).status_code == 404


def test_guessed_thread_id_from_another_community_gives_404(
    setup, make_community, make_client, circle
):
    """A thread id under the wrong community's address is not found."""
    thread, _reply = setup
    other = make_community(by=circle.asker)
    response = make_client(circle.asker).get(
        reverse("thread-detail", kwargs={"slug": other.slug, "pk": thread.pk})
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "status", "created"),
    [("outsider", 404, False), ("guest", 302, True), ("answerer", 302, True), ("admin", 302, True)],
)
def test_reply_permissions(who, status, created, people, setup, make_client):
    """Everyone inside may reply, guests included; outsiders get 404."""
    thread, _reply = setup
    response = make_client(people[who]).post(url("reply-create", thread), {"body": "Me too."})
    assert response.status_code == status
    assert Reply.objects.filter(thread=thread, body="Me too.").exists() is created


@pytest.mark.parametrize(
    ("who", "status", "created"),
    [("answerer", 403, False), ("guest", 403, False), ("facilitator", 302, True)],
)
def test_locked_thread_refuses_replies_from_members(
    who, status, created, people, setup, make_client
):
    """Once locked, members get 403 on replying; facilitators still may."""
    thread, _reply = setup
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    response = make_client(people[who]).post(url("reply-create", thread), {"body": "Late."})
    assert response.status_code == status
    assert Reply.objects.filter(thread=thread, body="Late.").exists() is created


def test_locked_thread_shows_banner_and_no_reply_form(setup, circle, make_client):
    """A member sees that the thread is locked and gets no reply form."""
    thread, _reply = setup
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    page = make_client(circle.answerer).get(url("thread-detail", thread)).content.decode()
    assert "This conversation is locked" in page
    assert 'action="' + url("reply-create", thread) + '"' not in page


@pytest.mark.parametrize(
    ("who", "status", "accepted"),
    [
        ("outsider", 404, False),
        ("guest", 403, False),
        ("answerer", 403, False),
        ("asker", 302, True),
        ("facilitator", 302, True),
        ("admin", 302, True),
    ],
)
def test_only_asker_or_facilitator_accepts(who, status, accepted, people, setup, make_client):
    """The asker and facilitators choose the accepted answer; nobody else can."""
    thread, reply = setup
    response = make_client(people[who]).post(url("answer-accept", thread), {"reply": reply.pk})
    assert response.status_code == status
    thread.refresh_from_db()
    assert (thread.accepted_reply_id == reply.pk) is accepted


def test_accept_can_be_undone(setup, circle, make_client):
    """The asker can take an accepted answer back."""
    thread, reply = setup
    client = make_client(circle.asker)
    client.post(url("answer-accept", thread), {"reply": reply.pk})
    client.post(url("answer-accept", thread), {"reply": reply.pk, "accept": "0"})
    thread.refresh_from_db()
    assert thread.accepted_reply_id is None


def test_accept_a_reply_of_another_thread_gives_404(
    setup, make_thread, make_reply, circle, make_client
):
    """A reply id from another thread cannot be accepted here."""
    thread, _reply = setup
    other_reply = make_reply(make_thread(title="Other"))
    response = make_client(circle.asker).post(
        url("answer-accept", thread), {"reply": other_reply.pk}
    )
    assert response.status_code == 404
    thread.refresh_from_db()
    assert thread.accepted_reply_id is None


def test_accept_on_a_discussion_is_refused(make_thread, make_reply, circle, make_client):
    """A discussion has no accepted answer."""
    thread = make_thread(kind="discussion", body="Let us talk.")
    reply = make_reply(thread)
    response = make_client(circle.asker).post(url("answer-accept", thread), {"reply": reply.pk})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("who", "status", "counted"),
    [("outsider", 404, 0), ("asker", 403, 0), ("answerer", 302, 1), ("guest", 302, 1)],
)
def test_thread_useful_permissions(who, status, counted, people, setup, make_client):
    """Others may mark the opening post useful; not its author, not outsiders."""
    thread, _reply = setup
    response = make_client(people[who]).post(url("thread-useful", thread), {"useful": "1"})
    assert response.status_code == status
    thread.refresh_from_db()
    assert thread.useful_count == counted


@pytest.mark.parametrize(
    ("who", "status", "counted"),
    [("outsider", 404, 0), ("answerer", 403, 0), ("asker", 302, 1), ("facilitator", 302, 1)],
)
def test_reply_useful_permissions(who, status, counted, people, setup, make_client):
    """Others may mark a reply useful; not its author, not outsiders."""
    thread, reply = setup
    response = make_client(people[who]).post(
        url("reply-useful", thread, reply_pk=reply.pk), {"useful": "1"}
    )
    assert response.status_code == status
    reply.refresh_from_db()
    assert reply.useful_count == counted


def test_useful_toggle_with_htmx_returns_the_button(setup, circle, make_client):
    """With htmx the toggle answers with the button fragment, pressed, and toggles back."""
    thread, reply = setup
    client = make_client(circle.asker)
    target = url("reply-useful", thread, reply_pk=reply.pk)
    response = client.post(target, {"useful": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'aria-pressed="true"' in html
    assert "1 person found this useful" in html
    client.post(target, {"useful": "0"}, HTTP_HX_REQUEST="true")
    assert not Reaction.objects.filter(reply=reply).exists()


def test_useful_requires_post(setup, circle, make_client):
    """A GET does not change anything."""
    thread, _reply = setup
    response = make_client(circle.answerer).get(url("thread-useful", thread))
    assert response.status_code == 405


# --- Starting, editing, replying -------------------------------------------------------------


def test_member_asks_a_question_with_themes_and_attachment(circle, make_client):
    """A member's question is saved with its themes and file, and they land on it."""
    client = make_client(circle.asker)
    response = client.post(
        url("thread-create", slug=circle.community.slug),
        {
            "kind": "question",
            "title": "Who has a plan for loneliness?",
            "body": "Looking for *examples*.",
            "tags": "eenzaamheid, ouderen",
            "attachments": [pdf("a.pdf"), pdf("b.pdf")],
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert thread.is_question and thread.author == circle.asker
    assert sorted(t.name for t in thread.tags.all()) == ["eenzaamheid", "ouderen"]
    assert thread.attachments.count() == 2


def test_create_form_preselects_the_kind(circle, make_client):
    """?kind=discussion opens the form with discussion chosen."""
    response = make_client(circle.asker).get(
        url("thread-create", slug=circle.community.slug) + "?kind=discussion"
    )
    assert response.context["form"]["kind"].value() == "discussion"
    assert re.search(r'<input[^>]*value="discussion"[^>]*checked', response.content.decode())


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "question", "title": ""}, "title", "Give it a title."),
        ({"kind": "question", "title": "x" * 201}, "title", "Keep the title to 200 characters."),
        (
            {"kind": "question", "title": "Long", "body": "x" * 20001},
            "body",
            "The text is too long (at most 20000 characters).",
        ),
        (
            {"kind": "discussion", "title": "Empty talk", "body": ""},
            "body",
            "Write something to start the discussion with.",
        ),
        ({"kind": "poll", "title": "What?"}, "kind", "Select a valid choice."),
    ],
)
def test_bad_thread_input_is_refused(data, field, message, circle, make_client):
    """Bad input comes back with a message next to the field, and nothing is saved."""
    response = make_client(circle.asker).post(
        url("thread-create", slug=circle.community.slug), data
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Thread.objects.exists()


def test_disallowed_attachment_type_saves_nothing(circle, make_client):
    """An executable posing as a PDF is named in the message; no thread, no file is kept."""
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    response = make_client(circle.asker).post(
        url("thread-create", slug=circle.community.slug),
        {"kind": "question", "title": "With a file", "attachments": [fake]},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "plan.pdf" in errors and "This type of file is not allowed" in errors
    assert not Thread.objects.exists()
    assert not PostAttachment.objects.exists()


def test_oversized_attachment_is_refused(circle, make_client, settings):
    """A file over the size limit is refused with the limit in the message."""
    settings.KRING_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (2 * 1024 * 1024), "application/pdf")
    response = make_client(circle.asker).post(
        url("thread-create", slug=circle.community.slug),
        {"kind": "question", "title": "Big", "attachments": [big]},
    )
    assert "The file is too large" in " ".join(response.context["form"].errors["attachments"])
    assert not Thread.objects.exists()


def test_bad_reply_input_saves_nothing(setup, circle, make_client):
    """An empty or oversized reply comes back with a message; nothing is saved."""
    thread, _reply = setup
    client = make_client(circle.answerer)
    for body, message in [
        ("   ", "Write something first."),
        ("x" * 20001, "The text is too long (at most 20000 characters)."),
    ]:
        response = client.post(url("reply-create", thread), {"body": body})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Reply.objects.filter(thread=thread).count() == 1


def test_reply_with_disallowed_attachment_saves_nothing(setup, circle, make_client):
    """A reply with a refused file is not posted at all."""
    thread, _reply = setup
    fake = SimpleUploadedFile("notes.docx", b"just text, not a document", "application/msword")
    response = make_client(circle.answerer).post(
        url("reply-create", thread), {"body": "See attached.", "attachments": [fake]}
    )
    assert response.status_code == 400
    assert "This type of file is not allowed" in response.content.decode()
    assert not Reply.objects.filter(body="See attached.").exists()


def test_reply_to_a_reply_nests_one_level(setup, circle, make_client):
    """Replying to a reply makes a child; replying to the child stays one level deep."""
    thread, reply = setup
    client = make_client(circle.asker)
    client.post(url("reply-create", thread), {"body": "Thanks!", "parent": reply.pk})
    child = Reply.objects.get(body="Thanks!")
    client.post(url("reply-create", thread), {"body": "And again.", "parent": child.pk})
    assert child.parent_id == reply.pk
    assert Reply.objects.get(body="And again.").parent_id == reply.pk
    page = client.get(url("thread-detail", thread)).content.decode()
    assert page.index(f'id="reply-{reply.pk}"') < page.index(f'id="reply-{child.pk}"')
    assert "reply-children" in page


def test_reply_to_a_parent_in_another_thread_gives_404(
    setup, make_thread, make_reply, circle, make_client
):
    """A parent id from another thread is not found."""
    thread, _reply = setup
    foreign = make_reply(make_thread(title="Elsewhere"))
    response = make_client(circle.asker).post(
        url("reply-create", thread), {"body": "Hi", "parent": foreign.pk}
    )
    assert response.status_code == 404
    assert not Reply.objects.filter(body="Hi").exists()


def test_author_edits_thread_and_history_shows_the_diff(setup, circle, make_client):
    """An edit is saved, the page says "edited", and the history shows what changed."""
    thread, _reply = setup
    client = make_client(circle.asker)
    response = client.post(
        url("thread-update", thread),
        {
            "title": "How do we start a team?",
            "body": "We want to start a **wijkteam**.",
            "tags": "",
        },
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.title == "How do we start a team?" and thread.edited_at is not None
    page = client.get(url("thread-detail", thread)).content.decode()
    assert url("thread-history", thread) + "#post-thread" in page
    history = client.get(url("thread-history", thread)).content.decode()
    assert '<del><span class="visually-hidden">removed: </span>buurtteam</del>' in history
    assert '<ins><span class="visually-hidden">added: </span>wijkteam</ins>' in history


def test_saving_unchanged_thread_adds_no_version(setup, circle, make_client):
    """Saving the form as it is does not add a version to the history."""
    thread, _reply = setup
    client = make_client(circle.asker)
    client.post(
        url("thread-update", thread),
        {"title": thread.title, "body": thread.body, "tags": ""},
    )
    assert PostRevision.objects.filter(thread=thread, reply=None).count() == 1


def test_author_edits_reply_and_history_lists_it(setup, circle, make_client):
    """A reply's author edits it; the history has a section for that reply."""
    thread, reply = setup
    client = make_client(circle.answerer)
    response = client.post(url("reply-update", thread, reply_pk=reply.pk), {"body": "Begin small."})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body == "Begin small."
    history = client.get(url("thread-history", thread)).content.decode()
    assert f'id="post-reply-{reply.pk}"' in history


def test_bad_reply_edit_keeps_the_old_text(setup, circle, make_client):
    """Emptying a reply is refused with a message; the old text stays."""
    thread, reply = setup
    response = make_client(circle.answerer).post(
        url("reply-update", thread, reply_pk=reply.pk), {"body": ""}
    )
    assert response.status_code == 200
    assert "Write something first." in response.content.decode()
    reply.refresh_from_db()
    assert reply.body == "Start small, with one street."


# --- What the pages show ----------------------------------------------------------------------


def test_detail_shows_accepted_answer_first_and_marked(setup, make_reply, circle, make_client):
    """The accepted answer comes first, marked, and the question shows as answered."""
    thread, first = setup
    second = make_reply(thread, by=circle.facilitator, body="Ask the wijkteam.")
    client = make_client(circle.asker)
    client.post(url("answer-accept", thread), {"reply": second.pk})
    page = client.get(url("thread-detail", thread)).content.decode()
    assert page.index(f'id="reply-{second.pk}"') < page.index(f'id="reply-{first.pk}"')
    assert "Accepted answer" in page and "Answered" in page
    assert "Undo accepted answer" in page


def test_accept_button_only_for_asker_and_facilitator(setup, circle, make_client):
    """The answerer and guests do not see the accept button; the asker does."""
    thread, _reply = setup
    for person, shown in [
        (circle.asker, True),
        (circle.facilitator, True),
        (circle.answerer, False),
        (circle.guest, False),
    ]:
        page = make_client(person).get(url("thread-detail", thread)).content.decode()
        assert ("Accept as the answer" in page) is shown


def test_no_useful_button_on_your_own_post(setup, circle, make_client):
    """The asker sees no useful button on their own question, but does on the answer."""
    thread, reply = setup
    page = make_client(circle.asker).get(url("thread-detail", thread)).content.decode()
    assert f'action="{url("thread-useful", thread)}"' in page  # the count form stays
    opening = page[page.index('id="post-thread"') : page.index('id="replies-title"')]
    assert "button-useful" not in opening
    reply_part = page[page.index(f'id="reply-{reply.pk}"') :]
    assert "button-useful" in reply_part


def test_hidden_reply_is_a_placeholder_for_author_and_facilitator_only(setup, circle, make_client):
    """A hidden reply shows as a placeholder to its author and facilitators; others see nothing."""
    thread, reply = setup
    Reply.objects.filter(pk=reply.pk).update(hidden=True)
    for person, shown in [
        (circle.answerer, True),
        (circle.facilitator, True),
        (circle.asker, False),
        (circle.guest, False),
    ]:
        page = make_client(person).get(url("thread-detail", thread)).content.decode()
        assert (f'id="reply-{reply.pk}"' in page) is shown
        assert ("A facilitator has hidden this reply" in page) is shown


def test_hidden_thread_is_404_for_other_members(setup, circle, make_client):
    """A hidden thread is gone for members, there for its author and facilitators."""
    thread, _reply = setup
    Thread.objects.filter(pk=thread.pk).update(hidden=True)
    assert make_client(circle.answerer).get(url("thread-detail", thread)).status_code == 404
    assert make_client(circle.asker).get(url("thread-detail", thread)).status_code == 200
    assert make_client(circle.facilitator).get(url("thread-detail", thread)).status_code == 200


def test_hidden_reply_attachment_is_404_for_others(setup, circle, make_client):
    """The file of a hidden reply cannot be downloaded by other members."""
    thread, _reply = setup
    from kring.conversations.services.threads import reply_create

    hidden = reply_create(thread=thread, by=circle.answerer, body="File", attachments=[pdf()])
    Reply.objects.filter(pk=hidden.pk).update(hidden=True)
    attachment = hidden.attachments.get()
    target = url("post-attachment", thread, att_pk=attachment.pk)
    assert make_client(circle.asker).get(target).status_code == 404
    assert make_client(circle.answerer).get(target).status_code == 200


def test_attachment_is_served_as_download(setup, circle, make_client):
    """Files come with Content-Disposition: attachment and nosniff."""
    thread, _reply = setup
    attachment = thread.attachments.get()
    response = make_client(circle.guest).get(url("post-attachment", thread, att_pk=attachment.pk))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "plan.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_hostile_input_is_shown_as_text(circle, make_thread, make_reply, make_client):
    """<script> in a title, body, theme or reply is escaped on the list, detail and history."""
    evil = "<script>alert(1)</script>"
    thread = make_thread(title=f"Hi {evil}", body=f"Body {evil}", tags=[f"t{evil}"])
    make_reply(thread, body=f"Reply {evil} <img src=x onerror=alert(2)>")
    client = make_client(circle.answerer)
    for target in [
        url("thread-list", slug=circle.community.slug),
        url("thread-detail", thread),
        url("thread-history", thread),
    ]:
        page = client.get(target).content.decode()
        assert "<script>alert(1)" not in page
        assert "onerror=alert" not in page.replace("onerror=alert(2)&gt;", "")
        assert "&lt;script&gt;" in page


def test_markdown_and_mentions_render_as_links(circle, make_thread, make_client):
    """The opening post's Markdown is rendered, and a mention is a link to the profile."""
    body = f"**Bold** and @[Bram Answerer](/people/{circle.answerer.pk}/)"
    thread = make_thread(body=body)
    page = make_client(circle.guest).get(url("thread-detail", thread)).content.decode()
    assert "<strong>Bold</strong>" in page
    assert f'href="/people/{circle.answerer.pk}/"' in page


def test_list_filters_and_shows_counts(circle, make_thread, make_reply, make_client):
    """The filters pick the right threads; cards show kind, answered badge and reply count."""
    waiting = make_thread(title="Nobody answered yet")
    answered = make_thread(title="Solved one", tags=["zorg"])
    reply = make_reply(answered)
    from kring.conversations.services.threads import answer_accept

    answer_accept(thread=answered, reply=reply, by=circle.asker)
    make_thread(kind="discussion", title="Let us talk", body="About care.", by=circle.answerer)
    client = make_client(circle.asker)
    base = url("thread-list", slug=circle.community.slug)

    def titles(query):
        return [t.title for t in client.get(base + query).context["page"].object_list]

    assert set(titles("")) == {"Nobody answered yet", "Solved one", "Let us talk"}
    assert titles("?filter=waiting") == [waiting.title]
    assert titles("?filter=answered") == ["Solved one"]
    assert titles("?filter=discussions") == ["Let us talk"]
    assert set(titles("?filter=mine")) == {"Nobody answered yet", "Solved one"}
    assert titles("?theme=zorg") == ["Solved one"]
    assert set(titles("?filter=nonsense")) == {"Nobody answered yet", "Solved one", "Let us talk"}
    page = client.get(base).content.decode()
    assert "Answered" in page and "1 reply" in page
    assert f'href="{reverse("person-detail", kwargs={"pk": circle.answerer.pk})}"' in page


def test_list_pages_by_25_and_htmx_gets_the_fragment(circle, make_thread, make_client):
    """26 threads make two pages; htmx asks for the results fragment only."""
    for n in range(26):
        make_thread(title=f"Question {n}")
    client = make_client(circle.asker)
    base = url("thread-list", slug=circle.community.slug)
    assert len(client.get(base).context["page"].object_list) == 25
    response = client.get(base + "?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="thread-results")
    html = response.content.decode()
    assert "<html" not in html and "Page 2 of 2" in html
    assert len(response.context["page"].object_list) == 1


def test_guest_sees_no_start_buttons(circle, make_client):
    """A guest is not offered to start a thread."""
    page = make_client(circle.guest).get(url("thread-list", slug=circle.community.slug))
    assert "Ask a question" not in page.content.decode()
    page = make_client(circle.asker).get(url("thread-list", slug=circle.community.slug))
    assert "Ask a question" in page.content.decode()


def test_community_header_links_to_conversations(circle, make_client):
    """The community's tabs include Questions & discussions."""
    page = make_client(circle.asker).get(url("thread-list", slug=circle.community.slug))
    html = page.content.decode()
    assert f'href="{url("thread-list", slug=circle.community.slug)}" aria-current="page"' in html


# --- Mentions ----------------------------------------------------------------------------------


def test_mention_search_json_lists_members_only(circle, make_user, make_client):
    """The lookup finds members by name and writes the mention syntax; never outsiders."""
    make_user(full_name="Bram Outsider")
    response = make_client(circle.asker).get(
        url("mention-search", slug=circle.community.slug) + "?q=bra",
        HTTP_ACCEPT="application/json",
    )
    results = json.loads(response.content)["results"]
    assert [r["name"] for r in results] == ["Bram Answerer"]
    assert results[0]["mention"] == f"@[Bram Answerer](/people/{circle.answerer.pk}/)"


def test_mention_search_html_fragment_escapes_names(circle, make_member, make_client):
    """The HTML fragment is a listbox, with names shown as text."""
    make_member(circle.community, full_name="Bea <b>Bold</b>")
    page = (
        make_client(circle.asker)
        .get(url("mention-search", slug=circle.community.slug) + "?q=bea")
        .content.decode()
    )
    assert 'role="listbox"' in page and 'role="option"' in page
    assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt;" in page


def test_textareas_carry_the_mention_url(circle, make_client, setup):
    """The reply textarea tells mentions.js where to look people up."""
    thread, _reply = setup
    page = make_client(circle.asker).get(url("thread-detail", thread)).content.decode()
    assert f'data-mention-url="{url("mention-search", slug=circle.community.slug)}"' in page
    assert "kring/mentions.js" in page


# --- Search -------------------------------------------------------------------------------------


def test_threads_are_searchable_with_their_visible_replies(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks
):
    """A thread's title, text and visible replies are indexed; a hidden reply's words are not."""
    from kring.core import search

    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(title="Mantelzorg in de wijk", body="Wie heeft ervaring?")
        make_reply(thread, body="Wij werken met een buurtcoach.")
        secret = make_reply(thread, body="Geheimzinnig antwoord")
    Reply.objects.filter(pk=secret.pk).update(hidden=True)
    search.index_objects("thread", [thread.pk])
    ids = [circle.community.pk]
    hits = search.search("buurtcoach", community_ids=ids).hits
    assert [(h.document.doc_type, h.document.doc_id) for h in hits] == [("thread", thread.pk)]
    assert hits[0].document.url == thread.get_absolute_url()
    assert hits[0].document.kind == "question"
    assert search.search("geheimzinnig", community_ids=ids).hits == []


def test_hidden_thread_leaves_the_index(circle, make_thread, django_capture_on_commit_callbacks):
    """Once hidden, a thread is no longer found."""
    from kring.core import search

    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(title="Subsidie voor buurthuizen")
    assert search.search("buurthuizen", community_ids=[circle.community.pk]).total == 1
    Thread.objects.filter(pk=thread.pk).update(hidden=True)
    search.index_objects("thread", [thread.pk])
    assert search.search("buurthuizen", community_ids=[circle.community.pk]).total == 0


def test_community_search_page_shows_threads(
    circle, make_thread, make_client, django_capture_on_commit_callbacks
):
    """The community search page lists a question with its label and link, title escaped."""
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(
            title="Dagbesteding <script>x</script>", kind="discussion", body="Over dagbesteding."
        )
    response = make_client(circle.guest).get(
        reverse("community-search", kwargs={"slug": circle.community.slug}) + "?q=dagbesteding"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{thread.get_absolute_url()}"' in html
    assert "badge-discussion" in html and ">Discussion</span>" in html
    assert "<script>x" not in html


def test_one_reply_form_aimed_by_reply_to(setup, circle, make_client, make_reply):
    """The page holds one reply form, however many replies; "Reply to ..." is a link that
    aims that form at the reply (and says so), and a bad or foreign id aims it at the thread."""
    thread, reply = setup
    for n in range(3):
        make_reply(thread, body=f"More {n}")
    client = make_client(circle.asker)
    page = client.get(url("thread-detail", thread)).content.decode()
    assert page.count('action="' + url("reply-create", thread) + '"') == 1
    assert f'href="?reply_to={reply.pk}#reply-title"' in page
    aimed = client.get(url("thread-detail", thread) + f"?reply_to={reply.pk}")
    form = aimed.context["reply_form"]
    assert form.initial == {"parent": reply.pk}
    assert aimed.context["reply_to"] == reply
    assert f'name="parent" value="{reply.pk}"' in aimed.content.decode()
    for bad in ("x", "999999", ""):
        response = client.get(url("thread-detail", thread) + f"?reply_to={bad}")
        assert response.context["reply_to"] is None
        assert response.context["reply_form"].initial == {}


def test_reply_with_errors_comes_back_aimed_at_its_parent(setup, circle, make_client):
    """A reply to a reply that fails (empty) shows the one form again, aimed at that reply."""
    thread, reply = setup
    response = make_client(circle.asker).post(
        url("reply-create", thread), {"body": "", "parent": reply.pk}
    )
    assert response.status_code == 400
    assert response.context["reply_to"] == reply
    assert f'name="parent" value="{reply.pk}"' in response.content.decode()
