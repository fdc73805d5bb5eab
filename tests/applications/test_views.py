"""The pages of the state service (R-SVC-1…14)."""

from __future__ import annotations

import base64

import pytest

from qamqor.applications.models import Application
from qamqor.applications.services import cases
from tests.applications.conftest import at, file_on

pytestmark = pytest.mark.django_db


def form_data(**override):
    data = {
        "form_kind": "form_1",
        "stay": "permanent",
        "residence_address": "Астана қ., Абай д-лы, 10",
        "phone": "+7 701 234 56 78",
        "identity_document_number": "045678912",
        "identity_document_issued_on": "01.03.2018",
        "identity_document_valid_until": "01.03.2028",
        "medical_organization": "№4 емхана",
        "anamnesis": "Гипертония",
        "epidemiological_conclusion": "Байланыс жоқ",
        "commission_conclusion": "Қарсы көрсетілім жоқ",
        "commission_date": "12.02.2025",
        "consent_personal_data": "on",
        "consent_relatives_data": "on",
        "liability_acknowledged": "on",
        "conditions_acknowledged": "on",
        "idempotency_key": "view-key-1",
    }
    for key in (
        "neuropathologist",
        "psychiatrist",
        "dermatovenerologist",
        "phthisiatrist",
        "therapist",
    ):
        data[f"exam_{key}_date"] = "10.02.2025"
        data[f"exam_{key}_result"] = "қарсы көрсетілім жоқ"
    for key in (
        "blood_count",
        "hiv",
        "syphilis",
        "urine",
        "helminth_eggs",
        "e_coli",
        "meningococcus",
    ):
        data[f"test_{key}_date"] = "05.02.2025"
        data[f"test_{key}_result"] = "қалыпты"
    data.update(override)
    return data


@pytest.mark.usefixtures("esign_settings")
def test_the_recipient_applies_and_signs_on_the_portal_once(
    client, test_pki, bibigul, bibigul_user
):
    """R-SVC-1, R-X-2: fill in, see what is signed, sign; a double submit files one application."""
    client.force_login(bibigul_user)
    page = client.get("/applications/apply/")
    assert bibigul.full_name in page.content.decode()
    assert client.post("/applications/apply/", form_data()).status_code == 302
    sign_page = client.get("/applications/apply/sign/")
    content = sign_page.context["about_to_sign"]["canonical_text"].encode()
    cms = base64.b64encode(test_pki.sign(content, iin=bibigul_user.iin, kind="sign")).decode()
    draft = client.session["applications.draft"]
    response = client.post("/applications/apply/sign/", {"cms": cms})
    app = Application.objects.get()
    assert response.url == f"/applications/my/{app.pk}/"
    assert app.status == "registered" and app.signed_application.signer_iin == bibigul_user.iin
    session = client.session
    session["applications.draft"] = draft  # the second click of a double submit
    session.save()
    client.post("/applications/apply/sign/", {"cms": cms})
    assert Application.objects.count() == 1
    detail = client.get(f"/applications/my/{app.pk}/").content.decode()
    assert "R-SVC-6" in detail


def test_bad_input_keeps_what_was_typed(client, bibigul, bibigul_user):
    """R-SVC-3, R-SVC-16, R-X-3: clear messages, nothing lost."""
    client.force_login(bibigul_user)
    response = client.post(
        "/applications/apply/",
        form_data(allowance_amount="сексен мың", exam_psychiatrist_date="31.02.2025", stay="day"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "сексен мың" in html and "31.02.2025" in html
    assert 'href="#id_exam_psychiatrist_date"' in html
    assert Application.objects.count() == 0


def test_staff_enter_a_paper_application_and_print_the_talon(client, askar_officer, bibigul):
    """R-SVC-1, R-SVC-5: the local executive body gives a talon with the due date of the result
    and who accepted; kk and ru."""
    client.force_login(askar_officer)
    response = client.post(
        "/applications/cases/new/",
        form_data(recipient_iin=bibigul.iin, channel="district_office", idempotency_key="p1"),
    )
    app = Application.objects.get()
    assert response.url == f"/applications/cases/{app.pk}/"
    for lang in ("kk", "ru"):
        pdf = client.get(f"/applications/my/{app.pk}/receipt.pdf?lang={lang}")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    case_page = client.get(f"/applications/cases/{app.pk}/").content.decode()
    assert "R-SVC-6" in case_page and 'data-deadline="result"' in case_page


def test_a_refusal_at_intake_prints_form_4(client, askar_officer, bibigul):
    """R-SVC-4: the receipt of refusal lists what is missing."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul, medical_card={})
    client.force_login(askar_officer)
    pdf = client.get(f"/applications/my/{app.pk}/receipt.pdf?lang=ru")
    assert pdf.content.startswith(b"%PDF")
    page = client.get(f"/applications/cases/{app.pk}/").content.decode()
    assert "medical card" in page or "медицин" in page.lower()


def test_an_illegal_action_shows_the_reason_and_changes_nothing(client, askar_officer, bibigul):
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    client.force_login(askar_officer)
    response = client.post(f"/applications/cases/{app.pk}/notify-choice/")
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == "registered"


def test_officer_assigns_worker_concludes_and_dashboard_drills_down(
    client, askar_officer, saule_worker, bibigul, django_assert_max_num_queries
):
    """R-SVC-7, R-SVC-12: the assign form, the worker's workspace and conclusion form, the
    dashboard and its drill-down."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    client.force_login(askar_officer)
    assert (
        client.post(
            f"/applications/cases/{app.pk}/assign/", {"social_worker": saule_worker.pk}
        ).status_code
        == 302
    )
    client.force_login(saule_worker)
    assert app.number in client.get("/applications/assessments/").content.decode()
    bad = client.post(
        f"/applications/assessments/{app.pk}/", {"needs_services": "yes", "findings": ""}
    )
    assert bad.status_code == 400
    ok = client.post(
        f"/applications/assessments/{app.pk}/", {"needs_services": "yes", "findings": "Күтім қажет"}
    )
    assert ok.status_code == 302
    client.force_login(askar_officer)
    with django_assert_max_num_queries(15):
        dashboard = client.get("/applications/dashboard/")
    assert dashboard.status_code == 200
    with django_assert_max_num_queries(15):
        listing = client.get("/applications/cases/?status=concluded")
    assert app.number in listing.content.decode()
    assert client.get(f"/applications/cases/{app.pk}/approve/").status_code == 200
    assert (
        "applications.decision"
        in client.get(f"/applications/cases/{app.pk}/approve/").content.decode()
    )


@pytest.mark.usefixtures("esign_settings")
def test_result_pdf_after_approval(
    client, test_pki, askar_officer, saule_worker, bibigul, bibigul_user
):
    """R-SVC-9: the signed result in the cabinet and as a PDF (kk/ru)."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    cases.assign_assessment(app, saule_worker, actor=askar_officer)
    app = cases.record_conclusion(
        app, actor=saule_worker, needs_services=True, findings="Күтім қажет"
    )
    client.force_login(askar_officer)
    page = client.get(f"/applications/cases/{app.pk}/approve/")
    content = page.context["about_to_sign"]["canonical_text"].encode()
    cms = base64.b64encode(test_pki.sign(content, iin=askar_officer.iin, kind="sign")).decode()
    assert client.post(f"/applications/cases/{app.pk}/approve/", {"cms": cms}).status_code == 302
    client.force_login(bibigul_user)
    for lang in ("kk", "ru"):
        pdf = client.get(f"/applications/my/{app.pk}/result.pdf?lang={lang}")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_state_corporation_operator_prints_the_receipt_of_her_case(
    client, dana_operator, bibigul
):
    """R-SVC-5: the State Corporation issues a receipt; its operator opens the cases filed there,
    not the others."""
    own = file_on(at(2025, 3, 19), dana_operator, bibigul, "state_corporation")
    client.force_login(dana_operator)
    assert client.get(f"/applications/cases/{own.pk}/").status_code == 200
    assert client.get(f"/applications/my/{own.pk}/receipt.pdf?lang=kk").content.startswith(b"%PDF")
    from qamqor.accounts.roles import Role
    from tests.applications.conftest import person

    other = file_on(
        at(2025, 3, 19), person(Role.DISTRICT_OFFICER, district=bibigul.district), bibigul
    )
    assert client.get(f"/applications/cases/{other.pk}/").status_code == 404


def test_the_personal_cabinet_shows_the_application_and_the_queue(
    client, askar_officer, bibigul, bibigul_user
) -> None:
    """R-POR-2: one page tells the person the stage of their application with its due date and
    their place in a queue (sections of the state service and of the journal)."""
    from qamqor.accounts.roles import Role
    from tests.applications.conftest import person
    from tests.factories import UserFactory
    from tests.journal.factories import admit, file, organization_with, person_of

    application = file_on(at(2026, 3, 2), askar_officer, bibigul)
    home = organization_with(1)
    staff = person(Role.ORGANIZATION_STAFF, organization=home)
    admit(staff, home, person_of(UserFactory()))
    file(home, person_of(bibigul_user))
    client.force_login(bibigul_user)
    client.cookies["qamqor_language"] = "en"

    text = client.get("/cabinet/").content.decode()

    assert f"Application No. {application.number}" in text
    assert "next step due by" in text
    assert "Your places in the queue" in text
    assert "position 1, 0 people ahead" in text


def test_the_cabinet_section_lists_the_same_applications_without_the_encrypted_columns(
    rf, askar_officer, bibigul, bibigul_user
) -> None:
    """Issue 9: the cabinet's applications section reads only the columns it shows; the rows,
    their order, numbers, statuses and due dates are those of my_applications (R-POR-2)."""
    from qamqor.applications import selectors
    from qamqor.applications.cabinet import applications_section

    for day in (2, 3, 4):
        file_on(at(2026, 3, day), askar_officer, bibigul)
    request = rf.get("/cabinet/")
    request.user = bibigul_user

    section = applications_section(request, bibigul_user)

    assert section is not None
    rows = section.context["rows"]
    full = list(selectors.my_applications(bibigul_user).order_by("-pk")[:20])
    assert len(full) == 3
    shown = [(a.pk, a.number, a.status, a.current_due) for a in rows]
    assert shown == [(a.pk, a.number, a.status, a.current_due) for a in full]
    assert {"form_data", "medical_card", "conclusion", "recipient_id"} <= rows[
        0
    ].get_deferred_fields()
