"""The registry entry: fields of R-ORG-2, constraints, history (R-ORG-3), consent (R-ORG-4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from qamqor.core.history import HistoryBypassError
from qamqor.organizations.models import OrganizationStatus
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_new_entry_is_active_and_not_public() -> None:
    """R-ORG-4: without the provider's consent an entry is not public."""
    org = OrganizationFactory()
    assert org.status == OrganizationStatus.ACTIVE
    assert not org.publication_consent and not org.is_public


def test_consented_entry_is_public_until_excluded() -> None:
    """R-ORG-4, R-ORG-3: consent makes an entry public; exclusion hides it."""
    org = OrganizationFactory(public=True)
    assert org.is_public
    org.status = OrganizationStatus.EXCLUDED
    assert not org.is_public


def test_entry_is_never_deleted() -> None:
    """R-ORG-3: an entry is excluded, never deleted."""
    org = OrganizationFactory()
    with pytest.raises(HistoryBypassError):
        org.delete()


def test_every_change_is_history() -> None:
    """R-ORG-3: the history of every change is kept."""
    org = OrganizationFactory()
    org.reregistered_on = dt.date(2026, 1, 5)
    org.save()
    assert [h.reregistered_on for h in org.history.order_by("history_id")] == [
        None,
        dt.date(2026, 1, 5),
    ]


def test_licence_number_unique_when_set() -> None:
    """R-ORG-2.8: one licence number, one entry; entries without a licence may coexist."""
    OrganizationFactory(licence_number="")
    OrganizationFactory(licence_number="")
    OrganizationFactory(licence_number="L-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(licence_number="L-1")


@pytest.mark.parametrize(
    "values",
    [
        {"status": OrganizationStatus.EXCLUDED},  # no date, no basis
        {"status": OrganizationStatus.EXCLUDED, "excluded_on": dt.date(2026, 1, 1)},  # no basis
        {"excluded_on": dt.date(2026, 1, 1), "exclusion_basis": "x"},  # date but not excluded
        {"publication_consent": True},  # consent without its date
        {"licence_issued_on": dt.date(2026, 1, 2), "licence_valid_until": dt.date(2026, 1, 1)},
        {"contract_signed_on": dt.date(2026, 1, 2), "contract_valid_until": dt.date(2026, 1, 1)},
        {"status": "closed"},
    ],
)
def test_check_constraints(values) -> None:
    """R-ORG-3, R-ORG-4: exclusion with date and basis; consent with date; dates in order."""
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(**values)


def test_open_ended_licence_and_contract_are_allowed() -> None:
    org = OrganizationFactory(licence_valid_until=None, contract_signed_on=dt.date(2026, 1, 1))
    org.full_clean()


def test_admin_form_applies_the_service_rules() -> None:
    """R-ORG-1: an entry entered by hand in the back office is validated like the services'."""
    from qamqor.organizations.admin import OrganizationAdminForm

    org = OrganizationFactory()
    data = {
        "name_kk": org.name_kk,
        "name_ru": org.name_ru,
        "bin": org.bin,
        "district": org.district_id,
        "legal_address": org.legal_address,
        "email": "",
        "categories": '["aliens"]',
        "licence_number": org.licence_number,
        "status": "active",
        "exclusion_basis": "",
    }
    form = OrganizationAdminForm(data=data, instance=org)
    assert not form.is_valid()
    assert "categories" in form.errors
    form = OrganizationAdminForm(data={**data, "categories": '["elderly"]'}, instance=org)
    assert form.is_valid(), form.errors
