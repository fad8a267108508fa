"""Invitation and join-request pages: inviting, withdrawing, accepting (signing up or in)
and asking to join. Views parse input, call one service or selector, and render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts import oidc, two_factor
from kring.accounts.forms import client_ip
from kring.communities import permissions, selectors
from kring.communities import services_invitations as invitation_services
from kring.communities import services_join_requests as join_request_services
from kring.communities.forms import (
    InvitationForm,
    JoinRequestForm,
    SignupForm,
)
from kring.core.forms import apply_service_errors


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
