"""The one-time-code login pages (R-SPC-1)."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.cache import cache

from qamqor.accounts import sms
from qamqor.accounts.models import OneTimeCode, User
from qamqor.accounts.roles import Role
from qamqor.accounts.views.otp import BINDING_SECRET_KEY
from tests.factories import make_iin

pytestmark = pytest.mark.django_db

EN = {"qamqor_language": "en"}
NEW_IIN = make_iin(11)


@pytest.fixture(autouse=True)
def _setup(settings, client):
    settings.SMS_BACKEND = "qamqor.accounts.sms.LocmemBackend"
    settings.AXES_ENABLED = False
    sms.outbox.clear()
    cache.clear()  # rate-limit counters
    client.cookies.load(EN)
    yield
    sms.outbox.clear()
    cache.clear()


def request_form(**overrides: str) -> dict[str, str]:
    data = {
        "channel": "sms",
        "phone": "8 701 234 56 78",
        "email": "",
        "iin": NEW_IIN,
        "surname": "Ахметов",
        "given_name": "Дәурен",
        "patronymic": "",
        "next": "/calendar/",
    }
    return {**data, **overrides}


def sent_code() -> str:
    found = re.search(r"\b(\d{6})\b", sms.outbox[-1].text)
    assert found is not None
    return found.group(1)


def test_request_page_has_labelled_fields_that_work_without_javascript(client) -> None:
    page = client.get("/accounts/otp/").content.decode()
    assert "<h1>Log in with a one-time code</h1>" in page
    assert '<label for="id_phone">Mobile phone number</label>' in page
    assert 'id="id_iin_helptext"' in page
    assert "<script" not in page.split("<main", 1)[1]


def test_new_specialist_registers_and_logs_in_by_sms(
    client, django_capture_on_commit_callbacks
) -> None:
    """R-SPC-1: register with a mobile phone number confirmed by a one-time code."""
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/accounts/otp/", request_form())
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/otp/verify/?next=%2Fcalendar%2F"
    page = client.get(answer["Location"]).content.decode()
    assert "We have sent a code to +7 701 234 5678. It is valid for 5 minutes." in page
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page

    answer = client.post("/accounts/otp/verify/", {"code": sent_code(), "next": "/calendar/"})
    assert answer.status_code == 302
    assert answer["Location"] == "/calendar/"
    user = User.objects.get(iin=NEW_IIN)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["_auth_user_backend"] == "qamqor.accounts.backends.OneTimeCodeBackend"
    assert [a.role for a in user.active_roles()] == [Role.APPLICANT_SPECIALIST]
    assert "otp_pending" not in client.session


def test_wrong_code_is_shown_on_the_code_field(client, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/otp/", request_form())
    wrong = f"{(int(sent_code()) + 1) % 1_000_000:06d}"
    page = client.post("/accounts/otp/verify/", {"code": wrong}).content.decode()
    assert (
        '<p class="field-error" id="id_code_error">The code is wrong. You have 4 attempts left.'
        in page
    )
    assert 'aria-describedby="id_code_helptext id_code_error"' in page
    assert not User.objects.exists()


def test_request_form_keeps_what_was_typed_after_an_error(client) -> None:
    """STYLE: forms re-render with everything the person typed."""
    data = request_form(phone="+7 916 123 45 67", patronymic="Серікұлы")
    page = client.post("/accounts/otp/", data).content.decode()
    assert "Enter a Kazakhstan mobile phone number: +7 7XX XXX XX XX." in page
    for typed in ("+7 916 123 45 67", NEW_IIN, "Ахметов", "Дәурен", "Серікұлы"):
        assert f'value="{typed}"' in page
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in page
    assert sms.outbox == []


def test_page_speaks_kazakh_by_default(client) -> None:
    client.cookies.pop("qamqor_language")
    page = client.get("/accounts/otp/").content.decode()
    assert '<html lang="kk">' in page


def test_verify_without_a_requested_code_goes_back_to_the_first_step(client) -> None:
    answer = client.get("/accounts/otp/verify/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/otp/")


def test_resend_is_refused_within_a_minute(client, django_capture_on_commit_callbacks) -> None:
    """R-SPC-1: one code a minute per destination."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/otp/", request_form())
    page = client.post("/accounts/otp/resend/").content.decode()
    assert "A code has just been sent. You can ask for a new one in" in page
    assert len(sms.outbox) == 1


def test_sending_codes_is_rate_limited_with_429(
    client, settings, django_capture_on_commit_callbacks
) -> None:
    """R-SPC-1: each code costs an SMS; beyond the limit the page answers 429."""
    settings.QAMQOR_RATE_LIMITS = {"accounts.otp_send": "2/h"}
    statuses = []
    for phone in ("+77012345678", "+77471234567", "+77051234567"):
        with django_capture_on_commit_callbacks(execute=True):
            statuses.append(client.post("/accounts/otp/", request_form(phone=phone)).status_code)
    assert statuses == [302, 302, 429]
    assert len(sms.outbox) == 2


def test_verifying_codes_is_rate_limited_with_429(
    client, settings, django_capture_on_commit_callbacks
) -> None:
    settings.QAMQOR_RATE_LIMITS = {"accounts.otp_verify": "2/h"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/otp/", request_form())
    statuses = [client.post("/accounts/otp/verify/", {"code": "000000"}).status_code for _ in "abc"]
    assert statuses[-1] == 429


def test_the_code_is_bound_to_this_browser_session_by_the_shared_helper(
    client, django_capture_on_commit_callbacks
) -> None:
    """R-SPC-1: the code's binding is the SHA-256 of a secret kept in the session (the helper
    the e-signature login uses too); the secret itself is never stored with the code."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/otp/", request_form())
    secret = client.session[BINDING_SECRET_KEY]
    code = OneTimeCode.objects.get()
    assert code.session_binding == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in code.session_binding
    assert "esign_binding_secret" not in client.session  # each flow keeps its own secret


def test_an_outside_next_is_not_followed_after_the_code(
    client, django_capture_on_commit_callbacks
) -> None:
    """The shared safe-next helper: a ``next`` on another site falls back to the home page."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/otp/", request_form(next="https://evil.example/"))
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/otp/verify/?next=https://evil.example/",
            {"code": sent_code(), "next": "https://evil.example/"},
        )
    assert response.status_code == 302
    assert response["Location"] == "/"
