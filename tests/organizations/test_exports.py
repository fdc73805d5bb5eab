"""Exports of the registry (R-ORG-5), read back: CSV, XLSX, PDF in kk and ru, open-data JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from qamqor.accounts.roles import Role
from qamqor.organizations.exports import COLUMNS
from qamqor.organizations.models import OrganizationStatus, ServiceCondition
from tests.factories import (
    OrganizationFactory,
    OrganizationServiceFactory,
    PublicOrganizationFactory,
)
from tests.organizations.conftest import person

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = "ә ғ қ ң ө ұ ү һ і"
NAME_KK = "«Әділет» қамқорлық үйі: ә ғ қ ң ө ұ ү һ і"
NAME_RU = "Дом заботы «Адилет»"


@pytest.fixture
def adilet():
    org = PublicOrganizationFactory(
        name_kk=NAME_KK,
        name_ru=NAME_RU,
        categories=["elderly", "disability_group_1_2"],
        phone="+77172123456",
        email="adilet@example.kz",
        licence_valid_until=dt.date(2030, 3, 1),
        contract_signed_on=dt.date(2025, 5, 5),
        contract_valid_until=dt.date(2026, 12, 31),
    )
    OrganizationServiceFactory(organization=org, condition=ServiceCondition.STATIONARY, capacity=60)
    OrganizationServiceFactory(organization=org, condition=ServiceCondition.AT_HOME, capacity=15)
    return org


@pytest.fixture
def hidden():
    """Not consented to publication (R-ORG-4)."""
    return OrganizationFactory(name_kk="Жасырын ұйым", name_ru="Скрытая организация")


def headers_in(language: str) -> list[str]:
    with translation.override(language):
        return [str(c) for c in COLUMNS]


def read_csv(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 Cyrillic correctly
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_form_has_seventeen_columns_in_its_order() -> None:
    """R-ORG-5: №, name, BIN, address, condition, category, capacity, phone, e-mail, licence
    issue date, validity, re-registration, contract date, contract term, inclusion, licence stop,
    exclusion basis."""
    with translation.override("en"):
        assert headers_in("en") == [
            "No.",
            "Name of the organization",
            "BIN",
            "Address",
            "Service condition",
            "Recipient category",
            "Total capacity of the organization",
            "Phone",
            "E-mail",
            "Licence issue date",
            "Licence validity",
            "Licence re-registration date",
            "Service contract signing date",
            "Service contract term",
            "Date of inclusion",
            "Date the licence stopped",
            "Basis of exclusion",
        ]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_csv_has_the_columns_and_only_public_entries(client, adilet, hidden, language) -> None:
    """R-ORG-5 in kk and ru; R-ORG-4: the public export has only public entries."""
    response = client.get("/organizations/export.csv", {"lang": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == headers_in(language)
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == "1"
    assert row[1] == (NAME_KK if language == "kk" else NAME_RU)
    assert row[2] == adilet.bin
    assert row[3] == adilet.legal_address
    with translation.override(language):
        assert row[4] == f"{ServiceCondition.STATIONARY.label}; {ServiceCondition.AT_HOME.label}"
    assert row[6] == "75"
    assert row[7:11] == ["+77172123456", "adilet@example.kz", "01.03.2025", "01.03.2030"]
    assert row[12:15] == ["05.05.2025", "31.12.2026", "01.03.2025"]


def test_csv_keeps_every_kazakh_letter(client, adilet) -> None:
    rows = read_csv(client.get("/organizations/export.csv", {"lang": "kk"}))
    for letter in KAZAKH_LETTERS.split():
        assert letter in rows[1][1]


def test_export_follows_the_search(client, adilet) -> None:
    PublicOrganizationFactory(name_kk="Басқа ұйым")
    rows = read_csv(client.get("/organizations/export.csv", {"lang": "kk", "q": "Әділет"}))
    assert [r[1] for r in rows[1:]] == [NAME_KK]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_xlsx_reads_back_with_dates_and_kazakh_letters(client, adilet, hidden, language) -> None:
    response = client.get("/organizations/export.xlsx", {"lang": language})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[1]) == headers_in(language)
    assert len(rows) == 3  # title, header, one public entry
    data = rows[2]
    assert data[1] == (NAME_KK if language == "kk" else NAME_RU)
    assert data[2] == adilet.bin
    assert data[6] == 75
    assert data[9] == dt.datetime(2025, 3, 1)  # a real date cell
    if language == "kk":
        assert all(letter in data[1] for letter in KAZAKH_LETTERS.split())


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_pdf_text_has_the_names_with_kazakh_letters(client, adilet, language) -> None:
    response = client.get("/organizations/export.pdf", {"lang": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = "".join(text.split())
    assert adilet.bin in compact
    if language == "kk":
        for letter in KAZAKH_LETTERS.split():
            assert letter in compact, letter
        assert "«Әділет»" in compact
    else:
        assert "«Адилет»" in compact
    for head in headers_in(language)[:3]:
        assert "".join(head.split()) in compact


def test_open_data_json_has_only_public_entries(client, adilet, hidden) -> None:
    """R-ORG-4: open data of the public entries only."""
    response = client.get("/organizations/export.json")
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    assert [o["bin"] for o in data["organizations"]] == [adilet.bin]
    entry = data["organizations"][0]
    assert entry["name_kk"] == NAME_KK
    assert entry["services"] == [
        {"condition": "stationary", "capacity": 60},
        {"condition": "at_home", "capacity": 15},
    ]
    assert entry["licence_valid_until"] == "2030-03-01"


def test_staff_export_has_every_entry_the_user_may_see(client, adilet, hidden) -> None:
    """R-ORG-4: authorised roles export unconsented and excluded entries too."""
    excluded = OrganizationFactory(
        name_kk="Шығарылған ұйым",
        status=OrganizationStatus.EXCLUDED,
        excluded_on=dt.date(2026, 1, 1),
        licence_stopped_on=dt.date(2025, 12, 20),
        exclusion_basis="Лицензияның қолданысы тоқтатылды",
    )
    client.force_login(person(Role.MINISTRY))
    rows = read_csv(client.get("/organizations/staff/export.csv", {"lang": "kk"}))
    assert {r[2] for r in rows[1:]} == {adilet.bin, hidden.bin, excluded.bin}
    row = next(r for r in rows if r[2] == excluded.bin)
    assert row[15:] == ["20.12.2025", "Лицензияның қолданысы тоқтатылды"]


def test_organization_staff_export_only_their_own(client, adilet, meyirim, elena_staff) -> None:
    client.force_login(elena_staff)
    rows = read_csv(client.get("/organizations/staff/export.csv", {"lang": "ru"}))
    assert [r[2] for r in rows[1:]] == [meyirim.bin]


def test_export_language_defaults_to_the_page_language(client, adilet) -> None:
    rows = read_csv(client.get("/organizations/export.csv", HTTP_ACCEPT_LANGUAGE="ru"))
    assert rows[1][1] == NAME_RU


def test_a_printable_pdf_is_refused_above_its_row_limit(client, adilet, monkeypatch) -> None:
    """R-ORG-5: a long list goes to XLSX/CSV; the PDF says so instead of holding a worker."""
    monkeypatch.setattr("qamqor.organizations.exports.PDF_MAX_ROWS", 1)
    PublicOrganizationFactory()
    response = client.get("/organizations/export.pdf", {"lang": "kk"})
    assert response.status_code == 400
    assert "XLSX" in response.content.decode()
    page = client.get("/organizations/").content.decode()
    assert "export.pdf" not in page


@pytest.mark.django_db
def test_exported_rows_are_freed_without_the_garbage_collector() -> None:
    """R-ORG-5 (memory stays flat with size): a prefetched row and its services point at each
    other; the export breaks that cycle, so each row is freed by reference counting as soon as the
    export moves on, not at the collector's next run."""
    import gc
    import weakref

    from qamqor.organizations import exports, selectors

    for _ in range(3):
        OrganizationServiceFactory(organization=PublicOrganizationFactory())
    refs = []
    gc.collect()
    gc.disable()
    try:
        for org in exports.each_once(selectors.public_organizations()):
            list(org.services.all())
            refs.append(weakref.ref(org))
        del org
        alive = [ref() for ref in refs if ref() is not None]
    finally:
        gc.enable()
    assert len(refs) == 3
    assert alive == []
