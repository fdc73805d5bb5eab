"""Personas and helpers of the state service tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from qamqor.accounts import services as account_services
from qamqor.accounts.roles import Role
from qamqor.applications.services import intake
from tests.applications.factories import RecipientFactory, full_medical_card
from tests.factories import (
    DistrictFactory,
    OrganizationFactory,
    OrganizationServiceFactory,
    UserFactory,
)

ASTANA = dt.timezone(dt.timedelta(hours=5))


def person(role: Role, **scope: Any):
    user = UserFactory()
    account_services.grant_role(None, user, role, **scope)
    return user


def at(year: int, month: int, day: int, hour: int = 11, minute: int = 0) -> dt.datetime:
    """A moment in Astana time (UTC+5)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=ASTANA)


@pytest.fixture
def district():
    return DistrictFactory()


@pytest.fixture
def bibigul(district):
    """Bibigül, 76, disability group II: her file came from the state systems."""
    return RecipientFactory(district=district)


@pytest.fixture
def bibigul_user(bibigul):
    return UserFactory(iin=bibigul.iin, surname=bibigul.surname, given_name=bibigul.given_name)


@pytest.fixture
def askar_officer(district):
    return person(Role.DISTRICT_OFFICER, district=district)


@pytest.fixture
def saule_worker(district):
    return person(Role.SOCIAL_WORKER, district=district)


@pytest.fixture
def dana_operator():
    return person(Role.INTAKE_OPERATOR)


@pytest.fixture
def erzhan_ministry():
    return person(Role.MINISTRY)


@pytest.fixture
def meyirim(district):
    org = OrganizationFactory(district=district)
    OrganizationServiceFactory(organization=org, condition="stationary")
    return org


def filing(recipient, channel: str = "district_office", **override: Any) -> intake.Filing:
    values: dict[str, Any] = {
        "recipient_iin": recipient.iin,
        "channel": channel,
        "form_kind": "form_1",
        "stay": "permanent",
        "form_data": intake.recipient_form_data(recipient),
        "attached_documents": [],
        "medical_card": full_medical_card(),
        "consent_personal_data": True,
        "consent_relatives_data": True,
        "liability_acknowledged": True,
        "conditions_acknowledged": True,
    }
    values.update(override)
    return intake.Filing(**values)


def file_on(
    moment: dt.datetime, actor, recipient, channel: str = "district_office", **override: Any
):
    with time_machine.travel(moment, tick=False):
        return intake.file_application(filing(recipient, channel, **override), actor=actor)


@pytest.fixture(autouse=True)
def _fresh_dashboard_cache():
    """The dashboard is cached for a minute per scope; each test starts without it."""
    from django.core.cache import cache

    cache.clear()
