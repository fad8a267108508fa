"""Existing snapshots cut into a summary and one row per member (snapshot_split, format 2).

A snapshot made before the dashboard part existed (its `dashboard` has no version) stays as
it is (format 1): the pages read it whole, as before, until the next refresh replaces it.
`snapshot_split.split` takes the raw document compute() makes, which is what a format 1
snapshot holds, so using it here stays right as long as compute() keeps that shape.
Backwards: the parts are put back into `data` (format 1)."""

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    from kring.insights.snapshot_split import FORMAT, split

    Snapshot = apps.get_model("insights", "Snapshot")
    SnapshotMember = apps.get_model("insights", "SnapshotMember")
    User = apps.get_model("accounts", "User")
    pks = list(
        Snapshot.objects.filter(format=1, dashboard__has_key="version").values_list(
            "pk", flat=True
        )
    )
    for pk in pks:
        snapshot = Snapshot.objects.get(pk=pk)
        if "members" not in snapshot.data:
            continue
        summary, parts = split(snapshot.data)
        existing = set(
            User.objects.filter(pk__in=[p["id"] for p in parts]).values_list("pk", flat=True)
        )
        SnapshotMember.objects.bulk_create(
            (
                SnapshotMember(
                    snapshot_id=pk,
                    user_id=p["id"],
                    position=i,
                    email=p["email"],
                    name=p["name"][:200],
                    data=p,
                )
                for i, p in enumerate(parts)
                if p["id"] in existing
            ),
            batch_size=BATCH,
        )
        Snapshot.objects.filter(pk=pk).update(data=summary, format=FORMAT)


def backwards(apps, schema_editor):
    from kring.insights.snapshot_split import member_of

    Snapshot = apps.get_model("insights", "Snapshot")
    SnapshotMember = apps.get_model("insights", "SnapshotMember")
    for pk in list(Snapshot.objects.filter(format=2).values_list("pk", flat=True)):
        snapshot = Snapshot.objects.get(pk=pk)
        parts = list(
            SnapshotMember.objects.filter(snapshot_id=pk)
            .order_by("position")
            .values_list("data", flat=True)
        )
        edges = []
        email = {p["id"]: p["email"] for p in parts}
        for p in parts:
            for other, weight, strong in p.get("ties", []):
                if other > p["id"] and other in email:
                    edges.append(
                        {"a": p["email"], "b": email[other], "weight": weight, "strong": strong}
                    )
        groups = [[] for _size in snapshot.data.get("group_sizes", [])]
        for p in parts:
            if p.get("group") and p["group"] <= len(groups):
                groups[p["group"] - 1].append(p["email"])
        summary = snapshot.data
        network = summary.get("network", {})
        data = {
            k: v
            for k, v in summary.items()
            if k not in ("format", "member_count", "group_count", "group_sizes", "people")
        }
        members = []
        for p in parts:
            m = member_of(p)
            m.pop("broker", None)
            m.pop("isolate", None)
            members.append(m)
        data.update(
            {
                "members": members,
                "groups": groups,
                "network": {
                    "edges": edges,
                    "density": network.get("density", 0.0),
                    "isolates": [p["email"] for p in parts if p.get("isolate")],
                    "brokers": network.get("brokers", []),
                    "perspective_ties": network.get("perspective_ties", {}),
                },
            }
        )
        Snapshot.objects.filter(pk=pk).update(data=data, format=1)
        SnapshotMember.objects.filter(snapshot_id=pk).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0004_snapshot_member"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
