"""One-time-code login (R-SPC-1): a specialist registers and logs in with a mobile phone number or
an e-mail, each confirmed by a one-time code."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import trans_real

from qamqor.accounts import services, sms
from qamqor.accounts.models import OneTimeCode, User
from qamqor.accounts.otp import Applicant, OneTimeCodeBackend, request_code, verify_code
from qamqor.accounts.roles import Role
from qamqor.core.errors import DomainError
from qamqor.core.models import DomainEvent
from tests.factories import DistrictFactory, UserFactory, make_iin

pytestmark = pytest.mark.django_db

PHONE = "+77012345678"
EMAIL = "aigerim@example.kz"
BROWSER = "a" * 64
OTHER_BROWSER = "b" * 64
NOW = dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _sms_outbox(settings: pytest.FixtureRequest) -> Iterator[None]:
    settings.SMS_BACKEND = "qamqor.accounts.sms.LocmemBackend"  # type: ignore[attr-defined]
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def aigerim() -> User:
    """An applicant specialist who registered with her phone earlier."""
    return UserFactory(
        iin=make_iin(1, female=True), surname="Нұрланова", given_name="Айгерім", phone=PHONE
    )


def as_applicant(user: User) -> Applicant:
    return Applicant(iin=user.iin, surname=user.surname, given_name=user.given_name)


NEW_PERSON = Applicant(iin=make_iin(7), surname="Ахметов", given_name="Дәурен")


def send(django_capture_on_commit_callbacks, destination: str = PHONE, **kwargs) -> str:
    """Request a code and return it as the person reads it in the message."""
    channel = kwargs.pop("channel", "email" if "@" in destination else "sms")
    with django_capture_on_commit_callbacks(execute=True):
        request_code(
            channel=channel,
            destination=destination,
            session_binding=kwargs.pop("session_binding", BROWSER),
        )
    text = sms.outbox[-1].text if channel == "sms" else kwargs["mailoutbox"][-1].body
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None, text
    return found.group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def events(verb: str) -> list[DomainEvent]:
    return list(DomainEvent.objects.filter(verb=verb))


# --- Requesting -------------------------------------------------------------------------------


def test_sms_code_is_sent_after_commit_to_the_normalised_number(
    frozen, django_capture_on_commit_callbacks
) -> None:
    """R-SPC-1: the code goes by SMS to the number in E.164, only once the row is committed."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        otp = request_code(channel="sms", destination="8 (701) 234-56-78", session_binding=BROWSER)
    assert sms.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in sms.outbox] == [PHONE]
    assert sms.outbox[0].text.startswith("Qamqor: your login code is ")
    assert "It is valid for 5 minutes. Do not tell it to anyone." in sms.outbox[0].text
    assert otp.destination == PHONE
    assert otp.channel == "sms"
    assert otp.expires_at == NOW + dt.timedelta(seconds=300)
    assert otp.session_binding == BROWSER
    assert [e.data for e in events("accounts.otp_requested")] == [{"channel": "sms"}]


def test_email_code_is_sent_by_email_and_logs_in(
    frozen, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    """R-SPC-1: the e-mail channel: the code arrives by e-mail and confirms the address."""
    gulnar = UserFactory(iin=make_iin(2, female=True), email=EMAIL)
    code = send(django_capture_on_commit_callbacks, "Aigerim@Example.KZ", mailoutbox=mailoutbox)
    assert mailoutbox[0].to == [EMAIL]
    assert mailoutbox[0].subject == "Your Qamqor login code"
    user = verify_code(
        destination=EMAIL, code=code, session_binding=BROWSER, applicant=as_applicant(gulnar)
    )
    assert user == gulnar
    assert sms.outbox == []


def test_the_code_is_never_stored_in_clear(frozen, django_capture_on_commit_callbacks) -> None:
    """R-SPC-1: only an HMAC of the code is kept; no row or event contains the code."""
    code = send(django_capture_on_commit_callbacks)
    otp = OneTimeCode.objects.get()
    assert code not in otp.code_hash
    assert otp.code_hash.startswith("hmac-sha256$")
    stored = [str(v) for v in OneTimeCode.objects.values().get().values()]
    stored += [str(e.data) + e.comment for e in DomainEvent.objects.all()]
    assert not any(code in value for value in stored)


@pytest.mark.parametrize(
    ("channel", "destination", "field"),
    [
        ("sms", "+7 7172 12 34 56", "phone"),  # an Astana landline cannot receive an SMS
        ("sms", "+7 916 123 45 67", "phone"),  # a Russian number
        ("email", "aigerim@", "email"),
    ],
)
def test_invalid_destination_is_refused(channel: str, destination: str, field: str) -> None:
    """R-SPC-1: only a Kazakhstan mobile number or an e-mail address receives a code."""
    with pytest.raises(DomainError) as refused:
        request_code(channel=channel, destination=destination, session_binding=BROWSER)
    assert refused.value.code == "otp.invalid_destination"
    assert refused.value.field == field
    assert not OneTimeCode.objects.exists()
    assert not DomainEvent.objects.exists()


def test_resend_waits_a_minute_then_replaces_the_old_code(
    frozen, django_capture_on_commit_callbacks, aigerim
) -> None:
    """R-SPC-1: one code a minute per destination; a new code makes the earlier one useless."""
    first = send(django_capture_on_commit_callbacks)
    frozen.shift(dt.timedelta(seconds=45))
    with pytest.raises(DomainError) as refused:
        request_code(channel="sms", destination=PHONE, session_binding=BROWSER)
    assert refused.value.code == "otp.resend_too_soon"
    assert str(refused.value.message) == (
        "A code has just been sent. You can ask for a new one in 15 seconds."
    )
    assert OneTimeCode.objects.count() == 1
    assert len(sms.outbox) == 1

    frozen.shift(dt.timedelta(seconds=15))
    second = send(django_capture_on_commit_callbacks)
    assert OneTimeCode.objects.count() == 2
    if first != second:
        with pytest.raises(DomainError) as old:
            verify_code(
                destination=PHONE,
                code=first,
                session_binding=BROWSER,
                applicant=as_applicant(aigerim),
            )
        assert old.value.code == "otp.wrong_code"
    user = verify_code(
        destination=PHONE, code=second, session_binding=BROWSER, applicant=as_applicant(aigerim)
    )
    assert user == aigerim


# --- Verifying --------------------------------------------------------------------------------


def test_existing_user_logs_in_with_the_code(
    frozen, django_capture_on_commit_callbacks, aigerim
) -> None:
    """R-SPC-1: the user whose IIN and phone match logs in; the code is used up."""
    code = send(django_capture_on_commit_callbacks)
    user = verify_code(
        destination=PHONE,
        code=f"{code[:3]} {code[3:]}",
        session_binding=BROWSER,
        applicant=as_applicant(aigerim),
    )
    assert user == aigerim
    assert OneTimeCode.objects.get().used_at == NOW
    login = events("accounts.login")
    assert [(e.subject_id, e.data) for e in login] == [
        (str(aigerim.pk), {"method": "otp", "channel": "sms", "registered": False})
    ]
    assert User.objects.count() == 1


def test_code_expires_after_five_minutes(
    frozen, django_capture_on_commit_callbacks, aigerim
) -> None:
    """R-SPC-1: a code is valid for OTP_TTL_SECONDS (5 minutes)."""
    code = send(django_capture_on_commit_callbacks)
    frozen.shift(dt.timedelta(seconds=300))
    with pytest.raises(DomainError) as refused:
        verify_code(
            destination=PHONE, code=code, session_binding=BROWSER, applicant=as_applicant(aigerim)
        )
    assert refused.value.code == "otp.expired"
    assert [e.reason_codes for e in events("accounts.otp_failed")] == [["otp.expired"]]
    assert not events("accounts.login")


def test_wrong_code_says_how_many_attempts_are_left(
    frozen, django_capture_on_commit_callbacks, aigerim
) -> None:
    """R-SPC-1: a wrong code is counted (committed even though an error is raised)."""
    code = send(django_capture_on_commit_callbacks)
    with pytest.raises(DomainError) as refused:
        verify_code(
            destination=PHONE,
            code=wrong(code),
            session_binding=BROWSER,
            applicant=as_applicant(aigerim),
        )
    assert refused.value.code == "otp.wrong_code"
    assert str(refused.value.message) == "The code is wrong. You have 4 attempts left."
    assert OneTimeCode.objects.get().attempts == 1
    assert [e.reason_codes for e in events("accounts.otp_failed")] == [["otp.wrong_code"]]


def test_after_five_wrong_codes_even_the_right_one_is_refused(
    frozen, django_capture_on_commit_callbacks, aigerim
) -> None:
    """R-SPC-1: OTP_MAX_ATTEMPTS wrong codes end the code."""
    code = send(django_capture_on_commit_callbacks)
    answers = []
    for _ in range(5):
        with pytest.raises(DomainError) as refused:
            verify_code(
                destination=PHONE,
                code=wrong(code),
                session_binding=BROWSER,
                applicant=as_applicant(aigerim),
            )
        answers.append(refused.value.code)
    assert answers == ["otp.wrong_code"] * 4 + ["otp.too_many_attempts"]
    with pytest.raises(DomainError) as refused:
        verify_code(
            destination=PHONE, code=code, session_binding=BROWSER, applicant=as_applicant(aigerim)
        )
    assert refused.value.code == "otp.too_many_attempts"
    assert OneTimeCode.objects.get().attempts == 5
    assert not events("accounts.login")


def test_code_requested_in_another_browser_session_is_refused(
    frozen, django_capture_on_commit_callbacks, aigerim
) -> None:
    """R-SPC-1: a code works only in the browser session that asked for it."""
    code = send(django_capture_on_commit_callbacks, session_binding=BROWSER)
    with pytest.raises(DomainError) as refused:
        verify_code(
            destination=PHONE,
            code=code,
            session_binding=OTHER_BROWSER,
            applicant=as_applicant(aigerim),
        )
    assert refused.value.code == "otp.no_code"
    assert OneTimeCode.objects.get().attempts == 0
    assert OneTimeCode.objects.get().used_at is None


def test_code_cannot_be_used_twice(frozen, django_capture_on_commit_callbacks, aigerim) -> None:
    """R-SPC-1: a one-time code logs in once."""
    code = send(django_capture_on_commit_callbacks)
    kwargs = {"destination": PHONE, "code": code, "session_binding": BROWSER}
    assert verify_code(**kwargs, applicant=as_applicant(aigerim)) == aigerim
    with pytest.raises(DomainError) as refused:
        verify_code(**kwargs, applicant=as_applicant(aigerim))
    assert refused.value.code == "otp.no_code"
    assert len(events("accounts.login")) == 1


def test_new_person_is_registered_as_applicant_specialist(
    frozen, django_capture_on_commit_callbacks
) -> None:
    """R-SPC-1: the specialist registers with a mobile phone number confirmed by a code."""
    code = send(django_capture_on_commit_callbacks)
    with translation.override("ru"):
        user = verify_code(
            destination=PHONE, code=code, session_binding=BROWSER, applicant=NEW_PERSON
        )
    assert (user.iin, user.surname, user.given_name, user.phone, user.email) == (
        NEW_PERSON.iin,
        "Ахметов",
        "Дәурен",
        PHONE,
        None,
    )
    assert user.language == "ru"
    assert user.registered_by_code  # the IIN was typed, not proven (see test_signin)
    assert not user.has_usable_password()
    assert [a.role for a in user.active_roles()] == [Role.APPLICANT_SPECIALIST]
    assert events("accounts.login")[0].data["registered"] is True


@pytest.mark.parametrize("whose", ["iin_has_other_contact", "contact_has_other_iin"])
def test_iin_and_contact_of_different_accounts_are_refused(
    frozen, django_capture_on_commit_callbacks, aigerim, whose: str
) -> None:
    """R-SPC-1: a code proves the contact, not the IIN: an account is never taken over by
    typing its IIN with one's own phone, and the stored contact is not revealed."""
    if whose == "iin_has_other_contact":
        destination, applicant = "+77471234567", as_applicant(aigerim)
    else:
        destination, applicant = PHONE, NEW_PERSON
    code = send(django_capture_on_commit_callbacks, destination)
    with pytest.raises(DomainError) as refused:
        verify_code(
            destination=destination, code=code, session_binding=BROWSER, applicant=applicant
        )
    assert refused.value.code == "otp.contact_mismatch"
    assert PHONE not in str(refused.value.message)
    assert User.objects.count() == 1
    assert User.objects.get().phone == PHONE
    assert not events("accounts.login")
    assert [e.reason_codes for e in events("accounts.otp_failed")] == [["otp.contact_mismatch"]]


def test_message_is_written_in_kazakh_when_kazakh_is_active(
    frozen, django_capture_on_commit_callbacks
) -> None:
    """R-SPC-1 with R-X-4: the code message is in the person's language (here kk)."""
    singular = (
        "Qamqor: your login code is %(code)s. It is valid for %(minutes)d minute. "
        "Do not tell it to anyone."
    )
    kk = "Qamqor: кіру кодыңыз %(code)s. Ол %(minutes)d минут жарамды. Оны ешкімге айтпаңыз."
    catalog = trans_real.translation("kk")._catalog
    added = [k for k in ((singular, 0), (singular, 1)) if k not in catalog]
    for key in added:
        catalog[key] = kk
    try:
        with translation.override("kk"):
            code = send(django_capture_on_commit_callbacks)
    finally:
        for key in added:
            del catalog._catalogs[0][key]
    assert sms.outbox[0].text == (
        f"Qamqor: кіру кодыңыз {code}. Ол 5 минут жарамды. Оны ешкімге айтпаңыз."
    )


# --- Authentication backend -------------------------------------------------------------------


def test_backend_returns_the_user_or_none_with_the_error_on_the_request(
    frozen, django_capture_on_commit_callbacks, aigerim, rf
) -> None:
    """R-SPC-1: the authentication backend wraps verify_code for django.contrib.auth."""
    code = send(django_capture_on_commit_callbacks)
    backend = OneTimeCodeBackend()
    request = rf.post("/accounts/otp/verify/")
    credentials = {
        "otp_destination": PHONE,
        "otp_session_binding": BROWSER,
        "otp_applicant": as_applicant(aigerim),
    }
    assert backend.authenticate(request, otp_code=wrong(code), **credentials) is None
    assert request.otp_error.code == "otp.wrong_code"
    assert backend.authenticate(request, otp_code=code, **credentials) == aigerim
    assert backend.authenticate(request, username=PHONE) is None  # not an OTP login
    assert backend.get_user(aigerim.pk) == aigerim
    assert timezone.now() == NOW


def test_staff_accounts_log_in_only_by_e_signature(
    frozen, django_capture_on_commit_callbacks, aigerim
) -> None:
    """R-X-2, R-SPC-1: a code proves a phone, not a person; staff powers need the e-signature."""
    services.grant_role(None, aigerim, Role.DISTRICT_OFFICER, district=DistrictFactory())
    code = send(django_capture_on_commit_callbacks)
    with pytest.raises(DomainError) as refused:
        verify_code(
            destination=PHONE, code=code, session_binding=BROWSER, applicant=as_applicant(aigerim)
        )
    assert refused.value.code == "otp.staff_requires_esign"
    assert not events("accounts.login")
