"""One record per submission, however often it is sent (issue 10 item 7: double clicks, retries).

A write sent with a key — the ``Idempotency-Key`` header of the API, or the hidden
``idempotency_token`` field every page form with ``{% idempotency_field %}`` carries — runs once
per user and key:

1. The middleware reserves an ``IdempotencyRecord`` (unique per user and key) and runs the view
   in the SAME transaction. A second request with the key waits on the unique index until the
   first commits (PostgreSQL; on SQLite the IMMEDIATE transactions queue the writers), then
   finds the row and gets the first answer back (same status, body and ``Location``, plus the
   header ``Idempotent-Replayed: true``) without running the view again.
2. A success (2xx, 3xx) is stored with the write, so a write that committed always has its
   answer and a retry after a lost response (a dropped connection, a restarted database) never
   writes twice. A refusal (4xx) frees the key (the person corrects the form and sends again);
   a failure (5xx) rolls the whole request back, so nothing is stored half-way.
3. The same key with a different request (another path or body) is refused: 409, code
   ``idempotency.key_reused``.

Routes that had their own replay before this (the state service's filings, the cabinet's
orders: both keep the first record and answer 200) keep it and are left alone here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _

HEADER = "Idempotency-Key"
FIELD = "idempotency_token"
MAX_KEY = 100
MAX_STORED = 1_000_000  # bytes of the answer kept for a replay
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
#: Routes with their own replay (see the module docstring).
OWN_HANDLING = ("/api/v1/applications", "/api/v1/cabinet/")


def new_token() -> str:
    return uuid.uuid4().hex


def _key(request: HttpRequest) -> str:
    key = request.headers.get(HEADER, "")
    if not key and not request.path.startswith("/api/"):
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            key = request.POST.get(FIELD, "")
    return key.strip()


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if not request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        with contextlib.suppress(RawPostDataException):  # already read as a stream: path only
            digest.update(request.body)
    return digest.hexdigest()


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"errors": [{"code": code, "message": message, "field": None}]}
        return HttpResponse(
            json.dumps(body, ensure_ascii=False),
            status=status,
            content_type="application/json; charset=utf-8",
        )
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _replay(request: HttpRequest, record: Any, fingerprint: str) -> HttpResponse:
    if record.fingerprint != fingerprint:
        return _error(
            request,
            409,
            "idempotency.key_reused",
            _("This idempotency key was already used for another request."),
        )
    response = HttpResponse(
        bytes(record.content), status=record.status_code, content_type=record.content_type
    )
    if record.location:
        response["Location"] = record.location
    response["Idempotent-Replayed"] = "true"
    return response


def _request_transaction() -> Any:
    """The request's transaction, in which the services' ``atomic(durable=True)`` blocks run as
    savepoints. Django refuses a durable block inside another atomic block unless that block is
    a test case's; this one is marked the same way on purpose: the record and the write must
    commit together, and the request's transaction is the outermost one (it commits when the
    view returns, or rolls back on a 5xx), which is the guarantee ``durable`` asks for."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]  # private flag of Atomic (Django 5.2)
    return block


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in UNSAFE or request.path.startswith(OWN_HANDLING):
            return self.get_response(request)
        key = _key(request)
        if not key or not request.user.is_authenticated:
            return self.get_response(request)
        if len(key) > MAX_KEY:
            return _error(
                request,
                422,
                "idempotency.key_invalid",
                _("The idempotency key must be at most 100 characters."),
            )
        from qamqor.core.models import IdempotencyRecord

        fingerprint = _fingerprint(request)
        records = IdempotencyRecord.objects.filter(user=request.user, key=key)
        first = records.exclude(status_code=None).first()
        if first is not None:
            return _replay(request, first, fingerprint)
        try:
            with _request_transaction():
                record = IdempotencyRecord.objects.create(
                    user=request.user, key=key, fingerprint=fingerprint
                )
                response = self.get_response(request)
                self._settle(record, response)
        except IntegrityError:
            # Another request with this key committed first (a double click): its answer.
            first = records.exclude(status_code=None).first()
            if first is None:
                raise
            return _replay(request, first, fingerprint)
        return response

    @staticmethod
    def _settle(record: Any, response: HttpResponse) -> None:
        status = response.status_code
        if status >= 500:
            transaction.set_rollback(True)  # nothing stored half-way; the key stays free
            return
        content = b"" if getattr(response, "streaming", False) else response.content
        if status >= 400 or getattr(response, "streaming", False) or len(content) > MAX_STORED:
            record.delete()  # a refusal frees the key (the view's own saves stay)
            return
        record.status_code = status
        record.content = content
        record.content_type = response.get("Content-Type", "")
        record.location = response.get("Location", "")[:2000]
        record.save(update_fields=["status_code", "content", "content_type", "location"])
