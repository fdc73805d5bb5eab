"""Issue 9: the cabinet's applications section is cached (qamqor.core.freshness) and shows a
new application and every change of its stage on the next view."""

from __future__ import annotations

import pytest

from qamqor.applications.models import Application
from qamqor.applications.services.common import update_rows
from qamqor.applications.workflow import Status
from tests.applications.conftest import at, file_on
from tests.cabinet.freshness_helpers import assert_write_shows

pytestmark = pytest.mark.django_db


def test_a_filed_application_and_its_stages(client, askar_officer, bibigul, bibigul_user) -> None:
    client.force_login(bibigul_user)
    made: dict[str, Application] = {}

    def filed() -> None:
        made["a"] = file_on(at(2026, 3, 2), askar_officer, bibigul)

    _, after = assert_write_shows(client, filed)
    assert made["a"].number in after
    assert_write_shows(
        client,
        lambda: update_rows(Application.objects.filter(pk=made["a"].pk), status=Status.REFUSED),
    )
