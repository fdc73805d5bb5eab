"""Personas of the journal tests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from qamqor.accounts import services as account_services
from qamqor.accounts.roles import Role
from tests.factories import UserFactory
from tests.journal.factories import organization_with

TODAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def meyirim():
    """A stationary organization with 2 places."""
    return organization_with(2, name_kk="«Мейірім» орталығы", name_ru="Центр «Мейірім»")


@pytest.fixture
def elena_staff(meyirim):
    user = UserFactory()
    account_services.grant_role(None, user, Role.ORGANIZATION_STAFF, organization=meyirim)
    return user
