"""Who may do what in the state service (R-SVC-1…14; R-X-5: medical and personal data only to
the roles that need it)."""

from typing import Any

import rules

from qamqor.accounts.permissions import grants_of, has_role, in_district
from qamqor.accounts.roles import Role


@rules.predicate
def is_assigned_worker(user: Any, app: Any) -> bool:
    return (
        app is not None
        and getattr(app, "social_worker_id", None) == user.pk
        and bool(grants_of(user).roles & {Role.SOCIAL_WORKER.value})
    )


@rules.predicate
def is_the_recipient(user: Any, app: Any) -> bool:
    """The recipient (by IIN) or whoever filed the application for them on the portal."""
    if app is None or not getattr(user, "is_authenticated", False):
        return False
    return app.recipient.iin == user.iin or (
        app.on_behalf_of_id is not None and app.filed_by_id == user.pk
    )


@rules.predicate
def is_state_corporation_case(user: Any, app: Any) -> bool:
    """The State Corporation's operator works the cases filed there (intake, results,
    complaints; R-SVC-1, R-SVC-13, R-SVC-14)."""
    return (
        app is not None
        and getattr(app, "channel", None) == "state_corporation"
        and bool(grants_of(user).roles & {Role.INTAKE_OPERATOR.value})
    )


is_district_officer = in_district(Role.DISTRICT_OFFICER)

# Cases: the district officer of the case's district; the ministry reads all; the assigned
# social worker reads theirs; the recipient reads their own.
rules.add_perm(
    "applications.view_case",
    is_district_officer
    | has_role(Role.MINISTRY)
    | is_assigned_worker
    | is_the_recipient
    | is_state_corporation_case,
)
# Staff pages of a case: its district officer, the ministry, the State Corporation operator.
rules.add_perm(
    "applications.open_case_page",
    is_district_officer | has_role(Role.MINISTRY) | is_state_corporation_case,
)
rules.add_perm("applications.manage_case", is_district_officer)
rules.add_perm("applications.conclude", is_assigned_worker)
rules.add_perm("applications.choose_organization", is_the_recipient)
# R-SVC-1: paper applications at the State Corporation are entered by its operator.
rules.add_perm("applications.enter_state_corporation", has_role(Role.INTAKE_OPERATOR))
# R-SVC-13: results at the State Corporation.
rules.add_perm("applications.handle_result", has_role(Role.INTAKE_OPERATOR) | is_district_officer)
# R-SVC-14: complaints are registered and decided by the body they were filed to.
rules.add_perm(
    "applications.handle_complaint",
    is_district_officer | has_role(Role.INTAKE_OPERATOR, Role.QUALITY_AUTHORITY),
)
# R-SVC-12: the monitoring dashboard and event feed.
rules.add_perm("applications.view_dashboard", has_role(Role.DISTRICT_OFFICER, Role.MINISTRY))
rules.add_perm("applications.import_recipients", has_role(Role.REGISTRY_ADMIN))
rules.add_perm("applications.work_assessments", has_role(Role.SOCIAL_WORKER))
