"""Pages of the registry of organizations: the public registry (R-ORG-4) and the back office."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from qamqor.accounts.roles import Role
from qamqor.organizations import services
from qamqor.organizations.models import OrganizationStatus, ServiceCondition
from tests.factories import (
    DistrictFactory,
    OrganizationFactory,
    OrganizationServiceFactory,
    PublicOrganizationFactory,
    RegionFactory,
)
from tests.organizations.conftest import person

pytestmark = pytest.mark.django_db

REGISTRY = "/organizations/"
STAFF = "/organizations/staff/"


def names_on(response) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


@pytest.fixture
def karaganda():
    return DistrictFactory(
        region=RegionFactory(
            kato="35", name_kk="Қарағанды облысы", name_ru="Карагандинская область"
        ),
        name_kk="Теміртау қаласы",
        name_ru="город Темиртау",
    )


@pytest.fixture
def shapagat(karaganda):
    """A public stationary home for elderly people in Karaganda region, with places."""
    org = PublicOrganizationFactory(
        name_kk="«Шапағат» қарттар үйі",
        name_ru="Дом престарелых «Шапагат»",
        district=karaganda,
        categories=["elderly"],
        phone="+77212123456",
        email="shapagat@example.kz",
        licence_valid_until=dt.date(2030, 3, 1),
        contract_signed_on=dt.date(2025, 5, 5),
        contract_valid_until=dt.date(2026, 12, 31),
    )
    OrganizationServiceFactory(organization=org, condition=ServiceCondition.STATIONARY, capacity=80)
    return org


def test_public_list_shows_only_public_entries(client, shapagat) -> None:
    """R-ORG-4: only consented, non-excluded entries appear, without a login."""
    OrganizationFactory(name_kk="Келісімсіз ұйым")
    PublicOrganizationFactory(
        name_kk="Шығарылған ұйым",
        status=OrganizationStatus.EXCLUDED,
        excluded_on=dt.date(2026, 1, 1),
        exclusion_basis="Лицензия тоқтатылды",
    )
    response = client.get(REGISTRY)
    assert response.status_code == 200
    assert names_on(response) == ["«Шапағат» қарттар үйі"]


def test_names_follow_the_active_language_english_falls_back_to_russian(client, shapagat) -> None:
    """R-ORG-5 (kk and ru): names in the active language; there is no English name."""
    assert names_on(client.get(REGISTRY, HTTP_ACCEPT_LANGUAGE="kk")) == ["«Шапағат» қарттар үйі"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert names_on(client.get(REGISTRY)) == ["Дом престарелых «Шапагат»"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert names_on(client.get(REGISTRY)) == ["Дом престарелых «Шапагат»"]


def test_filters_combine(client, shapagat, karaganda) -> None:
    """R-ORG-4: search, region, district, condition, category and vacancies narrow the list."""
    children = PublicOrganizationFactory(
        name_kk="Балалар орталығы", district=karaganda, categories=["child_psychoneuro"]
    )
    OrganizationServiceFactory(organization=children, condition=ServiceCondition.SEMI_STATIONARY)
    elsewhere = PublicOrganizationFactory(name_kk="Астана қарттар үйі", categories=["elderly"])
    OrganizationServiceFactory(organization=elsewhere)

    def found(**params) -> list[str]:
        return names_on(client.get(REGISTRY, params))

    assert found(q="Шапағат") == ["«Шапағат» қарттар үйі"]
    assert found(q=shapagat.bin) == ["«Шапағат» қарттар үйі"]
    # Sets where two names meet: collations differ on « between SQLite and PostgreSQL.
    assert set(found(region="35")) == {"Балалар орталығы", "«Шапағат» қарттар үйі"}
    assert found(region="35", district=karaganda.slug, condition="stationary") == [
        "«Шапағат» қарттар үйі"
    ]
    assert set(found(category="elderly", has_vacancy="on")) == {
        "Астана қарттар үйі",
        "«Шапағат» қарттар үйі",
    }
    assert found(category="child_psychoneuro", condition="semi_stationary") == ["Балалар орталығы"]


def test_district_options_are_those_of_the_chosen_region(client, karaganda) -> None:
    """Server-side filtering of the district list (works without JavaScript)."""
    astana_district = DistrictFactory(name_kk="Есіл ауданы")
    page = client.get(REGISTRY).content.decode()
    assert karaganda.slug not in page and astana_district.slug not in page
    page = client.get(REGISTRY, {"region": "35"}).content.decode()
    assert f'value="{karaganda.slug}"' in page
    assert astana_district.slug not in page


def test_a_district_of_another_region_is_an_error_not_a_500(client, karaganda) -> None:
    other = DistrictFactory()
    response = client.get(REGISTRY, {"region": "35", "district": other.slug})
    assert response.status_code == 200
    assert response.context["form"].errors["district"]


def test_sorting_by_name_and_by_district(client) -> None:
    a_district = DistrictFactory(name_kk="Абай ауданы")
    z_district = DistrictFactory(name_kk="Ұлан ауданы")
    PublicOrganizationFactory(name_kk="Бірінші", district=z_district)
    PublicOrganizationFactory(name_kk="Екінші", district=a_district)
    assert names_on(client.get(REGISTRY, {"sort": "name"})) == ["Бірінші", "Екінші"]
    assert names_on(client.get(REGISTRY, {"sort": "district"})) == ["Екінші", "Бірінші"]


def test_pagination_twenty_per_page_with_current_page_marked(client) -> None:
    PublicOrganizationFactory.create_batch(45)
    first = client.get(REGISTRY, {"region": "71"})
    assert len(names_on(first)) == 20
    body = first.content.decode()
    assert 'aria-current="page"' in body
    assert "?region=71&amp;page=3" in body
    third = client.get(REGISTRY, {"region": "71", "page": "3"})
    assert len(names_on(third)) == 5
    assert client.get(REGISTRY, {"page": "nonsense"}).status_code == 200


def test_result_count_uses_plural_forms(client) -> None:
    """The count is a whole sentence with the plural forms of the language (three in Russian)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    PublicOrganizationFactory()
    assert "1 organization found" in client.get(REGISTRY).content.decode()
    PublicOrganizationFactory()
    assert "2 organizations found" in client.get(REGISTRY).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert "Найдено 2 организации" in client.get(REGISTRY).content.decode()
    for _ in range(3):
        PublicOrganizationFactory()
    assert "Найдено 5 организаций" in client.get(REGISTRY).content.decode()


def test_empty_state_offers_a_reset_link(client, shapagat) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(REGISTRY, {"q": "жоқ ұйым"})
    body = response.content.decode()
    assert names_on(response) == []
    assert "No organizations match your search." in body
    assert f'href="{REGISTRY}"' in body


def test_list_page_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries
) -> None:
    """STYLE (tests): a bounded number of queries on the list page, whatever the page size."""
    for org in PublicOrganizationFactory.create_batch(25):
        OrganizationServiceFactory(organization=org)
    with django_assert_max_num_queries(6):
        response = client.get(
            REGISTRY, {"region": "71", "has_vacancy": "on", "category": "elderly"}
        )
    assert len(names_on(response)) == 20


def test_detail_shows_every_public_field_with_long_dates(client, shapagat) -> None:
    """R-ORG-2: every public field of the entry; dates written out in the active language."""
    body = client.get(reverse("organizations:detail", args=[shapagat.pk])).content.decode()
    for text in (
        "«Шапағат» қарттар үйі",
        "Дом престарелых «Шапагат»",
        shapagat.bin,
        shapagat.legal_address,
        "Теміртау қаласы",
        "shapagat@example.kz",
        "+77212123456",
        shapagat.licence_number,
        "2025 жылғы 1 наурыз",  # licence issued and included
        "2030 жылғы 1 наурыз",  # valid until
        "2025 жылғы 5 мамыр",  # contract signed
        "2026 жылғы 31 желтоқсан",  # contract term
    ):
        assert text in body, text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    body = client.get(reverse("organizations:detail", args=[shapagat.pk])).content.decode()
    assert "1 марта 2025 г." in body


def test_detail_of_an_unconsented_or_excluded_entry_is_404(client) -> None:
    """R-ORG-4: without consent the entry does not exist for the public."""
    hidden = OrganizationFactory()
    excluded = PublicOrganizationFactory(
        status=OrganizationStatus.EXCLUDED, excluded_on=dt.date(2026, 1, 1), exclusion_basis="x"
    )
    assert client.get(reverse("organizations:detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("organizations:detail", args=[excluded.pk])).status_code == 404


# --- Back office ----------------------------------------------------------------------------


def test_staff_list_requires_login(client) -> None:
    response = client.get(STAFF)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", [Role.RECIPIENT, Role.SOCIAL_WORKER, Role.SUPPLIER])
def test_other_roles_are_refused_the_staff_list(client, role) -> None:
    scope = {"district": DistrictFactory()} if role == Role.SOCIAL_WORKER else {}
    client.force_login(person(role, **scope))
    assert client.get(STAFF).status_code == 403
    assert client.get("/organizations/staff/export.csv").status_code == 403


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.REGISTRY_ADMIN])
def test_ministry_and_registry_admin_see_every_entry_with_status_filter(client, role) -> None:
    """R-ORG-3, R-ORG-4: excluded and unconsented entries are visible to authorised roles."""
    public = PublicOrganizationFactory(name_kk="Ашық")
    hidden = OrganizationFactory(name_kk="Жасырын")
    excluded = OrganizationFactory(
        name_kk="Шығарылған",
        status=OrganizationStatus.EXCLUDED,
        excluded_on=dt.date(2026, 1, 1),
        exclusion_basis="Лицензия тоқтатылды",
    )
    client.force_login(person(role))
    assert names_on(client.get(STAFF)) == [public.name_kk, hidden.name_kk, excluded.name_kk]
    assert names_on(client.get(STAFF, {"status": "excluded"})) == [excluded.name_kk]
    detail = client.get(reverse("organizations:staff_detail", args=[excluded.pk]))
    assert detail.status_code == 200
    assert "Лицензия тоқтатылды" in detail.content.decode()


def test_district_officers_read_the_whole_registry_and_change_nothing(client) -> None:
    """R-ORG-4: a district officer is an authorised role: every entry, also unconsented ones and
    ones outside the district, read only (no contacts or consent form, a POST is refused)."""
    hidden = OrganizationFactory(name_kk="Жасырын")
    client.force_login(person(Role.DISTRICT_OFFICER, district=DistrictFactory()))

    assert names_on(client.get(STAFF)) == [hidden.name_kk]
    page = client.get(reverse("organizations:staff_detail", args=[hidden.pk])).content.decode()
    assert 'name="phone"' not in page
    assert 'name="consented"' not in page and 'name="consent"' not in page
    refused = client.post(
        reverse("organizations:staff_contacts", args=[hidden.pk]), {"phone": "+77011112233"}
    )
    assert refused.status_code in (403, 404)
    hidden.refresh_from_db()
    assert str(hidden.phone or "") != "+77011112233"


def test_organization_staff_see_only_their_own_entry(client, meyirim, elena_staff) -> None:
    other = PublicOrganizationFactory()
    client.force_login(elena_staff)
    assert names_on(client.get(STAFF)) == [meyirim.name_kk]
    assert client.get(reverse("organizations:staff_detail", args=[meyirim.pk])).status_code == 200
    assert client.get(reverse("organizations:staff_detail", args=[other.pk])).status_code == 404


def test_staff_detail_shows_history_newest_first_with_actor(
    client, meyirim, elena_staff, aizhan_admin
) -> None:
    """R-ORG-3: every change is kept, with who and when."""
    services.update_contacts(elena_staff, meyirim, phone="+77012345678", email="a@b.kz")
    client.force_login(aizhan_admin)
    response = client.get(reverse("organizations:staff_detail", args=[meyirim.pk]))
    history = response.context["history"]
    assert [entry.kind for entry in history] == ["~", "+"]
    assert history[0].actor == elena_staff
    assert len(history[0].changed_fields) == 2  # phone and e-mail
    assert elena_staff.get_full_name() in response.content.decode()


def test_staff_list_query_count(client, aizhan_admin, django_assert_max_num_queries) -> None:
    for org in OrganizationFactory.create_batch(25):
        OrganizationServiceFactory(organization=org)
    client.force_login(aizhan_admin)
    with django_assert_max_num_queries(11):  # + the unread notifications of the header
        response = client.get(STAFF)
    assert len(names_on(response)) == 20
