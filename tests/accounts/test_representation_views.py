"""Pages of acting on behalf (R-QUE-5, R-SVC-1; issue 3, item 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from qamqor.accounts import services
from qamqor.accounts.models import LegalRepresentative, User
from qamqor.accounts.roles import Role
from qamqor.core.models import DomainEvent
from tests.factories import LegalRepresentativeFactory, UserFactory, make_iin

pytestmark = pytest.mark.django_db

PAGE = "/accounts/representation/"
REGISTER = "/accounts/representation/register/"


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies["qamqor_language"] = "en"
    return client


@pytest.fixture
def gulnar_mother():
    return UserFactory(surname="Смагулова", given_name="Гүлнар")


@pytest.fixture
def aidar_child():
    return UserFactory(surname="Смагулов", given_name="Айдар")


@pytest.fixture
def intake_operator():
    user = UserFactory()
    services.grant_role(None, user, Role.INTAKE_OPERATOR)
    return user


def test_the_page_lists_whom_the_person_represents(english, gulnar_mother, aidar_child):
    LegalRepresentativeFactory(representative=gulnar_mother, represented=aidar_child)
    english.force_login(gulnar_mother)
    page = english.get(PAGE).content.decode()
    assert "Смагулов Айдар" in page
    assert "Act for Смагулов Айдар" in page
    assert "You are acting for yourself." in page


def test_choosing_to_act_for_a_child_shows_the_banner_on_every_page(
    english, gulnar_mother, aidar_child
):
    """R-QUE-5, R-SVC-1: the header says whom the person is acting for."""
    LegalRepresentativeFactory(representative=gulnar_mother, represented=aidar_child)
    english.force_login(gulnar_mother)

    response = english.post(PAGE, {"act_for": aidar_child.pk})
    assert response.status_code == 302
    home = english.get("/").content.decode()
    assert "You are acting for Смагулов Айдар." in home

    assert "acting-banner" in home

    english.post(PAGE, {"act_for": "myself"})
    assert "acting-banner" not in english.get("/").content.decode()


def test_acting_for_someone_not_represented_is_404(client, gulnar_mother):
    client.force_login(gulnar_mother)
    stranger = UserFactory()
    assert client.post(PAGE, {"act_for": stranger.pk}).status_code == 404
    assert client.post(PAGE, {"act_for": "nonsense"}).status_code == 404
    assert not DomainEvent.objects.filter(verb="accounts.acting_started").exists()


def test_the_banner_disappears_when_the_representation_ends(
    english, intake_operator, gulnar_mother, aidar_child
):
    from qamqor.accounts.representation import end_representation

    representation = LegalRepresentativeFactory(
        representative=gulnar_mother, represented=aidar_child
    )
    english.force_login(gulnar_mother)
    english.post(PAGE, {"act_for": aidar_child.pk})
    end_representation(actor=intake_operator, representation=representation, reason="Суд")
    assert "acting-banner" not in english.get("/").content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def form_data(**overrides):
    return {
        "representative_iin": make_iin(600),
        "representative_surname": "Ахметова",
        "representative_given_name": "Сәуле",
        "represented_iin": make_iin(601, birth=dt.date(2015, 2, 1)),
        "represented_surname": "Ахметов",
        "represented_given_name": "Ерлан",
        "kind": "parent",
        "basis": "Свидетельство о рождении № 1 от 01.02.2015",
        "valid_from": "2026-01-01",
        "valid_until": "",
    } | overrides


def test_staff_register_a_representative_from_the_form(english, intake_operator):
    """R-SVC-1: an intake operator registers a parent and child by their IINs."""
    english.force_login(intake_operator)
    assert english.get(REGISTER).status_code == 200

    response = english.post(REGISTER, form_data())

    assert response.status_code == 302
    representation = LegalRepresentative.objects.get()
    assert representation.representative.iin == make_iin(600)
    assert representation.registered_by == intake_operator


def test_the_form_keeps_typed_values_and_shows_the_error(english, intake_operator):
    english.force_login(intake_operator)
    response = english.post(REGISTER, form_data(valid_from="2026-05-01", valid_until="2026-04-01"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end date cannot be earlier than the start date." in page
    assert "Свидетельство о рождении № 1 от 01.02.2015" in page
    assert make_iin(600) in page
    assert not LegalRepresentative.objects.exists()
    assert not User.objects.filter(iin=make_iin(600)).exists()


def test_a_representative_cannot_register_themselves_as_their_own(english, intake_operator):
    english.force_login(intake_operator)
    same = make_iin(600)
    response = english.post(REGISTER, form_data(represented_iin=same))
    assert "A person cannot be their own legal representative." in response.content.decode()


@pytest.mark.parametrize(
    "role", [Role.RECIPIENT, Role.LEGAL_REPRESENTATIVE, Role.MINISTRY, Role.SUPPLIER]
)
def test_other_roles_may_not_open_the_registration_form(client, role):
    user = UserFactory()
    services.grant_role(None, user, role)
    client.force_login(user)
    assert client.get(REGISTER).status_code == 403
    assert client.post(REGISTER, form_data()).status_code == 403
    assert not LegalRepresentative.objects.exists()


def test_the_page_is_in_kazakh_by_default(client, gulnar_mother, aidar_child):
    LegalRepresentativeFactory(representative=gulnar_mother, represented=aidar_child)
    client.force_login(gulnar_mother)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "kk"


def test_staff_find_and_end_a_representation(english, intake_operator, gulnar_mother, aidar_child):
    """R-QUE-5: when the guardianship ends, staff end the representation with the reason."""
    representation = LegalRepresentativeFactory(
        representative=gulnar_mother, represented=aidar_child
    )
    english.force_login(intake_operator)
    page = english.get(REGISTER, {"iin": aidar_child.iin}).content.decode()
    assert "Смагулова Гүлнар represents Смагулов Айдар" in page

    end_url = f"/accounts/representation/{representation.pk}/end/"
    assert english.post(end_url, {"reason": ""}).status_code == 302
    representation.refresh_from_db()
    assert representation.ended_at is None  # no reason, nothing happened

    assert english.post(end_url, {"reason": "Решение суда № 7"}).status_code == 302
    representation.refresh_from_db()
    assert representation.ended_at is not None
    event = DomainEvent.objects.get(verb="accounts.representation_ended")
    assert event.comment == "Решение суда № 7"
    assert english.post(end_url, {"reason": "again"}).status_code == 404  # already ended


def test_a_representative_may_not_end_their_own_representation(client, gulnar_mother):
    representation = LegalRepresentativeFactory(representative=gulnar_mother)
    client.force_login(gulnar_mother)
    end_url = f"/accounts/representation/{representation.pk}/end/"
    assert client.post(end_url, {"reason": "x"}).status_code == 404
    assert client.get(end_url).status_code == 405
    representation.refresh_from_db()
    assert representation.ended_at is None
