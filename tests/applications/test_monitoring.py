"""Monitoring (R-SVC-12): the event feed, the dashboard and the overdue sweep."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from qamqor.applications import selectors
from qamqor.applications.models import OverdueMark
from qamqor.applications.services import cases
from qamqor.applications.services.monitoring import sweep_overdue
from qamqor.notifications.models import Notification
from tests.applications.conftest import at, file_on
from tests.applications.factories import RecipientFactory

pytestmark = pytest.mark.django_db


def test_every_stage_change_is_in_the_feed_with_a_cursor(
    askar_officer, saule_worker, bibigul, erzhan_ministry
):
    """R-SVC-12: the feed is append-only and read after a cursor."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    cases.assign_assessment(app, saule_worker, actor=askar_officer)
    feed = selectors.feed_for(erzhan_ministry)
    assert [t.to_status for t in feed] == ["registered", "assessment_assigned"]
    assert [t.to_status for t in selectors.feed_for(erzhan_ministry, after=feed[0].id)] == [
        "assessment_assigned"
    ]
    assert selectors.feed_for(askar_officer) == feed


def test_the_feed_of_a_district_officer_is_their_district(askar_officer, bibigul):
    from qamqor.accounts.roles import Role
    from tests.applications.conftest import person
    from tests.factories import DistrictFactory

    file_on(at(2025, 3, 19), askar_officer, bibigul)
    assert selectors.feed_for(person(Role.DISTRICT_OFFICER, district=DistrictFactory())) == []


def test_dashboard_counts_due_today_soon_and_overdue(
    askar_officer, saule_worker, district, erzhan_ministry
):
    """R-SVC-12: on Monday 7 April 2025: one case due today (assessment), one due in 2 working
    days, one overdue."""
    a = file_on(at(2025, 3, 19), askar_officer, RecipientFactory(district=district))
    with time_machine.travel(at(2025, 3, 19), tick=False):
        cases.assign_assessment(a, saule_worker, actor=askar_officer)  # due 7 April
    file_on(at(2025, 3, 12), askar_officer, RecipientFactory(district=district))  # due 9 April
    b = file_on(at(2025, 3, 17), askar_officer, RecipientFactory(district=district))
    with time_machine.travel(at(2025, 3, 17), tick=False):
        cases.assign_assessment(b, saule_worker, actor=askar_officer)  # due 3 April
    data = selectors.dashboard(askar_officer, today=dt.date(2025, 4, 7))
    assert data["totals"] == {"total": 3, "due_today": 1, "due_soon": 1, "overdue": 1}
    assert data["by_stage"] == {"assessment_assigned": 2, "registered": 1}
    assert [(r["district"], r["overdue"]) for r in data["by_district"]] == [(district.pk, 1)]
    assert selectors.dashboard(erzhan_ministry, today=dt.date(2025, 4, 7))["totals"]["total"] == 3
    overdue = selectors.drill_down(askar_officer, bucket="overdue", today=dt.date(2025, 4, 7))
    assert list(overdue) == [b]


def test_the_sweep_marks_overdue_cases_once_and_notifies_the_officer(
    askar_officer, saule_worker, district
):
    """R-SVC-12: set-based marks; the responsible officer gets one message; a second run the
    same day does nothing; an unassigned case goes to the district officers."""
    b = file_on(at(2025, 3, 17), askar_officer, RecipientFactory(district=district))
    with time_machine.travel(at(2025, 3, 17), tick=False):
        cases.assign_assessment(b, saule_worker, actor=askar_officer)  # due 3 April
    file_on(at(2025, 3, 19), askar_officer, RecipientFactory(district=district))  # due 16 April
    before = Notification.objects.filter(recipient=askar_officer).count()

    result = sweep_overdue(today=dt.date(2025, 4, 7))
    assert result == {"marked": 1, "officers_notified": 1}
    assert OverdueMark.objects.get().application_id == b.pk
    assert Notification.objects.filter(recipient=askar_officer).count() == before + 1
    assert sweep_overdue(today=dt.date(2025, 4, 7)) == {"marked": 0, "officers_notified": 0}

    assert sweep_overdue(today=dt.date(2025, 4, 17))["marked"] == 1  # the registered one
    assert (
        Notification.objects.filter(recipient=askar_officer, kind="applications.overdue").count()
        == 2
    )


def test_the_sweep_task_runs_the_service(askar_officer, bibigul):
    """R-SVC-12: the daily task (django-tasks) calls the set-based sweep."""
    from qamqor.applications import tasks

    file_on(at(2025, 3, 19), askar_officer, bibigul)
    assert tasks.sweep_overdue.call() == {"marked": 1, "officers_notified": 1}
    assert tasks.return_uncollected_results.call() == 0


def test_a_staff_read_of_a_case_is_logged(client, askar_officer, bibigul):
    """R-X-5, R-SVC-16: the case holds medical data; staff reads are logged."""
    from qamqor.core.models import PersonalFileAccess

    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    client.force_login(askar_officer)
    client.get(f"/applications/cases/{app.pk}/")
    access = PersonalFileAccess.objects.get()
    assert (access.subject_iin, access.actor_id) == (bibigul.iin, askar_officer.pk)


# --- Issue 9: the dashboard page's rendering is kept beside its figures ---------------------------


def dashboard_page(client, language: str) -> str:
    client.cookies["qamqor_language"] = language
    response = client.get("/applications/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_shows_district_names_in_the_readers_language(
    client, askar_officer, district
):
    """The figures are shared for a minute by everyone with the scope, but not across languages
    (before: the first reader's language was served to all for that minute)."""
    district.name_kk = "Алмалы ауданы"
    district.name_ru = "Алмалинский район"
    district.save()
    file_on(at(2025, 3, 19), askar_officer, RecipientFactory(district=district))
    client.force_login(askar_officer)
    kk = dashboard_page(client, "kk")
    ru = dashboard_page(client, "ru")
    assert "Алмалы ауданы" in kk and "Алмалинский район" not in kk
    assert "Алмалинский район" in ru and "Алмалы ауданы" not in ru


def test_the_rendered_dashboard_follows_its_figures_and_is_not_personal(
    client, askar_officer, district
):
    from django.core.cache import cache

    from qamqor.accounts.roles import Role
    from tests.applications.conftest import person

    file_on(at(2025, 3, 19), askar_officer, RecipientFactory(district=district))
    colleague = person(Role.DISTRICT_OFFICER, district=district)
    colleague.surname = "Әріптесов"
    colleague.save()
    client.force_login(askar_officer)
    first = dashboard_page(client, "kk")
    assert '<a href="/applications/cases/">1</a>' in first
    # Another case: the figures (and so the page) change when the minute's figures are renewed.
    file_on(at(2025, 3, 20), askar_officer, RecipientFactory(district=district))
    assert '<a href="/applications/cases/">1</a>' in dashboard_page(client, "kk")
    cache.clear()
    assert '<a href="/applications/cases/">2</a>' in dashboard_page(client, "kk")
    # The same scope's colleague gets the same figures under their own name, never Askar's.
    client.force_login(colleague)
    page = dashboard_page(client, "kk")
    assert "Әріптесов" in page and askar_officer.surname not in page
