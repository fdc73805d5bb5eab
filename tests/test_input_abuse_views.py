"""Input abuse through the real views (issue 10 item 3): the important forms posted with abusive
values end to end. Each time: no 5xx, a clear message in the page language, what was typed shown
again and escaped, and nothing stored half-way (row counts of the apps unchanged)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from qamqor.accounts import services as account_services
from qamqor.accounts.roles import Role
from qamqor.specialists import services as specialist_services
from tests.abuse import files as abuse_files
from tests.applications.conftest import person
from tests.applications.factories import RecipientFactory
from tests.applications.test_views import form_data
from tests.factories import DistrictFactory, UserFactory
from tests.journal.factories import organization_with
from tests.specialists.factories import applicant
from tests.test_input_abuse_api import row_counts

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
BREAK = "\"'><img src=x onerror=alert(1)>"
SQL = "'; DROP TABLE accounts_user; --"


def _page(response: Any) -> str:
    assert response.status_code < 500, response.status_code
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html, "unescaped input"
    return html


@pytest.fixture
def kk(client: Any) -> Any:
    client.cookies["qamqor_language"] = "kk"
    return client


# --- State-service application (R-SVC-1, R-SVC-3) ---------------------------------------------


@pytest.mark.parametrize(
    "override",
    [
        {"residence_address": SCRIPT, "identity_document_issued_on": "30.02.2025"},
        {"anamnesis": BREAK, "commission_date": "01.01.0001"},
        {"phone": SQL, "identity_document_valid_until": "31.12.9999"},
        {"allowance_amount": "NaN", "medical_organization": "\u202eгдл.exe"},
        {"allowance_amount": "Infinity", "exam_therapist_date": "10.02.2999"},
        {"allowance_amount": "-5", "test_hiv_date": "29.02.2025"},
        {"allowance_amount": "9" * 40, "residence_address": "Ә" * 501},
        {"form_kind": "<script>", "stay": "' OR 1=1 --"},
    ],
)
def test_state_service_application_refuses_abuse_and_keeps_the_input(
    kk: Any, override: dict[str, str]
) -> None:
    district = DistrictFactory()
    recipient = RecipientFactory(district=district)
    kk.force_login(UserFactory(iin=recipient.iin))
    before = row_counts()
    response = kk.post("/applications/apply/", form_data(**override))
    html = _page(response)
    assert response.status_code == 400, "abusive input was accepted"
    assert 'class="errorlist' in html or "error" in html
    for value in override.values():
        if value not in ("<script>", "' OR 1=1 --"):  # choices are not echoed in a select
            from django.utils.html import escape

            assert escape(value) in html, f"{value!r} not kept"
    assert row_counts() == before


# --- Queue application (R-QUE-2) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "file_name", "content", "content_type"),
    [c for c in abuse_files.cases() if c[0] != "oversize"],
)
def test_queue_application_refuses_lying_signature_files(
    kk: Any, label: str, file_name: str, content: bytes, content_type: str
) -> None:
    org = organization_with(1, publication_consent=True, consent_given_on=dt.date(2026, 1, 1))
    kk.force_login(UserFactory())
    before = row_counts()
    upload = abuse_files.upload(label, file_name, content, content_type)
    response = kk.post(f"/journal/apply/{org.pk}/?condition=stationary", {"cms_file": upload})
    _page(response)
    assert response.status_code in (200, 400), response.status_code
    assert row_counts() == before


@pytest.mark.parametrize("cms", [SCRIPT, BREAK, SQL, "QUJD" * 10, "Ә" * 600_000, "\u202e"])
def test_queue_application_refuses_abusive_signature_text(kk: Any, cms: str) -> None:
    org = organization_with(1, publication_consent=True, consent_given_on=dt.date(2026, 1, 1))
    kk.force_login(UserFactory())
    before = row_counts()
    response = kk.post(f"/journal/apply/{org.pk}/?condition=stationary", {"cms": cms})
    _page(response)
    assert response.status_code in (200, 400)
    assert row_counts() == before


# --- Specialist application (R-SPC-2) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_date", "9999-12-31"),
        ("birth_date", "0001-01-01"),
        ("birth_date", "2025-02-30"),
        ("birth_date", "2999-01-01"),
        ("email", SCRIPT),
        ("phone", SQL),
        ("surname", "Ә" * 101),
    ],
)
def test_specialist_personal_step_refuses_abuse(kk: Any, field: str, value: str) -> None:
    user = applicant()
    kk.force_login(user)
    application = specialist_services.start_application(user)
    stored = getattr(application, field)
    response = kk.post(
        reverse("specialists:step_personal", args=[application.pk]),
        {"surname": "Нұрланова", "locality": "Астана", field: value},
    )
    html = _page(response)
    assert response.status_code == 400, f"{field}={value!r} accepted"
    from django.utils.html import escape

    assert escape(value) in html
    application.refresh_from_db()
    assert getattr(application, field) == stored


@pytest.mark.parametrize(("label", "file_name", "content", "content_type"), abuse_files.cases())
def test_specialist_attachment_refuses_lying_files(
    kk: Any, label: str, file_name: str, content: bytes, content_type: str
) -> None:
    user = applicant()
    kk.force_login(user)
    application = specialist_services.start_application(user)
    before = row_counts()
    upload = abuse_files.upload(label, file_name, content, content_type)
    response = kk.post(
        reverse("specialists:documents", args=[application.pk]),
        {"kind": "diploma", "file": upload},
    )
    _page(response)
    if label != "script_name":  # a real PDF under a hostile name is accepted, its name escaped
        assert response.status_code == 400, label
        assert row_counts() == before


# --- Organization registry entry (R-ORG-2.7) and search -----------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"phone": SCRIPT, "email": "a@b.kz"},
        {"phone": "87011234567", "email": BREAK},
        {"phone": "9" * 40, "email": "javascript:alert(1)"},
        {"phone": "87011234567", "email": SQL},
    ],
)
def test_registry_entry_contacts_refuse_abuse(kk: Any, data: dict[str, str]) -> None:
    org = organization_with(1)
    staff = UserFactory()
    account_services.grant_role(None, staff, Role.ORGANIZATION_STAFF, organization=org)
    kk.force_login(staff)
    before = row_counts()
    response = kk.post(reverse("organizations:staff_contacts", args=[org.pk]), data)
    html = _page(response)
    assert response.status_code == 400
    assert row_counts() == before
    from django.utils.html import escape

    assert all(escape(v) in html for v in data.values())


@pytest.mark.parametrize(
    "query",
    [
        {"q": SCRIPT},
        {"q": SQL, "sort": "name;DROP"},
        {"region": "' OR 1=1", "district": BREAK},
        {"q": "Ә" * 5000},
        {"page": "9" * 40},
        {"page": "-1"},
        {"q": "%C0%AF", "has_vacancy": "<b>"},
        {"start": "30.02.2025", "days": "NaN"},
        {"start": "01.01.0001", "days": "9" * 40},
    ],
)
@pytest.mark.parametrize("url", ["/organizations/", "/specialists/", "/calendar/"])
def test_public_search_pages_resist_abuse(kk: Any, url: str, query: dict[str, str]) -> None:
    _page(kk.get(url, query))


# --- IPR import (R-POR-3) and the other file imports ------------------------------------------


@pytest.mark.parametrize("command", ["import_ipr", "import_recipients", "import_licence_events"])
@pytest.mark.parametrize(
    ("label", "file_name", "content", "content_type"),
    [c for c in abuse_files.cases() if c[0] in ("xlsx_zip_bomb", "pdf_is_html", "png_is_exe")]
    + [
        ("csv_is_zip", "rows.csv", abuse_files.zip_bomb(), ""),
        ("json_is_html", "rows.json", b"<html><script>alert(1)</script>", ""),
        ("csv_overlong_utf8", "rows.csv", b"iin\n\xc0\xaf\n", ""),
        ("json_lone_surrogate", "rows.json", b'[{"iin": "\\ud800"}]', ""),
        ("json_deep", "rows.json", b"[" * 100_000, ""),
        ("csv_script", "rows.csv", b"<script>alert(1)</script>\n1,2\n", ""),
    ],
)
def test_file_imports_refuse_lying_files(
    tmp_path: Any, command: str, label: str, file_name: str, content: bytes, content_type: str
) -> None:
    path = tmp_path / file_name
    path.write_bytes(content)
    before = row_counts()
    with pytest.raises(CommandError):
        call_command(command, str(path), stdout=_Sink(), stderr=_Sink())
    assert row_counts() == before


def test_file_imports_refuse_an_oversize_file(tmp_path: Any, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 1024
    path = tmp_path / "rows.csv"
    path.write_bytes(b"a,b\n" * 1000)
    for command in ("import_ipr", "import_recipients", "import_licence_events"):
        with pytest.raises(CommandError, match="too big"):
            call_command(command, str(path), stdout=_Sink(), stderr=_Sink())


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


_ = (person, RecipientFactory)
