"""The life stages of Wenger, McDermott & Snyder replace the hand-set stages; the old values
are mapped onto the new keys (kring.growth keeps the hand-set ones as facilitators'
corrections). Also the visibility's new wording from the spotlight."""

from django.db import migrations, models

OLD_TO_NEW = {
    "forming": "potential",
    "active": "coalescing",
    "maturing": "maturing",
    "stewardship": "stewardship",
    "transformed": "transformation",
}


def forwards(apps, schema_editor):
    Community = apps.get_model("communities", "Community")
    for old, new in OLD_TO_NEW.items():
        if old != new:
            Community.objects.filter(stage=old).update(stage=new)


def backwards(apps, schema_editor):
    Community = apps.get_model("communities", "Community")
    for old, new in OLD_TO_NEW.items():
        if old != new:
            Community.objects.filter(stage=new).update(stage=old)


class Migration(migrations.Migration):
    dependencies = [("communities", "0005_membership_newest")]

    operations = [
        migrations.AlterField(
            model_name="community",
            name="stage",
            field=models.CharField(
                choices=[
                    ("potential", "Potential"),
                    ("coalescing", "Coalescing"),
                    ("maturing", "Maturing"),
                    ("stewardship", "Stewardship"),
                    ("transformation", "Transformation"),
                ],
                default="potential",
                max_length=16,
                verbose_name="life stage",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        # The visibility's wording changed with the spotlight (no change in the database).
        migrations.AlterField(
            model_name="community",
            name="visibility",
            field=models.CharField(
                choices=[
                    ("private", "Private: only members see anything"),
                    (
                        "public",
                        "Spotlight published: anyone sees the public page, only members see "
                        "inside",
                    ),
                ],
                default="private",
                max_length=10,
                verbose_name="visibility",
            ),
        ),
    ]
