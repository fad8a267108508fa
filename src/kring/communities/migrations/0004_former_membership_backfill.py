"""Former members erased before FormerMembership existed (issue 11) get one per community
where they have activity events, joined at their first event there: the insights trends
count their events again, as before the erasure."""

from django.db import migrations
from django.db.models import Min


def backfill(apps, schema_editor) -> None:
    user_model = apps.get_model("accounts", "User")
    event_model = apps.get_model("core", "ActivityEvent")
    former_model = apps.get_model("communities", "FormerMembership")
    erased = list(user_model.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    if not erased:
        return
    have = set(
        former_model.objects.filter(user_id__in=erased).values_list("community_id", "user_id")
    )
    firsts = (
        event_model.objects.filter(actor_id__in=erased, community__isnull=False)
        .values("community_id", "actor_id")
        .annotate(first=Min("created_at"))
        .order_by()
    )
    former_model.objects.bulk_create(
        former_model(community_id=row["community_id"], user_id=row["actor_id"], joined_at=row["first"])
        for row in firsts
        if (row["community_id"], row["actor_id"]) not in have
    )


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_former_membership"),
        ("core", "0001_initial"),
        ("accounts", "0004_user_erased_at"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
