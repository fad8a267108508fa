"""Time (and optionally profile) the pages that show "Who knows this?" in one process, at the
size of a national network: the library item page, the search page and the API search.

    KRING_DATA_DIR=/tmp/kring-bench-whoknows .venv/bin/python benchmarks/profile_who_knows.py
    ... --profile item          # pyinstrument (if installed) or cProfile of one page kind

The community is the insights benchmark's (`insights_corpus.build`, 10,000 members; events
do not touch these pages, so 100,000 by default) with library items from `corpus.items`,
one or two authors each drawn from the members, "useful" marks, and help tags with
library words on 3 % of the members. Built once per KRING_DATA_DIR / DATABASE_URL and
reused. Requests go through Django's test client with DEBUG off (no HTTP server): the
figures are the work of the view, without gunicorn or the network.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import insights_corpus  # noqa: E402

HELP_WORDS = [
    "mantelzorg",
    "valpreventie",
    "eenzaamheid",
    "wijkteam",
    "schuldhulp",
    "dementie",
    "jeugdzorg",
    "vrijwilligers",
    "armoede",
    "buurtnetwerken",
    "medicatie",
    "participatie",
]


def setup(members: int, events: int, items: int):
    from django.db import transaction

    from kring.accounts.models import User
    from kring.communities.models import Community
    from kring.core.models import Tag
    from kring.knowledge.models import ItemAuthor, KnowledgeItem, Useful
    from kring.knowledge.services_import import items_bulk_create

    community = Community.objects.filter(slug=insights_corpus.SLUG).first()
    if community is not None and KnowledgeItem.objects.filter(community=community).exists():
        return community, User.objects.get(email="owner@bench.example")
    community, _as_of = insights_corpus.build(members=members, events=events)
    owner = User.objects.get(email="owner@bench.example")
    rng = random.Random(13)
    items_bulk_create(community=community, by=owner, documents=corpus.items(items, seed=42))
    people = list(
        User.objects.filter(memberships__community=community).values_list("pk", flat=True)
    )
    item_ids = list(KnowledgeItem.objects.filter(community=community).values_list("pk", flat=True))
    with transaction.atomic():
        ItemAuthor.objects.filter(item_id__in=item_ids).delete()
        # Heavy-tailed authorship: a few hundred people write most items.
        writers = rng.sample(people, max(1, len(people) // 20))
        ItemAuthor.objects.bulk_create(
            [
                ItemAuthor(item_id=pk, user_id=uid, position=n)
                for pk in item_ids
                for n, uid in enumerate(
                    dict.fromkeys(rng.choice(writers) for _ in range(rng.choice((1, 1, 2))))
                )
            ],
            batch_size=2000,
        )
        Useful.objects.bulk_create(
            [
                Useful(item_id=pk, user_id=uid)
                for pk in item_ids
                for uid in set(rng.sample(people, rng.choice((0, 0, 1, 3, 8))))
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        tags = {
            w: Tag.objects.get_or_create(slug=w, defaults={"name": w})[0].pk for w in HELP_WORDS
        }
        through = User.help_tags.through
        through.objects.bulk_create(
            [
                through(user_id=uid, tag_id=tags[w])
                for uid in rng.sample(people, len(people) * 3 // 100)
                for w in rng.sample(HELP_WORDS, rng.choice((1, 2, 3)))
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
    return community, owner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile", choices=["item", "search", "search-rare", "api"])
    parser.add_argument("--sql", action="store_true", help="print each page's queries, timed")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    os.environ.setdefault("KRING_DATA_DIR", "/tmp/kring-bench-whoknows")
    os.environ.pop("KRING_DEBUG", None)
    Path(os.environ["KRING_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kring.accounts.models import User
    from kring.accounts.services import api_token_create
    from kring.knowledge.models import KnowledgeItem

    call_command("migrate", verbosity=0)
    community, owner = setup(args.members, args.events, args.items)
    setup_test_environment()
    viewer = User.objects.filter(memberships__community=community, is_active=True).exclude(
        pk=owner.pk
    )[10]
    client = Client()
    client.force_login(viewer)
    _token, secret = api_token_create(user=viewer, name="profile")
    item = KnowledgeItem.objects.filter(community=community).order_by("-useful_count").first()
    slug = community.slug
    pages = {
        "item": (f"/communities/{slug}/library/{item.pk}/", {}),
        "search": (f"/communities/{slug}/search/?q=mantelzorg", {}),
        "search-rare": (f"/communities/{slug}/search/?q=valpreventie", {}),
        "api": (
            f"/api/v1/communities/{slug}/search?q=mantelzorg",
            {"HTTP_AUTHORIZATION": f"Bearer {secret}"},
        ),
    }
    for name, (url, headers) in pages.items():
        response = client.get(url, **headers)
        assert response.status_code == 200, (name, url, response.status_code)
    if args.profile:
        url, headers = pages[args.profile]
        try:
            from pyinstrument import Profiler
        except ImportError:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            client.get(url, **headers)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        else:
            profiler = Profiler(interval=0.0005)
            profiler.start()
            client.get(url, **headers)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    print(
        f"{args.members:,} members, {KnowledgeItem.objects.filter(community=community).count():,}"
        f" items, {connection.vendor}; medians of {args.runs} runs (wall, CPU), after a warm-up"
    )
    print(f"{'page':<16} {'ms':>6} {'cpu ms':>7} {'max ms':>8} {'queries':>8} {'bytes':>8}")
    from kring.core import search
    from kring.knowledge import selectors

    for name, call in {
        "who_knows(q)": lambda: selectors.who_knows(
            community=community, viewer=viewer, query="mantelzorg"
        ),
        "who_knows(item)": lambda: selectors.who_knows(
            community=community, viewer=viewer, item=item
        ),
        "search(200)": lambda: search.search(
            "mantelzorg", community_ids=[community.pk], doc_types=["item"], limit=200
        ),
    }.items():
        times, cpu = [], []
        for _ in range(args.runs):
            began, began_cpu = time.perf_counter(), time.process_time()
            call()
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            call()
        print(
            f"{name:<16} {statistics.median(times):>6.1f} {statistics.median(cpu):>7.1f}"
            f" {max(times):>8.1f} {len(queries):>8}"
        )
    for name, (url, headers) in pages.items():
        times, cpu = [], []
        for _ in range(args.runs):
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **headers)
        print(
            f"{name:<16} {statistics.median(times):>6.1f} {statistics.median(cpu):>7.1f}"
            f" {max(times):>8.1f}"
            f" {len(queries):>8} {len(response.content):>8}"
        )
        if args.sql:
            for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:6]:
                print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:150]}")


if __name__ == "__main__":
    main()
