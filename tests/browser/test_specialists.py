"""The registry of specialists in a browser, the whole path of issue 5 in kk and ru: register by
phone with a one-time code (R-SPC-1) → fill the form step by step (R-SPC-2) → submit → the
administrator returns it (R-SPC-3) → the applicant fixes and resubmits (R-SPC-4) → the
administrator registers it → the specialist is in the public registry with consent, and not
after withdrawing it (R-SPC-5). axe-core finds nothing serious on any page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from qamqor.accounts import services as account_services
from qamqor.accounts import sms
from qamqor.accounts.roles import Role
from qamqor.specialists.models import Application, Status
from tests.browser.support import log_in
from tests.browser.test_accessibility import check_with_axe
from tests.factories import UserFactory, make_iin

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SURNAME = {"kk": "Сейтқалиева", "ru": "Сейткалиева"}


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_BACKEND = "qamqor.accounts.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def _save(page: Page) -> None:
    page.locator("main form button.button[type=submit]").first.click()


def register_by_phone(page: Page, outbox: list, language: str) -> None:
    page.goto("/specialists/apply/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/accounts/otp/?next=/specialists/apply/")
    page.locator("input[name=channel][value=sms]").check()
    page.locator("#id_phone").fill("8 701 555 12 34")
    page.locator("#id_iin").fill(make_iin(3, birth=dt.date(1988, 5, 17), female=True))
    page.locator("#id_surname").fill(SURNAME[language])
    page.locator("#id_given_name").fill("Гүлнар")
    check_with_axe(page)
    page.locator("main form button[type=submit]").click()
    code = re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)
    page.locator("#id_code").fill(code)
    check_with_axe(page)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/specialists/apply/$"))
    check_with_axe(page)


def fill_and_submit(page: Page) -> None:
    page.locator("main form button[type=submit]").click()  # start the application
    expect(page).to_have_url(re.compile(r"/personal/$"))
    page.locator("#id_birth_date").fill("1988-05-17")
    page.locator("#id_phone").fill("+7 701 555 12 34")
    page.locator("#id_region").select_option("71")
    page.locator("#id_locality").fill("Астана")
    page.locator("#id_address").fill("Бейбітшілік к-сі, 10")
    check_with_axe(page)
    _save(page)
    expect(page).to_have_url(re.compile(r"/profession/$"))
    page.locator("#id_profession").select_option(index=1)
    page.locator("#id_experience_years").fill("6")
    page.locator("#id_qualification_category").select_option("first")
    page.locator("#id_qualification_date").fill("2023-04-10")
    page.locator("#id_attestation_commission").fill("Астана қ. ЖАО комиссиясы")
    check_with_axe(page)
    _save(page)
    expect(page).to_have_url(re.compile(r"/education/$"))
    page.locator("#id_education-0-level").select_option("higher")
    page.locator("#id_education-0-institution").fill("Еуразия ұлттық университеті")
    page.locator("#id_education-0-start").fill("2005-09-01")
    page.locator("#id_education-0-end").fill("2009-06-30")
    check_with_axe(page)
    _save(page)
    expect(page).to_have_url(re.compile(r"/employment/$"))
    page.locator("#id_employment-0-organization").fill("Қамқор орталығы")
    page.locator("#id_employment-0-bin").fill("123456789012")  # wrong BIN first (R-X-3)
    page.locator("#id_employment-0-position").fill("әлеуметтік жұмыскер")
    page.locator("#id_employment-0-start").fill("2019-02-01")
    _save(page)
    expect(page.locator("#id_employment-0-organization")).to_have_value("Қамқор орталығы")
    check_with_axe(page)
    page.locator("#id_employment-0-bin").fill("940140000385")
    _save(page)
    expect(page).to_have_url(re.compile(r"/documents/$"))
    page.locator("#id_kind").select_option("education")
    page.locator("#id_file").set_input_files(
        {"name": "diploma.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    check_with_axe(page)
    page.locator("main form[enctype] button[type=submit]").click()
    expect(page.locator("ul.documents li")).to_have_count(1)
    page.locator("main a.button").last.click()
    page.locator("#id_publication_consent").check()
    check_with_axe(page)
    page.locator("main form[action$='/submit/'] button").click()
    expect(page.locator("dd.status-submitted")).to_be_visible()
    check_with_axe(page)


def decide(page: Page, number: str, decision: str) -> None:
    page.goto("/specialists/review/")
    check_with_axe(page)
    page.get_by_role("link", name=number).click()
    page.locator(f"input[name=decision][value={decision}]").check()
    if decision == "return":
        page.locator("input[name=return_reasons][value=incomplete_documents]").check()
        page.locator("#id_comment").fill("Еңбек кітапшасының көшірмесін қосыңыз")
    check_with_axe(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/specialists/review/$"))


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_whole_path_of_a_specialist(
    new_context: Callable[..., BrowserContext], live_server, sms_outbox, language: str
) -> None:
    applicant_page = new_context(language=language).new_page()
    register_by_phone(applicant_page, sms_outbox, language)
    fill_and_submit(applicant_page)
    application = Application.objects.get(surname=SURNAME[language])

    admin = UserFactory(iin=make_iin(40))
    account_services.grant_role(None, admin, Role.REGISTRY_ADMIN)
    admin_context = new_context(language=language)
    log_in(admin_context, live_server.url, admin)
    admin_page = admin_context.new_page()
    decide(admin_page, application.number, "return")
    application.refresh_from_db()
    assert application.status == Status.RETURNED

    # The applicant sees the reason, fixes the application and submits it again (R-SPC-4).
    applicant_page.goto(f"/specialists/applications/{application.pk}/")
    expect(applicant_page.locator("main")).to_contain_text("Еңбек кітапшасының көшірмесін қосыңыз")
    check_with_axe(applicant_page)
    applicant_page.goto(f"/specialists/applications/{application.pk}/documents/")
    applicant_page.locator("#id_kind").select_option("employment")
    applicant_page.locator("#id_file").set_input_files(
        {"name": "work-book.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    applicant_page.locator("main form[enctype] button[type=submit]").click()
    expect(applicant_page.locator("ul.documents li")).to_have_count(2)
    applicant_page.goto(f"/specialists/applications/{application.pk}/")
    applicant_page.locator("main form[action$='/submit/'] button").click()
    expect(applicant_page.locator("dd.status-submitted")).to_be_visible()
    assert application.versions.count() == 2

    decide(admin_page, application.number, "register")
    application.refresh_from_db()
    assert application.status == Status.REGISTERED

    public = new_context(language=language).new_page()
    public.goto("/specialists/")
    check_with_axe(public)
    public.locator("#id_q").fill(SURNAME[language])
    public.locator("main form[role=search] button").click()
    expect(public.locator("ol.org-list > li")).to_have_count(1)
    public.locator("ol.org-list h3 a").click()
    expect(public.locator("h1")).to_contain_text(SURNAME[language])
    check_with_axe(public)

    # Consent off: the entry leaves the public registry (R-SPC-5).
    applicant_page.goto(f"/specialists/applications/{application.pk}/")
    applicant_page.locator("form[action$='/consent/'] #id_publication_consent").uncheck()
    applicant_page.locator("form[action$='/consent/'] button").click()
    public.goto(f"/specialists/?q={SURNAME[language]}")
    expect(public.locator("ol.org-list > li")).to_have_count(0)
