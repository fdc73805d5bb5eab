"""Who may do what with organization entries (R-ORG-4: unconsented entries only for
authorised roles)."""

import rules

from qamqor.accounts.permissions import has_role, in_organization
from qamqor.accounts.roles import Role

is_registry_reader = has_role(Role.MINISTRY, Role.REGISTRY_ADMIN, Role.DISTRICT_OFFICER)

rules.add_perm(
    "organizations.view_organization",
    is_registry_reader | in_organization(Role.ORGANIZATION_STAFF),
)
rules.add_perm("organizations.change_organization", has_role(Role.REGISTRY_ADMIN))
rules.add_perm(
    "organizations.change_organization_contacts",
    has_role(Role.REGISTRY_ADMIN) | in_organization(Role.ORGANIZATION_STAFF),
)
# R-ORG-4: consent to publication is the provider's own decision.
rules.add_perm(
    "organizations.change_organization_consent", in_organization(Role.ORGANIZATION_STAFF)
)
# R-ORG-3: exclusion with date and basis by the registry administrator.
rules.add_perm("organizations.exclude_organization", has_role(Role.REGISTRY_ADMIN))
# The back-office registry (issue 4 item 4): the ministry and the registry administrator see
# every entry, organization staff their own (the list itself is scoped by organizations_for).
# District officers of the local executive body are "authorised roles" of R-ORG-4 too: they
# direct people to organizations anywhere in the country, also to one that has not consented to
# publication, so they read the whole registry (read only: they change nothing in it).
rules.add_perm(
    "organizations.view_staff_registry",
    has_role(Role.MINISTRY, Role.REGISTRY_ADMIN, Role.DISTRICT_OFFICER, Role.ORGANIZATION_STAFF),
)
