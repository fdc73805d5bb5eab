"""Commands on users and roles. Each is one transaction with history and a domain event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.models import LoginNonce, OneTimeCode, RoleAssignment, User
from qamqor.accounts.permissions import forget_grants
from qamqor.accounts.roles import ROLE_SCOPE, Role, Scope
from qamqor.core.audit import record_event
from qamqor.core.errors import DomainError, PermissionDeniedError
from qamqor.core.history import acting_as


def _require_role_admin(actor: Any) -> None:
    # Roles are granted by platform administrators (superusers) or by the system (actor None:
    # commands, imports). Feature issues may widen this through accounts/rules.py.
    if actor is not None and not (actor.is_active and actor.is_superuser):
        raise PermissionDeniedError("permission.denied", _("You may not grant or revoke roles."))


@transaction.atomic
def grant_role(
    actor: User | None,
    user: User,
    role: Role | str,
    *,
    district: Any = None,
    organization: Any = None,
    supplier: Any = None,
) -> RoleAssignment:
    """Give ``user`` a role with the scope the role needs (a district for local executive body
    staff, an organization for organization staff, a supplier for supplier staff: R-POR-1).
    Granting an active role again is a no-op."""
    _require_role_admin(actor)
    role = Role(role)
    scope = ROLE_SCOPE[role]
    if scope == Scope.DISTRICT and (district is None or organization is not None):
        raise DomainError(
            "role.district_required",
            _("This role is given for one district: choose the district."),
            field="district",
        )
    if scope == Scope.ORGANIZATION and (organization is None or district is not None):
        raise DomainError(
            "role.organization_required",
            _("This role is given for one organization: choose the organization."),
            field="organization",
        )
    if supplier is not None and scope != Scope.SUPPLIER:
        raise DomainError(
            "role.no_supplier_scope", _("Only the supplier role is given for a supplier.")
        )
    if scope == Scope.SUPPLIER and (district is not None or organization is not None):
        raise DomainError(
            "role.supplier_scope", _("The supplier role is given for a supplier, not a district.")
        )
    if scope == Scope.NONE and (district is not None or organization is not None):
        raise DomainError(
            "role.no_scope", _("This role is not limited to a district or an organization.")
        )
    # Lock the user's row so two concurrent grants cannot create the same assignment twice.
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = RoleAssignment.objects.filter(
        user=user,
        role=role,
        district=district,
        organization=organization,
        supplier=supplier,
        revoked_at__isnull=True,
    ).first()
    if existing is not None:
        return existing
    with acting_as(actor):
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role,
            district=district,
            organization=organization,
            supplier=supplier,
            granted_by=actor,
        )
        record_event(
            "accounts.grant_role",
            user,
            actor=actor,
            data={
                "role": str(role),
                "district": getattr(district, "pk", None),
                "organization": getattr(organization, "pk", None),
                **({"supplier": supplier.pk} if supplier is not None else {}),
            },
        )
    forget_grants(user)
    return assignment


@transaction.atomic
def revoke_role(actor: User | None, assignment: RoleAssignment, *, reason: str = "") -> None:
    """End a role assignment. It stays in the history; nothing is deleted."""
    _require_role_admin(actor)
    locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.revoked_at is not None:
        return
    with acting_as(actor):
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        record_event(
            "accounts.revoke_role",
            locked.user,
            actor=actor,
            comment=reason,
            data={"role": locked.role, "assignment": locked.pk},
        )
    forget_grants(locked.user)
    forget_grants(assignment.user)
    assignment.revoked_at = locked.revoked_at


@transaction.atomic
def end_all_sessions(user: User) -> None:
    """Log out everywhere: rotate the user's session salt, which is part of the session hash
    (accounts/session_hash.py), so every session of theirs, on every device, ends on its next
    request. The password is not changed."""
    import secrets

    with acting_as(user):
        user.session_salt = secrets.token_hex(16)
        user.save(update_fields=["session_salt", "updated_at"])
        record_event("accounts.sessions_ended", user, actor=user)


@transaction.atomic(durable=True)
def purge_expired_login_secrets(*, keep: dt.timedelta = dt.timedelta(days=1)) -> dict[str, int]:
    """Delete login challenges and one-time codes that expired more than ``keep`` ago.

    They are short-lived secrets, not records of acts: what happened with them (logins, failures,
    refusals) is in the domain events, which are kept. Without this sweep both tables grow with
    every visit of the login pages. Set-based, idempotent; run by the task of the same name."""
    cutoff = timezone.now() - keep
    nonces, _ = LoginNonce.objects.filter(expires_at__lt=cutoff).delete()
    codes, _ = OneTimeCode.objects.filter(expires_at__lt=cutoff).delete()
    return {"login_challenges": nonces, "one_time_codes": codes}
