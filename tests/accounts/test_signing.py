"""Signed acts (R-X-2): canonical bytes, what the person sees, the stored signed document."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string

from qamqor.accounts import representation, signing
from qamqor.accounts.models import SignedDocument, User
from qamqor.accounts.signing import (
    about_to_sign_context,
    canonical_bytes,
    record_signed_document,
    signed_documents_of,
)
from qamqor.core.errors import DomainError
from qamqor.core.history import HistoryBypassError
from qamqor.core.models import DomainEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACT = {"act": "demo.confirm", "phone": "+77012345678", "full_name": "Нұрланова Айгерім"}


@pytest.fixture
def aigerim(test_pki: Any) -> User:
    user = UserFactory(iin=test_pki.new_iin(dt.date(1991, 2, 2), 4), surname="Нұрланова")
    test_pki.issue(user.iin, "Нұрланова", "Айгерім")
    return user


def test_canonical_bytes_are_sorted_compact_utf8_json() -> None:
    content = canonical_bytes({"b": 1, "a": "Қамқор", "c": [1, 2]})
    assert content == '{"a":"Қамқор","b":1,"c":[1,2]}'.encode()
    assert canonical_bytes({"c": [1, 2], "a": "Қамқор", "b": 1}) == content
    assert json.loads(content) == {"a": "Қамқор", "b": 1, "c": [1, 2]}


def test_about_to_sign_shows_the_fields_and_the_exact_text() -> None:
    """R-X-2: the person sees what they sign, field by field and as the exact signed text."""
    context = about_to_sign_context(ACT, "I confirm my contact details", labels={"phone": "Phone"})
    html = render_to_string("accounts/_about_to_sign.html", context)
    assert "What you are about to sign" in html
    assert "I confirm my contact details" in html
    assert "<dt>Phone</dt>" in html and "<dd>+77012345678</dd>" in html
    assert "<dt>full_name</dt>" in html  # no label given: the key itself
    text = canonical_bytes(ACT).decode()
    assert "<details>" in html
    assert text.replace('"', "&quot;") in html
    assert hashlib.sha256(text.encode()).hexdigest() in html


@pytest.mark.usefixtures("esign_settings")
def test_a_verified_signature_is_stored_as_a_signed_document(test_pki: Any, aigerim: User) -> None:
    """R-X-2: the server verifies the signature and stores the document with the signature,
    the certificate and who signed."""
    content = canonical_bytes(ACT)
    cms = test_pki.sign(content, iin=aigerim.iin, kind="sign")

    document = record_signed_document(
        kind="demo.confirm", content=content, cms=cms, signed_by=aigerim
    )

    document.refresh_from_db()
    assert bytes(document.content) == content
    assert document.content_sha256 == hashlib.sha256(content).hexdigest()
    assert bytes(document.cms) == cms
    assert document.signer_iin == aigerim.iin and document.signer_bin == ""
    assert document.signer_name == "НҰРЛАНОВА АЙГЕРІМ"
    assert document.certificate_serial and document.certificate_issuer
    assert bytes(document.certificate)[:1] == b"\x30"
    assert document.signed_by == aigerim and document.on_behalf_of is None
    event = DomainEvent.objects.get(verb="accounts.document_signed")
    assert event.subject_id == str(document.pk)
    assert list(signed_documents_of(aigerim)) == [document]


@pytest.mark.usefixtures("esign_settings")
def test_a_base64_signature_is_stored_as_der(test_pki: Any, aigerim: User) -> None:
    content = canonical_bytes(ACT)
    der = test_pki.sign(content, iin=aigerim.iin, kind="sign")
    document = record_signed_document(
        kind="demo.confirm", content=content, cms=base64.b64encode(der).decode(), signed_by=aigerim
    )
    assert bytes(document.cms) == der


@pytest.mark.usefixtures("esign_settings")
def test_a_signed_document_cannot_be_changed_or_deleted(test_pki: Any, aigerim: User) -> None:
    content = canonical_bytes(ACT)
    document = record_signed_document(
        kind="demo.confirm",
        content=content,
        cms=test_pki.sign(content, iin=aigerim.iin, kind="sign"),
        signed_by=aigerim,
    )
    document.kind = "something.else"
    with pytest.raises(HistoryBypassError):
        document.save()
    with pytest.raises(HistoryBypassError):
        document.delete()
    assert SignedDocument.objects.get().kind == "demo.confirm"


@pytest.mark.usefixtures("esign_settings")
def test_a_signature_by_another_person_is_refused(test_pki: Any, aigerim: User) -> None:
    """R-X-2: the certificate must name the person who signs (esign.signer_mismatch)."""
    someone = UserFactory(iin=test_pki.new_iin())
    content = canonical_bytes(ACT)
    cms = test_pki.sign(content, iin=someone.iin, kind="sign")
    with pytest.raises(DomainError) as refusal:
        record_signed_document(kind="demo.confirm", content=content, cms=cms, signed_by=aigerim)
    assert refusal.value.code == "esign.signer_mismatch"
    assert not SignedDocument.objects.exists()
    assert not DomainEvent.objects.filter(verb="accounts.document_signed").exists()


@pytest.mark.usefixtures("esign_settings")
def test_an_authentication_key_cannot_sign_an_act(test_pki: Any, aigerim: User) -> None:
    content = canonical_bytes(ACT)
    cms = test_pki.sign(content, iin=aigerim.iin, kind="auth")
    with pytest.raises(DomainError) as refusal:
        record_signed_document(kind="demo.confirm", content=content, cms=cms, signed_by=aigerim)
    assert refusal.value.code == "esign.wrong_key_usage"
    assert not SignedDocument.objects.exists()


@pytest.mark.usefixtures("esign_settings")
def test_a_signature_of_other_content_is_refused(test_pki: Any, aigerim: User) -> None:
    other = canonical_bytes({**ACT, "phone": "+77770000000"})
    cms = test_pki.sign(other, iin=aigerim.iin, kind="sign")
    with pytest.raises(DomainError) as refusal:
        record_signed_document(
            kind="demo.confirm", content=canonical_bytes(ACT), cms=cms, signed_by=aigerim
        )
    assert refusal.value.code == "esign.bad_signature"
    assert not SignedDocument.objects.exists()


@pytest.mark.usefixtures("esign_settings")
def test_signing_for_someone_needs_a_representation(
    test_pki: Any, aigerim: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-X-2 with R-QUE-5/R-SVC-1: an act for another person records both persons, and only a
    representative may sign it."""
    child = UserFactory(iin=test_pki.new_iin(dt.date(2015, 6, 1), 5))
    content = canonical_bytes(ACT)
    cms = test_pki.sign(content, iin=aigerim.iin, kind="sign")
    with pytest.raises(DomainError) as refusal:
        record_signed_document(
            kind="demo.confirm", content=content, cms=cms, signed_by=aigerim, on_behalf_of=child
        )
    assert refusal.value.code == "esign.not_representative"
    assert not SignedDocument.objects.exists()

    monkeypatch.setattr(representation, "can_act_for", lambda actor, person: True)
    document = record_signed_document(
        kind="demo.confirm", content=content, cms=cms, signed_by=aigerim, on_behalf_of=child
    )
    assert (document.signed_by, document.on_behalf_of) == (aigerim, child)
    assert list(signed_documents_of(child)) == [document]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("esign_settings")
def test_the_signature_is_verified_before_the_transaction_opens(
    test_pki: Any, aigerim: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-X-2: a verifier may ask an HTTP server or an OCSP responder; the service holds no
    transaction meanwhile, and still stores exactly one document."""
    in_transaction: list[bool] = []
    real_verify = signing.verify

    def watched_verify(*args: Any, **kwargs: Any) -> Any:
        in_transaction.append(connection.in_atomic_block)
        return real_verify(*args, **kwargs)

    monkeypatch.setattr(signing, "verify", watched_verify)
    content = canonical_bytes(ACT)
    cms = test_pki.sign(content, iin=aigerim.iin, kind="sign")
    document = record_signed_document(
        kind="demo.confirm", content=content, cms=cms, signed_by=aigerim
    )
    assert in_transaction == [False]
    assert list(SignedDocument.objects.all()) == [document]
    assert DomainEvent.objects.filter(verb="accounts.document_signed").count() == 1
