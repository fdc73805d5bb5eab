"""The state service in a browser, in kk and ru, with axe (R-SVC-1…11): a recipient with an
e-signature applies on the portal → the officer assigns → the social worker concludes → the
officer approves (signed) → the recipient is notified and chooses an organization; and a refusal
path with a hearing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from qamqor.applications.models import Application
from qamqor.applications.services import cases, intake
from tests.applications.conftest import filing, person
from tests.applications.factories import RecipientFactory
from tests.browser.support import log_in
from tests.browser.test_accessibility import check_with_axe
from tests.factories import (
    DistrictFactory,
    OrganizationFactory,
    OrganizationServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

EXAMS = ("neuropathologist", "psychiatrist", "dermatovenerologist", "phthisiatrist", "therapist")
TESTS = ("blood_count", "hiv", "syphilis", "urine", "helminth_eggs", "e_coli", "meningococcus")


@pytest.fixture
def world(db: None, dev_signer_on: Any) -> dict[str, Any]:
    from django.apps import apps

    from qamqor.accounts.roles import Role
    from qamqor.core.calendar import invalidate_calendar_cache
    from qamqor.core.seeddata import legal_terms
    from qamqor.core.services import sync_calendar_days

    # The live server's database is flushed between tests: reload the data the migrations seed.
    legal_terms.load(apps)
    sync_calendar_days(2026, 2027)
    invalidate_calendar_cache()
    district = DistrictFactory(name_kk="Сарыарқа ауданы", name_ru="район Сарыарка")
    recipient = RecipientFactory(district=district)
    user = UserFactory(
        iin=recipient.iin, surname=recipient.surname, given_name=recipient.given_name
    )
    officer = person(Role.DISTRICT_OFFICER, district=district)
    worker = person(Role.SOCIAL_WORKER, district=district)
    home = OrganizationFactory(
        district=district, name_kk="«Шапағат» қарттар үйі", name_ru="Дом «Шапагат»"
    )
    OrganizationServiceFactory(organization=home, condition="stationary")
    return {
        "recipient": recipient,
        "user": user,
        "officer": officer,
        "worker": worker,
        "home": home,
    }


def as_(
    new_context: Callable[..., BrowserContext], live_server: Any, user: Any, language: str
) -> Page:
    context = new_context(language=language)
    log_in(context, live_server.url, user)
    return context.new_page()


def sign_with_dev_signer(page: Page) -> None:
    check_with_axe(page)
    page.locator("button[name=method][value=dev]").click()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_portal_path_to_a_chosen_organization(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    world: dict[str, Any],
    language: str,
) -> None:
    # The recipient applies and signs.
    page = as_(new_context, live_server, world["user"], language)
    page.goto("/applications/apply/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    check_with_axe(page)
    page.select_option("#id_form_kind", "form_1")
    page.select_option("#id_stay", "permanent")
    page.fill("#id_medical_organization", "№4 емхана")
    page.fill("#id_anamnesis", "Гипертония")
    page.fill("#id_epidemiological_conclusion", "Байланыс жоқ")
    page.fill("#id_commission_conclusion", "Қарсы көрсетілім жоқ")
    page.fill("#id_commission_date", "12.02.2025")
    for key in EXAMS:
        page.fill(f"#id_exam_{key}_date", "10.02.2025")
        page.fill(f"#id_exam_{key}_result", "жоқ")
    for key in TESTS:
        page.fill(f"#id_test_{key}_date", "05.02.2025")
        page.fill(f"#id_test_{key}_result", "қалыпты")
    for name in (
        "consent_personal_data",
        "consent_relatives_data",
        "liability_acknowledged",
        "conditions_acknowledged",
    ):
        page.check(f"#id_{name}")
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(f"{live_server.url}/applications/apply/sign/")
    sign_with_dev_signer(page)
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "registered")
    check_with_axe(page)
    app = Application.objects.get()

    # The officer assigns the assessment.
    officer = as_(new_context, live_server, world["officer"], language)
    officer.goto(f"/applications/cases/{app.pk}/")
    check_with_axe(officer)
    officer.select_option("#id_social_worker", str(world["worker"].pk))
    officer.locator(f"form[action='/applications/cases/{app.pk}/assign/'] button").click()
    expect(officer.locator("[data-status]")).to_have_attribute("data-status", "assessment_assigned")

    # The social worker concludes.
    worker = as_(new_context, live_server, world["worker"], language)
    worker.goto("/applications/assessments/")
    check_with_axe(worker)
    worker.get_by_role("link", name=app.number).click()
    check_with_axe(worker)
    worker.locator("input[name=needs_services][value=yes]").check()
    worker.fill("#id_findings", "Өзіне өзі қызмет көрсете алмайды")
    worker.locator("form button[type=submit]").last.click()
    expect(worker).to_have_url(f"{live_server.url}/applications/assessments/")

    # The officer approves with the e-signature and notifies the recipient.
    officer.goto(f"/applications/cases/{app.pk}/approve/")
    sign_with_dev_signer(officer)
    expect(officer.locator("[data-status]")).to_have_attribute("data-status", "approved")
    officer.locator(f"form[action='/applications/cases/{app.pk}/notify-choice/'] button").click()
    expect(officer.locator("[data-status]")).to_have_attribute("data-status", "choice_notified")

    # The recipient is notified and chooses an organization.
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text(app.number)
    page.goto(f"/applications/my/{app.pk}/")
    page.locator(f"a[href='/applications/my/{app.pk}/choose/']").click()
    check_with_axe(page)
    page.check(f"#org-{world['home'].pk}")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "organization_chosen")
    check_with_axe(page)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_refusal_with_a_hearing(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    world: dict[str, Any],
    language: str,
) -> None:
    officer_user, worker_user = world["officer"], world["worker"]
    app = intake.file_application(filing(world["recipient"]), actor=officer_user)
    app = cases.assign_assessment(app, worker_user, actor=officer_user)
    app = cases.record_conclusion(
        app, actor=worker_user, needs_services=False, findings="Өзіне қарай алады"
    )

    officer = as_(new_context, live_server, officer_user, language)
    officer.goto(f"/applications/cases/{app.pk}/")
    officer.select_option("#id_ground", "3")
    officer.fill("#id_reasons", "Қағидалардың талаптарына сай емес")
    officer.locator(f"form[action='/applications/cases/{app.pk}/intend-refusal/'] button").click()
    expect(officer.locator("[data-status]")).to_have_attribute("data-status", "refusal_intended")
    check_with_axe(officer)
    hearing = timezone.localtime().replace(hour=23, minute=0)
    officer.fill("#id_hearing_at", hearing.strftime("%Y-%m-%dT%H:%M"))
    officer.fill("#id_place", "Әкімдік, 5-кабинет")
    officer.locator(f"form[action='/applications/cases/{app.pk}/hearing-notice/'] button").click()
    expect(officer.locator("[data-status]")).to_have_attribute("data-status", "hearing_notified")
    officer.goto(f"/applications/cases/{app.pk}/refuse/")
    sign_with_dev_signer(officer)
    expect(officer.locator("[data-status]")).to_have_attribute("data-status", "refused")
    check_with_axe(officer)

    recipient = as_(new_context, live_server, world["user"], language)
    recipient.goto(f"/applications/my/{app.pk}/")
    expect(recipient.locator("[data-status]")).to_have_attribute("data-status", "refused")
    check_with_axe(recipient)
