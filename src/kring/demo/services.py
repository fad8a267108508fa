"""Filling a Kring with demo communities and people, through the same services the app uses.

Running the seed again changes nothing that is already there: people are found by e-mail,
communities by slug, library items by community and title, and each service call below is a
no-op when its data is already in place.
"""

import hashlib
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kring.accounts.models import Perspective, User
from kring.accounts.services import photo_prepare, profile_update
from kring.communities.models import Community, Membership, Role
from kring.communities.services import (
    community_create_with_rules,
    community_update,
    ground_rules_set,
    membership_add,
    membership_role_change,
)
from kring.demo.avatars import avatar_png
from kring.demo.conversations import conversations_ensure, messages_ensure
from kring.demo.data import ADMIN, COMMUNITIES, PEOPLE, CommunitySpec, PersonSpec
from kring.demo.decisions import decisions_ensure
from kring.demo.library import LIBRARY, ItemSpec
from kring.demo.networks import networks_ensure
from kring.demo.sessions import sessions_ensure
from kring.demo.stories import stories_ensure
from kring.growth.services import community_stage_refresh
from kring.insights.services import snapshot_create
from kring.knowledge.models import Comment, KnowledgeItem, Useful
from kring.knowledge.services import (
    comment_create,
    item_create,
    item_feature,
    item_mark_useful,
)

DEFAULT_PASSWORD = "Kring-demo-2026"

Progress = Callable[[Iterable], Iterable]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str
    where: list[str] = field(default_factory=list)


@dataclass
class DemoSeedResult:
    people: int = 0
    people_created: int = 0
    photos_drawn: int = 0
    communities: int = 0
    communities_created: int = 0
    memberships: int = 0
    memberships_added: int = 0
    items: int = 0
    items_created: int = 0
    useful_added: int = 0
    comments_added: int = 0
    threads: int = 0
    threads_created: int = 0
    messages_added: int = 0
    flags_added: int = 0
    sessions_created: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


def _rng(*parts: str) -> random.Random:
    return random.Random(hashlib.sha256("|".join(parts).encode()).digest())


def _office_hours(moment: datetime, rng: random.Random) -> datetime:
    local = timezone.localtime(moment)
    return local.replace(hour=rng.randint(8, 17), minute=rng.randrange(60), second=0, microsecond=0)


def _join_schedule(*, now: datetime) -> dict[tuple[str, str], datetime]:
    """When each person joined each community: facilitators at the start, the core group in
    the first weeks, members spread over the months since, guests recently."""
    schedule: dict[tuple[str, str], datetime] = {}
    for community in COMMUNITIES:
        start = _office_hours(now - timedelta(days=community.started_days_ago), _rng(community.key))
        by_role: dict[str, list[str]] = {role: [] for role in Role.values}
        for person in PEOPLE:
            for key, role in person.memberships:
                if key == community.key:
                    by_role[role].append(person.address)
        span = community.started_days_ago
        windows: dict[str, tuple[int, int]] = {
            Role.FACILITATOR: (0, 2),
            Role.CORE: (3, 25),
            Role.MEMBER: (14, span - 7),
            Role.GUEST: (max(30, span - 60), span - 3),
        }
        for role, emails in by_role.items():
            first, last = windows[role]
            for i, email in enumerate(emails):
                rng = _rng(community.key, email)
                days: float
                if role == Role.FACILITATOR:
                    days = i
                else:
                    step = (last - first) / max(len(emails), 1)
                    days = first + step * i + rng.uniform(0, step * 0.8)
                moment = start if days == 0 else _office_hours(start + timedelta(days=days), rng)
                schedule[(community.key, email)] = moment
    return schedule


class _Passwords:
    """Sets every demo account to the shared password, hashing it only once.

    The demo password is public, so one salt for all accounts gives nothing away, and it keeps
    a run of the seed from spending most of its time in the password hasher.
    """

    def __init__(self, password: str):
        self.password = password
        self._encoded = ""
        self._checked: dict[str, bool] = {}

    def matches(self, user: User) -> bool:
        # Checking an unusable password still runs the hasher (against timing attacks).
        if not is_password_usable(user.password):
            return False
        if user.password not in self._checked:
            self._checked[user.password] = check_password(self.password, user.password)
        return self._checked[user.password]

    def encoded(self) -> str:
        if not self._encoded:
            self._encoded = make_password(self.password)
        return self._encoded


def _account_ensure(
    *, spec: PersonSpec, joined: datetime, passwords: _Passwords, admin: bool = False
) -> tuple[User, bool]:
    """The person's account, created if missing; active, with the demo password.

    There is no account service yet: people normally arrive through an invitation, so the
    manager's create_user is what invitation_signup uses too.
    """
    found = User.objects.filter(email__iexact=spec.address).first()
    created = found is None
    if found is None:
        create = User.objects.create_superuser if admin else User.objects.create_user
        user = create(email=spec.address, password=None, full_name=spec.name, date_joined=joined)
    else:
        user = found
    changed = []
    if not passwords.matches(user):
        user.password = passwords.encoded()
        changed.append("password")
    if not user.is_active:
        user.is_active = True
        changed.append("is_active")
    if admin and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        changed += ["is_staff", "is_superuser"]
    if changed:
        user.save(update_fields=changed)
    return user, created


def _photo_missing(user: User) -> bool:
    return not user.photo or not user.photo.storage.exists(user.photo.name)


def _profile_ensure(*, user: User, spec: PersonSpec, perspectives: dict[str, Perspective]) -> bool:
    """Fill in the profile; draw a portrait only for people without one. True if drawn."""
    photo = None
    if _photo_missing(user):
        png = avatar_png(seed=spec.address, look=spec.look)
        upload = SimpleUploadedFile("portrait.png", png, content_type="image/png")
        photo = photo_prepare(upload=upload)
    profile_update(
        user=user,
        by=user,
        full_name=spec.name,
        organisation=spec.organisation,
        job_title=spec.job_title,
        bio=spec.bio,
        language="nl",
        perspectives=[perspectives[key] for key in spec.perspectives],
        help_tags=spec.help_tags,
        seeking_tags=spec.seeking_tags,
        photo=photo,
    )
    return photo is not None


def _allow_creating_communities(user: User) -> None:
    if user.has_perm("communities.add_community"):
        return
    # No service grants this yet; in the app an admin does it in the Django admin.
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="communities", codename="add_community")
    )
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)


def _community_ensure(
    *, spec: CommunitySpec, founder: User, admin: User, started: datetime
) -> tuple[Community, bool]:
    fields = {
        "theme": spec.theme,
        "urgency": spec.urgency,
        "shared_goal": spec.shared_goal,
        "signature": spec.signature,
        "visibility": spec.visibility,
        "target_mix": spec.target_mix,
    }
    community = Community.objects.filter(slug=spec.slug).first()
    if community is None:
        _allow_creating_communities(founder)
        community = community_create_with_rules(
            by=founder,
            name=spec.name,
            slug=spec.slug,
            at=started,
            ground_rules=spec.ground_rules,
            **fields,
        )
        return community, True
    community_update(community=community, by=admin, name=spec.name, **fields)
    ground_rules_set(community=community, by=admin, rules=spec.ground_rules)
    return community, False


def _item_moment(*, spec: ItemSpec, now: datetime, authors_joined: list[datetime]) -> datetime:
    """When an item was shared: `days_ago`, in office hours, but never before all its authors
    had joined the community, nor in the future."""
    moment = _office_hours(now - timedelta(days=spec.days_ago), _rng(spec.community, spec.title))
    moment = max(moment, max(authors_joined) + timedelta(days=1))
    return min(moment, now)


def _library_ensure(
    *,
    key: str,
    community: Community,
    people: dict[str, User],
    now: datetime,
    result: DemoSeedResult,
) -> None:
    """The community's library: items, useful marks, comments and what facilitators featured.

    Items are found by title and an existing one is left as it is (members may have edited
    it). The knowledge services date useful marks, comments and featuring at the moment they
    run; only the items themselves are backdated.
    """
    specs = sorted(
        (spec for spec in LIBRARY if spec.community == key),
        key=lambda spec: (-spec.days_ago, spec.title),
    )
    items = {
        item.title: item
        for item in KnowledgeItem.objects.filter(
            community=community, title__in=[spec.title for spec in specs]
        )
    }
    joined = dict(
        Membership.objects.filter(community=community).values_list("user_id", "joined_at")
    )
    marked = set(Useful.objects.filter(item__community=community).values_list("item_id", "user_id"))
    said = set(
        Comment.objects.filter(item__community=community).values_list(
            "item_id", "author_id", "body"
        )
    )
    for spec in specs:
        authors = [people[name] for name in spec.authors]
        item = items.get(spec.title)
        if item is None:
            item = item_create(
                community=community,
                by=authors[0],
                kind=spec.kind,
                title=spec.title,
                body=spec.body,
                sections=spec.sections or None,
                url=spec.url,
                tags=list(spec.tags),
                authors=authors,
                at=_item_moment(spec=spec, now=now, authors_joined=[joined[a.pk] for a in authors]),
            )
            result.items_created += 1
        result.items += 1
        for name in spec.useful:
            reader = people[name]
            if (item.pk, reader.pk) not in marked:
                item_mark_useful(item=item, by=reader)
                result.useful_added += 1
        for name, body in spec.comments:
            writer = people[name]
            if (item.pk, writer.pk, body) not in said:
                comment_create(item=item, by=writer, body=body)
                result.comments_added += 1
        if spec.featured and item.featured != spec.featured[0]:
            featured, facilitator = spec.featured
            item_feature(item=item, by=people[facilitator], featured=featured)


def _logins(admin: User, users: dict[str, User]) -> list[DemoLogin]:
    names = {community.key: community.name for community in COMMUNITIES}
    logins = [DemoLogin("platform admin", admin.email, admin.full_name)]
    for community in COMMUNITIES:
        founder = next(p for p in PEOPLE if (community.key, Role.FACILITATOR) in p.memberships)
        logins.append(DemoLogin("facilitator", founder.address, founder.name, [community.name]))
    members = [p for p in PEOPLE if all(role == Role.MEMBER for _key, role in p.memberships)]
    for person in (
        next(p for p in members if len(p.memberships) > 1),
        next(p for p in members if len(p.memberships) == 1),
    ):
        where = [names[key] for key, _role in person.memberships]
        logins.append(DemoLogin("member", person.address, person.name, where))
    return logins


def demo_seed(
    *,
    password: str = DEFAULT_PASSWORD,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> DemoSeedResult:
    """Create (or complete) the demo communities, people, photos, memberships, libraries and
    conversations.

    `progress` wraps the loop over people, e.g. with a progress bar.
    """
    validate_password(password)
    now = now or timezone.now()
    passwords = _Passwords(password)
    schedule = _join_schedule(now=now)
    result = DemoSeedResult()
    perspectives = Perspective.objects.in_bulk(field_name="key")
    unknown = {k for p in PEOPLE for k in p.perspectives} - set(perspectives)
    if unknown:
        raise ValueError(f"The demo needs perspectives that are missing: {sorted(unknown)}")

    with transaction.atomic():
        first_join = min(schedule.values())
        admin, created = _account_ensure(
            spec=ADMIN, joined=first_join - timedelta(days=30), passwords=passwords, admin=True
        )
        result.people_created += created
        result.photos_drawn += _profile_ensure(user=admin, spec=ADMIN, perspectives=perspectives)

        users: dict[str, User] = {}
        people = progress(PEOPLE) if progress else PEOPLE
        for spec in people:
            joins = [schedule[(key, spec.address)] for key, _role in spec.memberships]
            joined = min(joins) - timedelta(days=_rng(spec.address).randint(1, 10))
            user, created = _account_ensure(spec=spec, joined=joined, passwords=passwords)
            result.people_created += created
            result.photos_drawn += _profile_ensure(user=user, spec=spec, perspectives=perspectives)
            users[spec.address] = user
        result.people = len(users) + 1

        by_name = {spec.name: users[spec.address] for spec in PEOPLE}
        existing = set(Membership.objects.values_list("community__slug", "user__email"))
        for spec in COMMUNITIES:
            cast = [
                (person.address, role)
                for person in PEOPLE
                for key, role in person.memberships
                if key == spec.key
            ]
            # People join in the order they arrived, so the activity history reads naturally.
            cast.sort(key=lambda item: schedule[(spec.key, item[0])])
            facilitators = [users[email] for email, role in cast if role == Role.FACILITATOR]
            community, created = _community_ensure(
                spec=spec,
                founder=facilitators[0],
                admin=admin,
                started=schedule[(spec.key, facilitators[0].email)],
            )
            result.communities += 1
            result.communities_created += created
            for email, role in cast:
                user = users[email]
                is_new = (spec.slug, email) not in existing
                inviter = _rng(spec.key, email, "inviter").choice(facilitators)
                membership = membership_add(
                    community=community,
                    user=user,
                    role=role,
                    by=inviter if inviter.pk != user.pk else facilitators[0],
                    at=schedule[(spec.key, email)],
                )
                if membership.role != role:
                    membership_role_change(membership=membership, role=role, by=admin)
                result.memberships += 1
                result.memberships_added += is_new
            _library_ensure(
                key=spec.key, community=community, people=by_name, now=now, result=result
            )
            talk = conversations_ensure(key=spec.key, community=community, people=by_name, now=now)
            result.threads += talk["threads"]
            result.threads_created += talk["threads_created"]
            result.flags_added += talk["flags_added"]
            met = sessions_ensure(
                key=spec.key,
                community=community,
                started=schedule[(spec.key, facilitators[0].email)],
                now=now,
            )
            result.sessions_created += met["sessions_created"]
            stories_ensure(
                key=spec.key, community=community, people=by_name, facilitator=facilitators[0]
            )
            decisions_ensure(
                key=spec.key, community=community, facilitator=facilitators[0], now=now
            )
        result.messages_added = messages_ensure(people=by_name, now=now)
        networks_ensure(admin=admin, coordinator=by_name["Marieke Jansen"], now=now)

    # The facilitators' dashboard has insights to show right away, not after the worker's
    # first round. As of the moment seeding ends, not `now` from its start: activity the
    # services recorded during seeding carries later timestamps and would be left out.
    for community in Community.objects.filter(slug__in=[spec.slug for spec in COMMUNITIES]):
        snapshot_create(community=community, as_of=timezone.now())
        # The stage every page shows, derived from the history just made (kring.growth).
        community_stage_refresh(community=community)
    result.logins = _logins(admin, users)
    return result
