"""The public registry of organizations in a browser (R-ORG-4): a person finds a stationary
organization for elderly people in a given region with a vacancy, in kk and in ru, without
JavaScript too, on a phone, and axe-core finds nothing serious."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from qamqor.organizations.models import ServiceCondition
from tests.browser.test_accessibility import check_with_axe
from tests.factories import (
    DistrictFactory,
    OrganizationFactory,
    OrganizationServiceFactory,
    PublicOrganizationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.browser

NAMES = {"kk": "«Шапағат» қарттар үйі", "ru": "Дом престарелых «Шапагат»"}


@pytest.fixture
def karaganda_world(db: None) -> dict[str, object]:
    """One matching entry in Karaganda region, and near misses that the filters must drop."""
    region = RegionFactory(kato="35", name_kk="Қарағанды облысы", name_ru="Карагандинская область")
    temirtau = DistrictFactory(region=region, name_kk="Теміртау қаласы", name_ru="город Темиртау")
    target = PublicOrganizationFactory(
        name_kk=NAMES["kk"], name_ru=NAMES["ru"], district=temirtau, categories=["elderly"]
    )
    OrganizationServiceFactory(organization=target, condition=ServiceCondition.STATIONARY)
    # Same region, no places left / another condition / not consented; and another region.
    full = PublicOrganizationFactory(
        name_kk="Орын жоқ үй", name_ru="Дом без мест", district=temirtau, categories=["elderly"]
    )
    OrganizationServiceFactory(organization=full, capacity=0)
    day_care = PublicOrganizationFactory(
        name_kk="Күндізгі орталық", name_ru="Дневной центр", district=temirtau
    )
    OrganizationServiceFactory(organization=day_care, condition=ServiceCondition.SEMI_STATIONARY)
    hidden = OrganizationFactory(district=temirtau, name_kk="Жасырын", name_ru="Скрытый")
    OrganizationServiceFactory(organization=hidden)
    astana = PublicOrganizationFactory(name_kk="Астана үйі", name_ru="Астанинский дом")
    OrganizationServiceFactory(organization=astana)
    return {"target": target, "region": region}


def find_an_elderly_home(page: Page, language: str) -> None:
    page.goto("/")
    page.get_by_role("main").locator('a[href="/organizations/"]').click()
    expect(page.locator("form.registry-search")).to_be_visible()
    check_with_axe(page)
    page.locator("#id_region").select_option("35")
    page.locator("#id_condition").select_option("stationary")
    page.locator("#id_category").select_option("elderly")
    page.locator("#id_has_vacancy").check()
    page.locator("form.registry-search button[type=submit]").click()
    results = page.locator("ol.org-list > li")
    expect(results).to_have_count(1)
    expect(results.first.locator("h3")).to_have_text(NAMES[language])
    check_with_axe(page)
    results.first.locator("h3 a").click()
    expect(page.locator("h1")).to_have_text(NAMES[language])
    check_with_axe(page)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_person_finds_a_stationary_home_for_elderly_people_with_a_vacancy(
    new_context: Callable[..., BrowserContext], karaganda_world: dict, language: str
) -> None:
    """R-ORG-4: search by region, condition, category and vacancies, in kk and ru."""
    page = new_context(language=language).new_page()
    find_an_elderly_home(page, language)
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_the_search_works_without_javascript_on_a_phone(
    new_context: Callable[..., BrowserContext], karaganda_world: dict
) -> None:
    """No JavaScript, 360 px wide: the districts come after choosing the region and searching."""
    page = new_context(
        language="ru", java_script_enabled=False, viewport={"width": 360, "height": 740}
    ).new_page()
    page.goto("/organizations/")
    page.locator("#id_region").select_option("35")
    page.locator("form.registry-search button[type=submit]").click()
    page.locator("#id_district").select_option(label="город Темиртау")
    page.locator("#id_condition").select_option("stationary")
    page.locator("#id_has_vacancy").check()
    page.locator("form.registry-search button[type=submit]").click()
    expect(page.locator("ol.org-list > li h3")).to_have_text([NAMES["ru"]])
    # Nothing wider than the phone: no horizontal scrolling (WCAG 1.4.10 reflow).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_no_results_shows_the_empty_state_with_a_reset_link(
    new_context: Callable[..., BrowserContext], karaganda_world: dict
) -> None:
    page = new_context(language="kk").new_page()
    page.goto("/organizations/?q=zzzz")
    expect(page.locator(".empty-state")).to_be_visible()
    check_with_axe(page)
    page.locator(".empty-state a").click()
    expect(page.locator("ol.org-list > li")).to_have_count(4)
