"""The in-process verifier: algorithms it refuses by name, chain building (R-X-2)."""

from __future__ import annotations

import pytest
from asn1crypto import algos as asn1_algos
from asn1crypto import cms as asn1_cms

from qamqor.accounts.esign import Purpose, SignatureError, verify
from qamqor.accounts.esign.algorithms import register_asn1_oids
from tests.pki import PkiHelper

DOC = b"queue application"


def with_algorithms(der: bytes, signature: str, digest: str | None = None) -> bytes:
    """The same CMS claiming other algorithms (what a GOST signer would send)."""
    register_asn1_oids()
    info = asn1_cms.ContentInfo.load(der)
    signer_info = info["content"]["signer_infos"][0]
    signer_info["signature_algorithm"] = asn1_algos.SignedDigestAlgorithm({"algorithm": signature})
    if digest:
        signer_info["digest_algorithm"] = asn1_algos.DigestAlgorithm({"algorithm": digest})
    return info.dump(force=True)


@pytest.mark.parametrize(
    ("signature", "digest", "named"),
    [
        ("1.2.398.3.10.1.1.2.3.2", "1.2.398.3.10.1.3.3", "GOST 34.10-2015 (512-bit)"),
        ("1.3.101.112", None, "Ed25519"),
    ],
)
def test_gost_and_other_algorithms_are_refused_by_name(
    esign_settings: PkiHelper, refused: object, signature: str, digest: str | None, named: str
) -> None:
    """R-X-2: a GOST signature claimed by a non-GOST key (or any unknown algorithm) is never
    passed silently: the in-process verifier refuses it with esign.unsupported_algorithm and a
    message naming the algorithm. (GOST 34.310-2004 has its own code: test_gost.py.)"""
    iin = esign_settings.new_iin()
    cms = with_algorithms(esign_settings.sign(DOC, iin=iin), signature, digest)
    with pytest.raises(SignatureError) as info:
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
    assert info.value.code == "esign.unsupported_algorithm"
    assert named in str(info.value.message)
    assert str(info.value.message).startswith("The signature uses the algorithm ")


def test_sha1_is_refused(esign_settings: PkiHelper) -> None:
    """R-X-2: SHA-1 digests are not accepted."""
    cms = with_algorithms(
        esign_settings.sign(DOC, iin=esign_settings.new_iin()), "1.2.840.10045.4.1", "1.3.14.3.2.26"
    )
    with pytest.raises(SignatureError) as info:
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
    assert info.value.code == "esign.unsupported_algorithm"
    assert "SHA-1" in str(info.value.message)


def test_chain_can_use_intermediates_from_the_cms_only(
    esign_settings: PkiHelper, settings: object, tmp_path: object
) -> None:
    """R-X-2: with only the root trusted, the intermediate carried in the CMS completes the path."""
    from pathlib import Path

    only_root = Path(str(tmp_path)) / "roots"
    only_root.mkdir()
    (only_root / "root.pem").write_bytes((esign_settings.trusted_dir / "root.pem").read_bytes())
    settings.ESIGN_TRUSTED_CA_DIR = str(only_root)  # type: ignore[attr-defined]
    iin = esign_settings.new_iin()
    result = verify(esign_settings.sign(DOC, iin=iin), data=DOC, purpose=Purpose.AUTHENTICATION)
    assert result.signer.iin == iin
