"""What conversations put on the community home: questions asked, discussions started and
answers accepted in the feed, and the questions still waiting for an answer beside it."""

from django.utils.translation import gettext as _

from kring.conversations import selectors
from kring.conversations.models import Reply, Thread, reply_url
from kring.conversations.verbs import ConversationVerb
from kring.core.feed import FeedEntry, link, person_link, sentence

VERBS = [
    ConversationVerb.ASKED,
    ConversationVerb.DISCUSSION_STARTED,
    ConversationVerb.ANSWER_ACCEPTED,
]
WAITING_ON_HOME = 5


def describe(events, viewer) -> dict[int, FeedEntry]:
    """Two queries at most: the threads and the accepted replies. Hidden or removed posts,
    and answers accepted once but no longer, get no entry."""
    reply_ids = {e.target_id for e in events if e.verb == ConversationVerb.ANSWER_ACCEPTED}
    thread_ids = {e.target_id for e in events if e.verb != ConversationVerb.ANSWER_ACCEPTED}
    thread_ids |= {
        e.data.get("thread") for e in events if e.verb == ConversationVerb.ANSWER_ACCEPTED
    } - {None}
    replies = {}
    if reply_ids:
        replies = {r.pk: r for r in Reply.objects.filter(pk__in=reply_ids).select_related("author")}
    threads = {
        t.pk: t
        for t in Thread.objects.filter(pk__in=thread_ids, hidden=False).select_related("community")
    }
    entries = {}
    for event in events:
        if event.verb == ConversationVerb.ANSWER_ACCEPTED:
            reply = replies.get(event.target_id)
            thread = threads.get(reply.thread_id) if reply is not None else None
            if thread is None or reply.hidden or thread.accepted_reply_id != reply.pk:
                continue
            url = reply_url(thread, reply.pk)
            text = sentence(
                _("%(name)s accepted %(author)s's answer to %(title)s"),
                name=person_link(event.actor),
                author=person_link(reply.author),
                title=link(url, thread.title),
            )
            extra = {"kind": "accepted"}
        else:
            thread = threads.get(event.target_id)
            if thread is None or thread.community_id != event.community_id:
                continue
            url = thread.get_absolute_url()
            if event.verb == ConversationVerb.ASKED:
                template = _("%(name)s asks: %(title)s")
            else:
                template = _("%(name)s started a discussion: %(title)s")
            text = sentence(template, name=person_link(event.actor), title=link(url, thread.title))
            extra = {
                "kind": "asked" if thread.is_question else "discussion",
                "waiting": thread.is_question and thread.first_response_at is None,
            }
        entries[event.pk] = FeedEntry(
            actor=event.actor, sentence=text, url=url, time=event.created_at, extra=extra
        )
    return entries


def waiting_panel(community, viewer):
    """Questions nobody has responded to yet, oldest first, on top of the feed."""
    threads = selectors.threads_waiting(community=community, user=viewer, limit=WAITING_ON_HOME)
    for thread in threads:
        thread.community = community
    return "conversations/_home_waiting.html", {"threads": threads, "community": community}
