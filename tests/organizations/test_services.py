"""Acts of staff on registry entries: contacts, consent, exclusion (R-ORG-2, R-ORG-3, R-ORG-4)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from qamqor.core.errors import DomainError, PermissionDeniedError
from qamqor.core.models import DomainEvent
from qamqor.organizations.models import OrganizationStatus
from qamqor.organizations.services import exclude_organization, set_consent, update_contacts

pytestmark = pytest.mark.django_db


def org_events():
    return DomainEvent.objects.filter(verb__startswith="organizations.")


TODAY = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


@time_machine.travel(TODAY, tick=False)
def test_consent_on_and_off_with_dates(meyirim, elena_staff) -> None:
    """R-ORG-4: the provider consents with a date and can withdraw, also with a date."""
    org = set_consent(elena_staff, meyirim, True)
    assert org.publication_consent and org.is_public
    assert org.consent_given_on == dt.date(2026, 5, 4)
    assert org.consent_withdrawn_on is None

    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        org = set_consent(elena_staff, org, False)
    assert not org.publication_consent and not org.is_public
    assert org.consent_given_on == dt.date(2026, 5, 4)
    assert org.consent_withdrawn_on == dt.date(2026, 6, 1)
    assert list(org_events().order_by("id").values_list("verb", "actor")) == [
        ("organizations.consent_given", elena_staff.pk),
        ("organizations.consent_withdrawn", elena_staff.pk),
    ]
    assert org.history.order_by("-history_id").first().history_user == elena_staff


@time_machine.travel(TODAY, tick=False)
def test_repeating_consent_changes_nothing(meyirim, elena_staff) -> None:
    set_consent(elena_staff, meyirim, True)
    set_consent(elena_staff, meyirim, True)
    assert org_events().count() == 1


@pytest.mark.parametrize("who", ["other_staff", "aizhan_admin", "erzhan_ministry", "askar_officer"])
def test_only_the_providers_staff_decide_on_consent(request, meyirim, who) -> None:
    """R-ORG-4: consent is the provider's; nobody else may give or withdraw it."""
    with pytest.raises(PermissionDeniedError):
        set_consent(request.getfixturevalue(who), meyirim, True)
    meyirim.refresh_from_db()
    assert not meyirim.publication_consent
    assert not org_events().exists()


@time_machine.travel(TODAY, tick=False)
def test_exclusion_with_date_and_basis(meyirim, aizhan_admin) -> None:
    """R-ORG-3: the administrator excludes with date and basis; the entry stays, with history."""
    org = exclude_organization(aizhan_admin, meyirim, dt.date(2026, 5, 1), "Лицензия отозвана")
    assert org.status == OrganizationStatus.EXCLUDED
    assert org.excluded_on == org.licence_stopped_on == dt.date(2026, 5, 1)
    assert org.exclusion_basis == "Лицензия отозвана"
    assert org.history.count() == 2
    event = org_events().get()
    assert (event.verb, event.actor, event.comment) == (
        "organizations.excluded",
        aizhan_admin,
        "Лицензия отозвана",
    )


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("date", "basis", "code"),
    [
        (dt.date(2026, 5, 5), "basis", "organization.future_exclusion"),
        (dt.date(2026, 5, 1), "  ", "organization.basis_required"),
    ],
)
def test_exclusion_refuses_future_date_and_empty_basis(
    meyirim, aizhan_admin, date, basis, code
) -> None:
    with pytest.raises(DomainError) as exc:
        exclude_organization(aizhan_admin, meyirim, date, basis)
    assert exc.value.code == code
    meyirim.refresh_from_db()
    assert meyirim.status == OrganizationStatus.ACTIVE
    assert not org_events().exists()


@time_machine.travel(TODAY, tick=False)
def test_exclusion_only_once(meyirim, aizhan_admin) -> None:
    exclude_organization(aizhan_admin, meyirim, dt.date(2026, 5, 1), "basis")
    with pytest.raises(DomainError, match="already_excluded"):
        exclude_organization(aizhan_admin, meyirim, dt.date(2026, 5, 2), "again")


@pytest.mark.parametrize("who", ["elena_staff", "erzhan_ministry", "askar_officer"])
def test_only_the_registry_admin_excludes(request, meyirim, who) -> None:
    """R-ORG-3: exclusion is the registry administrator's act."""
    with pytest.raises(PermissionDeniedError):
        exclude_organization(request.getfixturevalue(who), meyirim, dt.date(2026, 1, 1), "x")
    assert not org_events().exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("elena_staff", True),
        ("aizhan_admin", True),
        ("other_staff", False),
        ("erzhan_ministry", False),  # SPEC actors: the ministry is read-only
        ("askar_officer", False),
    ],
)
def test_contact_update_permissions_per_role(request, meyirim, who, allowed) -> None:
    """R-ORG-2.7: the organization's own staff and the registry administrator edit contacts."""
    actor = request.getfixturevalue(who)
    if not allowed:
        with pytest.raises(PermissionDeniedError):
            update_contacts(actor, meyirim, phone="87011234567")
        assert not org_events().exists()
        return
    org = update_contacts(actor, meyirim, phone="8 701 123 45 67", email="new@meyirim.kz")
    assert (org.phone, org.email) == ("+77011234567", "new@meyirim.kz")
    event = org_events().get()
    assert (event.verb, event.data) == (
        "organizations.contacts_updated",
        {"fields": ["email", "phone"]},
    )


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"phone": "12"}, "organization.invalid_contact", "phone"),
        ({"email": "nope"}, "organization.invalid_contact", "email"),
        ({"name_kk": "X"}, "organization.not_a_contact", "name_kk"),
    ],
)
def test_contact_update_refuses_bad_values(meyirim, elena_staff, fields, code, field) -> None:
    with pytest.raises(DomainError) as exc:
        update_contacts(elena_staff, meyirim, **fields)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert meyirim.history.count() == 1


def test_unchanged_contacts_write_nothing(meyirim, elena_staff) -> None:
    update_contacts(elena_staff, meyirim, email=meyirim.email)
    assert meyirim.history.count() == 1
    assert not org_events().exists()
