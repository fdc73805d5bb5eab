"""R-QUE-1 transparency in lists (issue 9): ``positions_of`` (one SQL statement) tells each entry
the same position, number ahead and wait estimate as ``position_of`` (the ORM), in a fixed number
of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from qamqor.journal import selectors, services
from tests.journal.factories import admit, file, new_person, order

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 2)


def test_positions_of_agrees_with_position_of_in_one_query(
    meyirim, elena_staff, django_assert_num_queries
):
    stays = [admit(elena_staff, meyirim, new_person()) for _ in range(2)]
    entries = [file(meyirim, new_person()) for _ in range(3)]
    entries.append(file(meyirim, new_person(), out_of_turn_basis="Анықтама № 5"))
    services.discharge(elena_staff, stays[0], on=D, reason="x", **order())
    entries = [type(e).objects.select_related("journal").get(pk=e.pk) for e in entries]

    with django_assert_num_queries(1):
        batch = selectors.positions_of(entries)

    single = [selectors.position_of(e) for e in entries]
    assert [(p.position, p.ahead, p.estimate) for p in batch] == [
        (p.position, p.ahead, p.estimate) for p in single
    ]
    assert [p.position for p in batch] == [2, 3, 4, 1]
    assert batch[0].estimate is not None and batch[0].estimate.places_freed == 1


def test_positions_of_makes_no_query_without_a_waiting_entry(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.positions_of([]) == []


def test_open_journals_opens_the_missing_ones_in_one_insert(monkeypatch) -> None:
    """R-JRN-1: one journal per organization and offered condition, opened in one insert
    whatever their number; a concurrent opening falls back to one by one."""
    from django.db import IntegrityError

    from qamqor.journal.models import Journal
    from qamqor.journal.services import movements
    from qamqor.organizations.models import OrganizationService
    from tests.journal.factories import organization_with

    orgs = [organization_with(1) for _ in range(3)]
    offered = list(OrganizationService.objects.filter(organization__in=orgs))
    services.open_journals(offered[:1])
    assert Journal.objects.filter(organization__in=orgs).count() == 1

    services.open_journals(offered)
    services.open_journals(offered)  # idempotent
    assert Journal.objects.filter(organization__in=orgs).count() == 3
    assert all(j.history.count() == 1 for j in Journal.objects.filter(organization__in=orgs))

    more = [organization_with(1) for _ in range(2)]

    def lost_race(*args, **kwargs):
        raise IntegrityError("journal_organization_condition")

    monkeypatch.setattr(movements, "audited_bulk_create", lost_race)
    services.open_journals(list(OrganizationService.objects.filter(organization__in=more)))
    assert Journal.objects.filter(organization__in=more).count() == 2


def test_my_positions_agrees_with_position_of_for_a_person_in_two_queues(
    meyirim, elena_staff, django_assert_num_queries
):
    """Issue 9: "my place in the queue" reads the person's entries with their number ahead in
    one query and the places freed in another; the figures are those of ``position_of``."""
    from qamqor.accounts import services as account_services
    from qamqor.accounts.roles import Role
    from qamqor.journal.models import ACTIVE_QUEUE, QueueStatus
    from tests.factories import UserFactory
    from tests.journal.factories import organization_with, person_of

    other = organization_with(1)
    other_staff = UserFactory()
    account_services.grant_role(None, other_staff, Role.ORGANIZATION_STAFF, organization=other)
    stays = [admit(elena_staff, meyirim, new_person()) for _ in range(2)]
    admit(other_staff, other, new_person())
    me = UserFactory()
    file(meyirim, new_person())
    file(meyirim, new_person(), out_of_turn_basis="Анықтама № 7")  # ahead of everyone
    mine_here = file(meyirim, person_of(me))
    file(meyirim, new_person())  # behind me
    file(other, new_person())
    mine_there = file(other, person_of(me))
    services.discharge(elena_staff, stays[0], on=D, reason="x", **order())

    with django_assert_num_queries(2):
        batch = selectors.my_positions(me)
    assert [p.entry.pk for p in batch] == [mine_there.pk, mine_here.pk]  # newest first
    single = [selectors.position_of(e) for e in selectors.my_queue_entries(me)]
    assert [(p.position, p.ahead, p.estimate) for p in batch] == [
        (p.position, p.ahead, p.estimate) for p in single
    ]
    assert [p.position for p in batch] == [2, 3]
    assert batch[1].estimate is not None and batch[1].estimate.places_freed == 1
    # What the page and the API show of an entry is read without another query.
    with django_assert_num_queries(0):
        assert [p.entry.journal.organization.name for p in batch] == [other.name, meyirim.name]
        assert batch[1].entry.journal.get_condition_display()
        assert batch[1].entry.get_status_display()

    # A closed entry has no position and no number ahead; the cabinet asks only active ones.
    from qamqor.core.history import audited_update

    audited_update(type(mine_there).objects.filter(pk=mine_there.pk), status=QueueStatus.CLOSED)
    after = selectors.my_positions(me)
    assert [(p.position, p.ahead) for p in after] == [(None, 0), (3, 2)]
    active = selectors.my_positions(me, statuses=ACTIVE_QUEUE)
    assert [p.entry.pk for p in active] == [mine_here.pk]
