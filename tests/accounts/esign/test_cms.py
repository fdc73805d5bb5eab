"""Reading a CMS before trusting it (R-X-2)."""

from __future__ import annotations

import base64

import pytest

from qamqor.accounts.esign import SignatureError
from qamqor.accounts.esign.cms import decode_cms, parse_cms
from tests.pki import PkiHelper


def test_parse_reads_signer_and_attributes(test_pki: PkiHelper) -> None:
    """R-X-2: the signer's certificate, algorithms and signed attributes are read as sent."""
    iin = test_pki.new_iin()
    der = test_pki.sign(b"abc", iin=iin, detached=False)
    parsed = parse_cms(der)
    assert parsed.content == b"abc"
    assert not parsed.is_detached
    assert parsed.digest_algorithm == "2.16.840.1.101.3.4.2.1"
    assert parsed.signing_time is not None and parsed.signing_time.tzinfo is not None
    assert parsed.signed_attributes is not None and parsed.signed_attributes[:1] == b"\x31"
    assert len(parsed.certificates) == 3
    assert parse_cms(test_pki.sign(b"abc", iin=iin)).is_detached


def test_decode_accepts_der_base64_and_pem(test_pki: PkiHelper) -> None:
    """R-X-2: DER, base64 (with line breaks) and PEM are the same signature."""
    der = test_pki.sign(b"abc", iin=test_pki.new_iin())
    b64 = base64.encodebytes(der).decode()
    assert (
        decode_cms(der)
        == decode_cms(b64)
        == decode_cms(f"-----BEGIN PKCS7-----\n{b64}-----END PKCS7-----")
    )


@pytest.mark.parametrize("value", ["ЭЦП", b"\x30\x80", base64.b64encode(b"\x30\x00\x00")])
def test_damaged_input_is_malformed(value: bytes | str) -> None:
    """R-X-2: non-ASCII text, truncated DER, junk: esign.malformed."""
    with pytest.raises(SignatureError) as info:
        parse_cms(value)
    assert info.value.code == "esign.malformed"
