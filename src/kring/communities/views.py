"""Community pages. Views parse input, call one service or selector, and render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts import oidc, two_factor
from kring.accounts.forms import client_ip
from kring.communities import permissions, selectors, services
from kring.communities import services_invitations as invitation_services
from kring.communities import services_join_requests as join_request_services
from kring.communities.forms import (
    CommunityForm,
    GroundRulesForm,
    InvitationForm,
    JoinRequestForm,
    SignupForm,
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
    form = CommunityForm(
        request.POST or None, initial={"visibility": "private", "stage": "forming"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            community = services.community_create_with_rules(by=request.user, **_fields(data))
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
        "stage": data["stage"],
        "target_mix": data["target_mix"],
        "ground_rules": data["ground_rules"],
    }


def community_detail_view(request, slug: str):
    community = selectors.community_get_visible(slug=slug, user=request.user)
    inside = permissions.can_view_inside(request.user, community)
    context = {
        "community": community,
        "inside": inside,
        "membership": permissions.membership_of(request.user, community),
        "can_manage": permissions.can_manage(request.user, community),
        "ground_rules": list(community.ground_rules.all()),
        "can_edit_rules": permissions.can_edit_ground_rules(request.user, community),
        "facilitators": selectors.facilitators_of(community=community),
        "member_count": community.memberships.count(),
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
    form = CommunityForm(request.POST or None, initial=CommunityForm.initial_for(community))
    if request.method == "POST" and form.is_valid():
        fields = _fields(form.cleaned_data)
        if not fields["slug"]:
            fields["slug"] = community.slug
        try:
            services.community_update_with_rules(community=community, by=request.user, **fields)
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


@login_required
def ground_rules_update_view(request, slug: str):
    """The group's own agreements, kept by facilitators and the core group."""
    community = selectors.community_get_inside(slug=slug, user=request.user)
    permissions.check_edit_ground_rules(request.user, community)
    initial = {"ground_rules": "\n".join(r.text for r in community.ground_rules.all())}
    form = GroundRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.ground_rules_set(
                community=community, by=request.user, rules=form.cleaned_data["ground_rules"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The ground rules have been saved."))
            return redirect(community)
    return render(
        request,
        "communities/ground_rules_form.html",
        {
            "form": form,
            "community": community,
            "inside": True,
            "can_manage": permissions.can_manage(request.user, community),
            "tab": "about",
        },
    )


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
    memberships = selectors.members_directory(community=community, viewer=request.user, **filters)
    page = Paginator(memberships, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "page": page,
        "filters": filters,
        "filtered": any(filters.values()),
        "can_manage": permissions.can_manage(request.user, community),
        "roles": Role.choices,
        "tab": "members",
    }
    if request.htmx and request.htmx.target == "directory-results":
        response = render(request, "communities/_directory_results.html", context)
    else:
        context["facets"] = selectors.directory_facets(community=community)
        response = render(request, "communities/member_list.html", context)
    # The same URL answers with a fragment for htmx and a page otherwise.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


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
def invitation_list_view(request, slug: str):
    community = selectors.community_get_inside(slug=slug, user=request.user)
    permissions.check_manage(request.user, community)
    form = InvitationForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == InvitationForm.KIND_LINK:
                _invitation, secret = invitation_services.invitation_create(
                    community=community,
                    by=request.user,
                    role=data["role"],
                    message=data["message"],
                    days=data["days"],
                )
                link = invitation_services.invitation_url(secret)
                messages.success(request, _("Your invitation link is ready. Copy it below."))
            else:
                sent = invitation_services.invitations_send(
                    community=community,
                    by=request.user,
                    emails=data["addresses"],
                    role=data["role"],
                    message=data["message"],
                    days=data["days"],
                )
                messages.success(
                    request,
                    _("Invitations sent: %(count)s.") % {"count": len(sent)},
                )
                return redirect("invitation-list", slug=slug)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            form = InvitationForm()
    invitations = selectors.invitations_open(community=community, viewer=request.user)
    join_requests = selectors.join_requests_open(community=community, viewer=request.user)[:50]
    return render(
        request,
        "communities/invitation_list.html",
        {
            "community": community,
            "form": form,
            "invitations": invitations,
            "join_requests": join_requests,
            "link": link,
            "tab": "invitations",
            "can_manage": True,
        },
    )


def join_request_create_view(request, slug: str):
    """Outsiders of a public community ask its facilitators to join (the form also sits on
    the community's page; this page shows it again when something needs fixing)."""
    community = selectors.community_get_visible(slug=slug, user=request.user)
    permissions.check_request_to_join(request.user, community)
    signed_in = request.user.is_authenticated
    form = JoinRequestForm(request.POST or None, signed_in=signed_in)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            join_request_services.join_request_create(
                community=community,
                by=request.user if signed_in else None,
                name=data.get("name", ""),
                email=data.get("email", ""),
                message=data["message"],
                client=client_ip(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            if isinstance(exc, join_request_services.JoinRequestThrottled):
                status = 429
        else:
            messages.success(
                request,
                _("Thank you. The facilitators have your message and will answer you by e-mail."),
            )
            return redirect(community)
    return render(
        request,
        "communities/join_request_form.html",
        {"community": community, "join_form": form, "inside": False},
        status=status,
    )


@login_required
@require_POST
def join_request_answer_view(request, slug: str, pk: int, answer: str):
    community = selectors.community_get_inside(slug=slug, user=request.user)
    join_request = selectors.join_request_get_open(community=community, pk=pk, viewer=request.user)
    try:
        if answer == "invite":
            join_request_services.join_request_invite(join_request=join_request, by=request.user)
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": join_request.email},
            )
        else:
            join_request_services.join_request_decline(join_request=join_request, by=request.user)
            messages.success(request, _("The request has been declined."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("invitation-list", slug=slug)


@login_required
def invitation_revoke_view(request, slug: str, pk: int):
    """Withdrawing asks first: a GET, or a POST without the confirmation, changes nothing."""
    community = selectors.community_get_inside(slug=slug, user=request.user)
    permissions.check_manage(request.user, community)
    invitation = selectors.invitation_get(community=community, pk=pk, viewer=request.user)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(
            request,
            "communities/invitation_confirm_revoke.html",
            {"community": community, "invitation": invitation},
        )
    invitation_services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation has been withdrawn."))
    return redirect("invitation-list", slug=slug)


def invitation_accept_view(request, secret: str):
    try:
        invitation = invitation_services.invitation_lookup(secret=secret)
    except invitation_services.InvitationError as exc:
        return render(
            request,
            "communities/invitation_invalid.html",
            {"reason": exc.messages[0]},
            status=410 if exc.code in {"expired", "used", "revoked"} else 404,
        )
    community = invitation.community
    if request.user.is_authenticated:
        already = permissions.membership_of(request.user, community) is not None
        if request.method == "POST":
            try:
                invitation_services.invitation_accept(secret=secret, user=request.user)
            except invitation_services.InvitationError as exc:
                messages.error(request, exc.messages[0])
                return redirect("home")
            messages.success(
                request, _("Welcome to %(community)s!") % {"community": community.name}
            )
            return redirect(community)
        return render(
            request,
            "communities/invitation_accept.html",
            {"invitation": invitation, "community": community, "already": already},
        )
    login_url = reverse("login") + "?next=" + request.path
    if oidc.only_sso():
        # Accounts come from the organisation: log in there, then accept (the branch above).
        # A link, not a form: Kring's CSP (form-action 'self') would stop a form's redirect on
        # to the provider. So the account the provider's login must match is made here.
        invitation_services.invitation_sso_prepare(secret=secret)
        sso_url = reverse("oidc-start") + "?" + urlencode({"next": request.path})
        return render(
            request,
            "communities/invitation_signup.html",
            {
                "invitation": invitation,
                "community": community,
                "sso_url": sso_url,
                "sso_label": oidc.button_label(),
            },
        )
    form = SignupForm(request.POST or None, fixed_email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user, _membership = invitation_services.invitation_signup(
                secret=secret,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            user.backend = "django.contrib.auth.backends.ModelBackend"
            if two_factor.two_factor_enabled(user=user):
                # Not logged in yet: someone with an authenticator app gives its code first.
                return two_factor.login_pending_start(
                    request, user=user, next_url=reverse("profile-update")
                )
            login(request, user)
            # Invited as facilitator while the sign-in policy requires two-step login.
            two_factor.enrolment_mark(request, user=user)
            messages.success(
                request,
                _(
                    "Welcome to %(community)s! Tell the others who you are: add a photo and "
                    "what you can help with."
                )
                % {"community": community.name},
            )
            return redirect("profile-update")
    return render(
        request,
        "communities/invitation_signup.html",
        {"invitation": invitation, "community": community, "form": form, "login_url": login_url},
    )


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
