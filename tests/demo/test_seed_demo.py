"""`manage.py seed_demo`: a demo world with a user for every role, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from qamqor.accounts.models import RoleAssignment, User
from qamqor.accounts.roles import Role
from qamqor.core.identifiers import is_valid_bin, is_valid_iin
from qamqor.organizations.models import Organization, OrganizationService, ServiceCondition

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_world_has_a_user_for_every_role_and_every_service_condition() -> None:
    output = run()
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    conditions = set(OrganizationService.objects.values_list("condition", flat=True))
    assert conditions == {c.value for c in ServiceCondition}
    assert User.objects.filter(is_superuser=True).count() == 1
    assert all(is_valid_iin(iin) for iin in User.objects.values_list("iin", flat=True))
    assert all(is_valid_bin(b) for b in Organization.objects.values_list("bin", flat=True))
    assert "/accounts/login/esign/" in output
    for user in User.objects.all():
        assert user.iin in output


def test_scoped_demo_roles_have_their_scope() -> None:
    run()
    officer = RoleAssignment.objects.get(role=Role.DISTRICT_OFFICER)
    assert officer.district is not None
    staff = RoleAssignment.objects.get(role=Role.ORGANIZATION_STAFF)
    assert staff.organization is not None


def test_seed_demo_is_idempotent() -> None:
    run()
    counts = (
        User.objects.count(),
        Organization.objects.count(),
        OrganizationService.objects.count(),
        RoleAssignment.objects.count(),
        Organization.history.count(),
        User.history.count(),
    )
    run()
    assert counts == (
        User.objects.count(),
        Organization.objects.count(),
        OrganizationService.objects.count(),
        RoleAssignment.objects.count(),
        Organization.history.count(),  # nothing changed, so no new history rows
        User.history.count(),
    )
