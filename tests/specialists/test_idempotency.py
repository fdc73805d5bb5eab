"""Double-clicked specialists' forms create one record (issue 10 item 7)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from qamqor.specialists.models import Application
from tests.specialists.factories import applicant

pytestmark = pytest.mark.django_db


def test_double_clicked_start_makes_one_application_and_one_answer(client) -> None:
    user = applicant()
    client.force_login(user)
    page = client.get(reverse("specialists:apply")).content.decode()
    token = re.search(r'name="idempotency_token" value="([0-9a-f]{32})"', page).group(1)
    first = client.post(reverse("specialists:apply"), {"idempotency_token": token})
    second = client.post(reverse("specialists:apply"), {"idempotency_token": token})
    # Without the token the second click would land on another page (the application's).
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert Application.objects.filter(applicant=user).count() == 1
    # A new form (a new token) is a new request.
    third = client.post(reverse("specialists:apply"), {"idempotency_token": "0" * 32})
    assert third["Location"] == reverse(
        "specialists:application", args=[Application.objects.get(applicant=user).pk]
    )
