"""Pages of the registry of specialists: the applicant's steps and documents (issue 5 item 1),
permissions, the queue and decisions (R-SPC-3), the public registry, exports and API (R-SPC-5)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qamqor.core.models import PersonalFileAccess
from qamqor.specialists import services
from qamqor.specialists.exports import COLUMNS
from qamqor.specialists.models import Application, Attachment, Decision, Status
from tests.specialists.factories import (
    PDF,
    applicant,
    complete_draft,
    png_bytes,
    registered,
    registry_admin,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def aigerim(client):
    user = applicant(surname="Нұрланова", given_name="Айгерім")
    client.force_login(user)
    return user


def test_applicant_starts_and_saves_the_first_step(client, aigerim) -> None:
    response = client.post(reverse("specialists:apply"))
    application = Application.objects.get(applicant=aigerim)
    assert response.url == reverse("specialists:step_personal", args=[application.pk])
    response = client.post(
        reverse("specialists:step_personal", args=[application.pk]),
        {
            "surname": "Нұрланова",
            "given_name": "Айгерім",
            "birth_date": "1988-05-17",
            "phone": "8 (701) 234-56-78",
            "locality": "Астана",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (str(application.phone), application.birth_date, application.locality) == (
        "+77012345678",
        dt.date(1988, 5, 17),
        "Астана",
    )


def test_a_wrong_field_keeps_what_was_typed_and_saves_the_rest(client, aigerim) -> None:
    """Issue 5 item 1, R-X-3: nothing typed is lost on a validation error."""
    application = services.start_application(aigerim)
    response = client.post(
        reverse("specialists:step_personal", args=[application.pk]),
        {
            "surname": "Нұрланова",
            "given_name": "Айгерім",
            "phone": "+7 916 123 45 67",
            "locality": "Қосшы",
            "address": "Абай к-сі, 5",
        },
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="+7 916 123 45 67"' in body
    assert 'value="Қосшы"' in body
    application.refresh_from_db()
    assert (application.locality, application.address, application.phone) == (
        "Қосшы",
        "Абай к-сі, 5",
        None,
    )


def test_employment_entry_with_a_bad_bin_is_refused_with_everything_kept(client, aigerim) -> None:
    """R-SPC-2.8, R-X-3: the organization's BIN is validated."""
    application = services.start_application(aigerim)
    data = {
        "employment-TOTAL_FORMS": "1",
        "employment-INITIAL_FORMS": "0",
        "employment-0-organization": "Қамқор ЖШС",
        "employment-0-bin": "123456789012",
        "employment-0-position": "әлеуметтік жұмыскер",
        "employment-0-start": "2020-01-01",
    }
    response = client.post(reverse("specialists:step_employment", args=[application.pk]), data)
    assert response.status_code == 400
    assert 'value="123456789012"' in response.content.decode()
    application.refresh_from_db()
    assert application.employment == []
    data["employment-0-bin"] = "940140000385"
    response = client.post(reverse("specialists:step_employment", args=[application.pk]), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.employment[0]["bin"] == "940140000385"


# --- Attachments ------------------------------------------------------------------------------


def _upload(client, application, name, content, content_type="application/pdf"):
    return client.post(
        reverse("specialists:documents", args=[application.pk]),
        {"kind": "education", "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_pdf_and_png_are_attached_in_private_storage(client, aigerim, settings) -> None:
    application = services.start_application(aigerim)
    assert _upload(client, application, "diploma.pdf", PDF).status_code == 302
    assert _upload(client, application, "photo.png", png_bytes(), "image/png").status_code == 302
    docs = list(Attachment.objects.order_by("pk"))
    assert [d.content_type for d in docs] == ["application/pdf", "image/png"]
    path = docs[0].file.path
    assert str(settings.SPECIALISTS_PRIVATE_ROOT) in path
    assert "diploma" not in path  # the stored name is the server's, not the user's


@pytest.mark.parametrize(
    ("name", "content", "code_text"),
    [
        ("notes.txt", b"just text", "PDF, JPEG немесе PNG файлын тіркеңіз"),
        # A renamed executable (a Windows PE header) called .pdf.
        ("scan.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "PDF, JPEG немесе PNG"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "Суретті оқу мүмкін емес"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_wrong_files_are_refused(client, aigerim, name, content, code_text) -> None:
    """Issue 5 item 1: the type is sniffed from the content, not the name."""
    application = services.start_application(aigerim)
    response = _upload(client, application, name, content)
    assert response.status_code == 400
    if content:
        assert code_text in response.content.decode()
    assert not Attachment.objects.exists()


def test_too_big_file_is_refused(client, aigerim, settings) -> None:
    settings.SPECIALISTS_MAX_UPLOAD_BYTES = 1024
    application = services.start_application(aigerim)
    response = _upload(client, application, "big.pdf", PDF + b"0" * 2000)
    assert response.status_code == 400
    assert "Файл тым үлкен" in response.content.decode()
    assert not Attachment.objects.exists()


def test_document_served_to_owner_and_admin_only_and_admin_read_logged(client, sent) -> None:
    """Issue 5 item 1: served only to those allowed; R-X-5: reads by others are logged."""
    application = submitted()
    doc = application.attachments.get()
    url = reverse("specialists:attachment", args=[doc.pk])
    client.force_login(application.applicant)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not PersonalFileAccess.objects.exists()
    client.force_login(applicant())
    assert client.get(url).status_code == 404
    admin = registry_admin()
    client.force_login(admin)
    assert client.get(url).status_code == 200
    access = PersonalFileAccess.objects.get()
    assert (access.actor, access.subject_iin) == (admin, application.applicant.iin)


def test_an_applicant_cannot_see_or_change_another_application(client, sent) -> None:
    """Issue 5, done means: an applicant cannot see another's."""
    other = complete_draft()
    client.force_login(applicant())
    for name in ("application", "step_personal", "documents"):
        assert client.get(reverse(f"specialists:{name}", args=[other.pk])).status_code == 404
    response = client.post(reverse("specialists:step_personal", args=[other.pk]), {"locality": "X"})
    assert response.status_code == 404
    assert client.post(reverse("specialists:submit", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert (other.locality, other.status) == ("Астана", Status.DRAFT)


def test_submit_through_the_page(client, sent) -> None:
    application = complete_draft()
    client.force_login(application.applicant)
    response = client.post(
        reverse("specialists:submit", args=[application.pk]), {"publication_consent": "on"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    page = client.get(reverse("specialists:application", args=[application.pk]))
    assert application.due_on.strftime("%d.%m.%Y") in page.content.decode()


# --- Administrator ----------------------------------------------------------------------------


def test_queue_sorted_by_due_date_with_overdue_highlighted(client, sent) -> None:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Almaty")
    later = submitted(at=dt.datetime(2025, 6, 17, 10, tzinfo=tz))
    earlier = submitted(at=dt.datetime(2025, 6, 16, 10, tzinfo=tz))
    client.force_login(registry_admin())
    response = client.get(reverse("specialists:queue"))
    body = response.content.decode()
    assert body.index(earlier.number) < body.index(later.number)
    assert 'class="overdue"' in body


def test_review_page_returns_with_reasons(client, sent) -> None:
    application = submitted()
    admin = registry_admin()
    client.force_login(admin)
    url = reverse("specialists:review", args=[application.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "return", "return_reasons": [], "comment": "x"})
    assert response.status_code == 400
    assert not Decision.objects.exists()
    response = client.post(
        url, {"decision": "return", "return_reasons": ["profession_mismatch"], "comment": "Кәсіп"}
    )
    assert response.status_code == 302
    assert Decision.objects.get().reasons == ["profession_mismatch"]


def test_applicant_cannot_open_the_review_page(client, sent) -> None:
    application = submitted()
    client.force_login(application.applicant)
    assert client.get(reverse("specialists:review", args=[application.pk])).status_code == 403


# --- Public registry, exports, API (R-SPC-5) ---------------------------------------------------


def test_public_registry_shows_only_consented_entries(client, sent) -> None:
    shown = registered(surname="Сейтқали")
    hidden = registered(user=applicant(surname="Жасырын"), publication_consent=False)
    body = client.get(reverse("specialists:registry")).content.decode()
    assert shown.entry.full_name in body
    assert hidden.entry.full_name not in body
    assert client.get(reverse("specialists:detail", args=[hidden.entry.pk])).status_code == 404
    assert client.get(reverse("specialists:detail", args=[shown.entry.pk])).status_code == 200


def test_registry_filters(client, sent) -> None:
    registered()
    assert client.get("/api/v1/specialists?region=71").json()["count"] == 1
    assert client.get("/api/v1/specialists?region=75").json()["count"] == 0
    assert client.get("/api/v1/specialists?profession=psychologist").json()["count"] == 0
    assert client.get("/api/v1/specialists?category=first").json()["count"] == 1
    assert client.get("/api/v1/specialists?category=highest").json()["count"] == 0


def test_registry_list_query_count(client, sent, django_assert_max_num_queries) -> None:
    for _ in range(3):
        registered()
    with django_assert_max_num_queries(8):
        client.get(reverse("specialists:registry"))
    with django_assert_max_num_queries(6):
        client.get("/api/v1/specialists")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_csv_export_in_the_form_column_order(client, sent, language) -> None:
    """R-SPC-5: the columns of the form (appendix to seed 002), kk and ru."""
    application = registered()
    registered(user=applicant(), publication_consent=False)
    response = client.get(reverse("specialists:export_csv") + f"?lang={language}")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows[0]) == len(COLUMNS) == 11
    assert len(rows) == 2
    assert rows[1][0] == "1"
    assert rows[1][1] == application.entry.full_name
    assert rows[1][2] == "17.05.1988"
    assert "940140000385" not in rows[1][8]


def test_xlsx_and_pdf_exports(client, sent) -> None:
    registered()
    xlsx = client.get(reverse("specialists:export_xlsx") + "?lang=ru")
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    pdf = client.get(reverse("specialists:export_pdf") + "?lang=kk")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_api_entry(client, sent) -> None:
    application = registered()
    data = client.get(f"/api/v1/specialists/{application.entry.pk}").json()
    assert (data["region"], data["profession"], data["qualification_category"]) == (
        "71",
        "social_worker_care",
        "first",
    )


@pytest.mark.parametrize(("language", "title"), [("kk", "Жеке деректер"), ("ru", "Личные данные")])
def test_step_titles_follow_the_page_language(client, aigerim, language, title) -> None:
    """R-X-4: the step names are translated per request, not fixed at import."""
    application = services.start_application(aigerim)
    response = client.get(
        reverse("specialists:step_personal", args=[application.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert f"<h1>{title}</h1>" in response.content.decode()
