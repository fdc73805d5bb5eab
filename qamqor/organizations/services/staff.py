"""Acts of staff on an entry (R-ORG-2.7, R-ORG-3, R-ORG-4): contacts, consent, exclusion; each
checks permission, writes history and records a domain event in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qamqor.accounts.permissions import require
from qamqor.core import identifiers
from qamqor.core.audit import record_event
from qamqor.core.errors import DomainError
from qamqor.core.history import acting_as
from qamqor.organizations.models import (
    Organization,
    OrganizationStatus,
    RecipientCategory,
)
from qamqor.organizations.services.licence_input import _text

# --- Acts of staff (R-ORG-2.7, R-ORG-3, R-ORG-4) -------------------------------------------------

CONTACT_FIELDS = ("phone", "email")


def contact_errors(fields: Mapping[str, Any]) -> dict[str, str]:
    """Field → message for contacts that are not valid (also used by the admin form)."""
    errors: dict[str, str] = {}
    phone = _text(fields.get("phone"))
    if phone:
        try:
            identifiers.normalize_phone(phone)
        except ValidationError as exc:
            errors["phone"] = str(exc.messages[0])
    email = _text(fields.get("email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    return errors


def organization_errors(org: Organization) -> dict[str, str]:
    """Rules of an entry that involve the clock or the list of categories (admin form, services).

    The single-row rules are database constraints on ``Organization``.
    """
    errors = contact_errors({"phone": org.phone, "email": org.email})
    categories = org.categories if isinstance(org.categories, list) else None
    if not categories:
        errors["categories"] = _("Choose at least one recipient category.")
    elif any(c not in RecipientCategory.values for c in categories):
        errors["categories"] = _("Choose only among the nine recipient categories.")
    today = timezone.localdate()
    if org.excluded_on and org.excluded_on > today:
        errors["excluded_on"] = _("The date of exclusion cannot be in the future.")
    if org.consent_given_on and org.consent_given_on > today:
        errors["consent_given_on"] = _("The date of consent cannot be in the future.")
    return errors


@transaction.atomic(durable=True)
def update_contacts(actor: Any, organization: Organization, **fields: Any) -> Organization:
    """Change the phone and e-mail of an entry (R-ORG-2.7).

    Allowed to the organization's own staff and the registry administrator. Refuses other
    fields and invalid values; writes nothing when nothing changes.
    """
    require(actor, "organizations.change_organization_contacts", organization)
    unknown = sorted(set(fields) - set(CONTACT_FIELDS))
    if unknown:
        raise DomainError(
            "organization.not_a_contact",
            _("Only the phone and e-mail can be changed here."),
            field=unknown[0],
        )
    errors = contact_errors(fields)
    if errors:
        name, message = next(iter(errors.items()))
        raise DomainError("organization.invalid_contact", message, field=name)
    values: dict[str, Any] = {}
    if "phone" in fields:
        phone = _text(fields["phone"])
        values["phone"] = identifiers.normalize_phone(phone) if phone else None
    if "email" in fields:
        values["email"] = _text(fields["email"])
    org = Organization.objects.get(pk=organization.pk)
    changed = sorted(n for n, v in values.items() if getattr(org, n) != v)
    if not changed:
        return org
    with acting_as(actor):
        for name in changed:
            setattr(org, name, values[name])
        org.save(update_fields=[*changed, "updated_at"])
        record_event("organizations.contacts_updated", org, actor=actor, data={"fields": changed})
    return org


@transaction.atomic(durable=True)
def set_consent(actor: Any, organization: Organization, consented: bool) -> Organization:
    """Give or withdraw the provider's consent to publication, with its date (R-ORG-4).

    Only the organization's own staff decide. Giving consent records today as the date of
    consent; withdrawing records today as the date of withdrawal. Repeating the current state
    changes nothing and records nothing.
    """
    require(actor, "organizations.change_organization_consent", organization)
    org = Organization.objects.get(pk=organization.pk)
    if org.publication_consent == consented:
        return org
    today = timezone.localdate()
    with acting_as(actor):
        org.publication_consent = consented
        if consented:
            org.consent_given_on = today
            org.consent_withdrawn_on = None
        else:
            org.consent_withdrawn_on = today
        org.save()
        record_event(
            "organizations.consent_given" if consented else "organizations.consent_withdrawn",
            org,
            actor=actor,
        )
    return org


@transaction.atomic(durable=True)
def exclude_organization(
    actor: Any, organization: Organization, date: dt.date, basis: str
) -> Organization:
    """Exclude an entry from the registry with date and basis; it is never deleted (R-ORG-3).

    Only the registry administrator. Refuses an entry already excluded, an empty basis and a
    date in the future. The licence stop date is set to the exclusion date when not yet known.
    """
    require(actor, "organizations.exclude_organization", organization)
    org = Organization.objects.get(pk=organization.pk)
    if org.is_excluded:
        raise DomainError(
            "organization.already_excluded", _("This organization is already excluded.")
        )
    basis = _text(basis)
    if not basis:
        raise DomainError(
            "organization.basis_required",
            _("State the basis of exclusion."),
            field="basis",
        )
    if date > timezone.localdate():
        raise DomainError(
            "organization.future_exclusion",
            _("The date of exclusion cannot be in the future."),
            field="date",
        )
    with acting_as(actor):
        org.status = OrganizationStatus.EXCLUDED
        org.excluded_on = date
        org.exclusion_basis = basis
        org.licence_stopped_on = org.licence_stopped_on or date
        org.save()
        record_event(
            "organizations.excluded",
            org,
            actor=actor,
            comment=basis,
            data={"date": date.isoformat()},
        )
    return org
