"""The sweep of expired login secrets (R-X-2 challenges, R-SPC-1 one-time codes)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from qamqor.accounts.models import LoginNonce, OneTimeCode
from qamqor.accounts.services import purge_expired_login_secrets

pytestmark = pytest.mark.django_db


def _nonce(value: str, expires: dt.datetime) -> LoginNonce:
    return LoginNonce.objects.create(value=value, session_binding="a" * 64, expires_at=expires)


def _code(destination: str, expires: dt.datetime) -> OneTimeCode:
    return OneTimeCode.objects.create(
        channel="sms", destination=destination, code_hash="x", expires_at=expires
    )


def test_only_secrets_expired_more_than_a_day_ago_are_deleted() -> None:
    """R-X-2, R-SPC-1: a challenge or code still usable, or expired today, stays (a refusal can
    still name it); older ones go, and the sweep can run again without effect."""
    now = timezone.now()
    _nonce("old", now - dt.timedelta(days=2))
    _nonce("today", now - dt.timedelta(hours=2))
    _nonce("live", now + dt.timedelta(minutes=5))
    _code("+77010000001", now - dt.timedelta(days=3))
    _code("+77010000002", now + dt.timedelta(minutes=5))

    assert purge_expired_login_secrets() == {"login_challenges": 1, "one_time_codes": 1}

    assert sorted(LoginNonce.objects.values_list("value", flat=True)) == ["live", "today"]
    assert list(OneTimeCode.objects.values_list("destination", flat=True)) == ["+77010000002"]
    assert purge_expired_login_secrets() == {"login_challenges": 0, "one_time_codes": 0}


def test_the_command_runs_the_sweep_now() -> None:
    _nonce("old", timezone.now() - dt.timedelta(days=2))
    out = StringIO()
    call_command("purge_login_secrets", "--now", stdout=out)
    assert out.getvalue().strip() == "deleted 1 login challenges and 0 one-time codes"
    assert not LoginNonce.objects.exists()


def test_the_command_enqueues_the_task_for_the_worker() -> None:
    out = StringIO()
    call_command("purge_login_secrets", stdout=out)
    assert out.getvalue().startswith("enqueued task ")
