from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from qamqor.accounts.models import RoleAssignment, User

DEMO_EMAIL_DOMAIN = "demo.qamqor.kz"


def demo_users() -> QuerySet[User]:
    """Users created by ``seed_demo`` (their e-mail is on the demo domain)."""
    return (
        User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_active=True)
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(revoked_at__isnull=True).select_related(
                    "district", "organization"
                ),
            )
        )
        .order_by("surname", "given_name")
    )
