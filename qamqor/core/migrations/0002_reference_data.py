"""Reference data every installation needs: territories (KATO) and legal terms (R-X-6)."""

from django.db import migrations


def load_territories(apps, schema_editor):
    from qamqor.core.seeddata import territories

    territories.load(apps)


def load_legal_terms(apps, schema_editor):
    from qamqor.core.seeddata import legal_terms

    legal_terms.load(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(load_territories, migrations.RunPython.noop),
        migrations.RunPython(load_legal_terms, migrations.RunPython.noop),
    ]
