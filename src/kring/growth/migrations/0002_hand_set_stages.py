"""Before Kring derived the life stage, facilitators set it by hand (communities 0006 mapped
those values onto the new stages). A stage other than the starting one was someone's choice:
it is kept as a facilitator's correction, which a facilitator can hand back to the data."""

from django.db import migrations
from django.utils import timezone

NOTE = "Set by hand before Kring derived the stage from the data."


def forwards(apps, schema_editor):
    Community = apps.get_model("communities", "Community")
    StageCorrection = apps.get_model("growth", "StageCorrection")
    StageCorrection.objects.bulk_create(
        StageCorrection(
            community_id=pk,
            stage=stage,
            note=NOTE,
            on=timezone.localtime(updated_at).date(),
        )
        for pk, stage, updated_at in Community.objects.exclude(stage="potential").values_list(
            "pk", "stage", "updated_at"
        )
    )


def backwards(apps, schema_editor):
    apps.get_model("growth", "StageCorrection").objects.filter(note=NOTE, by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("growth", "0001_initial"), ("communities", "0006_life_stages")]

    operations = [migrations.RunPython(forwards, backwards)]
