"""SignatureError: a DomainError with a stable code and a whole-sentence message (R-X-2)."""

from __future__ import annotations

import pytest

from qamqor.accounts.esign import SignatureError
from qamqor.accounts.esign.errors import MESSAGES
from qamqor.core.errors import DomainError

REQUIRED = {
    "esign.malformed",
    "esign.bad_signature",
    "esign.content_mismatch",
    "esign.untrusted_chain",
    "esign.expired",
    "esign.not_yet_valid",
    "esign.revoked",
    "esign.wrong_key_usage",
    "esign.no_iin",
    "esign.unsupported_algorithm",
    "esign.verifier_unavailable",
    "esign.no_trusted_roots",
}


def test_codes_are_stable_and_messages_whole_sentences() -> None:
    """R-X-2: every required code exists; messages are English sentences ending with a stop."""
    assert set(MESSAGES) >= REQUIRED
    for message in MESSAGES.values():
        assert str(message).endswith(".")


def test_error_is_a_domain_error_for_the_api() -> None:
    """R-X-2: the API turns it into {code, message, field} with a 4xx; `detail` stays in logs."""
    error = SignatureError("esign.unsupported_algorithm", detail="oid", algorithm="GOST X")
    assert isinstance(error, DomainError)
    assert error.status_code == 400
    assert error.as_dict() == {
        "code": "esign.unsupported_algorithm",
        "message": "The signature uses the algorithm GOST X, which this portal cannot verify.",
        "field": None,
    }


def test_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match=r"esign\.nope"):
        SignatureError("esign.nope")
