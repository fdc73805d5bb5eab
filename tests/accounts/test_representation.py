"""Acting on behalf: legal representatives (R-QUE-5, R-SVC-1; issue 3, item 6)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from qamqor.accounts import services
from qamqor.accounts.models import LegalRepresentative, User
from qamqor.accounts.permissions import can, grants_of
from qamqor.accounts.representation import (
    PersonData,
    act_parties,
    acting_for,
    can_act_for,
    end_representation,
    register_representative,
    register_representative_by_iin,
    represented_by,
    start_acting_for,
    stop_acting,
)
from qamqor.accounts.roles import ROLE_SCOPE, Role, Scope
from qamqor.core.audit import events_for
from qamqor.core.errors import DomainError, PermissionDeniedError
from qamqor.core.models import DomainEvent
from tests.factories import (
    DistrictFactory,
    LegalRepresentativeFactory,
    OrganizationFactory,
    UserFactory,
    make_iin,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def with_role(role: Role):
    user = UserFactory()
    kwargs = {}
    if ROLE_SCOPE[role] == Scope.DISTRICT:
        kwargs["district"] = DistrictFactory()
    elif ROLE_SCOPE[role] == Scope.ORGANIZATION:
        kwargs["organization"] = OrganizationFactory()
    services.grant_role(None, user, role, **kwargs)
    return user


@pytest.fixture
def intake_operator():
    return with_role(Role.INTAKE_OPERATOR)


@pytest.fixture
def gulnar_mother():
    return UserFactory(surname="Смагулова", given_name="Гүлнар")


@pytest.fixture
def aidar_child():
    return UserFactory(surname="Смагулов", given_name="Айдар")


def register(actor, representative, represented, **overrides):
    kwargs = {
        "actor": actor,
        "representative": representative,
        "represented": represented,
        "kind": LegalRepresentative.Kind.PARENT,
        "basis": "Свидетельство о рождении № 123456 от 01.02.2015",
        "valid_from": dt.date(2026, 1, 1),
    } | overrides
    return register_representative(**kwargs)


def session_request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    return request


# --- Registering ------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC), tick=False)
def test_registering_a_representative_grants_the_role_and_records_an_event(
    intake_operator, gulnar_mother, aidar_child
) -> None:
    """R-QUE-5, R-SVC-1: staff register a parent as the legal representative of a child."""
    representation = register(intake_operator, gulnar_mother, aidar_child)

    assert representation.registered_by == intake_operator
    assert representation.ended_at is None
    assert Role.LEGAL_REPRESENTATIVE in grants_of(gulnar_mother).roles
    assert list(represented_by(gulnar_mother)) == [aidar_child]
    event = events_for(representation).get()
    assert event.verb == "accounts.representative_registered"
    assert event.actor == intake_operator
    assert event.data["represented"] == aidar_child.pk
    assert representation.history.first().history_user == intake_operator


def test_the_role_is_not_granted_twice(intake_operator, gulnar_mother, aidar_child) -> None:
    services.grant_role(None, gulnar_mother, Role.LEGAL_REPRESENTATIVE)
    register(intake_operator, gulnar_mother, aidar_child)
    assert gulnar_mother.active_roles().filter(role=Role.LEGAL_REPRESENTATIVE).count() == 1


def assert_refused(code, call) -> None:
    rows = LegalRepresentative.objects.count()
    events = DomainEvent.objects.count()
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code
    assert LegalRepresentative.objects.count() == rows  # nothing else happened
    assert DomainEvent.objects.count() == events


def test_a_person_cannot_represent_themselves(intake_operator, gulnar_mother) -> None:
    """R-SVC-1: a representative is another person."""
    assert_refused(
        "representation.self", lambda: register(intake_operator, gulnar_mother, gulnar_mother)
    )


def test_a_second_open_representation_of_the_same_pair_is_refused(
    intake_operator, gulnar_mother, aidar_child
) -> None:
    register(intake_operator, gulnar_mother, aidar_child)
    assert_refused(
        "representation.already_open",
        lambda: register(intake_operator, gulnar_mother, aidar_child),
    )


def test_the_end_date_cannot_be_before_the_start_date(
    intake_operator, gulnar_mother, aidar_child
) -> None:
    assert_refused(
        "representation.dates_reversed",
        lambda: register(
            intake_operator,
            gulnar_mother,
            aidar_child,
            valid_from=dt.date(2026, 5, 1),
            valid_until=dt.date(2026, 4, 30),
        ),
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.INTAKE_OPERATOR, True),
        (Role.DISTRICT_OFFICER, True),
        (Role.REGISTRY_ADMIN, True),
        *[
            (r, False)
            for r in Role
            if r not in {Role.INTAKE_OPERATOR, Role.DISTRICT_OFFICER, Role.REGISTRY_ADMIN}
        ],
    ],
)
def test_only_intake_district_and_registry_staff_may_register(
    role, allowed, gulnar_mother, aidar_child
) -> None:
    """R-SVC-1: representatives are registered by staff who see the documents."""
    actor = with_role(role)
    assert can(actor, "accounts.register_representative") is allowed
    if allowed:
        register(actor, gulnar_mother, aidar_child)
        assert represented_by(gulnar_mother).count() == 1
    else:
        with pytest.raises(PermissionDeniedError):
            register(actor, gulnar_mother, aidar_child)
        assert LegalRepresentative.objects.count() == 0


def test_a_platform_superuser_may_register(gulnar_mother, aidar_child) -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    register(admin, gulnar_mother, aidar_child)
    assert represented_by(gulnar_mother).get() == aidar_child


def test_registering_by_iin_creates_persons_not_yet_registered(intake_operator) -> None:
    """R-SVC-1: a parent and a child not on the portal yet are created from the staff form."""
    mother_iin, child_iin = make_iin(500), make_iin(501, birth=dt.date(2015, 2, 1))
    representation = register_representative_by_iin(
        actor=intake_operator,
        representative=PersonData(mother_iin, "Ахметова", "Сәуле"),
        represented=PersonData(child_iin, "Ахметов", "Ерлан"),
        kind=LegalRepresentative.Kind.PARENT,
        basis="Свидетельство о рождении № 1",
        valid_from=dt.date(2026, 1, 1),
    )
    assert representation.representative.iin == mother_iin
    assert representation.represented.get_full_name() == "Ахметов Ерлан"
    assert not representation.represented.has_usable_password()


def test_registering_by_iin_needs_names_for_an_unknown_person(intake_operator) -> None:
    users = User.objects.count()
    with pytest.raises(DomainError) as info:
        register_representative_by_iin(
            actor=intake_operator,
            representative=PersonData(make_iin(510), "Ахметова", "Сәуле"),
            represented=PersonData(make_iin(511)),
            kind=LegalRepresentative.Kind.PARENT,
            basis="Свидетельство о рождении № 1",
            valid_from=dt.date(2026, 1, 1),
        )
    assert (info.value.code, info.value.field) == (
        "representation.person_unknown",
        "represented_iin",
    )
    assert User.objects.count() == users  # all or nothing: the mother was not created either


# --- Validity and ending ----------------------------------------------------------------------


def test_represented_by_counts_only_open_representations_valid_on_the_day(
    gulnar_mother,
) -> None:
    """R-QUE-5: only a representation valid today lets the representative act."""
    current = LegalRepresentativeFactory(representative=gulnar_mother)
    LegalRepresentativeFactory(representative=gulnar_mother, valid_from=dt.date(2027, 1, 1))
    LegalRepresentativeFactory(representative=gulnar_mother, valid_until=dt.date(2025, 12, 31))
    ended = LegalRepresentativeFactory(representative=gulnar_mother)
    ended.ended_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ended.save()

    assert list(represented_by(gulnar_mother, on=TODAY)) == [current.represented]


@time_machine.travel(dt.datetime(2026, 3, 10, 20, 30, tzinfo=dt.UTC), tick=False)
def test_today_is_the_almaty_date(gulnar_mother) -> None:
    """20:30 UTC on 10 March is already 11 March in Almaty (UTC+5)."""
    LegalRepresentativeFactory(representative=gulnar_mother, valid_from=dt.date(2026, 3, 11))
    assert represented_by(gulnar_mother).count() == 1


def test_ending_a_representation_records_the_reason_and_revokes_the_role(
    intake_operator, gulnar_mother, aidar_child
) -> None:
    representation = register(intake_operator, gulnar_mother, aidar_child)
    end_representation(
        actor=intake_operator, representation=representation, reason="Ребёнок достиг 18 лет"
    )

    representation.refresh_from_db()
    assert representation.ended_at is not None
    assert list(represented_by(gulnar_mother)) == []
    ended = events_for(representation).get(verb="accounts.representation_ended")
    assert (ended.actor, ended.comment) == (intake_operator, "Ребёнок достиг 18 лет")
    assert Role.LEGAL_REPRESENTATIVE not in grants_of(User.objects.get(pk=gulnar_mother.pk)).roles


def test_the_role_stays_while_another_representation_is_open(
    intake_operator, gulnar_mother, aidar_child
) -> None:
    first = register(intake_operator, gulnar_mother, aidar_child)
    register(intake_operator, gulnar_mother, UserFactory())
    end_representation(actor=intake_operator, representation=first, reason="Опека прекращена")
    assert gulnar_mother.active_roles().filter(role=Role.LEGAL_REPRESENTATIVE).exists()


def test_ending_twice_or_without_reason_is_refused(
    intake_operator, gulnar_mother, aidar_child
) -> None:
    representation = register(intake_operator, gulnar_mother, aidar_child)
    with pytest.raises(DomainError) as info:
        end_representation(actor=intake_operator, representation=representation, reason=" ")
    assert info.value.code == "representation.reason_required"
    end_representation(actor=intake_operator, representation=representation, reason="Суд")
    with pytest.raises(DomainError) as info:
        end_representation(actor=intake_operator, representation=representation, reason="Суд")
    assert info.value.code == "representation.already_ended"


def test_a_recipient_may_not_end_a_representation(gulnar_mother, aidar_child) -> None:
    representation = LegalRepresentativeFactory(
        representative=gulnar_mother, represented=aidar_child
    )
    with pytest.raises(PermissionDeniedError):
        end_representation(
            actor=with_role(Role.RECIPIENT), representation=representation, reason="x"
        )


# --- Acting for -------------------------------------------------------------------------------


def test_can_act_for_oneself_and_for_a_represented_person_only(gulnar_mother, aidar_child):
    stranger = UserFactory()
    LegalRepresentativeFactory(representative=gulnar_mother, represented=aidar_child)
    assert can_act_for(gulnar_mother, gulnar_mother)
    assert can_act_for(gulnar_mother, aidar_child)
    assert not can_act_for(gulnar_mother, stranger)
    assert not can_act_for(aidar_child, gulnar_mother)  # representation is one way


def test_act_parties_records_both_persons(gulnar_mother, aidar_child) -> None:
    """R-QUE-5, R-SVC-1: an act done while acting for a child names the signer and the child."""
    LegalRepresentativeFactory(representative=gulnar_mother, represented=aidar_child)
    request = session_request(gulnar_mother)
    assert act_parties(request) == (gulnar_mother, None)

    start_acting_for(request, aidar_child)
    assert acting_for(request) == aidar_child
    assert act_parties(request) == (gulnar_mother, aidar_child)
    assert DomainEvent.objects.filter(verb="accounts.acting_started").count() == 1

    stop_acting(request)
    assert act_parties(request) == (gulnar_mother, None)


def test_acting_for_a_stranger_is_refused(gulnar_mother) -> None:
    request = session_request(gulnar_mother)
    with pytest.raises(PermissionDeniedError) as info:
        start_acting_for(request, UserFactory())
    assert info.value.code == "representation.not_representative"
    assert acting_for(request) is None


def test_acting_for_stops_at_once_when_the_representation_ends(
    intake_operator, gulnar_mother, aidar_child
) -> None:
    """R-QUE-5: after the guardianship ends, the former guardian can no longer sign for the
    person, even in a session started before."""
    representation = register(intake_operator, gulnar_mother, aidar_child)
    request = session_request(gulnar_mother)
    start_acting_for(request, aidar_child)

    end_representation(actor=intake_operator, representation=representation, reason="Суд")

    assert acting_for(request) is None
    assert act_parties(request) == (gulnar_mother, None)
    assert "qamqor_acting_for" not in request.session


def test_acting_for_stops_when_the_representation_expires(gulnar_mother, aidar_child) -> None:
    LegalRepresentativeFactory(
        representative=gulnar_mother, represented=aidar_child, valid_until=dt.date(2026, 3, 10)
    )
    request = session_request(gulnar_mother)
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False):
        start_acting_for(request, aidar_child)
        assert acting_for(request) == aidar_child
    with time_machine.travel(dt.datetime(2026, 3, 11, 12, 0, tzinfo=dt.UTC), tick=False):
        assert acting_for(request) is None
