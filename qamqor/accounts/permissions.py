"""The one place that decides "may this user do X to this object".

Every app declares its permissions in its ``rules.py`` with the predicates below (django-rules);
views, the API and services all ask through ``can()`` / ``require()`` (or ``user.has_perm``),
never by looking at roles themselves. Scope predicates compare the object's district or
organization with the user's active role assignments, which are read once per user object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.roles import Role
from qamqor.core import hotsql
from qamqor.core.errors import PermissionDeniedError


@dataclass(frozen=True)
class Grants:
    roles: frozenset[str]
    districts: dict[str, frozenset[int]]  # role -> district ids
    organizations: dict[str, frozenset[int]]  # role -> organization ids
    suppliers: dict[str, frozenset[int]] = field(default_factory=dict)  # role -> supplier ids


_EMPTY = Grants(frozenset(), {}, {})


def grants_of(user: Any) -> Grants:
    """The user's active roles and scopes, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_qamqor_grants", None)
    if cached is not None:
        return cached
    roles_: set[str] = set()
    districts: dict[str, set[int]] = {}
    organizations: dict[str, set[int]] = {}
    suppliers: dict[str, set[int]] = {}
    for role, district_id, organization_id, supplier_id in _active_assignments(user.pk):
        roles_.add(role)
        if district_id:
            districts.setdefault(role, set()).add(district_id)
        if organization_id:
            organizations.setdefault(role, set()).add(organization_id)
        if supplier_id:
            suppliers.setdefault(role, set()).add(supplier_id)
    grants = Grants(
        frozenset(roles_),
        {k: frozenset(v) for k, v in districts.items()},
        {k: frozenset(v) for k, v in organizations.items()},
        {k: frozenset(v) for k, v in suppliers.items()},
    )
    user._qamqor_grants = grants
    return grants


def _active_assignments(user_id: int) -> list[Any]:
    """(role, district, organization, supplier) of the user's roles not revoked: the ORM's
    ``user.role_assignments.filter(revoked_at__isnull=True).values_list(...)`` in SQL, read on
    every logged-in page (qamqor.core.hotsql)."""
    from qamqor.accounts.models import RoleAssignment

    table = RoleAssignment._meta.db_table

    def build(q: Callable[[str], str]) -> str:
        columns = ", ".join(q(c) for c in ("role", "district_id", "organization_id", "supplier_id"))
        return (
            f"SELECT {columns} FROM {q(table)} "  # noqa: S608  # nosec B608
            f"WHERE {q('user_id')} = %s AND {q('revoked_at')} IS NULL"
        )

    return hotsql.fetch("accounts.active_assignments", build, [user_id])


def forget_grants(user: Any) -> None:
    if hasattr(user, "_qamqor_grants"):
        del user._qamqor_grants


def has_role(*roles: Role) -> rules.Predicate:
    wanted = frozenset(str(r) for r in roles)
    names = "_".join(sorted(wanted))

    @rules.predicate(name=f"has_role:{names}")
    def predicate(user: Any) -> bool:
        return bool(grants_of(user).roles & wanted)

    return predicate


def in_district(*roles: Role) -> rules.Predicate:
    """The object (or its ``district_id``) lies in a district where the user holds one of roles."""
    wanted = [str(r) for r in roles]

    @rules.predicate(name=f"in_district:{'_'.join(wanted)}")
    def predicate(user: Any, obj: Any) -> bool:
        district_id = getattr(obj, "district_id", None)
        if district_id is None:
            return False
        grants = grants_of(user)
        return any(district_id in grants.districts.get(r, frozenset()) for r in wanted)

    return predicate


def in_organization(*roles: Role) -> rules.Predicate:
    """The object is (or belongs to) an organization where the user holds one of roles."""
    wanted = [str(r) for r in roles]

    @rules.predicate(name=f"in_organization:{'_'.join(wanted)}")
    def predicate(user: Any, obj: Any) -> bool:
        org_id = getattr(obj, "organization_id", None)
        if (
            org_id is None
            and obj is not None
            and obj._meta.label_lower == ("organizations.organization")
        ):
            org_id = obj.pk
        if org_id is None:
            return False
        grants = grants_of(user)
        return any(org_id in grants.organizations.get(r, frozenset()) for r in wanted)

    return predicate


@rules.predicate
def is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def can(user: Any, perm: str, obj: Any = None) -> bool:
    """May ``user`` do ``perm`` (``"app.action_model"``) to ``obj``?"""
    return bool(rules.has_perm(perm, user, obj)) or bool(
        getattr(user, "is_superuser", False) and getattr(user, "is_active", False)
    )


def require(user: Any, perm: str, obj: Any = None) -> None:
    if not can(user, perm, obj):
        raise PermissionDeniedError("permission.denied", _("You may not do this."))


def district_ids(user: Any, *roles: Role) -> frozenset[int]:
    grants = grants_of(user)
    ids: set[int] = set()
    for r in roles:
        ids |= grants.districts.get(str(r), frozenset())
    return frozenset(ids)


def organization_ids(user: Any, *roles: Role) -> frozenset[int]:
    grants = grants_of(user)
    ids: set[int] = set()
    for r in roles:
        ids |= grants.organizations.get(str(r), frozenset())
    return frozenset(ids)


def supplier_ids(user: Any, *roles: Role) -> frozenset[int]:
    """The suppliers (cabinet.Supplier ids) the user acts for in one of ``roles`` (R-POR-1)."""
    grants = grants_of(user)
    ids: set[int] = set()
    for r in roles or (Role.SUPPLIER,):
        ids |= grants.suppliers.get(str(r), frozenset())
    return frozenset(ids)


# --- Legal representatives (issue 3, item 6: R-QUE-5, R-SVC-1) --------------------------------
# Staff who meet the person and see the documents register (and end) a representation.
# Platform administrators pass through ``can()``.
may_register_representative = has_role(
    Role.INTAKE_OPERATOR, Role.DISTRICT_OFFICER, Role.REGISTRY_ADMIN
)
rules.add_perm("accounts.register_representative", may_register_representative)
