"""Personas of the registry tests."""

from __future__ import annotations

import pytest

from qamqor.accounts import services
from qamqor.accounts.roles import Role
from tests.factories import DistrictFactory, OrganizationFactory, UserFactory


def person(role: Role, **scope):
    user = UserFactory()
    services.grant_role(None, user, role, **scope)
    return user


@pytest.fixture
def meyirim():
    """An organization (not yet consented to publication)."""
    return OrganizationFactory(name_kk="«Мейірім» орталығы", name_ru="Центр «Мейірім»")


@pytest.fixture
def elena_staff(meyirim):
    return person(Role.ORGANIZATION_STAFF, organization=meyirim)


@pytest.fixture
def other_staff():
    return person(Role.ORGANIZATION_STAFF, organization=OrganizationFactory())


@pytest.fixture
def aizhan_admin():
    return person(Role.REGISTRY_ADMIN)


@pytest.fixture
def erzhan_ministry():
    return person(Role.MINISTRY)


@pytest.fixture
def askar_officer():
    return person(Role.DISTRICT_OFFICER, district=DistrictFactory())
