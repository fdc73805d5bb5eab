"""The one permission chokepoint and object scoping (foundation issue, item 5)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from qamqor.accounts import services
from qamqor.accounts.permissions import can, require
from qamqor.accounts.roles import Role
from qamqor.core.errors import NotFoundError, PermissionDeniedError
from qamqor.organizations.selectors import get_organization_for, organizations_for
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_organizations():
    return OrganizationFactory(), OrganizationFactory()


def staff_of(org):
    user = UserFactory()
    services.grant_role(None, user, Role.ORGANIZATION_STAFF, organization=org)
    return user


def test_organization_staff_sees_only_its_own_organization(two_organizations) -> None:
    own, other = two_organizations
    elena = staff_of(own)
    assert list(organizations_for(elena)) == [own]
    assert get_organization_for(elena, own.pk) == own
    with pytest.raises(NotFoundError):
        get_organization_for(elena, other.pk)  # someone else's object: 404, not a leak


def test_staff_may_edit_contacts_of_own_organization_only(two_organizations) -> None:
    own, other = two_organizations
    elena = staff_of(own)
    assert can(elena, "organizations.change_organization_contacts", own)
    assert not can(elena, "organizations.change_organization_contacts", other)
    assert not can(elena, "organizations.change_organization", own)


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.REGISTRY_ADMIN])
def test_ministry_and_registry_admin_see_every_organization(two_organizations, role) -> None:
    user = UserFactory()
    services.grant_role(None, user, role)
    assert set(organizations_for(user)) == set(two_organizations)
    assert all(can(user, "organizations.view_organization", o) for o in two_organizations)


@pytest.mark.parametrize(
    "role", [Role.RECIPIENT, Role.SUPPLIER, Role.APPLICANT_SPECIALIST, Role.QUALITY_AUTHORITY]
)
def test_other_roles_see_no_unpublished_organization(two_organizations, role) -> None:
    user = UserFactory()
    services.grant_role(None, user, role)
    assert list(organizations_for(user)) == []
    assert not can(user, "organizations.view_organization", two_organizations[0])


def test_anonymous_may_do_nothing(two_organizations) -> None:
    anonymous = AnonymousUser()
    assert not can(anonymous, "organizations.view_organization", two_organizations[0])
    with pytest.raises(PermissionDeniedError) as err:
        require(anonymous, "organizations.change_organization", two_organizations[0])
    assert err.value.code == "permission.denied"


def test_grants_are_read_once_per_user_object(two_organizations, django_assert_num_queries):
    own, _ = two_organizations
    elena = staff_of(own)
    elena = type(elena).objects.get(pk=elena.pk)
    with django_assert_num_queries(1):
        for _i in range(5):
            can(elena, "organizations.change_organization_contacts", own)
