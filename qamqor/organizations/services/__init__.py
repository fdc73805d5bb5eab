"""Writes to the registry of organizations (R-ORG-1…4).

* ``apply_licence_events``: events of the licensing system (issued / re-issued / suspended /
  terminated) create, update, suspend and exclude entries. The whole batch is validated first,
  every bad row is reported with its position, and the batch is applied all or nothing.
  Delivery is idempotent by event id.
* ``update_contacts``, ``set_consent``, ``exclude_organization``: acts of staff, each checking
  permission, writing history and recording a domain event in one transaction.
"""

from qamqor.organizations.services.licence_apply import apply_licence_events
from qamqor.organizations.services.licence_checks import validate_licence_events
from qamqor.organizations.services.licence_input import (
    DATA_FIELDS,
    ImportResult,
    LicenceEventInput,
    RowError,
    RowResult,
    parse_categories,
    parse_services,
)
from qamqor.organizations.services.staff import (
    CONTACT_FIELDS,
    contact_errors,
    exclude_organization,
    organization_errors,
    set_consent,
    update_contacts,
)

__all__ = [
    "CONTACT_FIELDS",
    "DATA_FIELDS",
    "ImportResult",
    "LicenceEventInput",
    "RowError",
    "RowResult",
    "apply_licence_events",
    "contact_errors",
    "exclude_organization",
    "organization_errors",
    "parse_categories",
    "parse_services",
    "set_consent",
    "update_contacts",
    "validate_licence_events",
]
