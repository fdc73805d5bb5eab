"""Who may do what with applications to the registry of specialists (R-SPC-1, R-SPC-3)."""

from typing import Any

import rules

from qamqor.accounts.permissions import has_role
from qamqor.accounts.roles import Role


@rules.predicate
def is_own_application(user: Any, application: Any) -> bool:
    return application is not None and application.applicant_id == getattr(user, "pk", None)


is_registry_admin = has_role(Role.REGISTRY_ADMIN)

# R-SPC-1: a person registered with a one-time code (or by e-signature) applies.
rules.add_perm("specialists.apply", has_role(Role.APPLICANT_SPECIALIST))
rules.add_perm("specialists.change_application", is_own_application)
# R-SPC-3: the registry administrator reviews and decides.
rules.add_perm("specialists.review_application", is_registry_admin)
rules.add_perm("specialists.view_application", is_own_application | is_registry_admin)
