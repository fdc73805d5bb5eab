"""R-QUE-1 transparency in lists (issue 9): ``positions_of`` tells each entry the same position,
number ahead and wait estimate as ``position_of``, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from qamqor.journal import selectors, services
from tests.journal.factories import admit, file, new_person, order

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 2)


def test_positions_of_agrees_with_position_of_in_two_queries(
    meyirim, elena_staff, django_assert_num_queries
):
    stays = [admit(elena_staff, meyirim, new_person()) for _ in range(2)]
    entries = [file(meyirim, new_person()) for _ in range(3)]
    entries.append(file(meyirim, new_person(), out_of_turn_basis="Анықтама № 5"))
    services.discharge(elena_staff, stays[0], on=D, reason="x", **order())
    entries = [type(e).objects.select_related("journal").get(pk=e.pk) for e in entries]

    with django_assert_num_queries(2):
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
