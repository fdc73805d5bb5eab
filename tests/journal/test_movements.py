"""Movements of the journal (R-JRN-1, R-JRN-3, R-JRN-4) and capacity (SPEC §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from qamqor.core.errors import DomainError
from qamqor.core.models import DomainEvent
from qamqor.journal import selectors, services
from qamqor.journal.models import Movement, MovementKind, Stay, StayStatus
from qamqor.journal.services import CardData
from qamqor.journal.workflow import MOVEMENTS, ensure_movement
from qamqor.organizations.models import ServiceCondition
from tests.journal.factories import admit, new_person, order, organization_with

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 2)


def test_admission_records_order_and_occupies_a_place(meyirim, elena_staff):
    """R-JRN-1: admission with order number and date; a place is occupied."""
    stay = admit(elena_staff, meyirim, new_person())
    assert stay.status == StayStatus.IN_CARE and not stay.returned
    movement = stay.movements.get()
    assert movement.kind == MovementKind.ADMISSION and movement.order_number and movement.order_date
    counts = selectors.occupancy(stay.journal)
    assert (counts.capacity, counts.occupied, counts.vacancies) == (2, 1, 1)
    assert DomainEvent.objects.filter(verb="journal.admit").count() == 1


def test_admission_without_order_is_refused_and_writes_nothing(meyirim, elena_staff):
    """R-JRN-1: each movement needs the order number and date."""
    with pytest.raises(DomainError) as exc:
        services.admit(
            elena_staff,
            meyirim,
            "stationary",
            new_person(),
            admitted_on=D,
            order_number=" ",
            order_date=D,
        )
    assert exc.value.code == "journal.order_required"
    assert not Stay.objects.exists() and not Movement.objects.exists()


def test_capacity_is_never_exceeded(meyirim, elena_staff):
    """SPEC §3 capacity: the third admission to 2 places is refused."""
    admit(elena_staff, meyirim, new_person())
    admit(elena_staff, meyirim, new_person())
    with pytest.raises(DomainError) as exc:
        admit(elena_staff, meyirim, new_person())
    assert exc.value.code == "journal.no_vacancy"
    assert Stay.objects.count() == 2


@pytest.mark.parametrize(
    "kind", [MovementKind.LEAVE, MovementKind.RETURN_FROM_LEAVE, MovementKind.SUSPENSION]
)
def test_movement_table_conditions(kind):
    """R-JRN-1: leave for stationary/temporary stay; suspension for semi-stationary/home."""
    rule = MOVEMENTS[kind]
    for condition in ServiceCondition.values:
        source = next(iter(rule.sources))
        if condition in rule.conditions:
            assert ensure_movement(kind, source, condition) == rule.target
        else:
            with pytest.raises(DomainError) as exc:
                ensure_movement(kind, source, condition)
            assert exc.value.code == "journal.movement_not_in_condition"


def test_leave_keeps_the_place_and_return(meyirim, elena_staff):
    """R-JRN-1 temporary leave and return; SPEC §3: leave keeps the place."""
    stay = admit(elena_staff, meyirim, new_person())
    services.move(elena_staff, stay, MovementKind.LEAVE, on=D, **order())
    assert Stay.objects.get(pk=stay.pk).status == StayStatus.ON_LEAVE
    assert selectors.occupancy(stay.journal).occupied == 1
    services.move(elena_staff, stay, MovementKind.RETURN_FROM_LEAVE, on=D, **order())
    assert Stay.objects.get(pk=stay.pk).status == StayStatus.IN_CARE


def test_illegal_sequence_is_refused_with_reason(meyirim, elena_staff):
    """R-JRN-1: a return without a leave is refused with a reason; nothing is written."""
    stay = admit(elena_staff, meyirim, new_person())
    before = Movement.objects.count()
    with pytest.raises(DomainError) as exc:
        services.move(elena_staff, stay, MovementKind.RETURN_FROM_LEAVE, on=D, **order())
    assert exc.value.code == "journal.illegal_movement"
    assert "receiving services" in str(exc.value.message)
    assert Movement.objects.count() == before


def test_suspension_and_termination_in_home_care(elena_staff):
    """R-JRN-1: suspension, resumption and termination (at home, decision number)."""
    org = organization_with(1, "at_home")
    stay = admit(elena_staff, org, new_person(), "at_home")
    services.move(elena_staff, stay, MovementKind.SUSPENSION, on=D, **order())
    assert selectors.occupancy(stay.journal).occupied == 1
    services.move(elena_staff, stay, MovementKind.RESUMPTION, on=D, **order())
    services.move(
        elena_staff, stay, MovementKind.TERMINATION, on=D, reason="өтініш бойынша", **order()
    )
    assert Stay.objects.get(pk=stay.pk).status == StayStatus.TERMINATED
    assert selectors.occupancy(stay.journal).occupied == 0


def test_discharge_needs_reason_and_frees_the_place(meyirim, elena_staff):
    """R-JRN-1: discharge/expulsion with its reason (column 12)."""
    stay = admit(elena_staff, meyirim, new_person())
    with pytest.raises(DomainError) as exc:
        services.discharge(elena_staff, stay, on=D, reason="", **order())
    assert exc.value.code == "journal.reason_required"
    services.discharge(elena_staff, stay, on=D, reason="туыстарының қолына", **order())
    assert selectors.occupancy(stay.journal).vacancies == 2


def test_readmission_is_marked_returned(meyirim, elena_staff):
    """R-JRN-3: a person admitted again after leaving is marked "returned"."""
    person = new_person()
    stay = admit(elena_staff, meyirim, person)
    services.discharge(elena_staff, stay, on=D, reason="өз еркімен", **order())
    again = admit(elena_staff, meyirim, person)
    assert again.returned is True


def test_transfer_creates_the_admission_there(meyirim, elena_staff):
    """R-JRN-1: transfer to another organization of the same kind creates the admission."""
    other = organization_with(1)
    stay = admit(elena_staff, meyirim, new_person())
    new = services.transfer(elena_staff, stay, other, on=D, **order())
    old = Stay.objects.get(pk=stay.pk)
    assert old.status == StayStatus.TRANSFERRED and new.journal.organization == other
    assert (
        new.transferred_from_id == stay.pk
        and new.admission_order == old.movements.last().order_number
    )
    transfer = old.movements.get(kind=MovementKind.TRANSFER)
    assert transfer.target_stay == new and other.name in transfer.destination


def test_transfer_refused_to_other_kind_or_full(meyirim, elena_staff):
    """R-JRN-1: only to an organization of the same kind, with a vacancy there."""
    stay = admit(elena_staff, meyirim, new_person())
    home = organization_with(3, "at_home")
    with pytest.raises(DomainError) as exc:
        services.transfer(elena_staff, stay, home, on=D, **order())
    assert exc.value.code == "journal.transfer_other_kind"
    full = organization_with(1)
    admit(elena_staff, full, new_person())
    with pytest.raises(DomainError) as exc:
        services.transfer(elena_staff, stay, full, on=D, **order())
    assert exc.value.code == "journal.no_vacancy"
    assert Stay.objects.get(pk=stay.pk).status == StayStatus.IN_CARE


def test_temporary_stay_needs_registration_card(elena_staff):
    """R-JRN-4: the registration card comes first, after examination and sanitary treatment."""
    org = organization_with(5, "temporary_stay")
    with pytest.raises(DomainError) as exc:
        admit(elena_staff, org, new_person(), "temporary_stay")
    assert exc.value.code == "journal.card_required"
    card = CardData(
        arrived_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
        medical_examination_on=D,
        sanitary_treatment_done=True,
        disinfection_done=True,
    )
    stay = admit(elena_staff, org, new_person(), "temporary_stay", card=card)
    assert stay.card.medical_examination_on == D
    with pytest.raises(DomainError) as exc:
        admit(
            elena_staff,
            org,
            new_person(),
            "temporary_stay",
            card=CardData(
                card.arrived_at, D, sanitary_treatment_done=False, disinfection_done=True
            ),
        )
    assert exc.value.code == "journal.card_incomplete"


def test_vacancy_selector_for_the_organizations_app(meyirim, elena_staff):
    """SPEC §3: vacancies = capacity − occupied − offered, from the journal."""
    admit(elena_staff, meyirim, new_person())
    row = selectors.services_with_vacancies().get(organization=meyirim)
    assert (row.occupied, row.offered, row.vacancies) == (1, 0, 1)


def test_registry_has_vacancy_filter_uses_the_journal(elena_staff):
    """SPEC §3 / R-ORG-4: the public registry's "has vacancies" counts occupied places."""
    from qamqor.organizations.selectors import public_organizations

    full = organization_with(1, publication_consent=True, consent_given_on=D)
    free = organization_with(2, publication_consent=True, consent_given_on=D)
    admit(elena_staff, full, new_person())
    admit(elena_staff, free, new_person())
    assert list(public_organizations(has_vacancy=True)) == [free]
    assert set(public_organizations(has_vacancy=True, condition="at_home")) == set()


def test_invalid_iin_is_refused_with_a_field(meyirim, elena_staff):
    """R-X-3: the IIN of the person is checked (API input too); nothing is written."""
    from dataclasses import replace

    with pytest.raises(DomainError) as exc:
        admit(elena_staff, meyirim, replace(new_person(), iin="900101300018"))
    assert exc.value.code == "journal.invalid_iin" and exc.value.field == "person.iin"
    assert not Stay.objects.exists()
