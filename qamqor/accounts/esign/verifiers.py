"""Verifiers: who checks the signature value, the chain, validity and revocation (R-X-2).

``settings.ESIGN_VERIFIERS`` lists them in order: ``"inprocess"`` (RSA, ECDSA and GOST 34.10-2015,
in this process) and ``"http"`` (an external verification server, optional; contract in
docs/esign.md). A
verifier that cannot check the algorithm raises ``esign.unsupported_algorithm`` and the next one
is tried; any other refusal is final. The purpose and subject checks are not theirs: the service
applies them after whichever verifier answered, so no verifier can skip them.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings

from qamqor.accounts.esign import algorithms as alg
from qamqor.accounts.esign import gostverifier
from qamqor.accounts.esign.cms import ParsedSignature, load_certificate
from qamqor.accounts.esign.errors import (
    EXTERNAL_REJECTED,
    MESSAGES,
    VERIFIER_UNAVAILABLE,
    WRONG_KEY_USAGE,
    WRONG_KEY_USAGE_MESSAGES,
    SignatureError,
)
from qamqor.accounts.esign.inprocess import (
    check_algorithms,
    check_chain_and_revocation,
    check_signature_value,
    refuse_gost2004,
)
from qamqor.accounts.esign.result import Purpose
from qamqor.accounts.esign.trust import default_trust_store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checked:
    """What a verifier vouches for: the signature value, chain, validity and revocation."""

    verifier: str
    signature_algorithm: str  # "sha256WithRSAEncryption", "ecdsa-with-SHA256", "GOST…"
    chain: tuple[bytes, ...] = ()  # DER, signer first, when known


class Verifier(Protocol):
    name: str

    def check(
        self,
        parsed: ParsedSignature,
        content: bytes,
        *,
        purpose: Purpose,
        when: dt.datetime,
        now: dt.datetime,
    ) -> Checked:
        """Raise ``SignatureError`` or say what was checked. ``when`` is the signing time,
        ``now`` the verification time."""
        ...


class GostVerifier:
    """GOST 34.10-2015 512-bit in this process with ``gostcrypto`` (``gostverifier.py``)."""

    name = "inprocess"

    def check(
        self,
        parsed: ParsedSignature,
        content: bytes,
        *,
        purpose: Purpose,
        when: dt.datetime,
        now: dt.datetime,
    ) -> Checked:
        refuse_gost2004(parsed)
        gostverifier.check_gost_algorithms(parsed)
        cert = load_certificate(parsed.signer_certificate)
        gostverifier.check_gost_signature_value(parsed, content)
        chain = check_chain_and_revocation(
            cert, parsed, default_trust_store(), when=when, now=now, build=gostverifier.build_chain
        )
        return Checked(
            verifier=self.name,
            signature_algorithm=gostverifier.SIGNATURE_NAME,
            chain=tuple(c.public_bytes(Encoding.DER) for c in chain),
        )


class InProcessVerifier:
    """RSA PKCS#1 v1.5 / PSS and ECDSA with ``cryptography``; a signer whose certificate has
    a GOST 34.10-2015 key goes to ``GostVerifier`` (chosen by the certificate, not a setting);
    GOST 34.310-2004 is refused with ``esign.gost2004_unsupported``."""

    name = "inprocess"

    def check(
        self,
        parsed: ParsedSignature,
        content: bytes,
        *,
        purpose: Purpose,
        when: dt.datetime,
        now: dt.datetime,
    ) -> Checked:
        refuse_gost2004(parsed)
        if parsed.public_key_algorithm.startswith(alg.GOST2015_PREFIX):
            return GostVerifier().check(parsed, content, purpose=purpose, when=when, now=now)
        scheme, digest = check_algorithms(parsed)
        cert = load_certificate(parsed.signer_certificate)
        check_signature_value(parsed, cert, content, scheme, digest)
        chain = check_chain_and_revocation(cert, parsed, default_trust_store(), when=when, now=now)
        return Checked(
            verifier=self.name,
            signature_algorithm=alg.signature_name(scheme, digest),
            chain=tuple(c.public_bytes(Encoding.DER) for c in chain),
        )


class HttpVerifier:
    """Posts the signature to ``ESIGN_HTTP_VERIFIER_URL`` and maps the JSON answer.

    Request (POST, JSON): ``{"cms": base64, "data": base64 | null, "purpose": "authentication" |
    "signing", "signing_time": ISO 8601, "at": ISO 8601}``. Answer 200 with ``{"valid": true,
    "signature_algorithm": str, "chain": [base64 DER, …]}`` or ``{"valid": false, "code": str,
    "detail": str}``; the code is one of ours (``esign.revoked`` or ``revoked``), anything else
    becomes ``esign.external_rejected``. Any other status, a timeout, a connection failure or
    an answer that is not that JSON: ``esign.verifier_unavailable``.
    """

    name = "http"
    # Codes a server may answer with; the portal's own configuration codes are not among them.
    _SERVER_CODES = frozenset(MESSAGES) - {VERIFIER_UNAVAILABLE, "esign.no_trusted_roots"}

    def __init__(
        self,
        url: str | None = None,
        *,
        timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url if url is not None else settings.ESIGN_HTTP_VERIFIER_URL
        self.timeout = timeout if timeout is not None else settings.ESIGN_HTTP_VERIFIER_TIMEOUT
        self.transport = transport

    def check(
        self,
        parsed: ParsedSignature,
        content: bytes,
        *,
        purpose: Purpose,
        when: dt.datetime,
        now: dt.datetime,
    ) -> Checked:
        if not self.url:
            raise SignatureError(VERIFIER_UNAVAILABLE, detail="ESIGN_HTTP_VERIFIER_URL is empty")
        payload = {
            "cms": base64.b64encode(parsed.der).decode("ascii"),
            "data": base64.b64encode(content).decode("ascii") if parsed.is_detached else None,
            "purpose": purpose.value,
            "signing_time": when.isoformat(),
            "at": now.isoformat(),
        }
        try:
            with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
                response = client.post(self.url, json=payload)
        except httpx.HTTPError as exc:
            raise SignatureError(
                VERIFIER_UNAVAILABLE, detail=f"{type(exc).__name__}: {exc}"
            ) from None
        if response.status_code != 200:
            raise SignatureError(VERIFIER_UNAVAILABLE, detail=f"HTTP {response.status_code}")
        try:
            answer: Any = response.json()
            valid = answer["valid"]
        except (ValueError, KeyError, TypeError):
            raise SignatureError(
                VERIFIER_UNAVAILABLE, detail="answer is not the JSON agreed"
            ) from None
        if valid is True:
            chain = answer.get("chain") or []
            try:
                chain_der = tuple(base64.b64decode(c, validate=True) for c in chain)
            except (ValueError, TypeError):
                raise SignatureError(VERIFIER_UNAVAILABLE, detail="chain is not base64") from None
            if chain_der and chain_der[0] != parsed.signer_certificate:
                raise SignatureError(
                    VERIFIER_UNAVAILABLE, detail="the server vouched for another certificate"
                )
            return Checked(
                verifier=self.name,
                signature_algorithm=str(
                    answer.get("signature_algorithm")
                    or alg.algorithm_name(parsed.signature_algorithm)
                ),
                chain=chain_der,
            )
        if valid is not False:
            raise SignatureError(VERIFIER_UNAVAILABLE, detail=f"valid is {valid!r}")
        code = str(answer.get("code") or "")
        if not code.startswith("esign."):
            code = f"esign.{code}"
        detail = f"server: {answer.get('detail', '')}"
        if code == "esign.unsupported_algorithm":
            raise SignatureError(
                code, detail=detail, algorithm=alg.algorithm_name(parsed.signature_algorithm)
            )
        if code == WRONG_KEY_USAGE:
            raise SignatureError(
                code, detail=detail, message=WRONG_KEY_USAGE_MESSAGES[purpose.value]
            )
        if code not in self._SERVER_CODES:
            raise SignatureError(EXTERNAL_REJECTED, detail=f"{code} {detail}")
        raise SignatureError(code, detail=detail)


def configured_verifiers() -> list[Verifier]:
    """The verifiers of ``settings.ESIGN_VERIFIERS``, in order; unknown names are an error."""
    verifiers: list[Verifier] = []
    for name in settings.ESIGN_VERIFIERS:
        if name == "inprocess":
            verifiers.append(InProcessVerifier())
        elif name == "http":
            verifiers.append(HttpVerifier())
        else:
            raise ValueError(f"unknown ESIGN_VERIFIERS entry {name!r}")
    return verifiers
