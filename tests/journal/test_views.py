"""Pages and API of the journal: staff scoped to their organization, the recipient's signed
queue application and postponement (R-QUE-2, R-QUE-5), public counts, exports (R-JRN-2)."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from qamqor.accounts import services as account_services
from qamqor.accounts.roles import Role
from qamqor.accounts.signing import canonical_bytes
from qamqor.journal import services
from qamqor.journal.models import QueueEntry, QueueStatus, Stay
from qamqor.journal.services import PersonData
from tests.factories import UserFactory
from tests.journal.factories import admit, file, new_person, order, organization_with

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 2)


def _admit_post(client, journal_pk: int, iin: str) -> Any:
    return client.post(
        f"/journal/{journal_pk}/admit/",
        {
            "iin": iin,
            "full_name": "Ахметов Дәурен",
            "on": "2026-03-02",
            "order_number": "15-Ө",
            "order_date": "2026-03-02",
        },
    )


def test_staff_admit_and_discharge_through_the_pages(client, meyirim, elena_staff):
    """R-JRN-1 through the pages: admission, then discharge with reason."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(elena_staff)
    assert client.get("/journal/").status_code == 200
    journal = meyirim.journals.get()
    person = UserFactory()
    assert _admit_post(client, journal.pk, person.iin).status_code == 302
    stay = Stay.objects.get(person_iin=person.iin)
    page = client.get(f"/journal/{journal.pk}/")
    assert "Ахметов Дәурен" in page.content.decode()
    r = client.post(
        f"/journal/stays/{stay.pk}/move/",
        {
            "kind": "discharge",
            "on": "2026-03-03",
            "order_number": "16-Ө",
            "order_date": "2026-03-03",
            "reason": "",
        },
    )
    assert r.status_code == 400 and "Enter the reason" in r.content.decode()
    assert 'value="16-Ө"' in r.content.decode()  # what was typed is kept
    r = client.post(
        f"/journal/stays/{stay.pk}/move/",
        {
            "kind": "discharge",
            "on": "2026-03-03",
            "order_number": "16-Ө",
            "order_date": "2026-03-03",
            "reason": "өз еркімен",
        },
    )
    assert r.status_code == 302
    assert Stay.objects.get(pk=stay.pk).status == "discharged"


def test_staff_of_another_organization_gets_404(client, meyirim, elena_staff):
    stay = admit(elena_staff, meyirim, new_person())
    other = UserFactory()
    account_services.grant_role(
        None, other, Role.ORGANIZATION_STAFF, organization=organization_with(3)
    )
    client.force_login(other)
    assert client.get(f"/journal/{stay.journal_id}/").status_code == 404
    assert client.get(f"/journal/stays/{stay.pk}/move/").status_code == 404


def test_ministry_reads_but_cannot_admit(client, meyirim, elena_staff):
    stay = admit(elena_staff, meyirim, new_person())
    minister = UserFactory()
    account_services.grant_role(None, minister, Role.MINISTRY)
    client.force_login(minister)
    assert client.get(f"/journal/{stay.journal_id}/").status_code == 200
    assert client.get(f"/journal/{stay.journal_id}/admit/").status_code == 404


def test_export_has_the_14_columns_in_kazakh(client, meyirim, elena_staff):
    """R-JRN-2: the form of appendix 2, header in kk (and ru), 14 columns."""
    from django.utils import translation

    stay = admit(elena_staff, meyirim, new_person())
    services.discharge(elena_staff, stay, on=D, reason="өз еркімен", **order())
    admit(elena_staff, meyirim, PersonData.of(stay))  # R-JRN-3 returned
    client.force_login(elena_staff)
    for lang in ("kk", "ru"):
        r = client.get(f"/journal/{stay.journal_id}/export.xlsx?lang={lang}")
        assert r.status_code == 200
        rows = list(
            load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(
                values_only=True
            )
        )
        assert rows[1][0].endswith(meyirim.name_kk) and rows[2][0].endswith(meyirim.name_ru)
        header = rows[5]
        assert len([c for c in header if c]) == 14
        with translation.override(lang):
            from qamqor.journal.exports import COLUMNS

            assert list(header[:14]) == [str(c) for c in COLUMNS]
        assert "өз еркімен" in rows[6]
    r = client.get(f"/journal/{stay.journal_id}/export.pdf?lang=kk")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_public_counts_show_counts_only(client, elena_staff):
    org = organization_with(2, publication_consent=True, consent_given_on=D)
    admit(elena_staff, org, new_person())
    r = client.get(f"/journal/organizations/{org.pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Ахметов" not in body and "Нұрланова" not in body
    api = client.get(f"/api/v1/journal/organizations/{org.pk}/counts").json()
    assert api == [
        {
            "condition": "stationary",
            "capacity": 2,
            "occupied": 1,
            "offered": 0,
            "vacancies": 1,
            "queue": 0,
        }
    ]


@pytest.fixture
def aigerim(test_pki: Any):
    user = UserFactory(
        iin=test_pki.new_iin(dt.date(1950, 2, 2), 4), surname="Нұрланова", given_name="Айгерім"
    )
    test_pki.issue(user.iin, "Нұрланова", "Айгерім")
    return user


@pytest.mark.usefixtures("esign_settings")
def test_recipient_files_signed_application_sees_position_and_postpones(
    client, test_pki, aigerim, elena_staff
):
    """R-QUE-2 signed application on the portal; R-QUE-1 position; R-QUE-5 signed postponement."""
    org = organization_with(1, publication_consent=True, consent_given_on=D)
    stay = admit(elena_staff, org, new_person())
    file(org, new_person())  # someone ahead
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(aigerim)
    page = client.get(f"/journal/apply/{org.pk}/?condition=stationary")
    assert page.status_code == 200
    person = PersonData(iin=aigerim.iin, full_name=aigerim.get_full_name(), user=aigerim)
    content = canonical_bytes(services.queue_application_act(org, "stationary", person))
    cms = base64.b64encode(test_pki.sign(content, iin=aigerim.iin, kind="sign")).decode()
    r = client.post(f"/journal/apply/{org.pk}/?condition=stationary", {"cms": cms})
    assert r.status_code == 302, r.content.decode()[:2000]
    entry = QueueEntry.objects.get(person_iin=aigerim.iin)
    assert entry.application.signer_iin == aigerim.iin
    mine = client.get("/api/v1/journal/queue/mine").json()
    assert mine[0]["position"] == 2 and mine[0]["ahead"] == 1
    assert "Your position: 2" in client.get("/journal/my/").content.decode()
    # The place frees; the head gets it and does not come; Aigerim gets the offer.
    services.discharge(elena_staff, stay, on=D, reason="x", **order())
    head = services.offer_place(elena_staff, stay.journal, arrive_by=D)
    services.close_no_show(head, today=D + dt.timedelta(days=1))
    offered = services.offer_place(
        elena_staff, stay.journal, arrive_by=dt.date(2026, 3, 10), today=D + dt.timedelta(days=1)
    )
    assert offered.pk == entry.pk
    step = client.post(
        f"/journal/my/{entry.pk}/postpone/", {"new_date": "2026-03-20", "reason": "illness"}
    )
    assert step.status_code == 200 and "new_arrival_date" in step.content.decode()
    act = services.postponement_act(offered, dt.date(2026, 3, 20), "illness")
    cms = base64.b64encode(
        test_pki.sign(canonical_bytes(act), iin=aigerim.iin, kind="sign")
    ).decode()
    r = client.post(
        f"/journal/my/{entry.pk}/postpone/",
        {"new_date": "2026-03-20", "reason": "illness", "stage": "sign", "cms": cms},
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert (
        entry.postponed
        and entry.arrive_by == dt.date(2026, 3, 20)
        and entry.status == QueueStatus.OFFERED
    )


def test_api_admission_and_errors(client, meyirim, elena_staff):
    client.force_login(elena_staff)
    from qamqor.journal.locks import journal_for_update

    journal = journal_for_update(meyirim.pk, "stationary")
    body = {
        "on": "2026-03-02",
        "order_number": "1",
        "order_date": "2026-03-02",
        "person": {"iin": UserFactory().iin, "full_name": "Ким Елена"},
    }
    r = client.post(
        f"/api/v1/journal/journals/{journal.pk}/admissions", body, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["status"] == "in_care"
    r = client.post(
        f"/api/v1/journal/stays/{r.json()['id']}/movements",
        {**body, "kind": "suspension"},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "journal.movement_not_in_condition"
