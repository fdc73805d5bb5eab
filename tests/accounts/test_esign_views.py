"""The e-signature login pages and the signing demo (R-X-2), through the test client.

Requests speak Kazakh by default, so refusal messages are compared in Kazakh.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from qamqor.accounts import services, signing
from qamqor.accounts.esign.errors import MESSAGES
from qamqor.accounts.models import LoginNonce, SignedDocument, User
from qamqor.accounts.roles import Role
from qamqor.accounts.signin import MESSAGES as LOGIN_MESSAGES
from qamqor.accounts.views.esign import _contact_act
from qamqor.core.models import DomainEvent
from tests.factories import DistrictFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/esign/"
NONCE = "/accounts/login/esign/nonce/"
DEV_SIGN = "/accounts/login/esign/dev-sign/"
SIGN_DEMO = "/accounts/sign-demo/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()  # rate-limit counters live in the (per-process) cache
    yield
    cache.clear()


@pytest.fixture
def pki(esign_settings: Any) -> Any:
    return esign_settings


@pytest.fixture
def aigerim_iin(pki: Any) -> str:
    iin = pki.new_iin()
    pki.issue(iin, "Нұрланова", "Айгерім")
    return iin


def _kk(message: Any) -> str:
    with translation.override("kk"):
        return str(message)


def _nonce(client: Client) -> str:
    response = client.post(NONCE)
    assert response.status_code == 200
    return str(response.json()["nonce"])


def _assert_nobody_logged_in(client: Client) -> None:
    assert "_auth_user_id" not in client.session
    assert not DomainEvent.objects.filter(verb="accounts.esign_login").exists()


# --- The challenge ------------------------------------------------------------------------------


def test_the_challenge_is_bound_to_this_browser_session(client: Client) -> None:
    response = client.post(NONCE)
    body = response.json()
    assert set(body) == {"nonce", "expires_at"}
    nonce = LoginNonce.objects.get(value=body["nonce"])
    secret = client.session["esign_binding_secret"]
    assert nonce.session_binding == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in nonce.session_binding  # the secret itself is never stored


def test_the_challenge_is_post_only(client: Client) -> None:
    assert client.get(NONCE).status_code == 405


# --- The login page -----------------------------------------------------------------------------


def test_the_login_page_works_without_script(client: Client) -> None:
    """The form carries a challenge and takes a pasted or uploaded signature."""
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    nonce = LoginNonce.objects.get()
    assert f'name="nonce" value="{nonce.value}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="cms_file"' in html and 'name="cms"' in html
    assert 'id="esign-config"' in html and "js/esign.js" in html
    assert DEV_SIGN not in html  # production: no development signer


def test_the_login_choice_offers_the_e_signature_first(client: Client) -> None:
    html = client.get("/accounts/login/?next=/calendar/").content.decode()
    assert f'href="{LOGIN}?next=/calendar/"' in html


@pytest.mark.parametrize("encoding", ["textarea-base64", "file-der", "file-base64"])
def test_a_good_signature_logs_in_a_new_recipient(
    client: Client, pki: Any, aigerim_iin: str, encoding: str
) -> None:
    """R-X-2: NCALayer's base64 answer, or a .p7s file in DER or base64, logs in."""
    nonce = _nonce(client)
    der = pki.sign(nonce.encode(), iin=aigerim_iin, kind="auth")
    data: dict[str, Any] = {"nonce": nonce, "next": "/calendar/"}
    if encoding == "textarea-base64":
        data["cms"] = base64.b64encode(der).decode()
    elif encoding == "file-der":
        data["cms_file"] = SimpleUploadedFile("login.p7s", der)
    else:
        data["cms_file"] = SimpleUploadedFile("login.p7s", base64.b64encode(der))

    response = client.post(LOGIN, data)

    assert response.status_code == 302
    assert response["Location"] == "/calendar/"
    user = User.objects.get(iin=aigerim_iin)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session["_auth_user_backend"] == "qamqor.accounts.backends.ESignatureBackend"
    assert [a.role for a in user.active_roles()] == [Role.RECIPIENT]
    assert DomainEvent.objects.filter(verb="accounts.esign_login", subject_id=user.pk).exists()


def test_login_refuses_offsite_redirects(client: Client, pki: Any, aigerim_iin: str) -> None:
    nonce = _nonce(client)
    cms = base64.b64encode(pki.sign(nonce.encode(), iin=aigerim_iin)).decode()
    response = client.post(LOGIN, {"nonce": nonce, "cms": cms, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_granted_district_officer_logs_in_as_staff(client: Client, pki: Any) -> None:
    officer = UserFactory(iin=pki.new_iin())
    services.grant_role(None, officer, Role.DISTRICT_OFFICER, district=DistrictFactory())
    pki.issue(officer.iin, "Ахметов", "Дәурен")
    nonce = _nonce(client)
    cms = base64.b64encode(pki.sign(nonce.encode(), iin=officer.iin)).decode()
    assert client.post(LOGIN, {"nonce": nonce, "cms": cms}).status_code == 302
    assert int(client.session["_auth_user_id"]) == officer.pk


@pytest.mark.parametrize(
    ("special", "code"),
    [
        ("expired", "esign.expired"),
        ("revoked", "esign.revoked"),
        ("foreign", "esign.untrusted_chain"),
        ("no_iin", "esign.no_iin"),
    ],
)
def test_a_refused_certificate_shows_its_reason_and_logs_in_nobody(
    client: Client, pki: Any, special: str, code: str
) -> None:
    users = User.objects.count()
    nonce = _nonce(client)
    cms = base64.b64encode(pki.sign(nonce.encode(), p12=pki.special(special))).decode()

    response = client.post(LOGIN, {"nonce": nonce, "cms": cms})

    assert response.status_code == 400
    html = response.content.decode()
    assert _kk(MESSAGES[code]) in html
    assert 'aria-describedby="esign-error"' in html and 'role="alert"' in html
    assert cms in html  # what was sent is kept on the page
    assert nonce not in html  # the spent challenge is replaced by a new one
    _assert_nobody_logged_in(client)
    assert User.objects.count() == users


def test_a_signing_only_key_cannot_log_in(client: Client, pki: Any) -> None:
    nonce = _nonce(client)
    cms = base64.b64encode(pki.sign(nonce.encode(), p12=pki.special("signing_only"))).decode()
    response = client.post(LOGIN, {"nonce": nonce, "cms": cms})
    assert response.status_code == 400
    assert "AUTH" in response.content.decode()
    _assert_nobody_logged_in(client)


def test_a_challenge_of_another_browser_is_refused(
    client: Client, pki: Any, aigerim_iin: str
) -> None:
    """A stolen challenge (and its signature) is useless in another browser."""
    victim = Client()
    nonce = _nonce(victim)
    cms = base64.b64encode(pki.sign(nonce.encode(), iin=aigerim_iin)).decode()
    response = client.post(LOGIN, {"nonce": nonce, "cms": cms})
    assert response.status_code == 400
    assert _kk(LOGIN_MESSAGES["esign.nonce_other_session"]) in response.content.decode()
    _assert_nobody_logged_in(client)
    assert not User.objects.filter(iin=aigerim_iin).exists()


def test_a_replayed_signature_is_refused(client: Client, pki: Any, aigerim_iin: str) -> None:
    nonce = _nonce(client)
    cms = base64.b64encode(pki.sign(nonce.encode(), iin=aigerim_iin)).decode()
    assert client.post(LOGIN, {"nonce": nonce, "cms": cms}).status_code == 302
    # the same browser (login keeps the session's data), the same signature once more
    response = client.post(LOGIN, {"nonce": nonce, "cms": cms})
    assert response.status_code == 400
    assert _kk(LOGIN_MESSAGES["esign.nonce_used"]) in response.content.decode()
    assert DomainEvent.objects.filter(verb="accounts.esign_login").count() == 1


def test_an_empty_form_asks_for_a_signature(client: Client) -> None:
    nonce = _nonce(client)
    response = client.post(LOGIN, {"nonce": nonce})
    assert response.status_code == 400
    with translation.override("kk"):
        expected = translation.gettext("Sign with NCALayer, or paste or upload the signature.")
    assert expected in response.content.decode()


def test_a_refusal_is_counted_as_a_failed_login(client: Client, pki: Any) -> None:
    from axes.models import AccessAttempt

    nonce = _nonce(client)
    cms = base64.b64encode(pki.sign(nonce.encode(), p12=pki.special("expired"))).decode()
    client.post(LOGIN, {"nonce": nonce, "cms": cms})
    assert AccessAttempt.objects.get().failures_since_start == 1


# --- The development signer ---------------------------------------------------------------------


@pytest.fixture
def dev_machine(settings: Any, pki: Any) -> Any:
    settings.DEBUG = True
    settings.ESIGN_DEV_SIGNER = True
    settings.ESIGN_TEST_PKI_DIR = str(pki.root)
    return pki


@pytest.fixture
def demo_recipient() -> User:
    user = UserFactory(email="saule@demo.qamqor.kz", surname="Демо", given_name="Сәуле")
    services.grant_role(None, user, Role.RECIPIENT)
    return user


@pytest.mark.parametrize(("debug", "dev_signer"), [(False, True), (False, False), (True, False)])
def test_the_development_signer_is_404_unless_debug_and_the_flag(
    client: Client, settings: Any, debug: bool, dev_signer: bool
) -> None:
    settings.DEBUG = debug
    settings.ESIGN_DEV_SIGNER = dev_signer
    assert client.get(DEV_SIGN).status_code == 404
    assert client.post(DEV_SIGN, {"user": 1, "nonce": "x"}).status_code == 404


def test_the_app_refuses_to_start_with_the_dev_signer_and_debug_off(settings: Any) -> None:
    settings.DEBUG = False
    settings.ESIGN_DEV_SIGNER = True
    with pytest.raises(ImproperlyConfigured):
        apps.get_app_config("accounts").ready()


def test_production_settings_never_enable_the_dev_signer() -> None:
    """With DEBUG unset, ESIGN_DEV_SIGNER=1 in the environment makes Django refuse to start."""
    env = {**os.environ, "SECRET_KEY": "x", "ESIGN_DEV_SIGNER": "1", "DEBUG": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ESIGN_DEV_SIGNER is set while DEBUG is off" in result.stderr


def test_secret_key_is_required_when_debug_is_off() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.usefixtures("dev_machine")
def test_the_dev_signer_lists_only_demo_users(client: Client, demo_recipient: User) -> None:
    UserFactory(email="someone@example.kz", surname="Нақты")
    html = client.get(DEV_SIGN).content.decode()
    assert demo_recipient.get_full_name() in html
    assert "Нақты" not in html
    assert DEV_SIGN in client.get(LOGIN).content.decode()


@pytest.mark.usefixtures("dev_machine")
def test_the_dev_signer_signs_for_the_page_which_logs_in_normally(
    client: Client, demo_recipient: User
) -> None:
    """The script's path: the development signer answers a CMS; the login form verifies it."""
    nonce = _nonce(client)
    answer = client.post(
        DEV_SIGN, {"user": demo_recipient.pk, "nonce": nonce}, HTTP_ACCEPT="application/json"
    )
    assert answer.status_code == 200
    cms = answer.json()["cms"]
    assert "_auth_user_id" not in client.session  # signing alone logs nobody in
    response = client.post(LOGIN, {"nonce": nonce, "cms": cms})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == demo_recipient.pk
    assert DomainEvent.objects.filter(verb="accounts.esign_login").count() == 1


@pytest.mark.usefixtures("dev_machine")
def test_the_dev_signer_without_script_logs_in_through_verification(
    client: Client, demo_recipient: User
) -> None:
    client.get(DEV_SIGN)
    nonce = LoginNonce.objects.get().value
    response = client.post(DEV_SIGN, {"user": demo_recipient.pk, "nonce": nonce, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == demo_recipient.pk
    assert DomainEvent.objects.filter(verb="accounts.esign_login").count() == 1


@pytest.mark.usefixtures("dev_machine")
def test_the_dev_signer_refuses_a_user_who_is_not_a_demo_user(client: Client) -> None:
    outsider = UserFactory(email="someone@example.kz")
    nonce = _nonce(client)
    response = client.post(DEV_SIGN, {"user": outsider.pk, "nonce": nonce})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


# --- The signing demo ---------------------------------------------------------------------------


def test_the_signing_demo_needs_a_login(client: Client) -> None:
    response = client.get(SIGN_DEMO)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.fixture
def signed_in(client: Client, pki: Any) -> User:
    user = UserFactory(iin=pki.new_iin(), phone="+77012345678")
    pki.issue(user.iin, user.surname, user.given_name)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def test_the_signing_demo_shows_what_is_about_to_be_signed(client: Client, signed_in: User) -> None:
    html = client.get(SIGN_DEMO).content.decode()
    content = signing.canonical_bytes(_contact_act(signed_in))
    assert content.decode().replace('"', "&quot;") in html
    assert base64.b64encode(content).decode() in html  # for NCALayer, in the page's config
    assert "+77012345678" in html


@pytest.mark.parametrize("as_file", [False, True])
def test_a_signed_act_is_stored_and_listed(
    client: Client, pki: Any, signed_in: User, as_file: bool
) -> None:
    content = signing.canonical_bytes(_contact_act(signed_in))
    der = pki.sign(content, iin=signed_in.iin, kind="sign")
    data: dict[str, Any] = (
        {"cms_file": SimpleUploadedFile("act.p7s", der)}
        if as_file
        else {"cms": base64.b64encode(der).decode()}
    )
    response = client.post(SIGN_DEMO, data)
    assert response.status_code == 302
    document = SignedDocument.objects.get()
    assert (document.signed_by, bytes(document.content)) == (signed_in, content)
    listing = client.get(SIGN_DEMO).content.decode()
    assert document.certificate_serial[:10] in listing


def test_an_act_signed_with_the_login_key_is_refused(
    client: Client, pki: Any, signed_in: User
) -> None:
    content = signing.canonical_bytes(_contact_act(signed_in))
    cms = base64.b64encode(pki.sign(content, iin=signed_in.iin, kind="auth")).decode()
    response = client.post(SIGN_DEMO, {"cms": cms})
    assert response.status_code == 400
    assert "AUTH" in response.content.decode()
    assert not SignedDocument.objects.exists()


def test_an_act_signed_by_someone_else_is_refused(
    client: Client, pki: Any, signed_in: User
) -> None:
    content = signing.canonical_bytes(_contact_act(signed_in))
    other = pki.new_iin()
    cms = base64.b64encode(pki.sign(content, iin=other, kind="sign")).decode()
    response = client.post(SIGN_DEMO, {"cms": cms})
    assert response.status_code == 400
    with translation.override("kk"):
        expected = translation.gettext("The key belongs to another person. Sign with your own key.")
    assert expected in response.content.decode()
    assert not SignedDocument.objects.exists()


@pytest.mark.usefixtures("dev_machine")
def test_the_dev_signer_signs_the_demo_act(client: Client, signed_in: User) -> None:
    response = client.post(SIGN_DEMO, {"method": "dev"})
    assert response.status_code == 302
    document = SignedDocument.objects.get()
    assert document.signer_iin == signed_in.iin


def test_the_dev_method_is_ignored_in_production(client: Client, signed_in: User) -> None:
    response = client.post(SIGN_DEMO, {"method": "dev"})
    assert response.status_code == 400
    assert not SignedDocument.objects.exists()


def test_a_post_without_a_challenge_is_refused(client: Client, pki: Any, aigerim_iin: str) -> None:
    cms = base64.b64encode(pki.sign(b"whatever", iin=aigerim_iin)).decode()
    response = client.post(LOGIN, {"cms": cms})
    assert response.status_code == 400
    assert _kk(LOGIN_MESSAGES["esign.nonce_unknown"]) in response.content.decode()
    _assert_nobody_logged_in(client)


# --- The development signer with a GOST 34.10-2015 key (issue 12) ------------------------------


@pytest.fixture
def gost_dev_machine(dev_machine: Any) -> Any:
    """A development machine whose test PKI has its GOST part in the sub-folder ``gost/`` (as
    the suite keeps it): trusted with DEBUG on only through ``trust.configured_dirs``."""
    dev_machine.ensure_gost()
    return dev_machine


def test_debug_trusts_the_gost_sub_folder_of_the_test_pki(settings: Any, pki: Any) -> None:
    from qamqor.accounts.esign.trust import configured_dirs

    settings.ESIGN_TEST_PKI_DIR = str(pki.root)
    settings.DEBUG = True
    trust, crl = configured_dirs()
    assert pki.root / "gost" / "trusted" in trust and pki.root / "trusted" in trust
    assert pki.root / "gost" / "crl" in crl and pki.root / "crl" in crl
    settings.DEBUG = False
    trust, crl = configured_dirs()
    assert not any(str(pki.root / "gost") in str(d) for d in (*trust, *crl))


@pytest.mark.usefixtures("gost_dev_machine")
def test_the_dev_signer_offers_ecdsa_by_default_and_gost(
    client: Client, demo_recipient: User
) -> None:
    for url in (DEV_SIGN, LOGIN):
        html = client.get(url).content.decode()
        assert 'value="gost512"' in html and 'value="ecdsa"' in html
        assert "<legend>" in html


@pytest.mark.usefixtures("gost_dev_machine")
def test_the_dev_signer_signs_with_a_gost_key_which_logs_in_through_verification(
    client: Client, demo_recipient: User, pki: Any
) -> None:
    """The script's path with a GOST 2015 key: issued on first use, signed with sign_cms_gost,
    then the login form verifies it like any NCALayer signature."""
    nonce = _nonce(client)
    answer = client.post(
        DEV_SIGN,
        {"user": demo_recipient.pk, "nonce": nonce, "key_type": "gost512"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 200
    assert (pki.gost_root / "users" / demo_recipient.iin / "gost" / "auth.key.json").is_file()
    assert "_auth_user_id" not in client.session
    response = client.post(LOGIN, {"nonce": nonce, "cms": answer.json()["cms"]})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == demo_recipient.pk
    event = DomainEvent.objects.get(verb="accounts.esign_login")
    assert event.subject_id == str(demo_recipient.pk)
    assert event.data["certificate_issuer"] == "CN=Qamqor Test Issuing CA (GOST) 2015,C=KZ"


@pytest.mark.usefixtures("gost_dev_machine")
def test_the_dev_signer_without_script_logs_in_with_a_gost_key(
    client: Client, demo_recipient: User
) -> None:
    client.get(DEV_SIGN)
    nonce = LoginNonce.objects.get().value
    response = client.post(
        DEV_SIGN,
        {"user": demo_recipient.pk, "nonce": nonce, "key_type": "gost512", "next": "/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == demo_recipient.pk
    assert DomainEvent.objects.filter(verb="accounts.esign_login").count() == 1


def test_a_dev_gost_signature_is_refused_when_the_gost_root_is_not_trusted(
    client: Client, settings: Any, pki: Any, demo_recipient: User
) -> None:
    """Nothing bypasses verification: with DEBUG on but the GOST part out of the trust store
    (another test-PKI folder configured), the GOST signature of the dev signer is refused."""
    pki.ensure_gost()
    settings.DEBUG = True
    settings.ESIGN_DEV_SIGNER = True
    settings.ESIGN_TEST_PKI_DIR = str(pki.root)
    nonce = _nonce(client)
    answer = client.post(
        DEV_SIGN,
        {"user": demo_recipient.pk, "nonce": nonce, "key_type": "gost512"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 200
    settings.ESIGN_TEST_PKI_DIR = str(pki.root / "nowhere")  # the GOST root is trusted no more
    response = client.post(LOGIN, {"nonce": nonce, "cms": answer.json()["cms"]})
    assert response.status_code == 400
    assert _kk(MESSAGES["esign.untrusted_chain"]) in response.content.decode()
    _assert_nobody_logged_in(client)


@pytest.mark.usefixtures("gost_dev_machine")
def test_the_dev_signer_refuses_an_unknown_key_type(client: Client, demo_recipient: User) -> None:
    nonce = _nonce(client)
    response = client.post(
        DEV_SIGN, {"user": demo_recipient.pk, "nonce": nonce, "key_type": "gost2004"}
    )
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
