from django.db import migrations

DEFAULTS = [
    ("municipality", "Gemeente", "Municipality", "#1f5f8b"),
    ("professional", "Professional", "Professional", "#2e7d4f"),
    ("client", "Cliënt", "Client", "#a5531a"),
    ("citizen", "Burger / inwoner", "Citizen", "#7a4fa0"),
    ("volunteer", "Vrijwilliger", "Volunteer", "#b0306a"),
    ("experience-expert", "Ervaringsdeskundige", "Experience expert", "#8a6d00"),
    ("education", "Onderwijs", "Education", "#00707a"),
    ("research", "Onderzoek", "Research", "#4a5aa8"),
    ("business", "Bedrijfsleven", "Business", "#6b6b2a"),
    ("funder", "Financier / verzekeraar", "Funder / insurer", "#8b3a3a"),
]


def add_defaults(apps, schema_editor):
    Perspective = apps.get_model("accounts", "Perspective")
    for position, (key, nl, en, colour) in enumerate(DEFAULTS):
        Perspective.objects.get_or_create(
            key=key,
            defaults={"name_nl": nl, "name_en": en, "colour": colour, "position": position * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
