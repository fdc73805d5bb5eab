"""Issue 9, R-QUE-1 (the place, the number ahead and the wait estimate shown to the person): the
cabinet's queue section and "my place in the queue" are cached
(qamqor.core.freshness) but move with everybody else's writes to the same journal: the number
ahead, the places freed for the estimate, the organization's name, and the reads of the journal
in the privacy section."""

from __future__ import annotations

import pytest
from django.utils import timezone

from qamqor.core.models import PersonalFileAccess
from qamqor.journal import services
from tests.cabinet.freshness_helpers import (
    assert_write_shows,
    my_positions_api_of,
    my_queue_of,
    sections_of,
)
from tests.factories import UserFactory
from tests.journal.factories import admit, file, new_person, order, organization_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(client, meyirim, elena_staff):
    stay = admit(elena_staff, meyirim, new_person())
    admit(elena_staff, meyirim, new_person())  # both places taken: the others queue
    ahead = file(meyirim, new_person())
    me = new_person()
    mine = file(meyirim, me)
    client.force_login(me.user)
    return {"stay": stay, "ahead": ahead, "me": me, "mine": mine}


VIEWS = pytest.mark.parametrize(
    "view", [sections_of, my_queue_of, my_positions_api_of], ids=["cabinet", "my_queue", "api"]
)


@VIEWS
def test_someone_ahead_leaves_the_queue(client, queued, view) -> None:
    before, after = assert_write_shows(client, lambda: services.withdraw(queued["ahead"]), view)
    if view is sections_of:
        assert "position 2, 1 person ahead" in before and "position 1, 0 people ahead" in after
    elif view is my_queue_of:
        assert "Your position: 2" in before and "Your position: 1" in after
    else:
        assert '"position": 2' in before and '"position": 1' in after


@VIEWS
def test_a_place_freed_changes_the_estimate(client, queued, elena_staff, view) -> None:
    before, after = assert_write_shows(
        client,
        lambda: services.discharge(
            elena_staff, queued["stay"], on=timezone.localdate(), reason="x", **order()
        ),
        view,
    )
    shown = {sections_of: "of waiting", my_queue_of: "Estimated wait"}.get(view, '"wait_days": ')
    assert shown in after
    if view is my_positions_api_of:
        assert '"wait_days": null' in before and '"wait_days": null' not in after


@pytest.mark.parametrize("view", [sections_of, my_queue_of], ids=["cabinet", "my_queue"])
def test_the_organization_renamed(client, queued, meyirim, view) -> None:
    def rename() -> None:
        meyirim.name_kk = meyirim.name_ru = meyirim.name_en = "«Шуақ» орталығы"
        meyirim.save()

    assert_write_shows(client, rename, view)  # the API gives the organization's key, not its name


def test_the_queue_page_is_per_person_shown(client, queued) -> None:
    """Another person's view never comes from this person's entry."""
    mine = my_queue_of(client)
    client.force_login(UserFactory())
    assert my_queue_of(client) != mine and "You have no queue applications." in my_queue_of(client)


@VIEWS
def test_a_new_entry_elsewhere(client, queued, view) -> None:
    from qamqor.accounts.roles import Role
    from tests.applications.conftest import person

    other = organization_with(1, name_kk="«Шапағат»", name_ru="«Шапагат»")
    admit(person(Role.ORGANIZATION_STAFF, organization=other), other, new_person())
    assert_write_shows(client, lambda: file(other, queued["me"]), view)


def test_a_read_of_the_journal_that_lists_the_person(client, queued) -> None:
    journal_id = queued["mine"].journal_id
    assert_write_shows(
        client,
        lambda: PersonalFileAccess.objects.create(
            subject_iin="",
            subject_type="journal.journal",
            subject_id=str(journal_id),
            purpose="journal",
            actor=UserFactory(),
        ),
    )
