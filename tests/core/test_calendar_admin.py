"""Administrators edit the calendar and the legal terms (R-X-1, R-X-6); audit stays read-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from qamqor.core.calendar import add_working_days, is_working_day
from qamqor.core.errors import DomainError, PermissionDeniedError
from qamqor.core.models import CalendarDay, DomainEvent, LegalTerm
from qamqor.core.services import set_calendar_day, sync_calendar_days
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def ministry_analyst():
    """A staff member allowed to edit the calendar (ministry: reference data)."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="core",
            codename__in=["view_calendarday", "change_calendarday", "add_calendarday"],
        )
    )
    return type(user).objects.get(pk=user.pk)  # fresh object: no permission cache


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def _confirm_kurban_ait_2026(actor) -> None:
    """The government announces Kurban Ait 2026 on Tuesday 26 May instead of the estimate."""
    set_calendar_day(
        actor,
        D(2026, 5, 27),
        is_working_day=True,
        kind="extra_working_day",
        name_kk="Жұмыс күні",
        name_ru="Рабочий день",
        name_en="Working day",
        note="The library's estimate was wrong.",
    )
    set_calendar_day(
        actor,
        D(2026, 5, 26),
        is_working_day=False,
        kind="holiday",
        name_kk="Құрбан айт",
        name_ru="Курбан айт",
        name_en="Kurban Ait",
        note="Confirmed.",
    )


def test_an_administrator_override_wins_and_is_seen_at_once(ministry_analyst) -> None:
    """R-X-1: an administrator's row wins over the library, and the cached calendar is
    invalidated: the next count already uses it."""
    assert add_working_days(D(2026, 5, 22), 2) == D(2026, 5, 26)  # warm cache; 27 off
    _confirm_kurban_ait_2026(ministry_analyst)
    assert is_working_day(D(2026, 5, 26)) is False
    assert is_working_day(D(2026, 5, 27)) is True
    assert add_working_days(D(2026, 5, 22), 2) == D(2026, 5, 27)
    row = CalendarDay.objects.get(date=D(2026, 5, 26))
    assert (row.source, row.kind, row.name_ru) == ("admin", "holiday", "Курбан айт")


def test_a_library_resync_never_touches_administrator_rows(ministry_analyst) -> None:
    """R-X-1: the library would put Kurban Ait back on 27 May; the administrator's rows stay."""
    _confirm_kurban_ait_2026(ministry_analyst)
    result = sync_calendar_days(2026, 2026)
    assert (result.kept_admin, result.created, result.updated) == (1, 0, 0)
    assert D(2026, 5, 27) not in result.estimated
    row = CalendarDay.objects.get(date=D(2026, 5, 27))
    assert (row.source, row.is_working_day) == ("admin", True)
    assert is_working_day(D(2026, 5, 27)) is True


def test_the_override_is_history_and_an_event(ministry_analyst) -> None:
    """R-X-1, R-X-5: who changed the day, from what to what."""
    set_calendar_day(
        ministry_analyst,
        D(2025, 12, 31),
        is_working_day=False,
        kind="extra_day_off",
        name_kk="Қосымша демалыс күні",
        name_ru="Дополнительный выходной день",
        note="Government decree.",
    )
    row = CalendarDay.objects.get(date=D(2025, 12, 31))
    assert row.history.get().history_user == ministry_analyst
    event = DomainEvent.objects.get(verb="core.set_calendar_day")
    assert (event.actor, event.subject_type, event.subject_id) == (
        ministry_analyst,
        "core.calendarday",
        str(row.pk),
    )
    assert event.data["before"] is None
    assert event.data["after"]["kind"] == "extra_day_off"
    assert is_working_day(D(2025, 12, 31)) is False


def test_someone_without_the_permission_is_refused_and_nothing_changes() -> None:
    """R-X-1: only those who may edit the calendar do."""
    aigerim_recipient = UserFactory()
    with pytest.raises(PermissionDeniedError) as error:
        set_calendar_day(
            aigerim_recipient,
            D(2025, 6, 6),
            is_working_day=True,
            kind="extra_working_day",
            name_kk="Жұмыс күні",
            name_ru="Рабочий день",
        )
    assert error.value.code == "calendar.forbidden"
    assert CalendarDay.objects.get(date=D(2025, 6, 6)).source == "library"
    assert not DomainEvent.objects.filter(verb="core.set_calendar_day").exists()


def test_a_kind_that_contradicts_the_day_is_refused(ministry_analyst) -> None:
    with pytest.raises(DomainError) as error:
        set_calendar_day(
            ministry_analyst,
            D(2025, 6, 6),
            is_working_day=True,
            kind="holiday",
            name_kk="Құрбан айт",
            name_ru="Курбан айт",
        )
    assert (error.value.code, error.value.field) == ("calendar.kind_mismatch", "kind")
    assert CalendarDay.objects.get(date=D(2025, 6, 6)).source == "library"
    assert not DomainEvent.objects.filter(verb="core.set_calendar_day").exists()


# --- Through the admin ---------------------------------------------------------------------------


def test_admin_lists_the_calendar_by_year(client: Client, ministry_analyst) -> None:
    client.force_login(ministry_analyst)
    client.cookies["qamqor_language"] = "en"
    response = client.get("/admin/core/calendarday/?year=2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Наурыз мейрамы" in html
    assert "2026" in html  # the year filter offers the other years


def test_admin_save_goes_through_the_service(client: Client, ministry_analyst) -> None:
    """R-X-1: an admin edit makes the row an administrator row and invalidates the cache."""
    client.force_login(ministry_analyst)
    assert is_working_day(D(2026, 5, 27)) is False
    row = CalendarDay.objects.get(date=D(2026, 5, 27))
    response = client.post(
        f"/admin/core/calendarday/{row.pk}/change/",
        {
            "is_working_day": "on",
            "kind": "extra_working_day",
            "name_kk": "Жұмыс күні",
            "name_ru": "Рабочий день",
            "name_en": "Working day",
            "note": "Kurban Ait 2026 announced for another day.",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.source, row.is_working_day) == ("admin", True)
    assert is_working_day(D(2026, 5, 27)) is True
    assert DomainEvent.objects.filter(verb="core.set_calendar_day", actor=ministry_analyst).exists()
    history = client.get(f"/admin/core/calendarday/{row.pk}/history/")
    assert history.status_code == 200
    assert [h.history_user for h in row.history.all()] == [ministry_analyst]


def test_admin_add_and_form_errors(client: Client, ministry_analyst) -> None:
    client.force_login(ministry_analyst)
    client.cookies["qamqor_language"] = "en"
    bad = client.post(
        "/admin/core/calendarday/add/",
        {"date": "2025-12-31", "kind": "holiday", "name_kk": "", "name_ru": "Выходной"},
    )
    assert bad.status_code == 200
    assert "Enter the name in Kazakh." in bad.content.decode()
    assert not CalendarDay.objects.filter(date=D(2025, 12, 31)).exists()
    good = client.post(
        "/admin/core/calendarday/add/",
        {
            "date": "2025-12-31",
            "kind": "extra_day_off",
            "name_kk": "Қосымша демалыс күні",
            "name_ru": "Дополнительный выходной день",
        },
    )
    assert good.status_code == 302
    assert CalendarDay.objects.get(date=D(2025, 12, 31)).source == "admin"
    assert is_working_day(D(2025, 12, 31)) is False


def test_calendar_days_cannot_be_deleted_in_the_admin(client: Client, superuser) -> None:
    client.force_login(superuser)
    row = CalendarDay.objects.get(date=D(2025, 6, 6))
    assert client.get(f"/admin/core/calendarday/{row.pk}/delete/").status_code == 403


def test_a_legal_term_edition_is_frozen_and_a_new_edition_is_a_new_row(
    client: Client, superuser
) -> None:
    """R-X-6: the count of an edition in force cannot be edited; a new edition is added."""
    client.force_login(superuser)
    term = LegalTerm.objects.get(rule_id="R-SVC-7", key="main")
    listing = client.get("/admin/core/legalterm/").content.decode()
    assert "/admin/core/legalterm/add/?rule_id=R-SVC-7" in listing
    change = client.get(f"/admin/core/legalterm/{term.pk}/change/").content.decode()
    assert 'name="count"' not in change
    prefilled = client.get("/admin/core/legalterm/add/?rule_id=R-SVC-7&key=main&count=10")
    assert 'value="R-SVC-7"' in prefilled.content.decode()
    response = client.post(
        "/admin/core/legalterm/add/",
        {
            "rule_id": "R-SVC-7",
            "key": "main",
            "count": "7",
            "unit": "working_days",
            "effective_from": "2026-01-01",
            "legal_act": "Жаңа редакция",
            "paragraph": "12-тармақ",
            "description_kk": "Жаңа редакция",
            "description_ru": "Новая редакция",
            "description_en": "New edition",
        },
    )
    assert response.status_code == 302
    assert list(
        LegalTerm.objects.filter(rule_id="R-SVC-7").values_list("count", "effective_from")
    ) == [(7, D(2026, 1, 1)), (10, D(2022, 8, 3))]
    assert client.get(f"/admin/core/legalterm/{term.pk}/delete/").status_code == 403


@pytest.mark.parametrize("model", ["region", "district", "domainevent", "personalfileaccess"])
def test_reference_and_audit_tables_are_read_only(client: Client, superuser, model: str) -> None:
    """R-X-5: audit records and territories are only read in the admin."""
    client.force_login(superuser)
    assert client.get(f"/admin/core/{model}/").status_code == 200
    assert client.get(f"/admin/core/{model}/add/").status_code == 403


def test_a_rolled_back_override_is_never_seen(ministry_analyst) -> None:
    """R-X-1: the cache never keeps a change its transaction rolled back."""
    from django.db import transaction

    assert is_working_day(D(2025, 6, 6)) is False
    with pytest.raises(RuntimeError), transaction.atomic():
        set_calendar_day(
            ministry_analyst,
            D(2025, 6, 6),
            is_working_day=True,
            kind="extra_working_day",
            name_kk="Жұмыс күні",
            name_ru="Рабочий день",
        )
        assert is_working_day(D(2025, 6, 6)) is True  # the writer sees its own change
        raise RuntimeError("something later in the transaction failed")
    assert is_working_day(D(2025, 6, 6)) is False


def test_a_change_announced_by_another_process_is_picked_up(
    django_assert_num_queries,
) -> None:
    """R-X-1: processes share a version token in Django's cache and reload when it changes."""
    from django.core.cache import cache

    from qamqor.core import calendar

    is_working_day(D(2025, 6, 6))
    with django_assert_num_queries(0):
        is_working_day(D(2025, 6, 6))
    cache.set(calendar.CACHE_KEY, "changed-elsewhere", timeout=None)
    calendar._state.checked_at = 0.0  # the next check is due
    with django_assert_num_queries(1):
        is_working_day(D(2025, 6, 6))
    with django_assert_num_queries(0):
        is_working_day(D(2025, 6, 9))
