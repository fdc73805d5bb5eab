"""Who may do what with journals and queues (organization staff: only their organization)."""

import rules

from qamqor.accounts.permissions import has_role, in_organization
from qamqor.accounts.roles import Role

# Reading the back office: the organization's staff (scoped by selectors.journals_for) and the
# ministry (read-only everything).
rules.add_perm("journal.view_journal", has_role(Role.ORGANIZATION_STAFF, Role.MINISTRY))
# Movements, offers, exports of personal data: the organization's own staff.
rules.add_perm("journal.manage_journal", in_organization(Role.ORGANIZATION_STAFF))
