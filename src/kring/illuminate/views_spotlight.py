"""The spotlight: a community's public page at its own address, its preview for the
facilitators, the switch that publishes it, its public stories and their Atom feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.communities import permissions as community_permissions
from kring.communities import selectors as communities
from kring.communities import services as community_services
from kring.communities.forms import JoinRequestForm
from kring.communities.models import Community
from kring.illuminate import selectors_spotlight as spotlight


def spotlight_render(request: HttpRequest, community: Community) -> HttpResponse:
    """The page as visitors see it; its facilitators see the same with the switch on top.
    Until it is published nobody but them reaches it, and search engines are told to skip it."""
    user = request.user
    stories = spotlight.public_stories(community=community)
    context = {
        "community": community,
        "inside": community_permissions.can_view_inside(user, community),
        "preview": community_permissions.can_manage(user, community),
        "stories": [
            (story, spotlight.story_lead(story), spotlight.teller_label(story)) for story in stories
        ],
        "sessions": spotlight.open_sessions(community=community),
        "numbers": spotlight.spotlight_numbers(community=community),
        "facilitators": communities.facilitators_of(community=community),
        "ground_rules": list(community.ground_rules.all()),
        "page_url": request.build_absolute_uri(community.get_absolute_url()),
    }
    if community_permissions.can_request_to_join(user, community):
        context["can_request"] = True
        context["join_pending"] = communities.join_request_pending(community=community, user=user)
        context["join_form"] = JoinRequestForm(signed_in=user.is_authenticated)
    response = render(request, "illuminate/spotlight.html", context)
    if not community.spotlight_published:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def spotlight_preview_view(request: HttpRequest, slug: str) -> HttpResponse:
    community = spotlight.spotlight_get(slug=slug, viewer=request.user)
    return spotlight_render(request, community)


@login_required
@require_POST
def spotlight_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    community = communities.community_get_inside(slug=slug, user=request.user)
    community_permissions.check_manage(request.user, community)
    publish = request.POST.get("publish") == "1"
    try:
        community_services.community_patch(
            community=community, by=request.user, spotlight_published=publish
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Your spotlight is published: anyone can see it now.")
            if publish
            else _("Your spotlight is taken down: only members see the community now."),
        )
    return redirect("spotlight-preview", slug=community.slug)


def spotlight_story_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = spotlight.spotlight_get(slug=slug, viewer=request.user)
    story = spotlight.public_story_get(community=community, pk=pk)
    response = render(
        request,
        "illuminate/spotlight_story.html",
        {
            "community": community,
            "story": story,
            "lead": spotlight.story_lead(story),
            "teller": spotlight.teller_label(story),
            "preview": community_permissions.can_manage(request.user, community),
            "page_url": request.build_absolute_uri(request.path),
        },
    )
    if not community.spotlight_published:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def spotlight_feed_view(request: HttpRequest, slug: str) -> HttpResponse:
    """An Atom feed of the public stories; only for a published spotlight."""
    community = Community.objects.filter(slug=slug).first()
    if community is None or not community.spotlight_published:
        raise Http404
    feed = Atom1Feed(
        title=_("Stories from %(name)s") % {"name": community.name},
        link=request.build_absolute_uri(community.get_absolute_url()),
        description=community.theme,
        language=request.LANGUAGE_CODE,
        feed_url=request.build_absolute_uri(request.path),
    )
    for story in spotlight.feed_stories(community=community):
        link = request.build_absolute_uri(
            reverse("spotlight-story", kwargs={"slug": community.slug, "pk": story.pk})
        )
        feed.add_item(
            title=story.title,
            link=link,
            description=spotlight.story_lead(story),
            author_name=spotlight.teller_label(story),
            pubdate=story.created_at,
            updateddate=story.updated_at,
            unique_id=link,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
