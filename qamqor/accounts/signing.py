"""Signed acts (R-X-2): what the person is about to sign, and the signed document it becomes.

An act is a flat ``dict`` of what it says; ``canonical_bytes`` makes the exact bytes that are
signed (UTF-8 JSON, sorted keys, no spaces), shown to the person before signing and stored with
the CMS in a ``SignedDocument`` after verification.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.esign import Purpose, VerifiedSignature, verify
from qamqor.accounts.esign.cms import decode_cms
from qamqor.accounts.models import SignedDocument, User
from qamqor.core.audit import record_event
from qamqor.core.errors import DomainError, PermissionDeniedError

SIGNER_MISMATCH = "esign.signer_mismatch"
NOT_REPRESENTATIVE = "esign.not_representative"


def canonical_bytes(act: dict[str, Any]) -> bytes:
    """The exact bytes of an act that are signed: UTF-8 JSON, sorted keys, no spaces."""
    return json.dumps(act, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def certificate_facts(verified: VerifiedSignature) -> dict[str, str]:
    """The serial number (hex) and issuer of the signer's certificate, for records and events."""
    return {
        "certificate_serial": verified.certificate_serial[:80],
        "certificate_issuer": verified.certificate_issuer[:500],
    }


def _may_act_for(signed_by: User, person: User) -> bool:
    if person.pk == signed_by.pk:
        return True
    from qamqor.accounts import representation

    return bool(representation.can_act_for(signed_by, person))


def record_signed_document(
    *,
    kind: str,
    content: bytes,
    cms: bytes | str,
    signed_by: User,
    on_behalf_of: User | None = None,
) -> SignedDocument:
    """Verify the signature over ``content`` and store the signed document (R-X-2).

    The key must be a signing key (not the authentication key) and its certificate must name
    ``signed_by`` (same IIN), else ``esign.signer_mismatch``; ``on_behalf_of`` must be someone
    ``signed_by`` may act for (a legal representative), else ``esign.not_representative``.
    Refuses with the verifier's ``esign.…`` code otherwise; on a refusal nothing is written.
    Event ``accounts.document_signed``.

    The signature is verified before this function opens its transaction: a verifier may ask
    an HTTP verification server or an OCSP responder (STYLE: no HTTP inside a transaction). A
    caller that records the document inside its own transaction holds that transaction open
    during the verification; it can verify first with ``esign.verify`` if that matters."""
    if on_behalf_of is not None and not _may_act_for(signed_by, on_behalf_of):
        raise PermissionDeniedError(
            NOT_REPRESENTATIVE,
            _("You may not sign for this person: you are not their representative."),
        )
    verified = verify(cms, data=content, purpose=Purpose.SIGNING)
    signer = verified.signer
    if signer.iin != signed_by.iin:
        raise DomainError(
            SIGNER_MISMATCH,
            _("The key belongs to another person. Sign with your own key."),
        )
    with transaction.atomic():
        return _store(kind, content, cms, verified, signed_by, on_behalf_of)


def _store(
    kind: str,
    content: bytes,
    cms: bytes | str,
    verified: VerifiedSignature,
    signed_by: User,
    on_behalf_of: User | None,
) -> SignedDocument:
    signer = verified.signer
    document = SignedDocument.objects.create(
        kind=kind,
        content=content,
        content_sha256=hashlib.sha256(content).hexdigest(),
        cms=decode_cms(cms),
        signer_iin=signer.iin,
        signer_bin=signer.bin or "",
        signer_name=(signer.common_name or f"{signer.surname} {signer.given_name}")[:300],
        organization_name=signer.organization[:300],
        certificate=verified.certificate,
        signature_algorithm=verified.signature_algorithm[:80],
        signed_at=verified.signing_time,
        verifier=verified.verifier[:80],
        signed_by=signed_by,
        on_behalf_of=on_behalf_of,
        **certificate_facts(verified),
    )
    record_event(
        "accounts.document_signed",
        document,
        actor=signed_by,
        data={
            "kind": kind,
            "content_sha256": document.content_sha256,
            "on_behalf_of": on_behalf_of.pk if on_behalf_of is not None else None,
        },
    )
    return document


def signed_documents_of(user: User) -> models.QuerySet[SignedDocument]:
    """The documents ``user`` signed or that were signed for them, newest first."""
    return SignedDocument.objects.filter(
        models.Q(signed_by=user) | models.Q(on_behalf_of=user)
    ).select_related("signed_by", "on_behalf_of")


def about_to_sign_context(
    act: dict[str, Any], title: str, *, labels: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What ``accounts/_about_to_sign.html`` shows before signing (R-X-2): the act's fields as a
    definition list (``labels`` names them in the page language; else the key is shown) and the
    exact canonical text that is signed."""
    content = canonical_bytes(act)
    labels = labels or {}
    return {
        "about_to_sign": {
            "title": title,
            "fields": [(labels.get(key, key), act[key]) for key in sorted(act)],
            "canonical_text": content.decode(),
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    }


def dev_signature(
    user: User,
    content: bytes,
    *,
    kind: Literal["auth", "sign"],
    key_type: str = "ecdsa",
) -> bytes:
    """DEVELOPMENT ONLY: a CMS over ``content`` made with ``user``'s key of the test PKI
    (``settings.ESIGN_TEST_PKI_DIR``), issued on first use. Trusted only where the test PKI is
    (a development machine); the caller checks ``DEBUG`` and ``ESIGN_DEV_SIGNER``. The
    signature then goes through the normal verification like any other.

    ``key_type="gost512"``: a GOST 34.10-2015 512-bit key (NCA's current key type) from the
    GOST part of the test PKI (``testpki.gost_pki_dir``), signed with ``sign_cms_gost``."""
    if not (settings.DEBUG and settings.ESIGN_DEV_SIGNER):
        raise RuntimeError("the development signer is off")
    from qamqor.accounts.esign import testpki
    from qamqor.accounts.esign.signer import sign_cms, sign_cms_gost

    if key_type not in ("ecdsa", "gost512"):
        raise ValueError(f"unknown key type {key_type!r}")
    folder = Path(settings.ESIGN_TEST_PKI_DIR)
    if key_type == "gost512":
        gost_folder = testpki.gost_pki_dir(folder)
        key_file = gost_folder / "users" / user.iin / "gost" / f"{kind}.key.json"
        if not key_file.is_file():
            testpki.issue_user_certificates(
                gost_folder,
                user.iin,
                user.surname,
                user.given_name,
                user.patronymic,
                key_type="gost512",
            )
        return sign_cms_gost(content, key_file=key_file, detached=True)
    if not testpki.is_built(folder):
        testpki.build_test_pki(folder)
    p12 = folder / "users" / user.iin / f"{kind}.p12"
    if not p12.is_file():
        testpki.issue_user_certificates(
            folder, user.iin, user.surname, user.given_name, user.patronymic
        )
    return sign_cms(content, p12=p12, password=testpki.read_password(folder), detached=True)
