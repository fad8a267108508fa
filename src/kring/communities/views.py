"""Community pages. Views parse input, call one service or selector, and render."""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.selectors import perspectives_version, profiles_version
from kring.communities import landing, permissions, selectors, services
from kring.communities.directory_filters import VALUE_MAX, directory_filters
from kring.communities.forms import (
    CommunityForm,
    JoinRequestForm,
)
from kring.communities.models import Membership, Role
from kring.core import feed
from kring.core.forms import apply_service_errors

DIRECTORY_PAGE_SIZE = 24


@login_required
def my_communities_view(request):
    memberships = selectors.memberships_of_user(user=request.user)
    return render(
        request,
        "communities/home.html",
        {
            "memberships": memberships,
            "can_create": permissions.can_create_community(request.user),
            "nav": "my-communities",
        },
    )


def community_list_view(request):
    communities = selectors.communities_visible(user=request.user).order_by("name")
    mine = selectors.community_ids_of_user(user=request.user)
    return render(
        request,
        "communities/community_list.html",
        {
            "communities": communities,
            "mine": mine,
            "can_create": permissions.can_create_community(request.user),
            "nav": "communities",
        },
    )


@login_required
def community_create_view(request):
    permissions.check_create_community(request.user)
    form = CommunityForm(request.POST or None, initial={"visibility": "private"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            community = services.community_create_with_rules(
                by=request.user, ground_rules=data["ground_rules"], **_fields(data)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The community has been created. Now invite people."))
            return redirect("invitation-list", slug=community.slug)
    return render(request, "communities/community_form.html", {"form": form, "creating": True})


def _fields(data: dict) -> dict:
    return {
        "name": data["name"],
        "slug": data["slug"],
        "theme": data["theme"],
        "urgency": data["urgency"],
        "shared_goal": data["shared_goal"],
        "signature": data["signature"],
        "visibility": data["visibility"],
        "target_mix": data["target_mix"],
    }


def community_detail_view(request, slug: str):
    community = selectors.community_get_visible(slug=slug, user=request.user)
    inside = permissions.can_view_inside(request.user, community)
    if not inside and (spotlight := landing.outsider_page()) is not None:
        return spotlight(request, community)
    context = {
        "community": community,
        "inside": inside,
        "membership": permissions.membership_of(request.user, community),
        "can_manage": permissions.can_manage(request.user, community),
        "ground_rules": list(community.ground_rules.all()),
        "rules_version": selectors.ground_rules_version(community=community),
        "facilitators": selectors.facilitators_of(community=community),
        "member_count": selectors.member_count(community=community),
        "tab": "about",
    }
    if permissions.can_request_to_join(request.user, community):
        context["can_request"] = True
        context["join_pending"] = selectors.join_request_pending(
            community=community, user=request.user
        )
        context["join_form"] = JoinRequestForm(signed_in=request.user.is_authenticated)
    if inside:
        page = feed.community_feed(
            community=community, user=request.user, before=request.GET.get("before")
        )
        context["feed"] = page
        if request.htmx and request.GET.get("before"):
            # "Show more": only the next entries, which replace the button.
            response = render(request, "communities/_feed.html", context)
            patch_vary_headers(response, ["HX-Request"])
            return response
        context["panels"] = feed.community_panels(community=community, user=request.user)
        context["newest"] = selectors.members_newest(community=community, viewer=request.user)
        context["mix"] = selectors.perspective_mix(community=community)
        context["join_requests_waiting"] = selectors.join_requests_open_count(
            community=community, viewer=request.user
        )
    response = render(request, "communities/community_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def community_update_view(request, slug: str):
    community = selectors.community_get_inside(slug=slug, user=request.user)
    permissions.check_manage(request.user, community)
    form = CommunityForm(
        request.POST or None, initial=CommunityForm.initial_for(community), creating=False
    )
    if request.method == "POST" and form.is_valid():
        fields = _fields(form.cleaned_data)
        if not fields["slug"]:
            fields["slug"] = community.slug
        try:
            services.community_update(community=community, by=request.user, **fields)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(community)
    return render(
        request,
        "communities/community_form.html",
        {"form": form, "community": community, "creating": False, "tab": "about"},
    )


# How long a person's directory card is kept at most (communities/_directory_results.html).
DIRECTORY_CARD_SECONDS = 600


def _directory_card_keys(request: HttpRequest, known: Iterable[str]) -> dict:
    """What a kept directory card depends on besides the person and their role: every
    profile and everyone's perspectives (versions that change with them; per process
    without Redis, so a change shows in other web processes within DIRECTORY_CARD_SECONDS)
    and the filters, which its help-tag links keep. The same for every reader. Cards are
    kept only for the directory's own filters: any other parameter in the address (which
    the links would carry too) would otherwise fill the cache with one copy per address."""
    query = request.GET.copy()
    query.pop("page", None)
    only_known = set(query) <= set(known)
    return {
        "card_seconds": DIRECTORY_CARD_SECONDS if only_known else 0,
        "card_version": f"{profiles_version()}.{perspectives_version()}",
        "card_query": query.urlencode(),
    }


@login_required
def member_list_view(request, slug: str):
    community = selectors.community_get_inside(slug=slug, user=request.user)
    filters = {
        "perspective": request.GET.get("perspective", "")[:40],
        "organisation": request.GET.get("organisation", "")[:120],
        "tag": request.GET.get("tag", "")[:80],
        "role": request.GET.get("role", "")[:12],
        "q": request.GET.get("q", "").strip()[:100],
    }
    extra = {name: request.GET.get(name, "")[:VALUE_MAX] for name in directory_filters()}
    memberships = selectors.members_directory(
        community=community, viewer=request.user, extra=extra, **filters
    )
    page = Paginator(memberships, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.members_prepare(list(page.object_list))
    context = {
        "community": community,
        "page": page,
        "filters": {**extra, **filters},
        "filtered": any(filters.values()) or any(extra.values()),
        "can_manage": permissions.can_manage(request.user, community),
        "roles": Role.choices,
        "tab": "members",
        **_directory_card_keys(request, known=[*filters, *extra]),
    }
    if request.htmx and request.htmx.target == "directory-results":
        response = render(request, "communities/_directory_results.html", context)
    else:
        context["facets"] = selectors.directory_facets(
            community=community, organisation=filters["organisation"]
        )
        response = render(request, "communities/member_list.html", context)
    # The same URL answers with a fragment for htmx and a page otherwise.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@login_required
def member_lookup_view(request, slug: str):
    """Members by name, as JSON, for pickers that search (an action point's owner): the
    members of this community only, and only for its members."""
    community = selectors.community_get_inside(
        slug=slug, user=request.user, hidden_from_outsiders=True
    )
    people = selectors.members_named(
        community=community, viewer=request.user, q=request.GET.get("q", "")[:100]
    )
    return JsonResponse(
        {
            "results": [
                {"id": person.pk, "name": person.full_name, "organisation": person.organisation}
                for person in people
            ]
        }
    )


def _membership_for(request: HttpRequest, slug: str, user_pk: int) -> Membership:
    return selectors.membership_get_inside(slug=slug, user_pk=user_pk, viewer=request.user)


@login_required
@require_POST
def member_role_view(request, slug: str, user_pk: int):
    membership = _membership_for(request, slug, user_pk)
    try:
        services.membership_role_change(
            membership=membership, role=request.POST.get("role", ""), by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s is now: %(role)s.")
            % {"name": membership.user.full_name, "role": membership.get_role_display()},
        )
    return redirect("member-list", slug=slug)


@login_required
def member_remove_view(request, slug: str, user_pk: int):
    """Removing someone (or leaving) asks first: a GET, or a POST without the confirmation,
    shows what will happen and changes nothing."""
    membership = _membership_for(request, slug, user_pk)
    permissions.check_remove_member(request.user, membership)
    name = membership.user.full_name
    leaving = membership.user_id == request.user.pk
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(
            request,
            "communities/member_confirm_remove.html",
            {
                "community": membership.community,
                "membership": membership,
                "leaving": leaving,
                "inside": True,
                "can_manage": permissions.can_manage(request.user, membership.community),
                "tab": "about" if leaving else "members",
            },
        )
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("member-list", slug=slug)
    if leaving:
        messages.success(
            request, _("You have left %(community)s.") % {"community": membership.community.name}
        )
        return redirect("home")
    messages.success(request, _("%(name)s is no longer a member.") % {"name": name})
    return redirect("member-list", slug=slug)


@login_required
def person_detail_view(request, pk: int):
    person = selectors.person_get_visible(pk=pk, viewer=request.user)
    memberships = selectors.shared_memberships(person=person, viewer=request.user)
    return render(
        request,
        "communities/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "is_me": person.pk == request.user.pk,
            "nav": "me" if person.pk == request.user.pk else None,
        },
    )


def person_photo_view(request, pk: int):
    try:
        person = selectors.person_photo_owner(pk=pk, viewer=request.user)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    if not person.photo:
        raise Http404
    response = FileResponse(person.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    response["Content-Disposition"] = "inline"
    return response
