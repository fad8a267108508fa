"""Erase one person on a copy of a real database and report what changed (issue 11).

    KRING_DATA_DIR=/tmp/erasefix-demo .venv/bin/kring seed-demo
    .venv/bin/python benchmarks/erase_check.py --source /tmp/erasefix-demo            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kring_demo \
        .venv/bin/python benchmarks/erase_check.py --source /tmp/erasefix-demo        # PostgreSQL

Each choice (keep, remove) runs in a fresh process on a fresh copy: the SQLite file and the
media folder are copied; a PostgreSQL database is cloned with CREATE DATABASE ... TEMPLATE.
The source is never changed. Without --person the person with the most activity events
whose threads others replied to is taken.

What is compared before and after:
- every row of every model that did not point at the person (others' rows): which are gone;
- activity events per community per month;
- the insights trends (active members, contributions, new ties, attendance per month) of
  each of the person's communities, computed for the same moment;
- files on disk: the person's photo and attachments must go, nothing else;
- leftovers: the person's name and e-mail address anywhere in `dumpdata`, and the
  insights snapshot computed after the erasure;
- pages that show the former member (status codes; the name must not appear).

Prints a JSON report; exit status 1 when something is wrong.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# --- parent: copies and children ----------------------------------------------------------


def _pg_clone(url: str, name: str) -> str:
    import psycopg

    base, source = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    return f"{base}/{name}"


def _pg_drop(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def parent(args) -> int:
    source = Path(args.source).resolve()
    reports, failed = {}, False
    for choice in args.contributions:
        work = Path(f"{source}-erase-{choice}")
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(source, work)
        env = {**os.environ, "KRING_DATA_DIR": str(work)}
        clone = None
        if os.environ.get("DATABASE_URL"):
            clone = _pg_clone(os.environ["DATABASE_URL"], f"erase_check_{choice}")
            env["DATABASE_URL"] = clone
        cmd = [sys.executable, __file__, "--child", "--contributions", choice]
        if args.person:
            cmd += ["--person", args.person]
        if args.as_of:
            cmd += ["--as-of", args.as_of]
        done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode not in (0, 1):
            return 2
        reports[choice] = json.loads(done.stdout)
        failed |= done.returncode == 1
        if clone and not args.keep_copies:
            _pg_drop(clone)
        if not args.keep_copies:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(reports, indent=2, ensure_ascii=False, default=str))
    return 1 if failed else 0


# --- child: one erasure ----------------------------------------------------------------


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    os.environ.setdefault("KRING_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()


def _pick(email: str | None):
    from django.db.models import Count

    from kring.accounts.models import User
    from kring.conversations.models import Reply

    if email:
        return User.objects.get(email__iexact=email)
    replied = Reply.objects.exclude(author_id=models_f("thread__author_id")).values(
        "thread__author_id"
    )
    return (
        User.objects.filter(pk__in=replied, is_superuser=False, erased_at__isnull=True)
        .annotate(n=Count("activity_events"))
        .order_by("-n", "pk")
        .first()
    )


def models_f(name):
    from django.db.models import F

    return F(name)


# Tables that are derived (recomputed), or not content: not compared row by row.
DERIVED = {
    "core.SearchDocument",
    "insights.Snapshot",
    "sessions.Session",
    "django_tasks_database.DBTaskResult",
    "admin.LogEntry",
}


def _others_rows(user) -> dict[str, set]:
    """Per model, the primary keys of the rows that do not point at the person."""
    from django.apps import apps

    from kring.accounts.models import User

    out = {}
    for model in apps.get_models():
        label = f"{model._meta.app_label}.{model.__name__}"
        if label in DERIVED or model is User:
            continue
        qs = model._base_manager.all()
        for field in model._meta.local_fields:
            if field.is_relation and field.related_model is User:
                qs = qs.exclude(**{field.attname: user.pk})
        out[label] = set(qs.values_list("pk", flat=True))
    return out


def _events_per_month() -> dict:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from kring.core.models import ActivityEvent

    rows = (
        ActivityEvent.objects.annotate(month=TruncMonth("created_at"))
        .values_list("community_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {f"{c}:{m:%Y-%m}": n for c, m, n in rows}


def _trends(community_ids, as_of) -> dict:
    from kring.communities.models import Community
    from kring.insights.compute import compute

    out = {}
    for community in Community.objects.filter(pk__in=community_ids).order_by("pk"):
        started = time.perf_counter()
        raw = compute(community=community, as_of=as_of)
        seconds = round(time.perf_counter() - started, 2)
        out[community.slug] = {k: v for k, v in raw["trends"].items() if k != "months"}
        # Not history: the members of now and their network (one fewer, and their ties), and
        # how long compute() took.
        out[community.slug]["now"] = {
            "members": len(raw["members"]),
            "edges": len(raw["network"]["edges"]),
            "compute_seconds": seconds,
        }
    return out


def _files() -> set[str]:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _person_files(user) -> set[str]:
    from kring.conversations.models import PostAttachment
    from kring.knowledge.models import Attachment

    names = {user.photo.name} if user.photo else set()
    names |= {a.file.name for a in PostAttachment.objects.filter(uploaded_by=user)}
    names |= {a.file.name for a in Attachment.objects.filter(uploaded_by=user)}
    return names


def _dump_hits(needles: list[str]) -> dict[str, int]:
    """Which models still hold one of the needles somewhere in a full dumpdata."""
    import io

    from django.core.management import call_command

    buffer = io.StringIO()
    call_command("dumpdata", stdout=buffer)
    hits: dict[str, int] = {}
    for row in json.loads(buffer.getvalue()):
        text = json.dumps(row, ensure_ascii=False).lower()
        for needle in needles:
            if needle.lower() in text:
                key = f"{row['model']}:{needle}"
                hits[key] = hits.get(key, 0) + 1
    return hits


def _pages(user_pk, tombstone, communities, needles) -> dict:
    from django.test import Client

    from kring.accounts.models import User
    from kring.communities.models import Membership, Role
    from kring.conversations.models import Conversation, Notification, Thread
    from kring.knowledge.models import KnowledgeItem
    from kring.meetings.models import Session

    results = {}
    admin = User.objects.filter(is_superuser=True, is_active=True).first()
    urls: list[tuple[str, object, int]] = [
        (f"/people/{tombstone.pk}/", admin, 404),
        (f"/people/{user_pk}/", admin, 404),
        (f"/people/{tombstone.pk}/photo/", admin, 404),
        ("/admin/accounts/user/", admin, 200),
        ("/admin/core/activityevent/", admin, 200),
        ("/admin/admin/logentry/", admin, None),
        ("/platform/", admin, 200),
    ]
    for community in communities:
        fac = (
            Membership.objects.filter(community=community, role=Role.FACILITATOR)
            .select_related("user")
            .first()
        )
        viewer = fac.user if fac else admin
        slug = community.slug
        for path in (
            f"/communities/{slug}/",
            f"/communities/{slug}/members/",
            f"/communities/{slug}/conversations/",
            f"/communities/{slug}/library/",
            f"/communities/{slug}/sessions/",
            f"/communities/{slug}/action-points/",
            f"/communities/{slug}/who-knows/",
            f"/communities/{slug}/insights/",
            f"/communities/{slug}/moderation/",
            f"/communities/{slug}/search/?q={needles[0].split()[0]}",
            f"/api/v1/communities/{slug}/members",
            f"/api/v1/communities/{slug}/threads",
            f"/api/v1/communities/{slug}/knowledge",
            f"/api/v1/communities/{slug}/sessions",
            f"/api/v1/communities/{slug}/action-points",
            f"/api/v1/communities/{slug}/insights",
        ):
            urls.append((path, viewer, 200))
        for thread in Thread.objects.filter(community=community, author=tombstone):
            urls.append((thread.get_absolute_url(), viewer, 200))
            urls.append((f"/api/v1/communities/{slug}/threads/{thread.pk}", viewer, 200))
            urls.append((f"{thread.get_absolute_url()}history/", viewer, 200))
        for thread in Thread.objects.filter(community=community, replies__author=tombstone)[:10]:
            urls.append((thread.get_absolute_url(), viewer, 200))
        for item in KnowledgeItem.objects.filter(community=community, authors=tombstone):
            urls.append((item.get_absolute_url(), viewer, 200))
            urls.append((f"{item.get_absolute_url()}revisions/", viewer, 200))
        for session in Session.objects.filter(community=community, attendances__user=tombstone):
            urls.append((f"/communities/{slug}/sessions/{session.pk}/", viewer, 200))
            urls.append((f"/api/v1/communities/{slug}/sessions/{session.pk}/rsvps", viewer, 200))
            urls.append(
                (f"/api/v1/communities/{slug}/sessions/{session.pk}/attendance", viewer, 200)
            )
            urls.append((f"/communities/{slug}/sessions/{session.pk}/attendance/", viewer, 200))
    for conversation in Conversation.objects.filter(user_high=tombstone):
        other = conversation.user_low
        urls.append((f"/messages/{conversation.pk}/", other, 200))
        urls.append(("/messages/", other, 200))
        urls.append((f"/messages/new/{tombstone.pk}/", other, 404))
    notified = Notification.objects.filter(actor=tombstone).select_related("recipient")
    for notification in notified[:5]:
        urls.append(("/notifications/", notification.recipient, 200))
        urls.append(("/api/v1/notifications", notification.recipient, 200))
        urls.append(("/", notification.recipient, 200))
    for path, viewer, expected in urls:
        client = Client()
        client.force_login(viewer)
        try:
            response = client.get(path, follow=False)
            status = response.status_code
            body = response.content.decode(errors="replace").lower()
        except Exception as error:  # noqa: BLE001 (reported, not hidden)
            status, body = f"exception {type(error).__name__}: {error}", ""
        leaked = [n for n in needles if n.lower() in body]
        ok = (expected is None or status == expected) and not leaked
        results[path] = {"status": status, "ok": ok, **({"leaked": leaked} if leaked else {})}
    return results


def _digests(tombstone, communities) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from kring.communities.models import Membership
    from kring.core import digest

    out = {}
    until = timezone.now()
    for community in communities:
        for membership in Membership.objects.filter(community=community)[:3]:
            try:
                sections = digest.build(
                    user=membership.user,
                    community_ids=[community.pk],
                    since=until - timedelta(days=400),
                    until=until,
                )
                out[f"{community.slug}:{membership.user_id}"] = sum(
                    len(s.entries) for s in sections
                )
            except Exception as error:  # noqa: BLE001
                out[f"{community.slug}:{membership.user_id}"] = f"exception {error}"
    return out


def _step(name: str) -> None:
    """Progress on stderr: a run on a million events takes minutes."""
    print(f"{time.strftime('%H:%M:%S')} {name}", file=sys.stderr, flush=True)


def child(args) -> int:
    _setup()
    from django.core import mail
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from kring.accounts.models import User
    from kring.communities.models import Community
    from kring.conversations.models import Message, Reply, Thread
    from kring.core.models import ActivityEvent
    from kring.insights.models import Snapshot
    from kring.insights.tasks import snapshot_refresh
    from kring.privacy.erasure import account_erase

    setup_test_environment()  # locmem e-mail, testserver host
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    if not User.objects.filter(is_superuser=True, is_active=True).exists():
        # The copy gets an administrator to erase with and to look at the pages (the insights
        # benchmark's database has none).
        User.objects.create_superuser("erase-check@example.invalid", None, full_name="Admin")
    user = _pick(args.person)
    as_of = datetime.fromisoformat(args.as_of) if args.as_of else timezone.now()
    community_ids = list(user.memberships.values_list("community_id", flat=True))
    communities = list(Community.objects.filter(pk__in=community_ids))
    needles = [user.full_name, user.email]
    photo = user.photo.name if user.photo else ""
    if photo:
        needles.append(Path(photo).stem)
    person_files = _person_files(user)
    before = {
        "person": {"pk": user.pk, "events": ActivityEvent.objects.filter(actor=user).count()},
        "replies_by_others_under_their_threads": Reply.objects.filter(thread__author=user)
        .exclude(author=user)
        .count(),
        "messages_of_the_other_side": Message.objects.filter(recipient=user).count(),
        "threads": Thread.objects.filter(author=user).count(),
        "events_total": ActivityEvent.objects.count(),
        "events_with_person": ActivityEvent.objects.filter(actor=user).count()
        + ActivityEvent.objects.filter(other=user).count(),
        "files": len(_files()),
        "person_files": len(person_files),
    }
    _step("rows before")
    others = _others_rows(user)
    _step("events per month before")
    months = _events_per_month()
    _step("trends before")
    trends = _trends(community_ids, as_of)
    files = _files()
    by = User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).first()
    old_pk = user.pk

    _step("erase")
    started = time.perf_counter()
    tombstone = account_erase(user=user, contributions=args.contributions, by=by)
    erase_seconds = round(time.perf_counter() - started, 2)
    _step("snapshot")
    for community_id in community_ids:  # what the queued task does after the erasure
        snapshot_refresh.call(community_id=community_id)

    _step("rows after")
    after_others = _others_rows(tombstone)
    gone = {
        label: len(pks - after_others.get(label, set()))
        for label, pks in others.items()
        if pks - after_others.get(label, set())
    }
    _step("events per month after")
    months_after = _events_per_month()
    _step("trends after")
    trends_after = _trends(community_ids, as_of)
    files_after = _files()
    snapshot_text = " ".join(
        json.dumps([s.data, s.dashboard], ensure_ascii=False).lower()
        for s in Snapshot.objects.filter(community_id__in=community_ids)
    )
    report = {
        "person": f"pk {old_pk}, {before['person']['events']} events",
        "contributions": args.contributions,
        "erase_seconds": erase_seconds,
        "before": before,
        "after": {
            "replies_by_others_under_their_threads": Reply.objects.filter(thread__author=tombstone)
            .exclude(author=tombstone)
            .count(),
            "messages_of_the_other_side": Message.objects.filter(recipient=tombstone).count(),
            "threads_of_former_member": Thread.objects.filter(author=tombstone).count(),
            "events_total": ActivityEvent.objects.count(),
            "events_of_former_member": ActivityEvent.objects.filter(actor=tombstone).count()
            + ActivityEvent.objects.filter(other=tombstone).count(),
            "files": len(files_after),
        },
        "others_rows_gone": gone,
        "events_per_month_changed": {
            k: [months.get(k), months_after.get(k)]
            for k in set(months) | set(months_after)
            if months.get(k) != months_after.get(k)
        },
        "trends_changed": {
            slug: {
                key: [value, trends_after[slug][key]]
                for key, value in numbers.items()
                if trends_after[slug][key] != value and key != "now"
            }
            for slug, numbers in trends.items()
            if any(trends_after[slug][k] != v for k, v in numbers.items() if k != "now")
        },
        "now": {slug: [t["now"], trends_after[slug]["now"]] for slug, t in trends.items()},
        "person_files_left": sorted(person_files & files_after),
        "others_files_gone": sorted((files - person_files) - files_after),
        "dumpdata_hits": _dump_hits(needles),  # the slowest step: every row as JSON
        "snapshot_hits": [n for n in needles if n.lower() in snapshot_text],
        "pages": {},
        "digests": _digests(tombstone, communities),
        "mails": [m.to for m in mail.outbox],
    }
    _step("pages")
    pages = _pages(old_pk, tombstone, communities, needles)
    report["pages_checked"] = len(pages)
    report["pages"] = {path: r for path, r in pages.items() if not r["ok"]}
    bad = any(
        report[key]
        for key in (
            "events_per_month_changed",
            "trends_changed",
            "person_files_left",
            "others_files_gone",
            "dumpdata_hits",
            "snapshot_hits",
            "pages",
        )
    ) or any(isinstance(v, str) for v in report["digests"].values())
    report["ok"] = not bad
    print(json.dumps(report, default=str))
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", help="a KRING_DATA_DIR (SQLite file and media)")
    parser.add_argument("--person", help="e-mail address (default: picked)")
    parser.add_argument(
        "--contributions", nargs="+", default=["keep", "remove"], choices=["keep", "remove"]
    )
    parser.add_argument(
        "--as-of",
        help="the moment of the insights trends, ISO 8601 (default: now; the insights "
        "benchmark's history ends at 2025-06-02T09:00:00+00:00)",
    )
    parser.add_argument("--keep-copies", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.contributions = args.contributions[0]
        return child(args)
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
