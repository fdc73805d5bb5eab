"""Roles and scopes (foundation issue, item 5; SPEC "Actors")."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from qamqor.accounts import services
from qamqor.accounts.models import RoleAssignment
from qamqor.accounts.permissions import grants_of
from qamqor.accounts.roles import ROLE_SCOPE, Role
from qamqor.core.errors import DomainError, PermissionDeniedError
from qamqor.core.models import DomainEvent
from tests.factories import DistrictFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_of_the_spec_exists() -> None:
    """SPEC Actors: the eleven roles, each with a declared scope."""
    assert {r.value for r in Role} == {
        "recipient",
        "legal_representative",
        "intake_operator",
        "district_officer",
        "social_worker",
        "organization_staff",
        "supplier",
        "registry_admin",
        "ministry",
        "quality_authority",
        "applicant_specialist",
    }
    assert set(ROLE_SCOPE) == set(Role)


def test_district_officer_is_granted_for_one_district() -> None:
    askar = UserFactory()
    district = DistrictFactory()
    assignment = services.grant_role(None, askar, Role.DISTRICT_OFFICER, district=district)
    assert assignment.district == district
    assert grants_of(askar).districts == {"district_officer": frozenset({district.pk})}
    event = DomainEvent.objects.get(verb="accounts.grant_role")
    assert event.subject_id == str(askar.pk)
    assert event.data == {"role": "district_officer", "district": district.pk, "organization": None}


@pytest.mark.parametrize(
    ("role", "kwargs", "code"),
    [
        (Role.DISTRICT_OFFICER, {}, "role.district_required"),
        (Role.SOCIAL_WORKER, {}, "role.district_required"),
        (Role.ORGANIZATION_STAFF, {}, "role.organization_required"),
        (Role.RECIPIENT, {"district": "district"}, "role.no_scope"),
    ],
)
def test_a_role_needs_exactly_its_scope(role: Role, kwargs: dict, code: str) -> None:
    user = UserFactory()
    if kwargs.get("district"):
        kwargs = {"district": DistrictFactory()}
    with pytest.raises(DomainError) as err:
        services.grant_role(None, user, role, **kwargs)
    assert err.value.code == code
    assert not RoleAssignment.objects.exists()
    assert not DomainEvent.objects.exists()


def test_database_refuses_a_role_with_the_wrong_scope() -> None:
    """The check constraint backs the service: no unscoped district officer even by hand."""
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.DISTRICT_OFFICER)


def test_granting_the_same_role_twice_is_a_no_op() -> None:
    user = UserFactory()
    first = services.grant_role(None, user, Role.MINISTRY)
    second = services.grant_role(None, user, Role.MINISTRY)
    assert first.pk == second.pk
    assert DomainEvent.objects.filter(verb="accounts.grant_role").count() == 1


def test_revoked_role_is_kept_in_history_and_no_longer_grants() -> None:
    user = UserFactory()
    org = OrganizationFactory()
    assignment = services.grant_role(None, user, Role.ORGANIZATION_STAFF, organization=org)
    assert "organization_staff" in grants_of(user).roles
    services.revoke_role(None, assignment, reason="moved to another job")
    assert grants_of(user).roles == frozenset()
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    assert assignment.history.count() == 2  # created, revoked
    assert DomainEvent.objects.filter(verb="accounts.revoke_role").get().comment == (
        "moved to another job"
    )


def test_only_platform_administrators_grant_roles() -> None:
    officer = UserFactory()
    target = UserFactory()
    with pytest.raises(PermissionDeniedError):
        services.grant_role(officer, target, Role.MINISTRY)
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert services.grant_role(admin, target, Role.MINISTRY).granted_by == admin


def test_inactive_user_has_no_grants() -> None:
    user = UserFactory()
    services.grant_role(None, user, Role.MINISTRY)
    user.is_active = False
    user.save()
    assert grants_of(user).roles == frozenset()
