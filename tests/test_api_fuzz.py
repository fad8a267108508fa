"""Fuzzing the HTTP API with Schemathesis, against Kring's own OpenAPI document (issue 11).

Every operation in /api/v1/openapi.json becomes one test, `test_api[METHOD /path]`. Each
sends generated requests to the WSGI app in-process (no server) with a write token of a
demo facilitator, over the seeded demo, and fails on a 5xx or on an answer the document does
not describe (status code, content type, headers, body schema). Path parameters are mostly
swapped for real slugs and ids from the demo, so requests reach real objects and not only
404s. New operations are picked up by themselves.

Run alone:   .venv/bin/pytest -p no:xdist -m fuzz tests/test_api_fuzz.py
Run longer:  KRING_FUZZ_EXAMPLES=200 .venv/bin/pytest -p no:xdist -m fuzz tests/test_api_fuzz.py
KRING_FUZZ_SEED changes the (otherwise fixed) seed, to look at other inputs.
"""

import hashlib
import io
import os
from dataclasses import dataclass, field
from datetime import timedelta

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck
from PIL import Image
from schemathesis import GenerationMode

from kring.wsgi import application

API = "/api/v1"

# Fuzzing examples per operation (the fuzzing phase; the coverage phase adds its own fixed
# set of boundary and wrong values). 25 keeps the whole run near a minute and a half.
MAX_EXAMPLES = int(os.environ.get("KRING_FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("KRING_FUZZ_SEED", "11"))

# The demo person whose write token does the fuzzing: she facilitates communities, so the
# facilitator-only operations (sessions, action points, insights, members) get past the
# permission check; in the communities she is not part of, the same requests meet 403/404.
TOKEN_OWNER = "marieke.jansen@kring.example"

# Operations that end the token owner's access midway if she were their caller. They still
# run, but each request with the token of a fresh person made for it alone (see
# _throwaway_headers): DELETE /me erases the caller's account, and a token revoked or an
# account erased halfway would turn every later request into a 401.
ENDS_CALLERS_ACCESS = {
    ("DELETE", f"{API}/me"),
}

# One request in this many keeps its generated path values (an unknown slug or id: 404),
# the others get real ones from the demo.
KEEP_GENERATED_PATH = 8

# Every other check of Schemathesis stays on, among them: no 5xx, a documented status code,
# content type and headers, a body that matches its schema, invalid input refused.
EXCLUDED_CHECKS = [
    # "A request that matches the schema must not be refused." Kring's services check more
    # than a JSON Schema can say: an empty title, a session that ends before it starts, a
    # member id from another community, a date before the community existed. Those answer
    # 422 `invalid` with a message per field, which the document describes for every
    # operation; this check would call each of them a failure.
    schemathesis.checks.positive_data_acceptance,
]

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# The schema is read from the app itself, as clients read it. Loading it needs no database.
schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", application)
schema.config.seed = SEED
schema.config.update(continue_on_failure=True)


@dataclass
class DemoWorld:
    """Real slugs and ids from the seeded demo, per path parameter name."""

    token: str
    media_root: str
    my_slugs: set = field(default_factory=set)
    emails: list = field(default_factory=list)
    # Complete sets of path values per path template, e.g. {"slug": .., "item_id": ..}.
    by_template: dict[str, list[dict]] = field(default_factory=dict)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(out, format="PNG")
    return out.getvalue()


def _world(owner) -> DemoWorld:
    from kring.accounts.models import User
    from kring.accounts.services import api_token_create
    from kring.communities.models import Community
    from kring.conversations.models import Notification, Reply, Thread
    from kring.decisions.models import Poll, RulesProposal
    from kring.growth.models import Team
    from kring.knowledge.models import Attachment, KnowledgeItem, Revision
    from kring.knowledge.services import attachment_add
    from kring.meetings.models import ActionPoint, Session

    _token, secret = api_token_create(user=owner, scope="write", name="fuzz")
    world = DemoWorld(token=secret, media_root="")
    mine = set(owner.memberships.values_list("community__slug", flat=True))
    world.my_slugs = mine
    world.emails = list(User.objects.order_by("pk").values_list("email", flat=True)[:20])

    # The demo has no attachments: give a few items one, so their paths reach a real file.
    for item in KnowledgeItem.objects.filter(community__slug__in=mine).order_by("pk")[:3]:
        attachment_add(
            item=item,
            by=owner,
            upload=SimpleUploadedFile("dot.png", _png(), "image/png"),
        )

    def add(template: str, rows):
        world.by_template.setdefault(template, []).extend(rows)

    slugs = list(Community.objects.order_by("pk").values_list("slug", flat=True))
    add("slug", [{"slug": s} for s in slugs])
    items = KnowledgeItem.objects.order_by("pk").values_list("community__slug", "pk")
    add("item_id", [{"slug": s, "item_id": pk} for s, pk in items])
    revisions = Revision.objects.order_by("pk").values_list(
        "item__community__slug", "item_id", "number"
    )
    add("number", [{"slug": s, "item_id": i, "number": n} for s, i, n in revisions])
    attachments = Attachment.objects.order_by("pk").values_list(
        "item__community__slug", "item_id", "pk"
    )
    add("attachment_id", [{"slug": s, "item_id": i, "attachment_id": a} for s, i, a in attachments])
    threads = Thread.objects.order_by("pk").values_list("community__slug", "pk")
    add("thread_id", [{"slug": s, "thread_id": pk} for s, pk in threads])
    replies = Reply.objects.order_by("pk").values_list("thread__community__slug", "thread_id", "pk")
    add("reply_id", [{"slug": s, "thread_id": t, "reply_id": r} for s, t, r in replies])
    sessions = Session.objects.order_by("pk").values_list("community__slug", "pk")
    add("session_id", [{"slug": s, "session_id": pk} for s, pk in sessions])
    points = ActionPoint.objects.order_by("pk").values_list("community__slug", "pk")
    add("point_id", [{"slug": s, "point_id": pk} for s, pk in points])
    polls = Poll.objects.order_by("pk").values_list("community__slug", "pk")
    add("poll_id", [{"slug": s, "poll_id": pk} for s, pk in polls])
    proposals = RulesProposal.objects.order_by("pk").values_list("community__slug", "pk")
    add("proposal_id", [{"slug": s, "proposal_id": pk} for s, pk in proposals])
    teams = Team.objects.order_by("pk").values_list("community__slug", "pk")
    add("team_id", [{"slug": s, "team_id": pk} for s, pk in teams])
    notes = Notification.objects.filter(recipient=owner).order_by("pk").values_list("pk", flat=True)
    add("notification_id", [{"notification_id": pk} for pk in notes])
    return world


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, seeded once per module (per xdist worker) inside a transaction that is rolled
    back at the end, so no other test sees it. Each operation's test runs in a savepoint
    inside it (pytest-django), so what one operation writes is gone for the next."""
    from kring.accounts.models import User
    from kring.demo.services import demo_seed

    media = tmp_path_factory.mktemp("fuzz-media")
    # Requests go to the WSGI app itself, not through Django's test client, so Django would
    # close the database connection after each one (it is inside a transaction): on
    # PostgreSQL that ends the test's transaction. The test client switches this off too.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_seed()
            world = _world(User.objects.get(email=TOKEN_OWNER))
            world.media_root = str(media)
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(demo_world, settings):
    # The shared clean slate gives each test an empty media folder; the demo's files are here.
    settings.MEDIA_ROOT = demo_world.media_root
    return demo_world


def _real_path_parameters(world: DemoWorld, case) -> dict | None:
    """A set of real values for the case's path, picked by a hash of the generated ones (so a
    run is reproducible), or None to keep the generated ones."""
    names = set(case.path_parameters or {})
    if not names:
        return None
    if case.meta is not None and case.meta.generation.mode == GenerationMode.NEGATIVE:
        # A case meant to be invalid keeps what was generated: its wrong part may be in the
        # path (a word or 0 for an id), and the API checks the input before it looks up
        # anything, so real values would add nothing. (Not the path component's own mode:
        # Schemathesis's coverage phase does not always mark it.)
        return None
    digest = hashlib.sha256(repr(sorted(case.path_parameters.items())).encode()).digest()
    if digest[0] % KEEP_GENERATED_PATH == 0:
        return None
    # The most specific template whose names are all in this path.
    candidates = [
        rows
        for key, rows in world.by_template.items()
        if rows and key in names and set(rows[0]) <= names
    ]
    if not candidates:
        return None
    rows = max(candidates, key=lambda rows: len(rows[0]))
    # Mostly her own communities, where requests get past the membership check; now and
    # then another one, where they must be refused cleanly.
    mine = [row for row in rows if row.get("slug", "") in world.my_slugs or "slug" not in row]
    if mine and digest[5] % 4:
        rows = mine
    chosen = rows[int.from_bytes(digest[1:5], "big") % len(rows)]
    return {**case.path_parameters, **chosen}


def _pick(choices, seed) -> object:
    digest = hashlib.sha256(repr(seed).encode()).digest()
    return choices[digest[0] % len(choices)]


def _realistic(path: str, data: dict, world: "DemoWorld") -> dict:
    """A generated body with the values Kring's services check beyond the JSON Schema made
    plausible (a known kind, mode or role; a title that is not empty; a session that ends
    after it starts), so writes get through and their answers are checked too."""
    from kring.communities.models import Role, Stage, Visibility
    from kring.conversations.models import ThreadKind
    from kring.decisions.models import ShowResults
    from kring.knowledge.models import Featured, Kind
    from kring.meetings.models import AttendanceStatus, Mode, RsvpResponse

    later = timezone.now().replace(microsecond=0) + timedelta(days=10)
    out = dict(data)
    choices = {
        "kind": ThreadKind.values if "/threads" in path else Kind.values,
        "mode": Mode.values,
        "response": RsvpResponse.values,
        "status": AttendanceStatus.values,
        "scope": ["this", "following"],
        "role": Role.values,
        "visibility": Visibility.values,
        "stage": Stage.values,
        "featured": Featured.values,
        "show_results": ShowResults.values,
        "email": world.emails,
    }
    for name, values in choices.items():
        if name in out:
            out[name] = _pick(values, (name, out[name]))
    for name in ("title", "name", "body", "what", "question", "session_title", "session_location"):
        if isinstance(out.get(name), str) and not out[name].strip():
            out[name] = "Fuzz " + name
    # A poll: two or more different options, moments to come, nothing it is about (an id
    # made up is not in the community); ground rules: at least one.
    for name, least in (("options", 2), ("rules", 1)):
        if isinstance(out.get(name), list):
            texts = [str(text)[:100] for text in out[name][:10]]
            texts += [""] * (least - len(texts))
            out[name] = [f"Fuzz {n} {text}" for n, text in enumerate(texts)]
    if "/polls" in path or "/date-polls" in path:
        for name in ("session", "thread"):
            out.pop(name, None)
        if "closes_at" in out:
            out["closes_at"] = later.isoformat()
        if isinstance(out.get("starts"), list):
            count = min(max(len(out["starts"]), 2), 10)
            out["starts"] = [(later + timedelta(days=n)).isoformat() for n in range(count)]
    if "starts_at" in out or "first_start" in out:
        start = "starts_at" if "starts_at" in out else "first_start"
        out[start] = later.isoformat()
        if "ends_at" in out:
            out["ends_at"] = (later + timedelta(hours=2)).isoformat()
    return out


def _throwaway_headers() -> dict:
    from kring.accounts.models import User
    from kring.accounts.services import api_token_create

    n = User.objects.count() + 1
    user = User.objects.create_user(
        email=f"throwaway{n}@example.org", password=None, full_name=f"Throwaway {n}"
    )
    _token, secret = api_token_create(user=user, scope="write", name="fuzz")
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api(case, world):
    real = _real_path_parameters(world, case)
    if real is not None:
        case.path_parameters = real
    # Only JSON bodies: Schemathesis checks a changed body against the schema again, and
    # it would take a multipart upload's copied file for invalid input.
    json_body = case.media_type == "application/json"
    if json_body and case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE:
        # Three in four valid bodies are made plausible; the rest stay as generated.
        if isinstance(case.body, dict) and _pick(range(4), case.body):
            case.body = _realistic(case.path, case.body, world)
        elif isinstance(case.body, list):
            case.body = [
                _realistic(case.path, row, world) if isinstance(row, dict) else row
                for row in case.body
            ]
    if (case.method.upper(), case.path) in ENDS_CALLERS_ACCESS:
        headers = _throwaway_headers()
    else:
        headers = {"Authorization": f"Bearer {world.token}"}
    case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)
