"""What a verification is asked for and what it answers (R-X-2)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from qamqor.accounts.esign.subject import Signer


class Purpose(enum.StrEnum):
    """What the key is used for: logging in, or signing a legally significant act."""

    AUTHENTICATION = "authentication"
    SIGNING = "signing"


@dataclass(frozen=True)
class VerifiedSignature:
    """A signature that passed every check, with what the portal stores about it."""

    signer: Signer
    certificate: bytes  # DER of the signer's certificate
    certificate_serial: str  # hex, lower case, no separators
    certificate_issuer: str  # RFC 4514
    signing_time: dt.datetime  # aware; the signingTime attribute, else the verification time
    signature_algorithm: str  # "sha256WithRSAEncryption", "ecdsa-with-SHA256"…
    content: bytes  # the bytes that were signed
    purpose: Purpose
    verifier: str  # which verifier checked the signature value and chain: "inprocess", "http"
    digest_algorithm: str = ""  # dotted OID
    chain: tuple[bytes, ...] = ()  # DER, signer first, root last (when the verifier knows it)
