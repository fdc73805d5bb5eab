"""Issue 9: the public registry's content is cached (qamqor.core.pagecache) and changes as soon as
the data it shows changes, in both languages; the personal header is never cached."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qamqor.accounts import services as account_services
from qamqor.accounts.roles import Role
from qamqor.core.history import audited_update
from qamqor.organizations.models import Organization, OrganizationService
from tests.factories import (
    DistrictFactory,
    OrganizationServiceFactory,
    PublicOrganizationFactory,
    RegionFactory,
    UserFactory,
)
from tests.journal.factories import admit, new_person

pytestmark = pytest.mark.django_db

REGISTRY = "/organizations/"


def names_on(response) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


def get(client, path: str, language: str):
    client.cookies["qamqor_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    return response


def org_queries(client, path: str, language: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        get(client, path, language)
    return sum("organizations_organization" in q["sql"] for q in ctx.captured_queries)


@pytest.fixture
def shapagat():
    org = PublicOrganizationFactory(
        name_kk="«Шапағат» қарттар үйі",
        name_ru="Дом престарелых «Шапагат»",
        district=DistrictFactory(region=RegionFactory()),
    )
    OrganizationServiceFactory(organization=org, capacity=1)
    return org


def test_a_repeated_search_is_served_from_the_cache(client, shapagat) -> None:
    assert org_queries(client, REGISTRY + "?q=Шапағат", "kk") >= 1
    assert org_queries(client, REGISTRY + "?q=Шапағат", "kk") == 0
    # Another question, another entry.
    assert org_queries(client, REGISTRY + "?q=Шапағат&sort=district", "kk") >= 1


def test_a_renamed_entry_shows_its_new_name_in_both_languages(client, shapagat) -> None:
    assert names_on(get(client, REGISTRY, "kk")) == ["«Шапағат» қарттар үйі"]
    assert names_on(get(client, REGISTRY, "ru")) == ["Дом престарелых «Шапагат»"]
    shapagat.name_kk = "«Шапағат» орталығы"
    shapagat.name_ru = "Центр «Шапагат»"
    shapagat.save()
    assert names_on(get(client, REGISTRY, "kk")) == ["«Шапағат» орталығы"]
    assert names_on(get(client, REGISTRY, "ru")) == ["Центр «Шапагат»"]


def test_each_language_has_its_own_entry(client, shapagat) -> None:
    kk = get(client, REGISTRY, "kk").content.decode()
    ru = get(client, REGISTRY, "ru").content.decode()
    assert "Дом престарелых «Шапагат»" in ru and "Дом престарелых «Шапагат»" not in kk
    assert "«Шапағат» қарттар үйі" in kk


def test_an_entry_withdrawn_by_a_set_based_write_leaves_the_page(client, shapagat) -> None:
    assert names_on(get(client, REGISTRY, "kk")) == ["«Шапағат» қарттар үйі"]
    audited_update(Organization.objects.filter(pk=shapagat.pk), publication_consent=False)
    assert names_on(get(client, REGISTRY, "kk")) == []
    assert names_on(get(client, REGISTRY, "ru")) == []


def test_a_new_public_entry_appears(client, shapagat) -> None:
    assert len(names_on(get(client, REGISTRY, "ru"))) == 1
    PublicOrganizationFactory(name_kk="«Жаңа» үйі", name_ru="Дом «Новый»")
    assert "Дом «Новый»" in names_on(get(client, REGISTRY, "ru"))


def places_on(response) -> list[str]:
    return re.findall(r"<li>[^<:]+: (\d+) ", response.content.decode())


def test_a_changed_capacity_shows_at_once(client, shapagat) -> None:
    assert places_on(get(client, REGISTRY, "ru")) == ["1"]
    service = OrganizationService.objects.get(organization=shapagat)
    service.capacity = 75
    service.save()
    assert places_on(get(client, REGISTRY, "ru")) == ["75"]
    assert places_on(get(client, REGISTRY, "kk")) == ["75"]


@time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC), tick=True)
def test_an_admission_that_fills_the_last_place_removes_the_vacancy(client, shapagat) -> None:
    vacancy = REGISTRY + "?has_vacancy=on"
    assert names_on(get(client, vacancy, "kk")) == ["«Шапағат» қарттар үйі"]
    staff = UserFactory()
    account_services.grant_role(None, staff, Role.ORGANIZATION_STAFF, organization=shapagat)
    admit(staff, shapagat, new_person())
    assert names_on(get(client, vacancy, "kk")) == []
    assert names_on(get(client, vacancy, "ru")) == []


def test_a_renamed_region_changes_the_search_form(client, shapagat) -> None:
    region = shapagat.district.region
    assert region.name_ru in get(client, REGISTRY, "ru").content.decode()
    region.name_ru = "Город Астана (новое название)"
    region.save()
    assert "Город Астана (новое название)" in get(client, REGISTRY, "ru").content.decode()


def test_the_header_is_never_cached_across_users(client, shapagat) -> None:
    user = UserFactory(surname="Кешбаев", given_name="Ерлан")
    client.force_login(user)
    assert "Кешбаев" in get(client, REGISTRY, "kk").content.decode()
    client.logout()
    anonymous = get(client, REGISTRY, "kk").content.decode()
    assert "Кешбаев" not in anonymous
    assert names_on(get(client, REGISTRY, "kk")) == ["«Шапағат» қарттар үйі"]


def test_the_pagination_links_are_those_of_the_request(client, shapagat) -> None:
    for i in range(25):
        PublicOrganizationFactory(name_kk=f"Үй {i:02d}", name_ru=f"Дом {i:02d}")
    first = get(client, REGISTRY + "?sort=name", "kk").content.decode()
    other = get(client, REGISTRY + "?sort=name&utm=x", "kk").content.decode()
    assert "utm=x" not in first
    assert "utm=x" in other


# --- The public page of one entry (issue 9: "an organization page with vacancies") ---------------


def detail_of(org) -> str:
    return f"/organizations/{org.pk}/"


def title_of(response) -> str:
    return re.search(r"<title>([^<]*)</title>", response.content.decode()).group(1)


def test_a_repeated_entry_page_is_served_from_the_cache(client, shapagat) -> None:
    assert org_queries(client, detail_of(shapagat), "kk") >= 1
    assert org_queries(client, detail_of(shapagat), "kk") == 0
    assert org_queries(client, detail_of(shapagat), "ru") >= 1  # each language its own


def test_the_entry_page_shows_a_rename_and_a_new_capacity_at_once(client, shapagat) -> None:
    kk = get(client, detail_of(shapagat), "kk")
    assert "«Шапағат» қарттар үйі" in title_of(kk)
    assert places_on(kk) == ["1"]
    shapagat.name_kk = "«Шапағат» орталығы"
    shapagat.save()
    service = OrganizationService.objects.get(organization=shapagat)
    service.capacity = 40
    service.save()
    kk = get(client, detail_of(shapagat), "kk")
    assert "«Шапағат» орталығы" in title_of(kk)
    assert "<h1>«Шапағат» орталығы</h1>" in kk.content.decode()
    assert places_on(kk) == ["40"]


def test_an_entry_withdrawn_after_it_was_cached_is_gone(client, shapagat) -> None:
    get(client, detail_of(shapagat), "ru")
    audited_update(Organization.objects.filter(pk=shapagat.pk), publication_consent=False)
    client.cookies["qamqor_language"] = "ru"
    assert client.get(detail_of(shapagat)).status_code == 404
    # A 404 is never cached: consent given again, the page is back.
    audited_update(Organization.objects.filter(pk=shapagat.pk), publication_consent=True)
    assert "Дом престарелых «Шапагат»" in get(client, detail_of(shapagat), "ru").content.decode()


def test_the_entry_page_header_is_personal(client, shapagat) -> None:
    client.force_login(UserFactory(surname="Кешбаев", given_name="Ерлан"))
    assert "Кешбаев" in get(client, detail_of(shapagat), "kk").content.decode()
    client.logout()
    assert "Кешбаев" not in get(client, detail_of(shapagat), "kk").content.decode()
