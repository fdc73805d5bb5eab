"""Double-clicked and retried submissions create one record (issue 10 item 7,
``qamqor.core.idempotency``): the journal's API admissions (``Idempotency-Key``) and its pages
(the hidden one-use ``idempotency_token``), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test import Client

from qamqor.core.models import IdempotencyRecord
from qamqor.journal.locks import journal_for_update
from qamqor.journal.models import Stay
from tests.factories import UserFactory


def _body(iin: str, **extra: Any) -> dict[str, Any]:
    return {
        "on": "2026-03-02",
        "order_number": "1",
        "order_date": "2026-03-02",
        "person": {"iin": iin, "full_name": "Ким Елена"},
        **extra,
    }


def _post(client: Client, journal_pk: int, body: dict[str, Any], key: str) -> Any:
    return client.post(
        f"/api/v1/journal/journals/{journal_pk}/admissions",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


@pytest.mark.django_db
def test_api_admission_replayed_with_the_same_key_is_one_stay(client, meyirim, elena_staff):
    client.force_login(elena_staff)
    journal = journal_for_update(meyirim.pk, "stationary")
    iin = UserFactory().iin
    first = _post(client, journal.pk, _body(iin), "k-1")
    again = _post(client, journal.pk, _body(iin), "k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Stay.objects.filter(person_iin=iin).count() == 1


@pytest.mark.django_db
def test_same_key_other_request_is_refused(client, meyirim, elena_staff):
    client.force_login(elena_staff)
    journal = journal_for_update(meyirim.pk, "stationary")
    assert _post(client, journal.pk, _body(UserFactory().iin), "k-2").status_code == 201
    other = _post(client, journal.pk, _body(UserFactory().iin), "k-2")
    assert other.status_code == 409
    assert other.json()["errors"][0]["code"] == "idempotency.key_reused"
    assert Stay.objects.count() == 1


@pytest.mark.django_db
def test_a_refusal_frees_the_key_and_keys_are_per_user(client, meyirim, elena_staff):
    client.force_login(elena_staff)
    journal = journal_for_update(meyirim.pk, "stationary")
    iin = UserFactory().iin
    bad = _post(client, journal.pk, _body(iin, on="not a date"), "k-3")
    assert bad.status_code == 422
    assert not IdempotencyRecord.objects.filter(key="k-3").exists()
    assert _post(client, journal.pk, _body(iin), "k-3").status_code == 201
    long = _post(client, journal.pk, _body(UserFactory().iin), "x" * 101)
    assert long.status_code == 422
    assert long.json()["errors"][0]["code"] == "idempotency.key_invalid"
    assert Stay.objects.count() == 1


def _token(page: str) -> str:
    match = re.search(r'name="idempotency_token" value="([0-9a-f]{32})"', page)
    assert match, "the form carries no idempotency token"
    return match.group(1)


@pytest.mark.django_db
def test_double_clicked_admission_page_creates_one_stay(client, meyirim, elena_staff):
    client.force_login(elena_staff)
    journal = journal_for_update(meyirim.pk, "stationary")
    page = client.get(f"/journal/{journal.pk}/admit/").content.decode()
    token = _token(page)
    assert _token(client.get(f"/journal/{journal.pk}/admit/").content.decode()) != token
    iin = UserFactory().iin
    form = {
        "iin": iin,
        "full_name": "Ахметов Дәурен",
        "on": "2026-03-02",
        "order_number": "15-Ө",
        "order_date": "2026-03-02",
        "idempotency_token": token,
    }
    first = client.post(f"/journal/{journal.pk}/admit/", form)
    second = client.post(f"/journal/{journal.pk}/admit/", form)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert Stay.objects.filter(person_iin=iin).count() == 1


@pytest.mark.django_db
def test_database_away_is_a_clean_503(client, meyirim, elena_staff, monkeypatch):
    """A database error under a request: 503 with Retry-After, the API's structure or the
    static page, never a traceback (issue 10 item 7)."""
    from qamqor.journal import selectors

    def away(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "get_journal_for", away)
    client.force_login(elena_staff)
    client.raise_request_exception = False
    journal = journal_for_update(meyirim.pk, "stationary")
    api = _post(client, journal.pk, _body(UserFactory().iin), "k-503")
    assert api.status_code == 503 and api["Retry-After"]
    assert api.json()["errors"][0]["code"] == "service.unavailable"
    assert not IdempotencyRecord.objects.filter(key="k-503").exists()  # free for the retry
    page = client.get(f"/journal/{journal.pk}/")
    assert page.status_code == 503
    assert "Traceback" not in page.content.decode() and "OperationalError" not in (
        page.content.decode()
    )


@pytest.mark.django_db
def test_session_lost_with_the_database_is_503_not_400(client, elena_staff, monkeypatch):
    """Found by the drill: the session saved at the end of every request failed during the
    restart and Django answered 400 ("session interrupted"); it is a 503 (retry)."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.backends.db import SessionStore

    def save(self: Any, must_create: bool = False) -> None:
        try:
            raise OperationalError("the database system is shutting down")
        except OperationalError:
            raise UpdateError from None

    client.force_login(elena_staff)
    client.raise_request_exception = False
    monkeypatch.setattr(SessionStore, "save", save)
    for path in ("/journal/", "/api/v1/journal/queue/mine"):
        r = client.get(path)
        assert r.status_code == 503 and r["Retry-After"], (path, r.status_code)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
def test_parallel_double_submits_make_one_stay(meyirim, elena_staff):
    """8 simultaneous requests with one key (a frantic double click): one stay, 8 answers 201
    with the same body (the first's, replayed)."""
    with transaction.atomic():
        journal = journal_for_update(meyirim.pk, "stationary")
    iin = UserFactory().iin
    n = 8
    barrier = threading.Barrier(n)
    answers: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            c = Client()
            c.force_login(elena_staff)
            barrier.wait()
            r = _post(c, journal.pk, _body(iin), "k-parallel")
            answers[i] = (r.status_code, r.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a[0] for a in answers] == [201] * n, answers
    assert len({a[1]["id"] for a in answers}) == 1
    assert Stay.objects.filter(person_iin=iin).count() == 1
