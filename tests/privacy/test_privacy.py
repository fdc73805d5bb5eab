"""Consents, "who saw my data" and "download my data" (R-X-5, R-SVC-3; docs/privacy.md)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from qamqor.accounts.roles import Role
from qamqor.core.models import DomainEvent, PersonalFileAccess
from qamqor.notifications.services import notify
from qamqor.privacy.models import ConsentAction, ConsentKind, ConsentRecord
from tests.applications.conftest import at, file_on, person
from tests.applications.factories import RecipientFactory
from tests.cabinet.factories import MeasureFactory
from tests.factories import UserFactory
from tests.journal.factories import admit, organization_with, person_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["qamqor_language"] = "en"
    cache.clear()  # rate-limit counters


def _export(client) -> dict:
    response = client.get("/privacy/my-data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(b"".join(response.streaming_content))


def test_filing_records_the_consents_of_form_1(askar_officer, bibigul):
    """R-SVC-3: the consents ticked on form 1 become consent records naming the application."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    rows = list(ConsentRecord.objects.order_by("kind"))
    assert [(r.kind, r.action, r.subject_iin) for r in rows] == [
        (ConsentKind.PERSONAL_DATA, ConsentAction.GIVEN, bibigul.iin),
        (ConsentKind.RELATIVES_DATA, ConsentAction.GIVEN, bibigul.iin),
    ]
    assert all(app.number in r.context and r.actor == askar_officer for r in rows)
    assert DomainEvent.objects.filter(verb="privacy.consent_given").count() == 2


def test_no_consent_records_nothing(askar_officer, bibigul):
    """R-SVC-10 ground 4: without consent the application is refused; no consent row."""
    file_on(at(2025, 3, 19), askar_officer, bibigul, consent_personal_data=False)
    assert not ConsentRecord.objects.filter(kind=ConsentKind.PERSONAL_DATA).exists()


def test_withdrawal_is_recorded_and_data_stays(client, askar_officer, bibigul, bibigul_user):
    """Law on personal data art. 8: withdrawal is a new record; the application is kept."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    client.force_login(bibigul_user)
    response = client.post("/privacy/consents/personal_data/withdraw/", follow=True)
    assert "Your consent is withdrawn" in response.content.decode()
    latest = ConsentRecord.objects.filter(kind=ConsentKind.PERSONAL_DATA).first()
    assert latest.action == ConsentAction.WITHDRAWN and latest.actor == bibigul_user
    assert DomainEvent.objects.filter(verb="privacy.consent_withdrawn").count() == 1
    app.refresh_from_db()
    assert app.medical_card  # nothing erased
    # A second withdrawal is refused with a message and records nothing.
    before = ConsentRecord.objects.count()
    response = client.post("/privacy/consents/personal_data/withdraw/", follow=True)
    assert "This consent is not in force." in response.content.decode()
    assert ConsentRecord.objects.count() == before
    # Given again from the cabinet.
    client.post("/privacy/consents/personal_data/give/")
    assert ConsentRecord.objects.filter(kind="personal_data").first().action == "given"


def test_who_saw_my_data_shows_role_and_district_not_names(
    client, askar_officer, bibigul, bibigul_user, district
):
    """R-X-5: the officer's read of the case appears in the person's report with the role, the
    district and the purpose; the officer's own name does not."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    client.force_login(askar_officer)
    client.get(f"/applications/cases/{app.pk}/")
    client.force_login(bibigul_user)
    page = client.get("/privacy/").content.decode()
    assert "local executive body officer" in page
    assert district.name in page
    assert "handling your application for special social services" in page
    assert askar_officer.surname not in page
    cabinet = client.get("/cabinet/").content.decode()
    assert "Who saw your data" in cabinet and "Download my data" in cabinet


def test_a_journal_read_counts_for_the_people_in_it(client, bibigul_user):
    """R-X-5, R-JRN-1: one log row per journal page; the report finds it for each person there,
    and not for someone who never was in that journal."""
    org = organization_with(3)
    staff = person(Role.ORGANIZATION_STAFF, organization=org)
    stay = admit(staff, org, person_of(bibigul_user))
    client.force_login(staff)
    assert client.get(f"/journal/{stay.journal_id}/").status_code == 200
    assert PersonalFileAccess.objects.filter(purpose="journal.view").count() == 1
    client.force_login(bibigul_user)
    assert "keeping the journal" in client.get("/privacy/").content.decode()
    stranger = UserFactory()
    client.force_login(stranger)
    assert "keeping the journal" not in client.get("/privacy/").content.decode()


def test_the_export_holds_all_my_data_and_nobody_elses(
    client, askar_officer, bibigul, bibigul_user, district
):
    """Every app's section has the person's rows; another person's IIN, document number and
    medical card never appear (encrypted fields come out in plaintext for their owner)."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    other = RecipientFactory(district=district, identity_document_number="099999999")
    other_user = UserFactory(iin=other.iin)
    file_on(
        at(2025, 3, 19),
        askar_officer,
        other,
        medical_card={**app.medical_card, "anamnesis": "Басқа адамның анамнезі"},
    )
    MeasureFactory(ipr__person=bibigul_user)
    MeasureFactory(ipr__person=other_user)
    org = organization_with(3)
    staff = person(Role.ORGANIZATION_STAFF, organization=org)
    admit(staff, org, person_of(bibigul_user))
    admit(staff, org, person_of(other_user))
    notify(bibigul_user, kind="test", subject="Сізге хабар", body="")
    notify(other_user, kind="test", subject="Басқаға хабар", body="")

    client.force_login(bibigul_user)
    data = _export(client)
    s = data["sections"]
    assert s["person"][0]["iin"] == bibigul.iin
    assert s["recipient_file"][0]["identity_document_number"] == "045678912"
    assert [a["number"] for a in s["applications"]] == [app.number]
    assert s["applications"][0]["medical_card"]["anamnesis"] == "Гипертония, 2-дәрежелі."
    for section in (
        "application_steps",
        "journal_stays",
        "journal_movements",
        "ipr",
        "ipr_measures",
        "notifications",
        "consents",
        "access_log",
    ):
        assert s[section], section
    assert s["access_log"][-1]["purpose"] == "privacy.export"
    text = json.dumps(data, ensure_ascii=False)
    for foreign in (other.iin, "099999999", "Басқа адамның анамнезі", "Басқаға хабар"):
        assert foreign not in text
    assert PersonalFileAccess.objects.filter(
        purpose="privacy.export", subject_iin=bibigul.iin, actor=bibigul_user
    ).exists()


def test_the_export_is_rate_limited(client, bibigul_user):
    client.force_login(bibigul_user)
    for _ in range(5):
        assert client.get("/privacy/my-data.json").status_code == 200
    assert client.get("/privacy/my-data.json").status_code == 429
    assert PersonalFileAccess.objects.filter(purpose="privacy.export").count() == 5


def test_the_api_gives_the_same_report_export_and_consents(
    client, askar_officer, bibigul, bibigul_user
):
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    client.force_login(askar_officer)
    client.get(f"/applications/cases/{app.pk}/")
    client.force_login(bibigul_user)
    log = client.get("/api/v1/privacy/access-log").json()
    assert log["count"] == 1 and log["items"][0]["who"] == "local executive body officer"
    consents = {c["kind"]: c["action"] for c in client.get("/api/v1/privacy/consents").json()}
    assert consents == {"personal_data": "given", "relatives_data": "given"}
    response = client.get("/api/v1/privacy/export")
    data = json.loads(b"".join(response.streaming_content))
    assert data["sections"]["applications"][0]["number"] == app.number
    client.logout()
    assert client.get("/api/v1/privacy/export").status_code == 401
