"""Algorithm names and NCA's OIDs in asn1crypto (R-X-2)."""

from __future__ import annotations

from asn1crypto import algos, keys

from qamqor.accounts.esign.algorithms import (
    algorithm_name,
    register_asn1_oids,
    signature_name,
)


def test_nca_oids_are_known_to_asn1crypto() -> None:
    """R-X-2: parsing NCA GOST algorithms does not KeyError once registered."""
    register_asn1_oids()
    register_asn1_oids()  # idempotent
    assert algos.SignedDigestAlgorithmId("1.2.398.3.10.1.1.2.3.2").native == (
        "gost3410_2015_512_with_streebog512"
    )
    assert keys.PublicKeyAlgorithmId("1.2.398.3.10.1.1.2.2").native == "gost3410_2015_512"
    assert algos.DigestAlgorithmId("1.2.398.3.10.1.3.3").native == "streebog512"


def test_names_for_messages_and_results() -> None:
    """R-X-2: refusals name the algorithm; results use OpenSSL's names."""
    assert algorithm_name("1.2.398.3.10.1.1.1.2") == "GOST 34.310-2004 (1.2.398.3.10.1.1.1.2)"
    assert algorithm_name("1.2.398.3.10.1.1.2.9") == "GOST 34.10-2015 (1.2.398.3.10.1.1.2.9)"
    assert algorithm_name("1.2.3.4") == "OID 1.2.3.4"
    assert signature_name("rsa", "2.16.840.1.101.3.4.2.1") == "sha256WithRSAEncryption"
    assert signature_name("ecdsa", "2.16.840.1.101.3.4.2.1") == "ecdsa-with-SHA256"
