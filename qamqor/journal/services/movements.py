"""Movements of the electronic journal (R-JRN-1, R-JRN-3, R-JRN-4).

Each movement is one transactional service: it locks the journal (``locks.py``), checks the
move against ``workflow.MOVEMENTS``, writes the new status and a ``Movement`` row with the
order (home care: decision) number and date, and a domain event ``journal.<movement>``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qamqor.core.audit import record_event
from qamqor.core.errors import DomainError
from qamqor.core.history import acting_as, audited_bulk_create
from qamqor.core.identifiers import parse_iin
from qamqor.journal import locks, selectors
from qamqor.journal.models import (
    OCCUPYING,
    Journal,
    Movement,
    MovementKind,
    QueueEntry,
    RegistrationCard,
    Stay,
)
from qamqor.journal.workflow import ensure_movement
from qamqor.organizations.models import Organization, OrganizationStatus, ServiceCondition


@dataclass(frozen=True)
class PersonData:
    """The person as the journal records them (columns 3–8 of appendix 2)."""

    iin: str
    full_name: str
    birth_date: dt.date | None = None
    sex: str = ""
    home_address: str = ""
    phone: str = ""
    ipr_until: dt.date | None = None
    user: Any = None
    referral: str = ""

    def fields(self) -> dict[str, Any]:
        return {
            "person_iin": self.iin,
            "full_name": self.full_name,
            "birth_date": self.birth_date,
            "sex": self.sex,
            "home_address": self.home_address,
            "phone": self.phone,
            "ipr_until": self.ipr_until,
            "user": self.user,
            "referral": self.referral,
        }

    @classmethod
    def of(cls, record: Stay | QueueEntry) -> PersonData:
        return cls(
            iin=record.person_iin,
            full_name=record.full_name,
            birth_date=record.birth_date,
            sex=record.sex,
            home_address=record.home_address,
            phone=record.phone,
            ipr_until=record.ipr_until,
            user=record.user,
            referral=record.referral,
        )


@dataclass(frozen=True)
class CardData:
    """R-JRN-4: the registration card of a temporary-stay organization."""

    arrived_at: dt.datetime
    medical_examination_on: dt.date
    sanitary_treatment_done: bool
    disinfection_done: bool
    notes: str = ""


def check_person(person: PersonData) -> None:
    """R-X-3: the IIN is a valid IIN (12 digits, check digit); a name is given."""
    try:
        parse_iin(person.iin)
    except ValidationError as exc:
        raise DomainError(
            "journal.invalid_iin", " ".join(exc.messages), field="person.iin"
        ) from None
    if not person.full_name.strip():
        raise DomainError(
            "journal.name_required", _("Enter the surname and name."), field="person.full_name"
        )


def _require_order(order_number: str, order_date: dt.date | None) -> None:
    # R-JRN-1: each movement with the number and date of the order (home care: decision).
    if not (order_number or "").strip():
        raise DomainError(
            "journal.order_required",
            _("Enter the number of the order (for home care: of the decision)."),
            field="order_number",
        )
    if order_date is None:
        raise DomainError(
            "journal.order_date_required",
            _("Enter the date of the order (for home care: of the decision)."),
            field="order_date",
        )


def _ensure_active(organization: Organization) -> None:
    if organization.status != OrganizationStatus.ACTIVE:
        raise DomainError(
            "journal.organization_inactive",
            _("The organization's licence is not in force: it cannot admit recipients."),
        )


def _admit_locked(
    journal: Journal,
    person: PersonData,
    *,
    admitted_on: dt.date,
    order_number: str,
    order_date: dt.date,
    actor: Any,
    queue_entry: QueueEntry | None = None,
    transferred_from: Stay | None = None,
    card: CardData | None = None,
) -> Stay:
    """Admission under the journal's lock: the checks that need other rows, then the writes."""
    check_person(person)
    _require_order(order_number, order_date)
    if Stay.objects.filter(journal=journal, person_iin=person.iin, status__in=OCCUPYING).exists():
        raise DomainError(
            "journal.already_admitted", _("This person already has a place in this journal.")
        )
    # R-JRN-4: temporary-stay organizations register only after the card is filled.
    if journal.condition == ServiceCondition.TEMPORARY_STAY and card is None:
        raise DomainError(
            "journal.card_required",
            _(
                "Fill the registration card (after the medical examination and sanitary "
                "treatment) before registering the person in the journal."
            ),
        )
    if card is not None and not (card.sanitary_treatment_done and card.disinfection_done):
        raise DomainError(
            "journal.card_incomplete",
            _("The card is filled after the sanitary treatment and disinfection."),
        )
    counts = selectors.occupancy(journal)
    if queue_entry is None:
        # SPEC §3: capacity is never exceeded. An offered place is already counted.
        if counts.vacancies <= 0:
            raise DomainError(
                "journal.no_vacancy",
                _(
                    "There is no free place in this journal: the person can file a queue "
                    "application."
                ),
            )
        # R-QUE-1, R-QUE-4: a free place goes to the head of the queue first (transfers from
        # another organization of the same kind are exempt: the person already has a place).
        if transferred_from is None and counts.vacancies <= counts.waiting:
            raise DomainError(
                "journal.queue_first",
                _(
                    "People are waiting in the queue: offer the free place to the head of the "
                    "queue."
                ),
            )
    # R-JRN-3: admitted again after leaving this organization: marked "returned".
    returned = Stay.objects.filter(
        journal__organization_id=journal.organization_id, person_iin=person.iin
    ).exists()
    with acting_as(actor):
        stay = Stay.objects.create(
            journal=journal,
            admitted_on=admitted_on,
            admission_order=order_number,
            returned=returned,
            transferred_from=transferred_from,
            queue_entry=queue_entry,
            **person.fields(),
        )
        if card is not None:
            RegistrationCard.objects.create(
                stay=stay,
                arrived_at=card.arrived_at,
                medical_examination_on=card.medical_examination_on,
                sanitary_treatment_done=card.sanitary_treatment_done,
                disinfection_done=card.disinfection_done,
                notes=card.notes,
            )
    Movement.objects.create(
        stay=stay,
        kind=MovementKind.ADMISSION,
        on=admitted_on,
        order_number=order_number,
        order_date=order_date,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        "journal.admit",
        stay,
        actor=actor,
        data={
            "journal": journal.pk,
            "returned": returned,
            "queue_entry": queue_entry.pk if queue_entry else None,
            "transferred_from": transferred_from.pk if transferred_from else None,
        },
    )
    return stay


@transaction.atomic
def admit(
    actor: Any,
    organization: Organization,
    condition: str,
    person: PersonData,
    *,
    admitted_on: dt.date,
    order_number: str,
    order_date: dt.date,
    card: CardData | None = None,
) -> Stay:
    """R-JRN-1 admission (entry point for the state service too): the person gets a place in
    the organization's journal of ``condition``. R-JRN-3: marked "returned" when the person
    stayed in this organization before. R-JRN-4: temporary stay needs the registration card.

    Refuses without a vacancy (``journal.no_vacancy``: file a queue application instead,
    ``file_queue_application``), when people wait in the queue (``journal.queue_first``), for a
    person already admitted, without order number and date, for an inactive organization.
    People from the queue are admitted with ``admit_from_queue``."""
    _ensure_active(organization)
    journal = locks.journal_for_update(organization.pk, condition)
    return _admit_locked(
        journal,
        person,
        admitted_on=admitted_on,
        order_number=order_number,
        order_date=order_date,
        actor=actor,
        card=card,
    )


def _move_locked(
    stay: Stay,
    kind: str,
    *,
    on: dt.date,
    order_number: str,
    order_date: dt.date,
    reason: str,
    actor: Any,
    destination: str = "",
    target_stay: Stay | None = None,
) -> Stay:
    _require_order(order_number, order_date)
    if kind in (MovementKind.DISCHARGE, MovementKind.TERMINATION) and not reason.strip():
        raise DomainError("journal.reason_required", _("Enter the reason."), field="reason")
    if on < stay.admitted_on:
        raise DomainError(
            "journal.date_before_admission",
            _("The date cannot be before the admission date."),
            field="on",
        )
    new_status = ensure_movement(kind, stay.status, stay.journal.condition)
    old_status = stay.status
    stay.status = new_status
    with acting_as(actor):
        stay.save(update_fields=["status", "updated_at"])
    Movement.objects.create(
        stay=stay,
        kind=kind,
        on=on,
        order_number=order_number,
        order_date=order_date,
        reason=reason,
        destination=destination,
        target_stay=target_stay,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        f"journal.{kind}",
        stay,
        actor=actor,
        comment=reason,
        data={"from": old_status, "to": new_status, "order": order_number},
    )
    return stay


@transaction.atomic
def move(
    actor: Any,
    stay: Stay,
    kind: str,
    *,
    on: dt.date,
    order_number: str,
    order_date: dt.date,
    reason: str = "",
) -> Stay:
    """R-JRN-1: temporary leave and return (stationary, temporary stay), suspension,
    resumption and termination (semi-stationary, at home), discharge/expulsion with reason.
    Refuses a move the law does not allow from the current status (``journal.illegal_movement``)
    or in this condition (``journal.movement_not_in_condition``); transfers go through
    ``transfer``."""
    if kind in (MovementKind.ADMISSION, MovementKind.TRANSFER):
        raise DomainError("journal.illegal_movement", _("Use the admission or transfer form."))
    locks.journal_for_update(stay.journal.organization_id, stay.journal.condition)
    stay = Stay.objects.select_related("journal").get(pk=stay.pk)  # fresh under the lock
    return _move_locked(
        stay,
        kind,
        on=on,
        order_number=order_number,
        order_date=order_date,
        reason=reason,
        actor=actor,
    )


def discharge(actor: Any, stay: Stay, **kwargs: Any) -> Stay:
    """R-JRN-1: discharge or expulsion, with its reason (column 12)."""
    return move(actor, stay, MovementKind.DISCHARGE, **kwargs)


@transaction.atomic
def transfer(
    actor: Any,
    stay: Stay,
    target: Organization,
    *,
    on: dt.date,
    order_number: str,
    order_date: dt.date,
    reason: str = "",
    card: CardData | None = None,
) -> Stay:
    """R-JRN-1: transfer to another organization of the same kind (same service condition),
    which creates the admission there under the same order. Both journals are locked (in a
    fixed order). Refuses a transfer to the same organization, to one without the condition or
    without a vacancy there. Returns the new stay."""
    if target.pk == stay.journal.organization_id:
        raise DomainError(
            "journal.transfer_same_organization",
            _("Choose another organization to transfer to."),
            field="target",
        )
    _ensure_active(target)
    condition = stay.journal.condition
    journals = locks.journals_for_update(
        [(stay.journal.organization_id, condition), (target.pk, condition)]
    )
    target_journal = next(j for j in journals if j.organization_id == target.pk)
    stay = Stay.objects.select_related("journal").get(pk=stay.pk)
    ensure_movement(MovementKind.TRANSFER, stay.status, condition)
    if selectors.capacity_of(target.pk, condition) == 0:
        raise DomainError(
            "journal.transfer_other_kind",
            _("The receiving organization does not provide services in this condition."),
            field="target",
        )
    new_stay = _admit_locked(
        target_journal,
        PersonData.of(stay),
        admitted_on=on,
        order_number=order_number,
        order_date=order_date,
        actor=actor,
        transferred_from=stay,
        card=card,
    )
    district = target.district
    destination = f"{district.region.name}, {district.name}, {target.name}"
    _move_locked(
        stay,
        MovementKind.TRANSFER,
        on=on,
        order_number=order_number,
        order_date=order_date,
        reason=reason,
        actor=actor,
        destination=destination,
        target_stay=new_stay,
    )
    return new_stay


def open_journals(offered: Any) -> None:
    """R-JRN-1: one journal per organization and offered condition; opens the missing ones
    (idempotent; started today)."""
    existing = set(
        Journal.objects.values_list("organization_id", "condition").filter(
            organization_id__in={s.organization_id for s in offered}
        )
    )
    today = timezone.localdate()
    missing = {
        (s.organization_id, s.condition): Journal(
            organization_id=s.organization_id, condition=s.condition, started_on=today
        )
        for s in offered
        if (s.organization_id, s.condition) not in existing
    }
    if not missing:
        return
    try:
        # One insert for all (issue 9: a page that opens journals makes no query per journal).
        with transaction.atomic():
            audited_bulk_create(Journal, list(missing.values()))
    except IntegrityError:
        # A concurrent request opened some of them: open the rest one by one.
        for organization_id, condition in missing:
            Journal.objects.get_or_create(
                organization_id=organization_id,
                condition=condition,
                defaults={"started_on": today},
            )
