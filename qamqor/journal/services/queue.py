"""The waiting queue of a journal (R-QUE-1…6).

Every act locks the journal (``locks.py``), checks ``workflow.QUEUE_TRANSITIONS``, writes the
entry, appends a hash-chained ``QueueEvent`` (``chain.py``) and a domain event
``journal.queue_<act>``. The position is never stored: it is computed from (priority,
registration time, id) (``selectors.ahead_of``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qamqor.accounts.models import SignedDocument
from qamqor.accounts.signing import canonical_bytes
from qamqor.core.audit import record_event
from qamqor.core.errors import ConflictError, DomainError
from qamqor.core.history import acting_as
from qamqor.core.terms import deadline_for
from qamqor.journal import chain, locks, selectors
from qamqor.journal.models import (
    OCCUPYING,
    CloseReason,
    Journal,
    PostponementReason,
    QueueEntry,
    QueueEventKind,
    QueuePriority,
    QueueStatus,
    Stay,
)
from qamqor.journal.services.movements import (
    PersonData,
    _admit_locked,
    _ensure_active,
    check_person,
)
from qamqor.journal.workflow import ensure_queue_transition
from qamqor.notifications.services import notify
from qamqor.organizations.models import Organization, ServiceCondition

QUEUE_APPLICATION = "journal.queue_application"
POSTPONEMENT = "journal.postponement_notice"

#: R-QUE-5: the conditions whose arrival may be postponed, with the key of the legal term.
POSTPONABLE = {
    ServiceCondition.STATIONARY: "stationary",
    ServiceCondition.SEMI_STATIONARY: "semi_stationary",
}


def queue_application_act(
    organization: Organization, condition: str, person: PersonData, *, out_of_turn: bool = False
) -> dict[str, Any]:
    """R-QUE-2: what the recipient signs: the queue application to this organization."""
    return {
        "act": QUEUE_APPLICATION,
        "organization_bin": organization.bin,
        "organization": organization.name_kk,
        "condition": condition,
        "iin": person.iin,
        "full_name": person.full_name,
        "out_of_turn": out_of_turn,
        "date": timezone.localdate().isoformat(),
    }


def postponement_act(entry: QueueEntry, new_date: dt.date, reason: str) -> dict[str, Any]:
    """R-QUE-5: what the recipient (or legal representative) signs: the notification."""
    return {
        "act": POSTPONEMENT,
        "queue_application": entry.pk,
        "iin": entry.person_iin,
        "arrive_by": entry.arrive_by.isoformat() if entry.arrive_by else "",
        "new_arrival_date": new_date.isoformat(),
        "reason": reason,
    }


def _check_signed(document: SignedDocument, kind: str, act: dict[str, Any], iin: str) -> None:
    # R-X-2 / R-QUE-2 / R-QUE-5: the stored, verified document must be this very act, signed by
    # the person or by their legal representative on their behalf.
    behalf = document.on_behalf_of
    signed_for = behalf.iin if behalf is not None else document.signer_iin
    content = bytes(document.content)
    if document.kind != kind or content != canonical_bytes(act) or signed_for != iin:
        raise DomainError(
            "queue.signature_mismatch",
            _("The signed document is not this application of this person. Sign it again."),
        )


def _refuse_if_busy(journal: Journal, iin: str) -> None:
    if QueueEntry.objects.filter(
        journal=journal,
        person_iin=iin,
        status__in=[QueueStatus.WAITING, QueueStatus.SUSPENDED, QueueStatus.OFFERED],
    ).exists():
        raise ConflictError("queue.already_in_queue", _("This person is already in this queue."))
    if Stay.objects.filter(journal=journal, person_iin=iin, status__in=OCCUPYING).exists():
        raise DomainError("queue.already_admitted", _("This person already has a place here."))


@transaction.atomic
def file_queue_application(
    organization: Organization,
    condition: str,
    person: PersonData,
    *,
    application: SignedDocument,
    out_of_turn_basis: str = "",
    actor: Any = None,
    registered_at: dt.datetime | None = None,
) -> QueueEntry:
    """R-QUE-2: the queue application, signed with the e-signature by the person (or their
    representative), when the chosen organization has no vacancy (entry point for the state
    service too). R-QUE-1: registered at the time of arrival; R-QUE-4: with
    ``out_of_turn_basis`` (an orphan who turned 18, stationary only) the entry goes ahead of
    the ordinary queue. Refuses when a free place nobody waits for exists
    (``queue.has_vacancy``: admit instead), a person already in the queue or admitted, a
    document that is not this act."""
    _ensure_active(organization)
    check_person(person)
    out_of_turn = bool(out_of_turn_basis.strip())
    act = queue_application_act(organization, condition, person, out_of_turn=out_of_turn)
    _check_signed(application, QUEUE_APPLICATION, act, person.iin)
    if out_of_turn and condition != ServiceCondition.STATIONARY:
        # R-QUE-4: out of turn to stationary organizations only.
        raise DomainError(
            "queue.out_of_turn_stationary_only",
            _("The out-of-turn right applies to stationary organizations only."),
            field="out_of_turn_basis",
        )
    if selectors.capacity_of(organization.pk, condition) == 0:
        raise DomainError(
            "queue.condition_not_offered",
            _("This organization does not provide services in this condition."),
        )
    journal = locks.journal_for_update(organization.pk, condition)
    _refuse_if_busy(journal, person.iin)
    counts = selectors.occupancy(journal)
    # R-QUE-1: the queue is for organizations without a vacancy. A free place that the people
    # already waiting will take is not a vacancy for a newcomer.
    if counts.vacancies > counts.waiting:
        raise DomainError(
            "queue.has_vacancy",
            _("The organization has a free place: apply for admission instead of the queue."),
        )
    with acting_as(actor):
        entry = QueueEntry.objects.create(
            journal=journal,
            priority=QueuePriority.OUT_OF_TURN if out_of_turn else QueuePriority.ORDINARY,
            out_of_turn_basis=out_of_turn_basis.strip(),
            registered_at=registered_at or timezone.now(),
            application=application,
            **person.fields(),
        )
    chain.append_event(
        journal,
        entry,
        QueueEventKind.FILED,
        {
            "iin": entry.person_iin,
            "priority": entry.priority,
            "registered_at": entry.registered_at.isoformat(),
            "document_sha256": application.content_sha256,
        },
        actor,
    )
    record_event("journal.queue_file", entry, actor=actor, data={"journal": journal.pk})
    return entry


def _locked_entry(entry: QueueEntry) -> tuple[Journal, QueueEntry]:
    journal = locks.journal_for_update(entry.journal.organization_id, entry.journal.condition)
    return journal, QueueEntry.objects.select_related("journal").get(pk=entry.pk)


def _set_status(entry: QueueEntry, new: str, actor: Any, **fields: Any) -> None:
    ensure_queue_transition(entry.status, new)
    entry.status = new
    for name, value in fields.items():
        setattr(entry, name, value)
    with acting_as(actor):
        entry.save()


@transaction.atomic
def offer_place(
    actor: Any, journal: Journal, *, arrive_by: dt.date, today: dt.date | None = None
) -> QueueEntry:
    """Issue 7 item 3, R-QUE-1, R-QUE-4: a free place is offered to the head of the queue (out
    of turn first, then by registration time) with an arrival term. Refuses without a vacancy
    (``queue.no_vacancy``: a place is never offered twice) or with nobody waiting."""
    today = today or timezone.localdate()
    journal = locks.journal_for_update(journal.organization_id, journal.condition)
    if arrive_by < today:
        raise DomainError(
            "queue.arrival_in_past", _("The arrival term cannot be in the past."), field="arrive_by"
        )
    counts = selectors.occupancy(journal)
    if counts.vacancies <= 0:
        raise DomainError("queue.no_vacancy", _("There is no free place to offer."))
    head = selectors.queue_head(journal)
    if head is None:
        raise DomainError("queue.empty", _("Nobody is waiting in the queue."))
    _set_status(head, QueueStatus.OFFERED, actor, offered_on=today, arrive_by=arrive_by)
    chain.append_event(
        journal,
        head,
        QueueEventKind.OFFERED,
        {
            "offered_on": today.isoformat(),
            "arrive_by": arrive_by.isoformat(),
            "vacancies_before": counts.vacancies,
        },
        actor,
    )
    record_event(
        "journal.offer_place", head, actor=actor, data={"arrive_by": arrive_by.isoformat()}
    )
    if head.user is not None:  # R-QUE-5/6: the person must come, or postpone, in the term
        notify(
            head.user,
            kind="journal.place_offered",
            subject=gettext_lazy("A place is offered to you in %(organization)s"),
            body=gettext_lazy(
                "Come by %(date)s. If you cannot because of illness or a stay in hospital, you "
                "may postpone the arrival once, with a signed notification. If you do not come "
                "in time, the place goes to the next person in the queue."
            ),
            params={"organization": journal.organization.name, "date": f"{arrive_by:%d.%m.%Y}"},
            url=reverse("journal:my_queue"),
        )
    return head


def postponement_limit(entry: QueueEntry) -> dt.date:
    """R-QUE-5: the latest new arrival date: up to 30 (stationary) or 10 (semi-stationary)
    calendar days after the set term (legal terms as data, ``core.terms``)."""
    key = POSTPONABLE.get(entry.journal.condition)  # type: ignore[call-overload]
    if key is None or entry.arrive_by is None:
        raise DomainError(
            "queue.postponement_not_available",
            _("The arrival to this kind of organization cannot be postponed."),
        )
    start = entry.original_arrive_by or entry.arrive_by
    return deadline_for("R-QUE-5", start, key=key, case_started_on=entry.offered_on).due


@transaction.atomic
def postpone_arrival(
    entry: QueueEntry,
    new_date: dt.date,
    reason: str,
    *,
    notification: SignedDocument,
    actor: Any = None,
) -> QueueEntry:
    """R-QUE-5: the recipient who cannot arrive in the term because of illness or
    hospitalisation moves the arrival date once, by up to 30 (stationary) or 10
    (semi-stationary) calendar days, by a notification signed by the recipient or the legal
    representative. Refuses a second postponement, a date beyond the limit or not later than
    the term, another reason, an offer that is not open, a document that is not this act."""
    journal, entry = _locked_entry(entry)
    if entry.status != QueueStatus.OFFERED:
        raise DomainError("queue.not_offered", _("No place is offered on this application."))
    if entry.postponed:
        raise DomainError(
            "queue.already_postponed", _("The arrival date can be postponed only once.")
        )
    if reason not in PostponementReason.values:
        raise DomainError(
            "queue.postponement_reason",
            _("The arrival can be postponed because of illness or hospitalisation only."),
            field="reason",
        )
    limit = postponement_limit(entry)
    assert entry.arrive_by is not None
    if not entry.arrive_by < new_date <= limit:
        raise DomainError(
            "queue.postponement_too_long",
            _("Choose a date after %(term)s and not later than %(limit)s.")
            % {"term": f"{entry.arrive_by:%d.%m.%Y}", "limit": f"{limit:%d.%m.%Y}"},
            field="new_date",
        )
    _check_signed(
        notification, POSTPONEMENT, postponement_act(entry, new_date, reason), entry.person_iin
    )
    old = entry.arrive_by
    with acting_as(actor):
        entry.original_arrive_by = old
        entry.arrive_by = new_date
        entry.postponed = True
        entry.postponement_reason = reason
        entry.postponement = notification
        entry.save()
    chain.append_event(
        journal,
        entry,
        QueueEventKind.POSTPONED,
        {
            "from": old.isoformat(),
            "to": new_date.isoformat(),
            "limit": limit.isoformat(),
            "reason": reason,
            "document_sha256": notification.content_sha256,
        },
        actor,
    )
    record_event("journal.postpone_arrival", entry, actor=actor, reason_codes=[reason])
    return entry


@transaction.atomic
def close_no_show(
    entry: QueueEntry, *, today: dt.date | None = None, actor: Any = None
) -> QueueEntry:
    """R-QUE-6: the recipient did not arrive in the term: the offer is closed and the place
    goes back to the queue (the organization then offers it to the next person). Refuses while
    the term runs (the last day of the term is still the recipient's)."""
    today = today or timezone.localdate()
    journal, entry = _locked_entry(entry)
    if entry.status != QueueStatus.OFFERED:
        raise DomainError("queue.not_offered", _("No place is offered on this application."))
    assert entry.arrive_by is not None
    if today <= entry.arrive_by:
        raise DomainError(
            "queue.term_not_over",
            _("The arrival term runs until %(date)s.") % {"date": f"{entry.arrive_by:%d.%m.%Y}"},
        )
    _set_status(
        entry, QueueStatus.CLOSED, actor, closed_reason=CloseReason.NO_SHOW, closed_on=today
    )
    chain.append_event(
        journal,
        entry,
        QueueEventKind.NO_SHOW,
        {"arrive_by": entry.arrive_by.isoformat(), "closed_on": today.isoformat()},
        actor,
    )
    record_event("journal.queue_no_show", entry, actor=actor)
    if entry.user is not None:
        notify(
            entry.user,
            kind="journal.offer_closed",
            subject=gettext_lazy(
                "The offered place in %(organization)s was given to the next person"
            ),
            body=gettext_lazy(
                "You did not arrive by %(date)s (R-QUE-6). To get a place again, file a new "
                "queue application."
            ),
            params={
                "organization": journal.organization.name,
                "date": f"{entry.arrive_by:%d.%m.%Y}",
            },
            url=reverse("journal:my_queue"),
        )
    return entry


def close_no_shows(today: dt.date | None = None) -> int:
    """R-QUE-6 sweep (task ``close_expired_offers``): one set-based query finds the offers
    whose term is over; each is closed by ``close_no_show`` in its own transaction (it may
    have been admitted meanwhile: then it is skipped)."""
    today = today or timezone.localdate()
    closed = 0
    ids = list(
        QueueEntry.objects.filter(status=QueueStatus.OFFERED, arrive_by__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for entry in QueueEntry.objects.filter(pk__in=ids).select_related("journal"):
        try:
            close_no_show(entry, today=today)
        except DomainError:
            continue
        closed += 1
    return closed


@transaction.atomic
def suspend_for_ipr_expiry(
    entry: QueueEntry, *, today: dt.date | None = None, actor: Any = None
) -> QueueEntry:
    """R-QUE-3: an entry whose IPR expired is suspended (it keeps its registration time)."""
    today = today or timezone.localdate()
    journal, entry = _locked_entry(entry)
    if entry.ipr_until is None or entry.ipr_until >= today:
        raise DomainError("queue.ipr_in_force", _("The IPR of this person is still in force."))
    _set_status(entry, QueueStatus.SUSPENDED, actor)
    chain.append_event(
        journal, entry, QueueEventKind.SUSPENDED, {"ipr_until": entry.ipr_until.isoformat()}, actor
    )
    record_event("journal.queue_suspend", entry, actor=actor)
    return entry


def suspend_expired_ipr(today: dt.date | None = None) -> int:
    """R-QUE-3 sweep (task ``suspend_expired_ipr``): waiting entries whose IPR expired."""
    today = today or timezone.localdate()
    done = 0
    for entry in QueueEntry.objects.filter(
        status=QueueStatus.WAITING, ipr_until__lt=today
    ).select_related("journal"):
        try:
            suspend_for_ipr_expiry(entry, today=today)
        except DomainError:
            continue
        done += 1
    return done


@transaction.atomic
def recertify(
    entry: QueueEntry, ipr_until: dt.date, *, today: dt.date | None = None, actor: Any = None
) -> QueueEntry:
    """R-QUE-3: after re-certification (a new IPR in force) the entry returns to its original
    place: its registration time is kept, so the computed position is what it would have been."""
    today = today or timezone.localdate()
    journal, entry = _locked_entry(entry)
    if ipr_until < today:
        raise DomainError(
            "queue.ipr_expired", _("The new IPR term has already ended."), field="ipr_until"
        )
    _set_status(entry, QueueStatus.WAITING, actor, ipr_until=ipr_until)
    chain.append_event(
        journal, entry, QueueEventKind.RECERTIFIED, {"ipr_until": ipr_until.isoformat()}, actor
    )
    record_event("journal.queue_recertify", entry, actor=actor)
    return entry


@transaction.atomic
def withdraw(entry: QueueEntry, *, actor: Any = None) -> QueueEntry:
    """The recipient leaves the queue (no longer needs the place)."""
    journal, entry = _locked_entry(entry)
    _set_status(
        entry,
        QueueStatus.CLOSED,
        actor,
        closed_reason=CloseReason.WITHDRAWN,
        closed_on=timezone.localdate(),
    )
    chain.append_event(journal, entry, QueueEventKind.WITHDRAWN, {}, actor)
    record_event("journal.queue_withdraw", entry, actor=actor)
    return entry


@transaction.atomic
def admit_from_queue(
    actor: Any,
    entry: QueueEntry,
    *,
    admitted_on: dt.date,
    order_number: str,
    order_date: dt.date,
    card: Any = None,
) -> Stay:
    """R-JRN-1 admission of the person who was offered the place and arrived within the term:
    the offered place becomes occupied (vacancies do not change)."""
    journal, entry = _locked_entry(entry)
    if entry.status != QueueStatus.OFFERED:
        raise DomainError("queue.not_offered", _("No place is offered on this application."))
    assert entry.arrive_by is not None
    if admitted_on > entry.arrive_by:
        raise DomainError(
            "queue.arrived_late",
            _(
                "The arrival term ended on %(date)s: close the offer and offer the place to "
                "the next person."
            )
            % {"date": f"{entry.arrive_by:%d.%m.%Y}"},
        )
    _set_status(entry, QueueStatus.ADMITTED, actor)
    stay = _admit_locked(
        journal,
        PersonData.of(entry),
        admitted_on=admitted_on,
        order_number=order_number,
        order_date=order_date,
        actor=actor,
        queue_entry=entry,
        card=card,
    )
    chain.append_event(
        journal,
        entry,
        QueueEventKind.ADMITTED,
        {"admitted_on": admitted_on.isoformat(), "stay": stay.pk},
        actor,
    )
    return stay
