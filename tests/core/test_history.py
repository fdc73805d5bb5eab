"""History and audit primitives (R-X-5: nothing is hard-deleted; changes are history)."""

from __future__ import annotations

import pytest

from qamqor.core.audit import events_for, record_event, record_file_access
from qamqor.core.history import (
    HistoryBypassError,
    acting_as,
    audited_bulk_create,
    audited_update,
)
from qamqor.core.models import DomainEvent, PersonalFileAccess
from qamqor.organizations.models import Organization
from tests.factories import DistrictFactory, OrganizationFactory, UserFactory, make_bin

pytestmark = pytest.mark.django_db


def test_every_change_is_kept_with_actor_and_time() -> None:
    """R-X-5: full change history with actor and time."""
    officer = UserFactory()
    with acting_as(officer):
        org = OrganizationFactory(email="")
        org.email = "info@example.kz"
        org.save()
    records = list(org.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[1].email == "info@example.kz"
    assert records[0].email == ""
    assert all(r.history_user == officer for r in records)
    assert all(r.history_date is not None for r in records)


def test_changes_without_an_actor_are_recorded_as_system() -> None:
    org = OrganizationFactory()
    assert org.history.get().history_user is None


def test_request_user_becomes_the_actor(client) -> None:
    """The middleware attributes history rows written in a request to the logged-in user."""
    from qamqor.core.history import current_actor

    user = UserFactory()
    client.force_login(user)
    seen = []

    def view(request):
        from django.http import HttpResponse

        seen.append(current_actor())
        return HttpResponse("ok")

    from qamqor.core.history import HistoryActorMiddleware

    request = client.get("/").wsgi_request
    HistoryActorMiddleware(view)(request)
    assert seen == [user]


def test_records_are_never_deleted() -> None:
    org = OrganizationFactory()
    with pytest.raises(HistoryBypassError) as err:
        org.delete()
    assert err.value.code == "history.no_delete"
    with pytest.raises(HistoryBypassError):
        Organization.objects.filter(pk=org.pk).delete()
    assert Organization.objects.filter(pk=org.pk).exists()


def test_bulk_writes_that_would_escape_history_are_refused() -> None:
    org = OrganizationFactory()
    with pytest.raises(HistoryBypassError) as err:
        Organization.objects.filter(pk=org.pk).update(email="x@example.kz")
    assert err.value.code == "history.bypass_update"
    with pytest.raises(HistoryBypassError):
        Organization.objects.bulk_update([org], ["email"])
    with pytest.raises(HistoryBypassError):
        Organization.objects.bulk_create([Organization(bin=make_bin(500))])


def test_audited_update_is_compare_and_set_with_history() -> None:
    officer = UserFactory()
    org = OrganizationFactory(email="old@example.kz")
    with acting_as(officer):
        changed = audited_update(
            Organization.objects.filter(pk=org.pk, email="old@example.kz"),
            email="new@example.kz",
        )
        again = audited_update(
            Organization.objects.filter(pk=org.pk, email="old@example.kz"),
            email="newer@example.kz",
        )
    assert (changed, again) == (1, 0)  # the second compare-and-set finds nothing to change
    org.refresh_from_db()
    assert org.email == "new@example.kz"
    latest = org.history.order_by("-history_date", "-history_id").first()
    assert latest.email == "new@example.kz"
    assert latest.history_user == officer
    assert org.history.count() == 2


def test_audited_bulk_create_writes_history_for_each_row() -> None:
    district = DistrictFactory()
    orgs = [
        Organization(
            name_kk=f"Ұйым {i}",
            name_ru=f"Организация {i}",
            bin=make_bin(600 + i),
            district=district,
            legal_address="Астана",
        )
        for i in range(3)
    ]
    audited_bulk_create(Organization, orgs)
    assert Organization.history.filter(history_type="+").count() == 3


def test_domain_events_are_append_only() -> None:
    org = OrganizationFactory()
    event = record_event("organizations.test_act", org, reason_codes=["r1"], comment="why")
    assert list(events_for(org)) == [event]
    assert event.subject_type == "organizations.organization"
    event.comment = "changed"
    with pytest.raises(HistoryBypassError):
        event.save()
    with pytest.raises(HistoryBypassError):
        event.delete()
    assert DomainEvent.objects.get().comment == "why"


def test_event_verbs_are_dotted() -> None:
    with pytest.raises(ValueError):
        record_event("nodot", ("case", 1))
    assert not DomainEvent.objects.exists()


def test_reads_of_a_personal_file_are_logged() -> None:
    """R-X-5: every access to a recipient's file is logged (who, when, what, why)."""
    officer = UserFactory()
    access = record_file_access(
        officer, "900101300017", ("applications.application", 7), purpose="review", path="/x"
    )
    assert PersonalFileAccess.objects.get() == access
    assert (access.actor, access.subject_iin, access.subject_id) == (officer, "900101300017", "7")
    with pytest.raises(HistoryBypassError):
        access.delete()
