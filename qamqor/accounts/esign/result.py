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
    signing_time: dt.datetime  # aware; the signingTime attribute, else the verification time
    digest_algorithm: str  # dotted OID
    signature_algorithm: str  # dotted OID
    content: bytes  # the bytes that were signed
    purpose: Purpose = Purpose.SIGNING
    verifier: str = ""  # which verifier checked the signature value and chain
    chain: tuple[bytes, ...] = ()  # DER, signer first, root last (when the verifier knows it)
