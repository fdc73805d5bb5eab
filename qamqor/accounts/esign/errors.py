"""Refusals of the signature verification service (R-X-2).

Every refusal is a ``SignatureError``: a ``DomainError`` with a stable ``code`` (``esign.…``) and
a whole English sentence as msgid, translated to kk/ru in the project catalogue. ``detail`` is
for the log only (it may name OIDs, file names or library messages) and is never shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from qamqor.core.errors import DomainError

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Promise
else:
    from django.utils.functional import Promise

MALFORMED = "esign.malformed"
NO_SIGNER = "esign.no_signer"
MULTIPLE_SIGNERS = "esign.multiple_signers"
NO_CONTENT = "esign.no_content"
BAD_SIGNATURE = "esign.bad_signature"
CONTENT_MISMATCH = "esign.content_mismatch"
UNTRUSTED_CHAIN = "esign.untrusted_chain"
EXPIRED = "esign.expired"
NOT_YET_VALID = "esign.not_yet_valid"
SIGNING_TIME_IN_FUTURE = "esign.signing_time_in_future"
SIGNING_TIME_TOO_OLD = "esign.signing_time_too_old"
REVOKED = "esign.revoked"
CRL_UNAVAILABLE = "esign.crl_unavailable"
WRONG_KEY_USAGE = "esign.wrong_key_usage"
NO_IIN = "esign.no_iin"
INVALID_IIN = "esign.invalid_iin"
INVALID_BIN = "esign.invalid_bin"
UNSUPPORTED_ALGORITHM = "esign.unsupported_algorithm"
VERIFIER_UNAVAILABLE = "esign.verifier_unavailable"
EXTERNAL_REJECTED = "esign.external_rejected"
NO_TRUSTED_ROOTS = "esign.no_trusted_roots"
GOST2004_UNSUPPORTED = "esign.gost2004_unsupported"

MESSAGES: Mapping[str, Promise] = {
    MALFORMED: _(
        "This is not an electronic signature (CMS/PKCS#7) or it is damaged. Sign the document "
        "again."
    ),
    NO_SIGNER: _("The signature contains no signer or no signer's certificate."),
    MULTIPLE_SIGNERS: _("The signature has more than one signer. Sign with one key only."),
    NO_CONTENT: _(
        "The signature does not contain the signed data, and the data was not given with it."
    ),
    BAD_SIGNATURE: _(
        "The signature is not valid: the signed data or the signature has been changed."
    ),
    CONTENT_MISMATCH: _("The signature was made for other data than the document being checked."),
    UNTRUSTED_CHAIN: _(
        "The certificate was not issued by a certification authority that this portal trusts."
    ),
    EXPIRED: _("The certificate had expired when the signature was made. Use a valid key."),
    NOT_YET_VALID: _("The certificate was not yet valid when the signature was made."),
    SIGNING_TIME_IN_FUTURE: _(
        "The signing time in the signature is later than the present time. Check the date and "
        "time of your computer and sign again."
    ),
    SIGNING_TIME_TOO_OLD: _("The signature was made too long ago. Sign the document again."),
    REVOKED: _("The certificate has been revoked. Use a valid key."),
    CRL_UNAVAILABLE: _(
        "The revocation status of the certificate cannot be checked at the moment. Try again later."
    ),
    WRONG_KEY_USAGE: _("This key cannot be used for this action."),
    NO_IIN: _("The certificate does not contain an IIN."),
    INVALID_IIN: _("The IIN in the certificate is not valid."),
    INVALID_BIN: _("The BIN in the certificate is not valid."),
    UNSUPPORTED_ALGORITHM: _(
        "The signature uses the algorithm {algorithm}, which this portal cannot verify."
    ),
    VERIFIER_UNAVAILABLE: _(
        "The signature verification service is not available at the moment. Try again later."
    ),
    EXTERNAL_REJECTED: _("The signature verification service refused the signature."),
    NO_TRUSTED_ROOTS: _(
        "Signatures cannot be checked at the moment: no trusted certification authority is "
        "configured. Try again later."
    ),
    GOST2004_UNSUPPORTED: _(
        "This key type (GOST 34.310-2004) is no longer supported; use a GOST 2015 or RSA key."
    ),
}

# esign.wrong_key_usage says which key to use instead; one whole sentence per purpose.
WRONG_KEY_USAGE_MESSAGES: Mapping[str, Promise] = {
    "authentication": _(
        "This is not an authentication key. Log in with your authentication key (AUTH)."
    ),
    "signing": _(
        "This is not a signing key. Sign with your signing key, not the authentication key."
    ),
}


class SignatureError(DomainError):
    """A signature, certificate or verifier refusal with a stable ``esign.…`` code."""

    def __init__(
        self,
        code: str,
        *,
        detail: str = "",
        message: str | Promise | None = None,
        **params: Any,
    ) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown signature error code {code!r}")
        if message is None:
            message = format_lazy(MESSAGES[code], **params) if params else MESSAGES[code]
        self.detail = detail
        super().__init__(code, message, params=params)

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code
