"""Seed the reference catalogue of rehabilitation means and services (R-POR-1, R-POR-6).

Adds missing codes only: sums an administrator corrected are never overwritten. R-POR-4's term
(2 months) is already a LegalTerm row of core (seeded there), so none is added here."""

from django.db import migrations


def seed(apps, schema_editor):
    from qamqor.cabinet.catalogue import ITEMS

    CatalogueItem = apps.get_model("cabinet", "CatalogueItem")
    existing = set(CatalogueItem.objects.values_list("code", flat=True))
    CatalogueItem.objects.bulk_create(
        [
            CatalogueItem(
                code=code,
                kind=kind,
                name_kk=kk,
                name_ru=ru,
                name_en=en,
                unit_kk=unit_kk,
                unit_ru=unit_ru,
                guaranteed_sum=amount,
            )
            for code, kind, kk, ru, en, unit_kk, unit_ru, amount in ITEMS
            if code not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("cabinet", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
