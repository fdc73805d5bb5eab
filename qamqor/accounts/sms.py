"""Sending text messages (SMS), built like Django's e-mail backends (R-SPC-1: one-time codes).

``settings.SMS_BACKEND`` names the backend by dotted path:

- ``qamqor.accounts.sms.ConsoleBackend`` writes each message to standard output (development);
- ``qamqor.accounts.sms.FileBackend`` writes one file per message into ``settings.SMS_FILE_PATH``;
- ``qamqor.accounts.sms.LocmemBackend`` appends to ``qamqor.accounts.sms.outbox`` (tests);
- ``qamqor.accounts.sms.HttpGatewayBackend`` hands each message to the operator's SMS gateway.

The gateway contract (an adapter in front of a real SMS provider implements it):

``POST {SMS_GATEWAY_URL}`` with the headers ``Authorization: Bearer {SMS_GATEWAY_TOKEN}`` and
``Content-Type: application/json`` and the body ``{"to": "+77012345678", "text": "…"}`` — ``to``
is a Kazakhstan number in E.164, ``text`` is UTF-8 (Kazakh and Russian letters: the gateway
chooses the UCS-2 encoding and splits long texts). Any 2xx answer means "accepted for delivery";
the body is ignored. Any other status, a timeout (``SMS_GATEWAY_TIMEOUT``, 10 s) or a network
error raises ``SmsDeliveryError``; the portal does not retry (the person asks for a new code).
"""

from __future__ import annotations

import datetime as dt
import secrets
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from qamqor.core.identifiers import normalize_phone

DEFAULT_GATEWAY_TIMEOUT = 10.0


@dataclass(frozen=True)
class SmsMessage:
    """One text message to one phone number (E.164)."""

    to: str
    text: str


class SmsDeliveryError(Exception):
    """The message could not be handed over for delivery (configuration, network, gateway)."""


class BaseSmsBackend:
    """Sends a batch of messages; returns how many were handed over for delivery."""

    def __init__(self, *, fail_silently: bool = False, **kwargs: Any) -> None:
        self.fail_silently = fail_silently

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseSmsBackend):
    """Development: prints each message, so the code can be read from the server's console."""

    def __init__(self, *, stream: TextIO | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stream = stream

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        stream = self.stream or sys.stdout
        for message in messages:
            stream.write(f"SMS to: {message.to}\n{message.text}\n{'-' * 40}\n")
        stream.flush()
        return len(messages)


class FileBackend(BaseSmsBackend):
    """Writes one UTF-8 file per message into ``SMS_FILE_PATH`` (created if missing)."""

    def __init__(self, *, file_path: str | Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file_path = Path(file_path or settings.SMS_FILE_PATH)

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        self.file_path.mkdir(parents=True, exist_ok=True)
        for message in messages:
            stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%d-%H%M%S")
            name = f"{stamp}-{secrets.token_hex(4)}.txt"
            (self.file_path / name).write_text(
                f"To: {message.to}\n\n{message.text}\n", encoding="utf-8"
            )
        return len(messages)


outbox: list[SmsMessage] = []


class LocmemBackend(BaseSmsBackend):
    """Tests: keeps the messages in ``qamqor.accounts.sms.outbox``."""

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


class HttpGatewayBackend(BaseSmsBackend):
    """Production: POSTs each message to the SMS gateway (contract in the module docstring)."""

    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.url = url if url is not None else settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = (
            timeout
            if timeout is not None
            else float(getattr(settings, "SMS_GATEWAY_TIMEOUT", DEFAULT_GATEWAY_TIMEOUT))
        )
        self.transport = transport  # tests pass httpx.MockTransport

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        if not messages:
            return 0
        if not self.url:
            if self.fail_silently:
                return 0
            raise SmsDeliveryError("SMS_GATEWAY_URL is not set: cannot send text messages.")
        sent = 0
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
            for message in messages:
                try:
                    response = client.post(
                        self.url, json={"to": message.to, "text": message.text}, headers=headers
                    )
                except httpx.HTTPError as exc:
                    if self.fail_silently:
                        continue
                    raise SmsDeliveryError(
                        f"The SMS gateway could not be reached: {exc.__class__.__name__}."
                    ) from exc
                if not response.is_success:
                    if self.fail_silently:
                        continue
                    raise SmsDeliveryError(
                        f"The SMS gateway refused the message with HTTP {response.status_code}."
                    )
                sent += 1
        return sent


def get_backend(backend: str | None = None, **kwargs: Any) -> BaseSmsBackend:
    """An instance of ``backend`` (dotted path), by default ``settings.SMS_BACKEND``."""
    backend_class = import_string(backend or settings.SMS_BACKEND)
    instance: BaseSmsBackend = backend_class(**kwargs)
    return instance


def send_sms(to: str, text: str, *, backend: BaseSmsBackend | None = None) -> int:
    """Send one message to a Kazakhstan phone number, normalised to E.164 first.

    Raises ``ValidationError`` for a number that is not a Kazakhstan number and
    ``SmsDeliveryError`` when the backend cannot hand the message over."""
    message = SmsMessage(to=normalize_phone(to), text=text)
    return (backend or get_backend()).send_messages([message])
