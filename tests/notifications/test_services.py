"""The inbox and its delivery by SMS and e-mail: the person's language, on commit, idempotent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy, ngettext
from django_tasks_db.models import DBTaskResult

from qamqor.accounts import sms
from qamqor.notifications import services
from qamqor.notifications.models import Delivery, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_sms(settings):
    settings.SMS_BACKEND = "qamqor.accounts.sms.LocmemBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://qamqor.example"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


# "Log in first." is in the project catalogue in both languages.
SUBJECT = gettext_lazy("Log in first.")
KK_SUBJECT = "Алдымен жүйеге кіріңіз."


def test_the_message_is_written_in_the_recipients_language() -> None:
    aigerim = UserFactory(language="kk", phone="+77011112233")
    elena = UserFactory(language="ru", phone=None)

    kk = services.notify(aigerim, kind="test.hello", subject=SUBJECT, sms=False, email=False)
    ru = services.notify(elena, kind="test.hello", subject=SUBJECT, sms=False, email=False)

    assert (kk.language, ru.language) == ("kk", "ru")
    assert kk.subject != ru.subject != "Log in first."
    assert kk.subject == KK_SUBJECT
    assert ru.subject == "Сначала войдите в систему."


def test_placeholders_are_filled_and_callables_allow_plurals() -> None:
    user = UserFactory(language="ru", phone=None)

    n = services.notify(
        user,
        kind="test.count",
        subject=lambda: ngettext(
            "The code is wrong. You have %(left)d attempt left.",
            "The code is wrong. You have %(left)d attempts left.",
            3,
        ),
        body="Number %(number)s",
        params={"left": 3, "number": "A-7"},
        sms=False,
        email=False,
    )

    assert (n.subject, n.body) == ("Неверный код. Осталось 3 попытки.", "Number A-7")


def test_channels_without_a_contact_are_recorded_not_dropped() -> None:
    user = UserFactory(phone=None, email=None)

    n = services.notify(user, kind="test.none", subject="Hello")

    assert (n.sms_state, n.email_state) == (Delivery.NO_CONTACT, Delivery.NO_CONTACT)
    assert DBTaskResult.objects.count() == 0


def test_delivery_waits_for_the_commit(django_capture_on_commit_callbacks) -> None:
    user = UserFactory(phone="+77011112233", email="a@example.kz")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        n = services.notify(user, kind="test.commit", subject="Hello", url="/notifications/")
    assert DBTaskResult.objects.count() == 0
    assert len(callbacks) == 1

    callbacks[0]()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [n.pk]


def test_deliver_sends_each_channel_once() -> None:
    user = UserFactory(phone="+77011112233", email="a@example.kz", language="en")
    n = services.notify(user, kind="test.send", subject="Your decision", url="/notifications/")

    first = services.deliver(n.pk)
    again = services.deliver(n.pk)

    assert first == {"sms_state": Delivery.SENT, "email_state": Delivery.SENT}
    assert again == {}
    assert [m.text for m in sms.outbox] == [
        "Qamqor: Your decision https://qamqor.example/notifications/"
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.kz"]
    assert "https://qamqor.example/notifications/" in mail.outbox[0].body


def test_a_failing_gateway_marks_the_channel_failed_and_still_sends_the_other(settings) -> None:
    settings.SMS_BACKEND = "qamqor.accounts.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = ""
    user = UserFactory(phone="+77011112233", email="a@example.kz")
    n = services.notify(user, kind="test.fail", subject="Hello")

    result = services.deliver(n.pk)

    n.refresh_from_db()
    assert result == {"sms_state": Delivery.FAILED, "email_state": Delivery.SENT}
    assert n.delivery_error
    assert len(mail.outbox) == 1


def test_mark_read_touches_only_the_users_own() -> None:
    mine = services.notify(UserFactory(), kind="t", subject="a", sms=False, email=False)
    other = services.notify(UserFactory(), kind="t", subject="b", sms=False, email=False)

    assert services.mark_read(mine.recipient, [mine.pk, other.pk]) == 1
    assert services.mark_read(mine.recipient) == 0
    assert Notification.objects.get(pk=other.pk).read_at is None
