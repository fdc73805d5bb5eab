"""The supplier scope on role grants (R-POR-1; the change this issue makes in accounts)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from qamqor.accounts.models import RoleAssignment
from qamqor.accounts.permissions import grants_of, supplier_ids
from qamqor.accounts.roles import ROLE_SCOPE, Role, Scope
from qamqor.accounts.services import grant_role
from qamqor.core.errors import DomainError
from qamqor.core.models import DomainEvent
from tests.cabinet.factories import SupplierFactory
from tests.factories import DistrictFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_supplier_role_is_scoped_to_a_supplier() -> None:
    assert ROLE_SCOPE[Role.SUPPLIER] == Scope.SUPPLIER
    timur, supplier = UserFactory(), SupplierFactory()
    assignment = grant_role(None, timur, Role.SUPPLIER, supplier=supplier)
    assert assignment.supplier == supplier
    assert grants_of(timur).suppliers == {"supplier": frozenset({supplier.pk})}
    assert supplier_ids(timur) == frozenset({supplier.pk})
    event = DomainEvent.objects.filter(verb="accounts.grant_role").latest("id")
    assert event.data["supplier"] == supplier.pk


def test_an_unlinked_supplier_grant_is_allowed_and_sees_no_supplier() -> None:
    """Migration-safe: grants made before the scope existed stay valid."""
    timur = UserFactory()
    grant_role(None, timur, Role.SUPPLIER)
    assert supplier_ids(timur) == frozenset()


@pytest.mark.parametrize(
    ("role", "kwargs", "code"),
    [
        (Role.RECIPIENT, "supplier", "role.no_supplier_scope"),
        (Role.DISTRICT_OFFICER, "supplier+district", "role.no_supplier_scope"),
        (Role.SUPPLIER, "district", "role.supplier_scope"),
    ],
)
def test_only_the_supplier_role_carries_a_supplier(role: Role, kwargs: str, code: str) -> None:
    args = {}
    if "supplier" in kwargs:
        args["supplier"] = SupplierFactory()
    if "district" in kwargs:
        args["district"] = DistrictFactory()
    with pytest.raises(DomainError) as refused:
        grant_role(None, UserFactory(), role, **args)
    assert refused.value.code == code
    assert not RoleAssignment.objects.exists()


def test_the_database_refuses_a_supplier_on_another_role() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=UserFactory(), role=Role.RECIPIENT, supplier=SupplierFactory()
        )
