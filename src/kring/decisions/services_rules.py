"""Ground rules set together: a proposal, the members' comments and agreement, and the
agreed version put into effect (communities.ground_rules_set records it, with who agreed).

Moderation judges against the rules in effect (communities.GroundRule), so an open proposal
changes nothing until a facilitator puts it into effect.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, Membership, Role, RulesOrigin
from kring.communities.services import ground_rules_clean, ground_rules_set
from kring.core import notices
from kring.core.services import activity_record
from kring.decisions import permissions
from kring.decisions.models import ProposalStatus, RulesAgreement, RulesComment, RulesProposal
from kring.decisions.verbs import DecisionVerb

MAX_REASON = 2000
MAX_COMMENT = 2000


@transaction.atomic
def rules_propose(
    *, community: Community, by: User, rules: list[str], reason: str = ""
) -> RulesProposal:
    """Propose the community's ground rules (new or changed); every member hears of it."""
    permissions.check_propose_rules(by, community)
    errors: dict[str, str] = {}
    try:
        clean = ground_rules_clean(rules)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        clean = []
    if not errors and not clean:
        errors["ground_rules"] = _("Write at least one ground rule.")
    current = list(community.ground_rules.values_list("text", flat=True))
    in_effect = community.ground_rules_versions.order_by("-number").first()
    agreed = in_effect is not None and in_effect.origin == RulesOrigin.AGREED
    if not errors and clean == current and agreed:
        errors["ground_rules"] = _(
            "These are the ground rules in effect already. Change something to propose it."
        )
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        errors["reason"] = _("Keep the explanation to %(max)s characters.") % {"max": MAX_REASON}
    if RulesProposal.objects.filter(community=community, status=ProposalStatus.OPEN).exists():
        errors["ground_rules"] = _(
            "A proposal is open already. Withdraw it or put it into effect first."
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            proposal = RulesProposal.objects.create(
                community=community, proposed_by=by, rules=clean, reason=reason
            )
    except IntegrityError:
        raise ValidationError(
            {
                "ground_rules": _(
                    "A proposal is open already. Withdraw it or put it into effect first."
                )
            }
        ) from None
    event = activity_record(
        actor=by, verb=DecisionVerb.RULES_PROPOSED, target=proposal, community=community
    )
    notices.announce(event=event)
    return proposal


def _open(proposal: RulesProposal) -> None:
    proposal.refresh_from_db(fields=["status"])
    if not proposal.is_open:
        raise ValidationError(_("This proposal is no longer open."))


@transaction.atomic
def rules_comment(*, proposal: RulesProposal, by: User, body: str) -> RulesComment:
    permissions.check_take_part_in_rules(by, proposal.community)
    _open(proposal)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your comment.")})
    if len(body) > MAX_COMMENT:
        raise ValidationError(
            {"body": _("Keep your comment to %(max)s characters.") % {"max": MAX_COMMENT}}
        )
    return RulesComment.objects.create(proposal=proposal, author=by, body=body)


@transaction.atomic
def rules_agree(*, proposal: RulesProposal, by: User, agree: bool = True) -> None:
    """Agree with a proposal, or take your agreement back while it is open. Saying the same
    twice changes nothing."""
    permissions.check_take_part_in_rules(by, proposal.community)
    _open(proposal)
    if not agree:
        RulesAgreement.objects.filter(proposal=proposal, user=by).delete()
        return
    try:
        with transaction.atomic():
            RulesAgreement.objects.get_or_create(proposal=proposal, user=by)
    except IntegrityError:
        pass  # agreed at the same moment from another tab: one row is what counts


def _agreeing_members(proposal: RulesProposal) -> list[User]:
    """Who agreed and is still a member (someone who left no longer speaks for the group)."""
    members = Membership.objects.filter(community=proposal.community).exclude(role=Role.GUEST)
    return list(
        User.objects.filter(
            pk__in=RulesAgreement.objects.filter(proposal=proposal).values("user_id"),
            is_active=True,
        ).filter(pk__in=members.values("user_id"))
    )


@transaction.atomic
def rules_adopt(*, proposal: RulesProposal, by: User) -> RulesProposal:
    """Put an agreed proposal into effect: it becomes the next version of the ground rules,
    recorded with its date and everyone who agreed. At least one member who is not a
    facilitator must have agreed: ground rules set together are not the facilitators' alone."""
    permissions.check_adopt_rules(by, proposal)
    proposal = RulesProposal.objects.select_for_update().get(pk=proposal.pk)
    _open(proposal)
    agreeing = _agreeing_members(proposal)
    facilitators = set(
        Membership.objects.filter(community=proposal.community, role=Role.FACILITATOR).values_list(
            "user_id", flat=True
        )
    )
    if not any(person.pk not in facilitators for person in agreeing):
        raise ValidationError(
            _(
                "No member besides the facilitators has agreed yet. Ask the group first: "
                "ground rules work when the group made them its own."
            )
        )
    ground_rules_set(
        community=proposal.community,
        by=by,
        rules=proposal.rules,
        origin=RulesOrigin.AGREED,
        agreed_by=agreeing,
    )
    version = proposal.community.ground_rules_versions.order_by("-number").first()
    proposal.status = ProposalStatus.ADOPTED
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.version = version
    proposal.save(update_fields=["status", "decided_at", "decided_by", "version"])
    activity_record(
        actor=by,
        verb=DecisionVerb.RULES_ADOPTED,
        target=proposal,
        community=proposal.community,
        data={"version": version.number if version else None, "agreed": len(agreeing)},
    )
    return proposal


@transaction.atomic
def rules_withdraw(*, proposal: RulesProposal, by: User) -> RulesProposal:
    """Withdraw an open proposal; the rules in effect stay as they are."""
    permissions.check_withdraw_rules(by, proposal)
    proposal = RulesProposal.objects.select_for_update().get(pk=proposal.pk)
    _open(proposal)
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.save(update_fields=["status", "decided_at", "decided_by"])
    activity_record(
        actor=by,
        verb=DecisionVerb.RULES_WITHDRAWN,
        target=proposal,
        community=proposal.community,
    )
    return proposal
