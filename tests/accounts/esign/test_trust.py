"""The trust store: folders of CA certificates and CRLs, cached per process (R-X-2)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from qamqor.accounts.esign.trust import TrustStore, configured_dirs, default_trust_store
from tests.pki import PkiHelper


def _copy(pki: PkiHelper, tmp_path: Path) -> tuple[Path, Path]:
    trusted, crl = tmp_path / "trusted", tmp_path / "crl"
    shutil.copytree(pki.trusted_dir, trusted)
    shutil.copytree(pki.crl_dir, crl)
    return trusted, crl


def test_roots_and_intermediates_are_told_apart(test_pki: PkiHelper) -> None:
    """R-X-2: a self-signed certificate is a root; any other only helps build a path."""
    store = TrustStore.from_dirs([test_pki.trusted_dir], [test_pki.crl_dir])
    assert [c.subject.rfc4514_string() for c in store.roots] == ["CN=Qamqor Test Root CA,C=KZ"]
    assert [c.subject.rfc4514_string() for c in store.intermediates] == [
        "CN=Qamqor Test Issuing CA,C=KZ"
    ]
    assert len(store.crls) == 2


def test_store_is_cached_until_a_file_changes(
    test_pki: PkiHelper, tmp_path: Path, settings: object
) -> None:
    """R-X-2: one store per process, reloaded only when a file is added, removed or changed."""
    trusted, crl = _copy(test_pki, tmp_path)
    settings.ESIGN_TRUSTED_CA_DIR = str(trusted)  # type: ignore[attr-defined]
    settings.ESIGN_CRL_DIR = str(crl)  # type: ignore[attr-defined]
    store = default_trust_store()
    assert store.refresh() is False
    assert default_trust_store() is store
    (crl / "root.crl.pem").unlink()
    assert default_trust_store() is store
    assert len(store.crls) == 1
    intermediate = trusted / "intermediate.pem"
    os.utime(intermediate, ns=(0, 0))
    assert store.refresh() is True


def test_unreadable_files_are_skipped(test_pki: PkiHelper, tmp_path: Path) -> None:
    """R-X-2: one bad download does not take the whole store down."""
    trusted, crl = _copy(test_pki, tmp_path)
    (trusted / "junk.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n"
    )
    (crl / "junk.crl").write_bytes(b"\x00\x01")
    store = TrustStore.from_dirs([trusted], [crl])
    assert (len(store.roots), len(store.crls)) == (1, 2)


def test_crl_not_signed_by_the_issuer_is_ignored(test_pki: PkiHelper) -> None:
    """R-X-2: a CRL counts only when the CA it names signed it (here: forged by another CA)."""
    intermediate = x509.load_pem_x509_certificate(
        (test_pki.root / "ca" / "intermediate.pem").read_bytes()
    )
    forger = serialization.load_pem_private_key(
        (test_pki.root / "ca" / "foreign-root.key.pem").read_bytes(), password=None
    )
    now = dt.datetime.now(dt.UTC)
    forged = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(intermediate.subject)
        .last_update(now)
        .next_update(now + dt.timedelta(days=1))
        .sign(forger, hashes.SHA256())  # type: ignore[arg-type]
    )
    store = TrustStore.from_certificates([intermediate], [forged])
    assert store.crls_issued_by(intermediate) == []


def test_test_pki_is_trusted_only_with_debug(settings: object) -> None:
    """R-X-2: the test PKI's folders (and those of its GOST sub-folder ``gost/``, issue 12) are
    added to the trust store only when DEBUG is on."""
    settings.ESIGN_TRUSTED_CA_DIR = "/etc/qamqor/ca"  # type: ignore[attr-defined]
    settings.ESIGN_CRL_DIR = ""  # type: ignore[attr-defined]
    settings.ESIGN_TEST_PKI_DIR = "/srv/pki"  # type: ignore[attr-defined]
    settings.DEBUG = False  # type: ignore[attr-defined]
    assert configured_dirs() == ((Path("/etc/qamqor/ca"),), ())
    settings.DEBUG = True  # type: ignore[attr-defined]
    assert configured_dirs() == (
        (Path("/etc/qamqor/ca"), Path("/srv/pki/trusted"), Path("/srv/pki/gost/trusted")),
        (Path("/srv/pki/crl"), Path("/srv/pki/gost/crl")),
    )
