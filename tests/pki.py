"""Pytest plugin: the test PKI of R-X-2, built once per session (``tests/conftest.py`` loads it).

``test_pki`` (session): the folder of ``qamqor.accounts.esign.testpki.build_test_pki`` plus
helpers; it does not touch the database, so certificates for a person are issued on demand with
``test_pki.issue(iin, surname, given_name, ...)`` (cached). ``esign_settings`` (function): points
``ESIGN_TRUSTED_CA_DIR`` / ``ESIGN_CRL_DIR`` at it and uses the in-process verifier only.

GOST 34.10-2015 (R-X-2): the GOST part of the PKI is built on
the first GOST use in a session (``.issue(..., key_type="gost512")``, ``.special("gost_…")``,
``.sign(..., key_type="gost512")``, ``.ensure_gost()``), never for sessions that need none. It
lives in its own folder ``.gost_root`` (its ``trusted/`` and ``crl/`` hold only the GOST CAs), so
building it mid-session changes nothing the RSA/ECDSA tests see; ``gost_esign_settings`` trusts
it (``make_test_pki`` instead puts both in one folder, as an operator would).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from qamqor.accounts.esign.signer import sign_cms, sign_cms_gost
from qamqor.accounts.esign.testpki import (
    DEFAULT_PASSWORD,
    KEY_TYPES,
    build_gost_test_pki,
    build_test_pki,
    issue_user_certificates,
    make_iin,
)


@dataclass
class PkiHelper:
    """Paths and helpers of a built test PKI."""

    root: Path
    password: str = DEFAULT_PASSWORD
    _issued: dict[tuple[str, str], tuple[Path, Path]] = field(default_factory=dict)
    _serials: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def trusted_dir(self) -> Path:
        return self.root / "trusted"

    @property
    def crl_dir(self) -> Path:
        return self.root / "crl"

    def new_iin(self, birth: dt.date = dt.date(1990, 3, 15), sex_century: int = 3) -> str:
        """A valid IIN not used before in this session."""
        return make_iin(birth, sex_century, 5000 + next(self._serials) * 10)

    def issue(
        self,
        iin: str,
        surname: str = "TESTOV",
        given_name: str = "TEST",
        patronymic: str = "",
        bin: str | None = None,
        org: str = "",
        *,
        rsa_key: bool = False,
        key_type: str = "ecdsa",
    ) -> tuple[Path, Path]:
        """``(auth.p12, sign.p12)`` for this IIN, issued once per session per key type (the
        names of the first call win). ``key_type="gost512"``: ``(auth.key.json,
        sign.key.json)``, GOST key files with their ``.pem`` beside them."""
        key_type = "rsa" if rsa_key else key_type
        if key_type not in KEY_TYPES:
            raise ValueError(key_type)
        if key_type == "gost512":
            self.ensure_gost()
        key = (iin, key_type)
        if key not in self._issued:
            folder = self.gost_root if key_type == "gost512" else self.root
            self._issued[key] = issue_user_certificates(
                folder, iin, surname, given_name, patronymic, bin, org, key_type=key_type
            )
        return self._issued[key]

    @property
    def gost_root(self) -> Path:
        """The folder of the GOST part: ``ca/ trusted/ crl/ special/gost/ users/<iin>/gost/``."""
        return self.root / "gost"

    @property
    def gost_trusted_dir(self) -> Path:
        return self.gost_root / "trusted"

    @property
    def gost_crl_dir(self) -> Path:
        return self.gost_root / "crl"

    def ensure_gost(self) -> None:
        """Build the GOST part of the PKI (once per session)."""
        build_gost_test_pki(self.gost_root)

    def gost_key(self, iin: str, kind: str = "auth") -> Path:
        """The GOST key file of an issued person; ``kind`` is ``"auth"`` or ``"sign"``."""
        if kind not in ("auth", "sign"):
            raise ValueError(kind)
        auth, sign = self.issue(iin, key_type="gost512")
        return auth if kind == "auth" else sign

    def p12(self, iin: str, kind: str = "auth") -> Path:
        """The PKCS#12 file of an issued person; ``kind`` is ``"auth"`` or ``"sign"``."""
        if kind not in ("auth", "sign"):
            raise ValueError(kind)
        auth, sign = self.issue(iin)
        return auth if kind == "auth" else sign

    def special(self, name: str) -> Path:
        """``special/<name>.p12``: expired, revoked, not_yet_valid, foreign, no_iin,
        signing_only, rsa_user; ``gost_<name>`` (all but rsa_user): the GOST key file
        ``special/gost/<name>.key.json``."""
        if name.startswith("gost_"):
            self.ensure_gost()
            path = self.gost_root / "special" / "gost" / f"{name.removeprefix('gost_')}.key.json"
        else:
            path = self.root / "special" / f"{name}.p12"
        if not path.is_file():
            raise FileNotFoundError(path)
        return path

    def sign(
        self,
        data: bytes,
        *,
        iin: str | None = None,
        kind: str = "auth",
        p12: Path | None = None,
        detached: bool = True,
        signing_time: dt.datetime | None = None,
        key_type: str = "ecdsa",
        gost_key: Path | None = None,
    ) -> bytes:
        """A DER CMS over ``data`` by the person ``iin`` (issued on demand) or a ``p12``;
        with ``key_type="gost512"`` by the person's GOST key, or by a ``gost_key`` file
        (``.special("gost_expired")``…)."""
        if gost_key is not None or key_type == "gost512":
            if gost_key is None:
                if iin is None:
                    raise ValueError("give iin or gost_key")
                gost_key = self.gost_key(iin, kind)
            return sign_cms_gost(
                data, key_file=gost_key, detached=detached, signing_time=signing_time
            )
        if p12 is None:
            if iin is None:
                raise ValueError("give iin or p12")
            p12 = self.p12(iin, kind)
        return sign_cms(
            data, p12=p12, password=self.password, detached=detached, signing_time=signing_time
        )


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory: pytest.TempPathFactory) -> PkiHelper:
    folder = tmp_path_factory.mktemp("test-pki")
    build_test_pki(folder, password=DEFAULT_PASSWORD)
    return PkiHelper(root=folder)


@pytest.fixture
def esign_settings(settings: object, test_pki: PkiHelper) -> PkiHelper:
    """Trust the session's test PKI (and only it) with the in-process verifier."""
    settings.ESIGN_TRUSTED_CA_DIR = str(test_pki.trusted_dir)  # type: ignore[attr-defined]
    settings.ESIGN_CRL_DIR = str(test_pki.crl_dir)  # type: ignore[attr-defined]
    settings.ESIGN_VERIFIERS = ["inprocess"]  # type: ignore[attr-defined]
    settings.ESIGN_OCSP_CHECKER = ""  # type: ignore[attr-defined]
    settings.ESIGN_REQUIRE_REVOCATION_CHECK = False  # type: ignore[attr-defined]
    settings.DEBUG = False  # type: ignore[attr-defined]
    return test_pki


@pytest.fixture
def gost_esign_settings(settings: object, esign_settings: PkiHelper) -> PkiHelper:
    """Trust the GOST part of the session's test PKI (and only it), in-process verifier."""
    esign_settings.ensure_gost()
    settings.ESIGN_TRUSTED_CA_DIR = str(esign_settings.gost_trusted_dir)  # type: ignore[attr-defined]
    settings.ESIGN_CRL_DIR = str(esign_settings.gost_crl_dir)  # type: ignore[attr-defined]
    return esign_settings
