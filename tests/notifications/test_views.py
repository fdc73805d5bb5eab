"""The inbox page and API: one's own notifications only, read marks, safe redirects."""

from __future__ import annotations

import json

import pytest

from qamqor.notifications import services
from qamqor.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _note(user, subject="Hello", url=""):
    return services.notify(user, kind="t", subject=subject, url=url, sms=False, email=False)


def test_the_inbox_lists_only_ones_own_and_counts_unread(client, django_assert_max_num_queries):
    me, other = UserFactory(), UserFactory()
    _note(me, "Mine one")
    _note(me, "Mine two")
    _note(other, "Not mine")
    client.force_login(me)
    client.cookies["qamqor_language"] = "en"

    with django_assert_max_num_queries(12):
        response = client.get("/notifications/")

    text = response.content.decode()
    assert "Mine one" in text and "Mine two" in text
    assert "Not mine" not in text
    assert "You have 2 unread notifications." in text


def test_an_empty_inbox_says_what_will_appear(client):
    client.force_login(UserFactory())
    client.cookies["qamqor_language"] = "en"
    assert "You have no notifications yet." in client.get("/notifications/").content.decode()


def test_opening_marks_read_and_follows_only_local_links(client):
    me = UserFactory()
    local = _note(me, url="/calendar/")
    evil = _note(me, url="https://evil.example/")
    client.force_login(me)

    assert client.post(f"/notifications/{local.pk}/open/")["Location"] == "/calendar/"
    assert client.post(f"/notifications/{evil.pk}/open/")["Location"] == "/notifications/"
    assert Notification.objects.filter(recipient=me, read_at=None).count() == 0


def test_someone_elses_notification_is_not_found(client):
    theirs = _note(UserFactory())
    client.force_login(UserFactory())

    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_read_all(client):
    me = UserFactory()
    _note(me)
    _note(me)
    client.force_login(me)

    client.post("/notifications/read-all/")

    assert Notification.objects.filter(recipient=me, read_at=None).count() == 0


def test_the_api_lists_and_marks_ones_own(client):
    me = UserFactory()
    first = _note(me, "First")
    _note(UserFactory(), "Other")
    client.force_login(me)

    listing = client.get("/api/v1/notifications").json()
    assert [item["subject"] for item in listing["items"]] == ["First"]

    response = client.post(
        "/api/v1/notifications/read",
        data=json.dumps({"ids": [first.pk]}),
        content_type="application/json",
    )
    assert response.json() == {"marked": 1}


def test_the_header_shows_the_unread_count(client):
    me = UserFactory()
    _note(me)
    client.force_login(me)
    client.cookies["qamqor_language"] = "en"

    text = client.get("/calendar/").content.decode()

    assert '1<span class="visually-hidden"> unread</span>' in text
