"""The waiting queue (R-QUE-1…6): filing, order, suspension, offers, postponement, no-show."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from qamqor.core.errors import DomainError
from qamqor.journal import selectors, services
from qamqor.journal.models import QueueEntry, QueueEvent, QueuePriority, QueueStatus
from tests.journal.factories import (
    admit,
    fake_signed,
    file,
    new_person,
    order,
    organization_with,
    postpone,
)

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 2)


@pytest.fixture
def full(meyirim, elena_staff):
    """Meyirim with both places occupied."""
    return [admit(elena_staff, meyirim, new_person()) for _ in range(2)]


def _order_of(journal):
    return [e.person_iin for e in selectors.waiting_queue(journal)]


def test_queue_refused_while_a_place_is_free(meyirim):
    """R-QUE-1, R-QUE-2: the queue is for an organization without a vacancy."""
    with pytest.raises(DomainError) as exc:
        file(meyirim, new_person())
    assert exc.value.code == "queue.has_vacancy"
    assert not QueueEntry.objects.exists()


def test_first_come_first_served(meyirim, full):
    """R-QUE-1: order of arrival; the position is computed from it."""
    people = [new_person() for _ in range(3)]
    entries = []
    for p in people:
        entries.append(file(meyirim, p))
    journal = entries[0].journal
    assert _order_of(journal) == [p.iin for p in people]
    assert [selectors.position_of(e).position for e in entries] == [1, 2, 3]


def test_out_of_turn_goes_ahead_fifo_among_themselves(meyirim, full):
    """R-QUE-4: orphans who turned 18 go ahead of the ordinary queue, FIFO among themselves."""
    a = file(meyirim, new_person())
    b = file(meyirim, new_person(), out_of_turn_basis="Балалар үйінің анықтамасы № 5")
    c = file(meyirim, new_person(), out_of_turn_basis="Балалар үйінің анықтамасы № 6")
    assert b.priority == QueuePriority.OUT_OF_TURN
    assert _order_of(a.journal) == [b.person_iin, c.person_iin, a.person_iin]


def test_out_of_turn_only_stationary(elena_staff):
    """R-QUE-4: only to stationary organizations."""
    org = organization_with(1, "semi_stationary")
    admit(elena_staff, org, new_person(), "semi_stationary")
    with pytest.raises(DomainError) as exc:
        file(org, new_person(), "semi_stationary", out_of_turn_basis="анықтама")
    assert exc.value.code == "queue.out_of_turn_stationary_only"


def test_person_once_in_a_queue(meyirim, full):
    """Each person at most once in a queue."""
    person = new_person()
    file(meyirim, person)
    with pytest.raises(DomainError) as exc:
        file(meyirim, person)
    assert exc.value.code == "queue.already_in_queue"


def test_application_must_be_the_signed_act(meyirim, full):
    """R-QUE-2: the signed document must be this application of this person."""
    person = new_person()
    other = new_person()
    act = services.queue_application_act(meyirim, "stationary", other)
    doc = fake_signed(other.user, act, "journal.queue_application")
    with pytest.raises(DomainError) as exc:
        services.file_queue_application(meyirim, "stationary", person, application=doc)
    assert exc.value.code == "queue.signature_mismatch"


def test_ipr_expiry_suspends_and_recertification_keeps_the_place(meyirim, full):
    """R-QUE-3: suspended on IPR expiry, returns to its original place after re-certification."""
    first = file(meyirim, new_person(ipr_until=dt.date(2026, 3, 10)))
    second = file(meyirim, new_person())
    with time_machine.travel(dt.datetime(2026, 3, 11, 10, tzinfo=dt.UTC), tick=False):
        assert services.suspend_expired_ipr() == 1
        first.refresh_from_db()
        assert first.status == QueueStatus.SUSPENDED
        assert selectors.position_of(second).position == 1
        third = file(meyirim, new_person())
        services.recertify(first, dt.date(2027, 3, 10))
    assert _order_of(first.journal) == [first.person_iin, second.person_iin, third.person_iin]


def test_offer_goes_to_the_head_and_never_twice(meyirim, full, elena_staff):
    """Issue item 3, R-QUE-1: the free place is offered to the head; no place twice."""
    a = file(meyirim, new_person())
    b = file(meyirim, new_person())
    services.discharge(elena_staff, full[0], on=D, reason="өз еркімен", **order())
    offered = services.offer_place(elena_staff, a.journal, arrive_by=D + dt.timedelta(days=7))
    assert offered.pk == a.pk and offered.status == QueueStatus.OFFERED
    counts = selectors.occupancy(a.journal)
    assert (counts.occupied, counts.offered, counts.vacancies) == (1, 1, 0)
    with pytest.raises(DomainError) as exc:
        services.offer_place(elena_staff, a.journal, arrive_by=D + dt.timedelta(days=7))
    assert exc.value.code == "queue.no_vacancy"
    assert QueueEntry.objects.get(pk=b.pk).status == QueueStatus.WAITING
    stay = services.admit_from_queue(elena_staff, offered, admitted_on=D, **order())
    assert stay.queue_entry_id == a.pk
    assert QueueEntry.objects.get(pk=a.pk).status == QueueStatus.ADMITTED


def test_direct_admission_refused_while_people_wait(meyirim, full, elena_staff):
    """R-QUE-1: a freed place goes to the queue, not to someone from outside."""
    file(meyirim, new_person())
    services.discharge(elena_staff, full[0], on=D, reason="өз еркімен", **order())
    with pytest.raises(DomainError) as exc:
        admit(elena_staff, meyirim, new_person())
    assert exc.value.code == "journal.queue_first"


@pytest.fixture
def offered(meyirim, full, elena_staff):
    entry = file(meyirim, new_person())
    services.discharge(elena_staff, full[0], on=D, reason="өз еркімен", **order())
    return services.offer_place(elena_staff, entry.journal, arrive_by=dt.date(2026, 3, 10))


def test_postponement_allowed_once_up_to_30_days(offered):
    """R-QUE-5: once, by up to 30 calendar days (stationary), with a signed notification."""
    limit = services.postponement_limit(offered)
    assert limit == dt.date(2026, 4, 9)  # 10.03 + 30 calendar days (a Thursday, working day)
    with pytest.raises(DomainError) as exc:
        postpone(offered, limit + dt.timedelta(days=1))
    assert exc.value.code == "queue.postponement_too_long"
    entry = postpone(offered, limit, "hospitalisation")
    assert (entry.arrive_by, entry.original_arrive_by, entry.postponed) == (
        limit,
        dt.date(2026, 3, 10),
        True,
    )
    with pytest.raises(DomainError) as exc:
        postpone(entry, limit)
    assert exc.value.code == "queue.already_postponed"


def test_postponement_semi_stationary_10_days(elena_staff):
    """R-QUE-5: up to 10 calendar days for semi-stationary organizations."""
    org = organization_with(1, "semi_stationary")
    stay = admit(elena_staff, org, new_person(), "semi_stationary")
    entry = file(org, new_person(), "semi_stationary")
    services.discharge(elena_staff, stay, on=D, reason="өз еркімен", **order())
    entry = services.offer_place(elena_staff, entry.journal, arrive_by=dt.date(2026, 3, 10))
    assert services.postponement_limit(entry) == dt.date(2026, 3, 20)


def test_postponement_reason_must_be_illness_or_hospitalisation(offered):
    """R-QUE-5: illness or hospitalisation only."""
    with pytest.raises(DomainError) as exc:
        postpone(offered, dt.date(2026, 3, 15), "vacation")
    assert exc.value.code == "queue.postponement_reason"


def test_no_show_closes_and_next_person_gets_the_place(offered, elena_staff):
    """R-QUE-6: a no-show at the end of the term closes the offer; the next is processed."""
    nxt = file(offered.journal.organization, new_person())
    with pytest.raises(DomainError) as exc:
        services.close_no_show(offered, today=dt.date(2026, 3, 10))
    assert exc.value.code == "queue.term_not_over"
    assert services.close_no_shows(today=dt.date(2026, 3, 11)) == 1
    offered.refresh_from_db()
    assert offered.status == QueueStatus.CLOSED and offered.closed_reason == "no_show"
    again = services.offer_place(
        elena_staff, offered.journal, arrive_by=dt.date(2026, 3, 20), today=dt.date(2026, 3, 11)
    )
    assert again.pk == nxt.pk


def test_every_queue_event_is_recorded_in_a_chain(offered):
    """Issue item 3/4: every queue event recorded, chained by hash."""
    events = list(QueueEvent.objects.filter(journal=offered.journal).order_by("seq"))
    assert [e.kind for e in events] == ["filed", "offered"]
    assert events[1].prev_hash == events[0].hash and [e.seq for e in events] == [1, 2]


def test_wait_estimate_from_turnover(meyirim, full, elena_staff):
    """Transparency: estimate from the places freed in the last 365 days."""
    entry = file(meyirim, new_person())
    assert selectors.position_of(entry).estimate.days is None  # no turnover yet
    services.discharge(elena_staff, full[0], on=D, reason="x", **order())
    estimate = selectors.wait_estimate(entry.journal, ahead=2, today=D + dt.timedelta(days=30))
    assert (estimate.places_freed, estimate.days_per_place, estimate.days) == (1, 365.0, 1095)


def test_an_offer_and_its_closing_are_told_to_the_person(offered) -> None:
    """R-QUE-5, R-QUE-6: the person with a portal account hears of the offer and its term, and
    of the closing when they did not come (inbox; SMS/e-mail go after the commit)."""
    from qamqor.notifications.models import Notification

    entry = offered
    offered = Notification.objects.filter(recipient=entry.user, kind="journal.place_offered")
    assert offered.count() == 1
    assert f"{entry.arrive_by:%d.%m.%Y}" in offered.get().body

    services.close_no_show(entry, today=entry.arrive_by + dt.timedelta(days=1))

    assert Notification.objects.filter(recipient=entry.user, kind="journal.offer_closed").exists()
