"""The public registry selector (R-ORG-4) and its filters."""

from __future__ import annotations

import datetime as dt

import pytest

from qamqor.organizations.models import OrganizationStatus, ServiceCondition
from qamqor.organizations.selectors import get_public_organization, public_organizations
from tests.factories import (
    DistrictFactory,
    OrganizationFactory,
    OrganizationServiceFactory,
    PublicOrganizationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def test_only_consented_and_not_excluded_entries_are_public() -> None:
    """R-ORG-4: unconsented entries are not public; R-ORG-3: excluded ones neither."""
    shown = PublicOrganizationFactory()
    suspended = PublicOrganizationFactory(status=OrganizationStatus.SUSPENDED)
    OrganizationFactory()  # no consent
    PublicOrganizationFactory(
        status=OrganizationStatus.EXCLUDED, excluded_on=dt.date(2026, 1, 1), exclusion_basis="x"
    )
    assert set(public_organizations()) == {shown, suspended}


def test_search_by_name_and_bin() -> None:
    meyirim = PublicOrganizationFactory(name_kk="«Мейірім» орталығы", name_ru="Центр «Милосердие»")
    other = PublicOrganizationFactory(name_kk="Басқа", name_ru="Другой")
    assert list(public_organizations(q="Мейірім")) == [meyirim]
    assert list(public_organizations(q="Милосердие")) == [meyirim]
    assert (
        list(public_organizations(q=other.bin[:9])) == [other] or other.bin[:9] == meyirim.bin[:9]
    )
    assert list(public_organizations(q=other.bin)) == [other]


def test_search_ignores_case_in_kazakh_and_russian_on_every_database() -> None:
    """R-ORG-4: "ҚАРТТАР" finds "қарттар", "милосердие" finds "Милосердие", also on SQLite
    (whose LIKE folds only ASCII letters)."""
    home = PublicOrganizationFactory(name_kk="Қарттар үйі «Әже»", name_ru="Дом «Милосердие»")
    PublicOrganizationFactory(name_kk="Басқа", name_ru="Другой")

    for q in ("ҚАРТТАР", "қарттар", "әже", "ӘЖЕ", "милосердие", "МИЛОСЕРДИЕ"):
        assert list(public_organizations(q=q)) == [home], q


def test_filters_by_region_district_condition_category_vacancy() -> None:
    """R-ORG-2.4–2.6: filters by place, condition, category and (for now) capacity above 0."""
    karaganda = DistrictFactory(region=RegionFactory(kato="35", name_kk="Қарағанды"))
    elderly_home = PublicOrganizationFactory(district=karaganda, categories=["elderly"])
    OrganizationServiceFactory(organization=elderly_home, condition=ServiceCondition.STATIONARY)
    children = PublicOrganizationFactory(categories=["child_psychoneuro", "homeless"])
    OrganizationServiceFactory(
        organization=children, condition=ServiceCondition.AT_HOME, capacity=0
    )

    assert list(public_organizations(region="35")) == [elderly_home]
    assert list(public_organizations(district=karaganda.slug)) == [elderly_home]
    assert list(public_organizations(category="elderly")) == [elderly_home]
    assert list(public_organizations(category="homeless")) == [children]
    assert list(public_organizations(condition="stationary")) == [elderly_home]
    assert list(public_organizations(condition="at_home")) == []  # capacity 0: not offered
    assert list(public_organizations(has_vacancy=True)) == [elderly_home]


def test_public_detail_is_not_found_for_unconsented() -> None:
    """R-ORG-4: an unconsented entry is 404 to the public."""
    from qamqor.core.errors import NotFoundError

    org = OrganizationFactory()
    with pytest.raises(NotFoundError):
        get_public_organization(org.pk)
    shown = PublicOrganizationFactory()
    assert get_public_organization(shown.pk) == shown
