"""`manage.py seed_national` (issue 9): the synthetic country at a tiny scale, on the database
of the run (SQLite by default, PostgreSQL with DATABASE_URL: the COPY path)."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from qamqor import demo
from qamqor.accounts.models import User
from qamqor.applications.models import Application, Recipient
from qamqor.cabinet.models import Ipr, Measure
from qamqor.core.identifiers import check_digit, is_valid_bin, is_valid_iin
from qamqor.core.models import District, Region
from qamqor.demo.national import (
    APPLICATION_PREFIX,
    IPR_PREFIX,
    ORG_PREFIX,
    RECIPIENT_IIN,
    SPECIALIST_DOMAIN,
    counts_for,
    first_person_iin,
)
from qamqor.demo.national.applications import MINISTRY_IIN
from qamqor.demo.national.common import synthetic_bin, synthetic_people
from qamqor.journal.models import Movement, QueueEntry, Stay
from qamqor.organizations.models import Organization, OrganizationService
from qamqor.specialists.models import Specialist

pytestmark = pytest.mark.django_db
SCALE = 0.001


def seed(scale: float = SCALE, seed_value: int = 7) -> str:
    out = StringIO()
    call_command("seed_national", scale=scale, seed=seed_value, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """What a seed decides (not keys or timestamps)."""
    return {
        "orgs": list(
            Organization.objects.filter(licence_number__startswith=ORG_PREFIX)
            .order_by("licence_number")
            .values_list("bin", "name_kk", "name_ru", "district__kato", "licence_issued_on")
        ),
        "specialists": list(
            Specialist.objects.order_by("email").values_list("surname", "given_name", "birth_date")
        ),
        "stays": list(
            Stay.objects.order_by("person_iin").values_list(
                "person_iin", "full_name", "status", "admitted_on"
            )
        ),
        "persons": list(
            User.objects.filter(iprs__number__startswith=IPR_PREFIX)
            .order_by("iin")
            .values_list("iin", "surname", "given_name")
        ),
    }


def test_counts_are_proportional_to_the_scale_and_identifiers_are_valid() -> None:
    output = seed()
    counts = counts_for(SCALE)
    assert counts == {
        "organizations": 3,
        "specialists": 100,
        "applications": 1000,
        "stays": 200,
        "queue": 100,
        "persons": 700,
    }
    orgs = Organization.objects.filter(licence_number__startswith=ORG_PREFIX)
    assert orgs.count() == 3
    assert Specialist.objects.filter(email__endswith=SPECIALIST_DOMAIN).count() == 100
    assert Application.objects.filter(number__startswith=APPLICATION_PREFIX).count() == 1000
    # Every stage of the service is present.
    assert Application.objects.values("status").distinct().count() == 10
    assert Stay.objects.count() == 200
    assert QueueEntry.objects.count() == 100
    assert Ipr.objects.filter(number__startswith=IPR_PREFIX).count() == 700
    assert Measure.objects.filter(ipr__number__startswith=IPR_PREFIX).count() == 1400
    # The territories are the reference data, never invented.
    assert Region.objects.count() == 20
    assert District.objects.count() == 228
    # Identifiers pass the checksum and the structure checks (R-X-3).
    assert all(is_valid_bin(b) for b in orgs.values_list("bin", flat=True))
    iins = [
        *User.objects.values_list("iin", flat=True),
        *Stay.objects.values_list("person_iin", flat=True),
        *QueueEntry.objects.values_list("person_iin", flat=True),
        *Recipient.objects.values_list("iin", flat=True),
    ]
    assert iins and all(is_valid_iin(i) for i in iins)
    # Bilingual names of organizations; Kazakh letters in persons' names.
    assert all(o.name_kk != o.name_ru for o in orgs)
    # Per-domain rows and seconds printed at the end.
    for domain in ("registry", "specialists", "applications", "journal", "cabinet", "total"):
        assert domain in output
    check_invariants_of_the_journal_and_history_rows()
    check_pages_of_each_domain_render_on_the_data()


def check_invariants_of_the_journal_and_history_rows() -> None:
    for service in OrganizationService.objects.filter(
        organization__licence_number__startswith=ORG_PREFIX, organization__journals__isnull=False
    ):
        occupied = Stay.objects.filter(
            journal__organization=service.organization,
            journal__condition=service.condition,
            status__in=["in_care", "on_leave", "suspended"],
        ).count()
        assert occupied <= service.capacity
    assert Movement.objects.filter(kind="admission").count() == Stay.objects.count()
    assert (
        Movement.objects.filter(kind="discharge").count()
        == Stay.objects.filter(status="discharged").count()
    )
    org = Organization.objects.filter(licence_number__startswith=ORG_PREFIX).first()
    assert org is not None and org.history.count() == 1  # type: ignore[attr-defined]
    # Explicit keys are followed by the sequences: the ORM still creates rows.
    assert Stay.objects.order_by("-pk").first() is not None
    user = User.objects.create(iin="900101300077", surname="Жаңа", given_name="Адам")
    assert user.pk > User.objects.exclude(pk=user.pk).order_by("-pk").first().pk  # type: ignore[union-attr]


SNAPSHOTS: dict[int, dict[str, list[tuple[object, ...]]]] = {}


@pytest.mark.parametrize("build", [1, 2])
def test_the_same_seed_gives_the_same_country_and_a_rerun_adds_nothing(build: int) -> None:
    # Two builds in two fresh databases (each test rolls back): whichever runs second compares.
    seed()
    country = snapshot()
    assert country["orgs"] and country["stays"] and country["persons"]
    if SNAPSHOTS:
        assert country == SNAPSHOTS[next(iter(SNAPSHOTS))]
    SNAPSHOTS[build] = country
    second_output = seed()
    assert snapshot() == country
    assert "organizations 0" in second_output and "persons 0" in second_output


def test_another_seed_gives_other_names_but_the_same_identifiers() -> None:
    # Identifiers come from fixed serial blocks (reruns never clash); names from the seed.
    people = list(itertools.islice(synthetic_people("person"), 50))
    assert len({p[0] for p in people}) == 50
    for iin, birth, _female in people:
        assert check_digit(iin[:11]) == int(iin[11])
        assert iin[:6] == f"{birth:%y%m%d}"
    assert len({synthetic_bin(n) for n in range(2000)}) == 2000
    assert first_person_iin() == people[0][0]


def check_pages_of_each_domain_render_on_the_data() -> None:
    client = Client()
    client.cookies["qamqor_language"] = "en"
    org = Organization.objects.filter(
        licence_number__startswith=ORG_PREFIX, publication_consent=True
    ).first()
    assert org is not None
    for path in ("/organizations/", f"/organizations/{org.pk}/", "/specialists/"):
        assert client.get(path).status_code == 200, path
    client.force_login(User.objects.get(iin=RECIPIENT_IIN))
    assert client.get("/journal/my/").status_code == 200
    mine = client.get("/api/v1/journal/queue/mine")
    assert mine.status_code == 200 and len(mine.json()) == 1
    client.force_login(User.objects.get(iin=first_person_iin()))
    response = client.get("/cabinet/")
    assert response.status_code == 200
    client.force_login(User.objects.get(iin=MINISTRY_IIN))
    assert client.get("/applications/dashboard/").status_code == 200


def test_a_remote_database_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite is always local")
    monkeypatch.setitem(connection.settings_dict, "HOST", "db.example.org")
    with pytest.raises(CommandError, match="only a local one"):
        call_command("seed_national", scale=SCALE, stdout=StringIO())


def test_the_scale_must_be_positive() -> None:
    with pytest.raises(CommandError, match="positive"):
        call_command("seed_national", scale=0, stdout=StringIO())
    assert demo is not None
