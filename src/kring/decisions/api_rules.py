"""Ground rules set together under /communities/{slug}/ground-rules, with the rules of the
web page (permissions.py): everyone inside reads; facilitators and the core group propose;
members (not guests) comment and agree; facilitators put a proposal into effect once a
member besides them agreed; the proposer and the facilitators withdraw it. Anyone else gets
404.

See docs/api.md.
"""

from django.core.exceptions import ValidationError
from ninja import Router, Status

from kring.communities.models import Community
from kring.communities.selectors import community_get_inside
from kring.core.api_kit import person_ref
from kring.decisions import permissions, selectors_rules, services_rules
from kring.decisions.models import RulesProposal
from kring.decisions.schemas_rules import (
    GroundRulesOut,
    RulesCommentIn,
    RulesCommentOut,
    RulesProposalIn,
    RulesProposalOut,
)

router = Router(tags=["ground rules"])


def _community(request, slug: str) -> Community:
    return community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)


def _proposal(request, slug: str, proposal_id: int) -> RulesProposal:
    community = _community(request, slug)
    return selectors_rules.proposal_get(community=community, pk=proposal_id, viewer=request.user)


def _comment_out(comment) -> dict:
    return {
        "id": comment.pk,
        "author": person_ref(comment.author),
        "body": comment.body,
        "created_at": comment.created_at,
    }


def _document(request, community: Community) -> dict:
    user = request.user
    data = selectors_rules.rules_page(community=community, viewer=user)
    version = data["version"]
    proposal = data["proposal"]
    out = {
        "rules": data["rules"],
        "version": None,
        "proposal": None,
        "can_propose": permissions.can_propose_rules(user, community) and proposal is None,
        "can_take_part": permissions.can_take_part_in_rules(user, community),
    }
    if version is not None:
        out["version"] = {
            "number": version.number,
            "origin": version.origin,
            "took_effect_at": version.took_effect_at,
            "agreed_count": version.agreed_count,
        }
    if proposal is not None:
        proposal.community = community
        out["proposal"] = {
            "id": proposal.pk,
            "rules": proposal.rules,
            "reason": proposal.reason,
            "proposed_by": person_ref(proposal.proposed_by),
            "created_at": proposal.created_at,
            "agreements": len(data["agreements"]),
            "members_agreeing": data["members_agreeing"],
            "member_count": data["member_count"],
            "you_agree": data["i_agree"],
            "comments": [_comment_out(c) for c in data["comments"]],
            "can_adopt": permissions.can_adopt_rules(user, proposal),
            "can_withdraw": permissions.can_withdraw_rules(user, proposal),
        }
    return out


def _with_field_names(exc: ValidationError) -> ValidationError:
    """The services call the list `ground_rules` (the web form's field); here it is `rules`."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {("rules" if k == "ground_rules" else k): v for k, v in exc.message_dict.items()}
    )


@router.get("/{slug}/ground-rules", response=GroundRulesOut, summary="The ground rules")
def rules_get(request, slug: str):
    """The rules in effect, the version they are (how and when agreed), and the open
    proposal with its comments and how many agree."""
    return _document(request, _community(request, slug))


@router.post(
    "/{slug}/ground-rules/proposals",
    response={201: RulesProposalOut},
    summary="Propose ground rules",
)
def rules_propose(request, slug: str, payload: RulesProposalIn):
    """Facilitators and the core group; one proposal is open at a time (a second: 422).
    Every member hears of it."""
    community = _community(request, slug)
    permissions.check_propose_rules(request.user, community)
    try:
        services_rules.rules_propose(
            community=community, by=request.user, rules=payload.rules, reason=payload.reason
        )
    except ValidationError as exc:
        raise _with_field_names(exc) from None
    return Status(201, _document(request, community)["proposal"])


@router.post(
    "/{slug}/ground-rules/proposals/{proposal_id}/comments",
    response={201: RulesCommentOut},
    summary="Comment on a proposal",
)
def rules_comment(request, slug: str, proposal_id: int, payload: RulesCommentIn):
    """Members, the core group and facilitators (guests 403), while the proposal is open."""
    proposal = _proposal(request, slug, proposal_id)
    comment = services_rules.rules_comment(proposal=proposal, by=request.user, body=payload.body)
    return Status(201, _comment_out(comment))


def _agree(request, slug: str, proposal_id: int, *, agree: bool) -> dict:
    proposal = _proposal(request, slug, proposal_id)
    services_rules.rules_agree(proposal=proposal, by=request.user, agree=agree)
    return _document(request, proposal.community)["proposal"]


@router.post(
    "/{slug}/ground-rules/proposals/{proposal_id}/agreement",
    response=RulesProposalOut,
    summary="Agree with a proposal",
)
def rules_agree(request, slug: str, proposal_id: int):
    """Members, the core group and facilitators (guests 403), while it is open. Agreeing
    twice changes nothing."""
    return _agree(request, slug, proposal_id, agree=True)


@router.delete(
    "/{slug}/ground-rules/proposals/{proposal_id}/agreement",
    response=RulesProposalOut,
    summary="Take your agreement back",
)
def rules_disagree(request, slug: str, proposal_id: int):
    return _agree(request, slug, proposal_id, agree=False)


@router.post(
    "/{slug}/ground-rules/proposals/{proposal_id}/adopt",
    response=GroundRulesOut,
    summary="Put a proposal into effect",
)
def rules_adopt(request, slug: str, proposal_id: int):
    """Facilitators and platform admins. At least one member besides the facilitators must
    have agreed (422 until then). It becomes the next version, with who agreed."""
    proposal = _proposal(request, slug, proposal_id)
    services_rules.rules_adopt(proposal=proposal, by=request.user)
    return _document(request, proposal.community)


@router.post(
    "/{slug}/ground-rules/proposals/{proposal_id}/withdraw",
    response=GroundRulesOut,
    summary="Withdraw a proposal",
)
def rules_withdraw(request, slug: str, proposal_id: int):
    """The proposer (still facilitator or core) and the facilitators; the rules in effect
    stay."""
    proposal = _proposal(request, slug, proposal_id)
    services_rules.rules_withdraw(proposal=proposal, by=request.user)
    return _document(request, proposal.community)
