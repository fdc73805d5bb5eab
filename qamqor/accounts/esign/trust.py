"""The CA certificates and CRLs the portal trusts (R-X-2).

The operator drops root (and optionally intermediate) CA certificates in
``ESIGN_TRUSTED_CA_DIR`` and CRLs in ``ESIGN_CRL_DIR``; files may be PEM (several certificates in
one file allowed) or DER. A certificate whose subject equals its issuer is a root; any other is
an intermediate, which is used only to build a path to a root. A CRL counts only for the CA
that signed it (checked when it is first used for that CA).

``default_trust_store()`` keeps one store per process and reloads it when a file in either folder
was added, removed or changed (by name, size and modification time), so an operator or the
``refresh_crls`` task replaces a CRL without a restart. With ``DEBUG`` on, the ``trusted/`` and
``crl/`` folders of the test PKI (``ESIGN_TEST_PKI_DIR``) and of its GOST sub-folder ``gost/``
are added; never in production.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from django.conf import settings

from qamqor.accounts.esign import gost

logger = logging.getLogger(__name__)

_Snapshot = tuple[tuple[str, int, int], ...]


def _snapshot(folder: Path | None) -> _Snapshot:
    if folder is None or not folder.is_dir():
        return ()
    entries = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            entries.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate of a PEM file (one or more) or the one of a DER file."""
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def load_crl(data: bytes) -> x509.CertificateRevocationList:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_crl(data)
    return x509.load_der_x509_crl(data)


def _files(folder: Path | None) -> Iterable[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


@dataclass
class TrustStore:
    """Trusted roots, intermediates and CRLs, loaded from two folders."""

    trust_dirs: tuple[Path, ...] = ()
    crl_dirs: tuple[Path, ...] = ()
    roots: list[x509.Certificate] = field(default_factory=list)
    intermediates: list[x509.Certificate] = field(default_factory=list)
    crls: list[x509.CertificateRevocationList] = field(default_factory=list)
    _snapshot: tuple[tuple[_Snapshot, ...], tuple[_Snapshot, ...]] | None = field(
        default=None, repr=False
    )
    _crl_issuer_cache: dict[tuple[int, bytes], bool] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_dirs(
        cls, trust_dirs: Iterable[Path | str], crl_dirs: Iterable[Path | str] = ()
    ) -> TrustStore:
        store = cls(
            trust_dirs=tuple(Path(d) for d in trust_dirs),
            crl_dirs=tuple(Path(d) for d in crl_dirs),
        )
        store.refresh()
        return store

    @classmethod
    def from_certificates(
        cls,
        certificates: Iterable[x509.Certificate],
        crls: Iterable[x509.CertificateRevocationList] = (),
    ) -> TrustStore:
        """A store built in memory (tests, or a caller with its own storage)."""
        store = cls()
        store._classify(list(certificates))
        store.crls = list(crls)
        return store

    def _classify(self, certificates: list[x509.Certificate]) -> None:
        self.roots = [c for c in certificates if c.subject == c.issuer]
        self.intermediates = [c for c in certificates if c.subject != c.issuer]

    def refresh(self, *, force: bool = False) -> bool:
        """Reload when a file changed (or always with ``force``); True when it reloaded.

        A file that cannot be read as a certificate or a CRL is skipped with a warning, so one
        bad download does not take the whole store down.
        """
        if not self.trust_dirs and not self.crl_dirs:
            return False  # built in memory (from_certificates)
        snapshot = (
            tuple(_snapshot(d) for d in self.trust_dirs),
            tuple(_snapshot(d) for d in self.crl_dirs),
        )
        with self._lock:
            if not force and snapshot == self._snapshot:
                return False
            certificates: list[x509.Certificate] = []
            for path in (p for d in self.trust_dirs for p in _files(d)):
                try:
                    certificates.extend(load_certificates(path.read_bytes()))
                except (ValueError, OSError) as exc:
                    logger.warning("esign: skipping %s, not a certificate: %s", path, exc)
            crls: list[x509.CertificateRevocationList] = []
            for path in (p for d in self.crl_dirs for p in _files(d)):
                try:
                    crls.append(load_crl(path.read_bytes()))
                except (ValueError, OSError) as exc:
                    logger.warning("esign: skipping %s, not a CRL: %s", path, exc)
            self._classify(certificates)
            self.crls = crls
            self._crl_issuer_cache = {}
            self._snapshot = snapshot
        logger.info(
            "esign: trust store loaded: %d roots, %d intermediates, %d CRLs",
            len(self.roots),
            len(self.intermediates),
            len(self.crls),
        )
        return True

    def crls_issued_by(self, issuer: x509.Certificate) -> list[x509.CertificateRevocationList]:
        """The CRLs that ``issuer`` signed (name and signature checked, result cached)."""
        found = []
        fingerprint = issuer.fingerprint(hashes.SHA256())
        for index, crl in enumerate(self.crls):
            if crl.issuer != issuer.subject:
                continue
            key = (index, fingerprint)
            if key not in self._crl_issuer_cache:
                self._crl_issuer_cache[key] = _crl_signed_by(crl, issuer)
                if not self._crl_issuer_cache[key]:
                    logger.warning(
                        "esign: CRL of %s not signed by that CA; ignored",
                        crl.issuer.rfc4514_string(),
                    )
            if self._crl_issuer_cache[key]:
                found.append(crl)
        return found


def _crl_signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    if crl.signature_algorithm_oid.dotted_string.startswith("1.2.398."):
        return gost.crl_signed_by(crl, issuer)  # NCA's GOST CRLs
    try:
        public_key = issuer.public_key()
    except (UnsupportedAlgorithm, ValueError):
        return False
    try:
        return crl.is_signature_valid(public_key)  # type: ignore[arg-type]
    except (InvalidSignature, TypeError, ValueError, UnsupportedAlgorithm):
        return False


_default: TrustStore | None = None
_default_lock = threading.Lock()


def configured_dirs() -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """The trust and CRL folders of the settings; the test PKI's are added only with DEBUG on:
    its ``trusted/`` and ``crl/`` (RSA/ECDSA, and GOST when ``make_test_pki`` built it there)
    and those of its GOST sub-folder ``gost/`` (``testpki.gost_pki_dir``), so the development
    signer's GOST keys verify and their CRLs are found wherever the GOST part was built."""
    trust = [Path(settings.ESIGN_TRUSTED_CA_DIR)] if settings.ESIGN_TRUSTED_CA_DIR else []
    crl = [Path(settings.ESIGN_CRL_DIR)] if settings.ESIGN_CRL_DIR else []
    if settings.DEBUG and settings.ESIGN_TEST_PKI_DIR:
        for folder in (
            Path(settings.ESIGN_TEST_PKI_DIR),
            Path(settings.ESIGN_TEST_PKI_DIR) / "gost",
        ):
            trust.append(folder / "trusted")
            crl.append(folder / "crl")
    return tuple(trust), tuple(crl)


def _process_store() -> TrustStore:
    global _default
    trust_dirs, crl_dirs = configured_dirs()
    with _default_lock:
        if _default is None or (_default.trust_dirs, _default.crl_dirs) != (trust_dirs, crl_dirs):
            _default = TrustStore(trust_dirs=trust_dirs, crl_dirs=crl_dirs)
        return _default


def default_trust_store() -> TrustStore:
    """The process-wide store for the configured folders, reloaded when a file changed (a
    directory listing and a ``stat`` per file on each call)."""
    store = _process_store()
    store.refresh()
    return store


def refresh_trust_store(*, force: bool = True) -> dict[str, int]:
    """Reload the process store now and say what it holds (the ``refresh_crls`` task)."""
    store = _process_store()
    store.refresh(force=force)
    return {
        "roots": len(store.roots),
        "intermediates": len(store.intermediates),
        "crls": len(store.crls),
    }
