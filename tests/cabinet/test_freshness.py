"""Issue 9, R-POR-2 (everything the portal knows about the person, on one page): the personal
cabinet's sections are cached, and checked against the database on every
view (qamqor.core.freshness). Every kind of write the portal makes to what a section shows
changes the next view, exactly as a fresh render would; the queue and the applications have
their own files (tests/journal, tests/applications)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qamqor.cabinet import sections
from qamqor.cabinet.models import (
    MeasureStatus,
    Order,
    OrderStatus,
)
from qamqor.cabinet.services.orders import expire_measures
from qamqor.core import freshness
from qamqor.core.history import audited_update
from qamqor.core.models import PersonalFileAccess
from qamqor.notifications.models import Notification
from qamqor.notifications.services import notify
from qamqor.privacy.models import ConsentAction, ConsentKind, ConsentRecord
from tests.cabinet.factories import (
    MeasureFactory,
    OfferFactory,
    item,
    order_of,
    recommended_service,
    social_package_item,
)
from tests.cabinet.freshness_helpers import assert_write_shows, sections_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    person = UserFactory()
    measure = MeasureFactory(
        ipr__person=person, choice_until=timezone.localdate() + dt.timedelta(days=9)
    )
    offer = OfferFactory(regions=[measure.ipr.district.region], item=measure.item)
    client.force_login(person)
    return {"person": person, "measure": measure, "offer": offer}


def test_every_section_is_watched() -> None:
    """A section without ``@watching`` would be rendered on every view (safe, but slow): the
    portal's own are all watched, and their watches compile into one statement."""
    providers = [sections._provider(p) for p in sections.SECTION_PROVIDERS]
    assert all(hasattr(p, "watches") for p in providers)
    person = UserFactory()
    figures = freshness.fingerprint(
        "test", lambda: [w for p in providers for w in p.watches()], person, person
    )
    assert len(figures) > 10


def test_a_second_view_reads_only_the_fingerprint(client, world) -> None:
    first = CaptureQueriesContext(connection)
    with first:
        sections_of(client)
    second = CaptureQueriesContext(connection)
    with second:
        sections_of(client)
    assert len(second.captured_queries) < len(first.captured_queries) - 5
    read = " ".join(q["sql"] for q in second.captured_queries)
    assert "cabinet_offer" not in read.replace("cabinet_historicaloffer", "")


def test_the_cache_is_per_viewer_and_language(client, world) -> None:
    item = world["measure"].item
    en = sections_of(client)
    ru = client.get("/cabinet/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert item.name_ru in ru and item.name_ru not in en
    client.force_login(UserFactory())
    assert world["measure"].ipr.number not in sections_of(client)


def test_a_new_day_renders_again(client, world) -> None:
    """ "Days left" changes at midnight without any write."""
    import time_machine

    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    with time_machine.travel(dt.datetime.combine(today, dt.time(23, 58), tz)):
        client.force_login(world["person"])
        before = sections_of(client)
    with time_machine.travel(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 1), tz)):
        after = sections_of(client)
    assert "9 days left" in before and "8 days left" in after


def test_measure_status(client, world) -> None:
    m = world["measure"]
    assert_write_shows(
        client,
        lambda: audited_update(type(m).objects.filter(pk=m.pk), status=MeasureStatus.COMPLETED),
    )


def test_new_measure(client, world) -> None:
    assert_write_shows(
        client, lambda: MeasureFactory(ipr=world["measure"].ipr, item=item("M-0201"))
    )


def test_expiry_sweep_raw_update(client, world) -> None:
    """The daily sweep writes with a raw UPDATE and INSERT … SELECT of the history rows."""
    m = world["measure"]
    assert_write_shows(client, lambda: expire_measures(m.choice_until + dt.timedelta(days=1)))


def test_catalogue_item_renamed(client, world) -> None:
    def rename() -> None:
        it = world["measure"].item
        it.name_kk = it.name_ru = it.name_en = "Жаңа атау"  # name_en may not exist: harmless
        it.save()

    assert_write_shows(client, rename)


def test_offer_withdrawn_and_published(client, world) -> None:
    def withdraw() -> None:
        offer = world["offer"]
        offer.withdrawn_at = timezone.now()
        offer.save()

    assert_write_shows(client, withdraw)
    assert_write_shows(
        client,
        lambda: OfferFactory(
            regions=[world["measure"].ipr.district.region],
            item=world["measure"].item,
            price=Decimal("99000"),
        ),
    )


def test_supplier_renamed(client, world) -> None:
    def rename() -> None:
        supplier = world["offer"].supplier
        supplier.name_kk = supplier.name_ru = "ЖШС «Басқа»"
        supplier.save()

    assert_write_shows(client, rename)


def test_orders_and_their_steps(client, world) -> None:
    made: dict[str, Order] = {}

    def place() -> None:
        made["order"] = order_of(world["measure"], world["offer"])

    assert_write_shows(client, place)
    order = made["order"]
    assert_write_shows(
        client,
        lambda: audited_update(Order.objects.filter(pk=order.pk), status=OrderStatus.HANDED_OVER),
    )
    assert_write_shows(
        client,
        lambda: audited_update(
            Order.objects.filter(pk=order.pk), status=OrderStatus.REJECTED, rejection_reason="Жоқ"
        ),
    )


def test_recommended_services_and_social_package(client, world) -> None:
    person = world["person"]
    assert_write_shows(client, lambda: recommended_service(person))
    assert_write_shows(client, lambda: social_package_item(person))


def test_notifications_new_and_read(client, world) -> None:
    person = world["person"]
    assert_write_shows(
        client, lambda: notify(person, kind="test", subject="Сынақ хабар", sms=False, email=False)
    )
    assert_write_shows(
        client,
        lambda: Notification.objects.filter(recipient=person).update(read_at=timezone.now()),
    )


def test_consents_and_reads_of_the_file(client, world) -> None:
    person = world["person"]

    def consent() -> None:
        ConsentRecord.objects.create(
            subject_iin=person.iin,
            kind=ConsentKind.PERSONAL_DATA,
            action=ConsentAction.GIVEN,
            text_version="2025-01",
            channel="portal",
            actor=person,
        )

    assert_write_shows(client, consent)

    def read() -> None:
        PersonalFileAccess.objects.create(
            subject_iin=person.iin,
            subject_type="applications.application",
            subject_id="1",
            purpose="review",
            actor=UserFactory(),
        )

    assert_write_shows(client, read)


def test_an_unwatched_section_is_rendered_on_every_view(client, world, monkeypatch) -> None:
    """A provider without ``@watching`` (a new app's, say) is never served from the cache."""
    calls: list[int] = []

    def fresh(request, person):
        calls.append(1)
        return sections.Section(
            "fresh",
            "Fresh",
            "cabinet/sections/notifications.html",
            {"latest": [], "unread": len(calls)},
            order=1,
        )

    original = sections._provider
    monkeypatch.setattr(sections, "_provider", lambda p: fresh if p == "x.fresh" else original(p))
    monkeypatch.setattr(sections, "SECTION_PROVIDERS", [*sections.SECTION_PROVIDERS, "x.fresh"])
    sections_of(client)
    sections_of(client)
    assert len(calls) == 2


def test_a_write_renders_again_only_the_sections_that_watch_it(client, world, monkeypatch) -> None:
    """A new notification renders the inbox's section again, not the IPR's or the privacy one's:
    each section has its own entry under its own figures."""
    sections_of(client)
    called: list[str] = []
    original = sections._provider

    def spy(path: str):
        provider = original(path)

        def counted_call(request, person):
            called.append(path.rsplit(".", 1)[1])
            return provider(request, person)

        counted_call.watches = provider.watches  # type: ignore[attr-defined]
        return counted_call

    monkeypatch.setattr(sections, "_provider", spy)
    sections_of(client)
    assert called == []  # nothing changed: every section from the cache
    notify(world["person"], kind="test", subject="Сынақ хабар", sms=False, email=False)
    page = sections_of(client)
    assert called == ["notifications"]
    assert "Сынақ хабар" in page
