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
