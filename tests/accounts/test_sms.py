"""SMS backends (R-SPC-1: one-time codes go by SMS to a mobile phone number)."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from django.core.exceptions import ValidationError

from qamqor.accounts import sms


@pytest.fixture(autouse=True)
def _clean_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def test_send_sms_normalises_the_number_and_uses_the_configured_backend(settings) -> None:
    """R-SPC-1: numbers are sent in E.164 through settings.SMS_BACKEND."""
    settings.SMS_BACKEND = "qamqor.accounts.sms.LocmemBackend"
    assert sms.send_sms("8 701 234 56 78", "Сәлем") == 1
    assert sms.outbox == [sms.SmsMessage(to="+77012345678", text="Сәлем")]


def test_send_sms_refuses_a_number_of_another_country(settings) -> None:
    settings.SMS_BACKEND = "qamqor.accounts.sms.LocmemBackend"
    with pytest.raises(ValidationError):
        sms.send_sms("+7 916 123 45 67", "text")
    assert sms.outbox == []


def test_console_backend_writes_the_message() -> None:
    stream = io.StringIO()
    sent = sms.ConsoleBackend(stream=stream).send_messages(
        [sms.SmsMessage("+77012345678", "код 123456")]
    )
    assert sent == 1
    assert "SMS to: +77012345678\nкод 123456\n" in stream.getvalue()


def test_file_backend_writes_one_file_per_message(tmp_path) -> None:
    backend = sms.FileBackend(file_path=tmp_path / "sms")
    messages = [sms.SmsMessage("+77012345678", "бір"), sms.SmsMessage("+77471234567", "екі")]
    assert backend.send_messages(messages) == 2
    texts = sorted(p.read_text(encoding="utf-8") for p in (tmp_path / "sms").iterdir())
    assert texts == ["To: +77012345678\n\nбір\n", "To: +77471234567\n\nекі\n"]


def test_http_gateway_posts_json_with_the_bearer_token() -> None:
    """The gateway contract: POST {to, text} as JSON with ``Authorization: Bearer``."""
    seen: list[httpx.Request] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json={"id": "42"})

    backend = sms.HttpGatewayBackend(
        url="https://sms.example.kz/send", token="t0ken", transport=httpx.MockTransport(gateway)
    )
    assert backend.send_messages([sms.SmsMessage("+77012345678", "Qamqor: 123456")]) == 1
    assert [(r.method, str(r.url)) for r in seen] == [("POST", "https://sms.example.kz/send")]
    assert seen[0].headers["Authorization"] == "Bearer t0ken"
    assert json.loads(seen[0].content) == {"to": "+77012345678", "text": "Qamqor: 123456"}


def test_http_gateway_failure_raises_a_clear_error() -> None:
    backend = sms.HttpGatewayBackend(
        url="https://sms.example.kz/send",
        token="t",
        transport=httpx.MockTransport(lambda request: httpx.Response(503)),
    )
    with pytest.raises(sms.SmsDeliveryError, match="HTTP 503"):
        backend.send_messages([sms.SmsMessage("+77012345678", "x")])


def test_http_gateway_network_error_raises_a_clear_error() -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    backend = sms.HttpGatewayBackend(
        url="https://sms.example.kz/send", token="t", transport=httpx.MockTransport(unreachable)
    )
    with pytest.raises(sms.SmsDeliveryError, match="could not be reached"):
        backend.send_messages([sms.SmsMessage("+77012345678", "x")])


def test_http_gateway_without_url_refuses(settings) -> None:
    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(sms.SmsDeliveryError, match="SMS_GATEWAY_URL"):
        sms.HttpGatewayBackend().send_messages([sms.SmsMessage("+77012345678", "x")])
