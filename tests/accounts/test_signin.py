"""Login by e-signature, the service (R-X-2): challenges, verification, who the account is."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from qamqor.accounts import services, signin
from qamqor.accounts.esign.testpki import SPECIAL_IINS
from qamqor.accounts.models import LoginNonce, User
from qamqor.accounts.roles import Role
from qamqor.accounts.signin import (
    ESignatureBackend,
    consume_nonce,
    issue_nonce,
    login_by_signature,
)
from qamqor.core.errors import DomainError
from qamqor.core.models import DomainEvent
from tests.factories import DistrictFactory, OrganizationFactory, UserFactory, make_iin

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("esign_settings")]

BROWSER = "a" * 64
OTHER_BROWSER = "b" * 64
AIGERIM_IIN = make_iin(1, birth=dt.date(1990, 5, 5), female=True)
DAUREN_IIN = make_iin(2, birth=dt.date(1985, 3, 3))


@pytest.fixture
def aigerim_cert(test_pki: Any) -> str:
    """Aigerim has an NCA key pair and no account on the portal yet."""
    test_pki.issue(AIGERIM_IIN, "Нұрланова", "Айгерім", patronymic="Серікқызы")
    return AIGERIM_IIN


@pytest.fixture
def district_officer(test_pki: Any) -> User:
    """Dauren: an administrator granted him the district officer role for his IIN."""
    test_pki.issue(DAUREN_IIN, "Ахметов", "Дәурен")
    user = UserFactory(iin=DAUREN_IIN, surname="Ахметов", given_name="Дәурен")
    services.grant_role(None, user, Role.DISTRICT_OFFICER, district=DistrictFactory())
    return user


def _login(test_pki: Any, iin: str, **sign: Any) -> tuple[User, LoginNonce]:
    nonce = issue_nonce(BROWSER)
    cms = test_pki.sign(nonce.value.encode(), iin=iin, kind="auth", **sign)
    return login_by_signature(cms=cms, nonce=nonce.value, session_binding=BROWSER), nonce


def _refused(code: str, cms: Any, nonce: str, binding: str = BROWSER) -> DomainError:
    users_before = User.objects.count()
    with pytest.raises(DomainError) as refusal:
        login_by_signature(cms=cms, nonce=nonce, session_binding=binding)
    assert refusal.value.code == code
    assert str(refusal.value.message)  # a sentence for the person, not only a code
    assert User.objects.count() == users_before  # nobody created
    assert not DomainEvent.objects.filter(verb="accounts.esign_login").exists()
    return refusal.value


# --- Challenges -------------------------------------------------------------------------------


def test_a_challenge_is_random_bound_to_the_browser_and_expires(settings: Any) -> None:
    settings.ESIGN_NONCE_TTL_SECONDS = 300
    first, second = issue_nonce(BROWSER), issue_nonce(BROWSER)
    assert first.value != second.value and len(first.value) >= 43
    assert first.session_binding == BROWSER
    assert first.expires_at - first.created_at == dt.timedelta(seconds=300)
    assert first.used_at is None


def test_a_challenge_is_used_once() -> None:
    nonce = issue_nonce(BROWSER)
    assert consume_nonce(nonce.value, BROWSER).used_at is not None
    with pytest.raises(DomainError) as replay:
        consume_nonce(nonce.value, BROWSER)
    assert replay.value.code == "esign.nonce_used"


@pytest.mark.parametrize(
    ("value", "binding", "code"),
    [
        ("no-such-challenge", BROWSER, "esign.nonce_unknown"),
        (None, OTHER_BROWSER, "esign.nonce_other_session"),
    ],
)
def test_a_challenge_unknown_or_from_another_browser_is_refused(
    value: str | None, binding: str, code: str
) -> None:
    nonce = issue_nonce(BROWSER)
    with pytest.raises(DomainError) as refusal:
        consume_nonce(value or nonce.value, binding)
    assert refusal.value.code == code
    nonce.refresh_from_db()
    assert nonce.used_at is None  # another browser cannot spend it either


def test_an_expired_challenge_is_refused() -> None:
    nonce = issue_nonce(BROWSER)
    with (
        time_machine.travel(nonce.expires_at + dt.timedelta(seconds=1)),
        pytest.raises(DomainError) as refusal,
    ):
        consume_nonce(nonce.value, BROWSER)
    assert refusal.value.code == "esign.nonce_expired"


# --- Login ------------------------------------------------------------------------------------


def test_first_login_creates_a_recipient_named_as_in_the_certificate(
    test_pki: Any, aigerim_cert: str
) -> None:
    """R-X-2: a verified AUTH signature over the challenge logs in; a person new to the
    portal becomes a recipient of services, with the names of the certificate."""
    user, nonce = _login(test_pki, aigerim_cert)

    assert user.iin == AIGERIM_IIN
    assert (user.surname, user.given_name, user.patronymic) == (
        "Нұрланова",
        "Айгерім",
        "Серікқызы",
    )
    assert not user.has_usable_password()
    assert [a.role for a in user.active_roles()] == [Role.RECIPIENT]
    event = DomainEvent.objects.get(verb="accounts.esign_login")
    assert event.subject_id == str(user.pk)
    assert event.data["created"] is True
    assert event.data["certificate_serial"]
    nonce.refresh_from_db()
    assert nonce.used_at is not None


def test_second_login_finds_the_same_account(test_pki: Any, aigerim_cert: str) -> None:
    first, _ = _login(test_pki, aigerim_cert)
    second, _ = _login(test_pki, aigerim_cert)
    assert first.pk == second.pk
    assert User.objects.filter(iin=AIGERIM_IIN).count() == 1
    assert second.active_roles().count() == 1


def test_an_attached_signature_of_the_challenge_is_accepted(
    test_pki: Any, aigerim_cert: str
) -> None:
    """NCALayer is asked for an attached CMS (encapsulate: true) whose content is the nonce."""
    user, _ = _login(test_pki, aigerim_cert, detached=False)
    assert user.iin == AIGERIM_IIN


def test_staff_log_in_with_the_role_an_administrator_granted(
    test_pki: Any, district_officer: User
) -> None:
    user, _ = _login(test_pki, DAUREN_IIN)
    assert user.pk == district_officer.pk
    assert [a.role for a in user.active_roles()] == [Role.DISTRICT_OFFICER]  # no recipient added


def test_a_certificate_alone_grants_no_staff_role(test_pki: Any) -> None:
    """R-X-2: a legal-entity certificate of a person unknown to the portal grants nothing."""
    organization = OrganizationFactory()
    gulnar_iin = test_pki.new_iin()
    test_pki.issue(gulnar_iin, "Смагулова", "Гүлнар", bin=organization.bin, org="ТОО Қамқор")
    nonce = issue_nonce(BROWSER)
    cms = test_pki.sign(nonce.value.encode(), iin=gulnar_iin, kind="auth")
    _refused("esign.entity_not_granted", cms, nonce.value)
    refused = DomainEvent.objects.get(verb="accounts.esign_login_refused")
    assert refused.data == {
        "code": "esign.entity_not_granted",
        "iin": gulnar_iin,
        "bin": organization.bin,
    }


def test_a_legal_entity_certificate_logs_in_organization_staff_of_that_bin(
    test_pki: Any,
) -> None:
    organization = OrganizationFactory()
    gulnar = UserFactory(iin=test_pki.new_iin())
    services.grant_role(None, gulnar, Role.ORGANIZATION_STAFF, organization=organization)
    test_pki.issue(gulnar.iin, "Смагулова", "Гүлнар", bin=organization.bin, org="ТОО Қамқор")
    user, _ = _login(test_pki, gulnar.iin)
    assert user.pk == gulnar.pk


def test_a_legal_entity_certificate_of_another_organization_is_refused(test_pki: Any) -> None:
    mine, other = OrganizationFactory(), OrganizationFactory()
    gulnar = UserFactory(iin=test_pki.new_iin())
    services.grant_role(None, gulnar, Role.ORGANIZATION_STAFF, organization=mine)
    test_pki.issue(gulnar.iin, "Смагулова", "Гүлнар", bin=other.bin, org="ЖШС Басқа")
    nonce = issue_nonce(BROWSER)
    cms = test_pki.sign(nonce.value.encode(), iin=gulnar.iin, kind="auth")
    _refused("esign.entity_not_granted", cms, nonce.value)


def test_a_blocked_account_is_refused(test_pki: Any, aigerim_cert: str) -> None:
    UserFactory(iin=AIGERIM_IIN, is_active=False)
    nonce = issue_nonce(BROWSER)
    cms = test_pki.sign(nonce.value.encode(), iin=AIGERIM_IIN, kind="auth")
    _refused("esign.account_inactive", cms, nonce.value)


@pytest.mark.parametrize(
    ("special", "code"),
    [
        ("expired", "esign.expired"),
        ("revoked", "esign.revoked"),
        ("not_yet_valid", "esign.not_yet_valid"),
        ("foreign", "esign.untrusted_chain"),
        ("no_iin", "esign.no_iin"),
        ("signing_only", "esign.wrong_key_usage"),
    ],
)
def test_a_bad_certificate_is_refused_with_its_own_code(
    test_pki: Any, special: str, code: str
) -> None:
    """R-X-2: chain to a trusted root, validity, revocation and key usage are all checked;
    nothing is logged in and nobody is created."""
    nonce = issue_nonce(BROWSER)
    cms = test_pki.sign(nonce.value.encode(), p12=test_pki.special(special))
    _refused(code, cms, nonce.value)
    assert not User.objects.filter(iin=SPECIAL_IINS[special]).exists()
    refusal = DomainEvent.objects.get(verb="accounts.esign_login_refused")
    assert refusal.data["code"] == code


def test_a_tampered_signature_is_refused(test_pki: Any, aigerim_cert: str) -> None:
    nonce = issue_nonce(BROWSER)
    cms = bytearray(test_pki.sign(nonce.value.encode(), iin=AIGERIM_IIN, kind="auth"))
    cms[-5] ^= 0x01  # inside the signature value, the last field of the SignerInfo
    _refused("esign.bad_signature", bytes(cms), nonce.value)


def test_a_signature_of_other_data_is_refused(test_pki: Any, aigerim_cert: str) -> None:
    nonce = issue_nonce(BROWSER)
    cms = test_pki.sign(b"another challenge", iin=AIGERIM_IIN, kind="auth")
    _refused("esign.bad_signature", cms, nonce.value)


def test_a_replayed_login_is_refused(test_pki: Any, aigerim_cert: str) -> None:
    nonce = issue_nonce(BROWSER)
    cms = test_pki.sign(nonce.value.encode(), iin=AIGERIM_IIN, kind="auth")
    login_by_signature(cms=cms, nonce=nonce.value, session_binding=BROWSER)
    with pytest.raises(DomainError) as replay:
        login_by_signature(cms=cms, nonce=nonce.value, session_binding=BROWSER)
    assert replay.value.code == "esign.nonce_used"
    assert DomainEvent.objects.filter(verb="accounts.esign_login").count() == 1


def test_a_challenge_from_another_browser_is_refused(test_pki: Any, aigerim_cert: str) -> None:
    nonce = issue_nonce(OTHER_BROWSER)
    cms = test_pki.sign(nonce.value.encode(), iin=AIGERIM_IIN, kind="auth")
    _refused("esign.nonce_other_session", cms, nonce.value)


def test_an_expired_challenge_is_refused_at_login(test_pki: Any, aigerim_cert: str) -> None:
    nonce = issue_nonce(BROWSER)
    cms = test_pki.sign(nonce.value.encode(), iin=AIGERIM_IIN, kind="auth")
    with time_machine.travel(nonce.expires_at + dt.timedelta(seconds=1)):
        _refused("esign.nonce_expired", cms, nonce.value)


def test_a_refused_signature_spends_the_challenge(test_pki: Any, aigerim_cert: str) -> None:
    """One challenge, one try: a bad signature cannot be followed by guesses on the same one."""
    nonce = issue_nonce(BROWSER)
    bad = test_pki.sign(b"other", iin=AIGERIM_IIN, kind="auth")
    _refused("esign.bad_signature", bad, nonce.value)
    good = test_pki.sign(nonce.value.encode(), iin=AIGERIM_IIN, kind="auth")
    _refused("esign.nonce_used", good, nonce.value)


# --- The authentication backend -----------------------------------------------------------------


class _Request:
    esign_error: DomainError


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_signature_is_verified_outside_any_transaction(
    test_pki: Any, aigerim_cert: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-X-2: a verifier may ask an HTTP server or an OCSP responder; no transaction (on
    SQLite: the database's write lock) is held meanwhile, and the login still happens."""
    in_transaction: list[bool] = []
    real_verify = signin.verify

    def watched_verify(*args: Any, **kwargs: Any) -> Any:
        in_transaction.append(connection.in_atomic_block)
        return real_verify(*args, **kwargs)

    monkeypatch.setattr(signin, "verify", watched_verify)
    user, nonce = _login(test_pki, aigerim_cert)
    assert in_transaction == [False]
    assert user.iin == aigerim_cert
    nonce.refresh_from_db()
    assert nonce.used_at is not None
    assert DomainEvent.objects.filter(verb="accounts.esign_login").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refusal_by_the_verifier_outside_a_transaction_is_still_recorded(
    test_pki: Any, aigerim_cert: str
) -> None:
    """R-X-2: the challenge stays spent and the refusal is recorded, nothing else."""
    nonce = issue_nonce(BROWSER)
    cms = test_pki.sign(b"other data", iin=aigerim_cert, kind="auth")
    _refused("esign.bad_signature", cms, nonce.value)
    nonce.refresh_from_db()
    assert nonce.used_at is not None
    refused = DomainEvent.objects.get(verb="accounts.esign_login_refused")
    assert refused.data == {"code": "esign.bad_signature"}


def test_backend_ignores_other_credentials() -> None:
    backend = ESignatureBackend()
    assert backend.authenticate(None) is None  # type: ignore[call-arg]
    assert (
        backend.authenticate(None, esign_cms="x", esign_nonce="", esign_session_binding="") is None
    )


def test_backend_keeps_the_refusal_for_the_view(test_pki: Any) -> None:
    request = _Request()
    nonce = issue_nonce(BROWSER)
    cms = test_pki.sign(nonce.value.encode(), p12=test_pki.special("expired"))
    user = ESignatureBackend().authenticate(
        request,  # type: ignore[arg-type]
        esign_cms=cms,
        esign_nonce=nonce.value,
        esign_session_binding=BROWSER,
    )
    assert user is None
    assert request.esign_error.code == "esign.expired"


def test_backend_returns_the_user_and_get_user_finds_them(test_pki: Any, aigerim_cert: str) -> None:
    nonce = issue_nonce(BROWSER)
    cms = test_pki.sign(nonce.value.encode(), iin=AIGERIM_IIN, kind="auth")
    backend = ESignatureBackend()
    user = backend.authenticate(
        None, esign_cms=cms, esign_nonce=nonce.value, esign_session_binding=BROWSER
    )
    assert user is not None and user.iin == AIGERIM_IIN
    assert backend.get_user(user.pk) == user
    assert timezone.now() >= user.date_joined


def test_an_e_signature_proves_an_iin_registered_by_code_and_drops_the_typed_contacts(
    test_pki: Any, aigerim_cert: str
) -> None:
    """R-X-2, R-SPC-1: someone registered Aigerim's IIN by one-time code with their own phone;
    her first e-signature login proves the IIN and drops that phone, so the typist loses access."""
    squatted = UserFactory(iin=AIGERIM_IIN, phone="+77011234567", registered_by_code=True)

    user, _nonce = _login(test_pki, aigerim_cert)

    assert user.pk == squatted.pk
    user.refresh_from_db()
    assert (user.phone, user.email, user.registered_by_code) == (None, None, False)
    event = DomainEvent.objects.get(verb="accounts.iin_confirmed")
    assert event.data == {"contacts_dropped": ["phone"]}


def test_a_proven_account_keeps_its_contacts_at_e_signature_login(
    test_pki: Any, aigerim_cert: str
) -> None:
    """R-X-2: only accounts registered by code lose their typed contacts."""
    UserFactory(iin=AIGERIM_IIN, phone="+77011234567")

    user, _nonce = _login(test_pki, aigerim_cert)

    user.refresh_from_db()
    assert user.phone == "+77011234567"
    assert not DomainEvent.objects.filter(verb="accounts.iin_confirmed").exists()
