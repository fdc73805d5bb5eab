"""Issue 9: ``my_applications`` reads by indexed columns only (no scan of every application) and
still returns exactly the person's own applications and those they filed for someone else."""

from __future__ import annotations

import pytest

from qamqor.applications import selectors
from qamqor.applications.models import Application
from qamqor.core.history import audited_update
from tests.applications.conftest import at, file_on
from tests.applications.factories import RecipientFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_own_applications_and_those_filed_for_a_represented_person(
    askar_officer, bibigul, bibigul_user, district
) -> None:
    own = file_on(at(2025, 3, 19), askar_officer, bibigul)
    someone = RecipientFactory(district=district)
    for_someone = file_on(at(2025, 3, 20), askar_officer, someone)
    stranger = file_on(at(2025, 3, 21), askar_officer, RecipientFactory(district=district))
    assert list(selectors.my_applications(bibigul_user)) == [own]
    # Bibigül filed the second one as her represented person's representative.
    someone_user = UserFactory(iin=someone.iin)
    audited_update(
        Application.objects.filter(pk=for_someone.pk),
        filed_by=bibigul_user,
        on_behalf_of=someone_user,
    )
    assert set(selectors.my_applications(bibigul_user)) == {own, for_someone}
    assert list(selectors.my_applications(someone_user)) == [for_someone]
    assert stranger not in set(selectors.my_applications(bibigul_user))
    # A person without a recipient file sees only what they filed for others.
    assert list(selectors.my_applications(UserFactory())) == []
