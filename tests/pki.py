"""Pytest plugin: the test PKI of R-X-2, built once per session (``tests/conftest.py`` loads it).

``test_pki`` (session): the folder of ``qamqor.accounts.esign.testpki.build_test_pki`` plus
helpers; it does not touch the database, so certificates for a person are issued on demand with
``test_pki.issue(iin, surname, given_name, ...)`` (cached). ``esign_settings`` (function): points
``ESIGN_TRUSTED_CA_DIR`` / ``ESIGN_CRL_DIR`` at it and uses the in-process verifier only.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from qamqor.accounts.esign.signer import sign_cms
from qamqor.accounts.esign.testpki import (
    DEFAULT_PASSWORD,
    build_test_pki,
    issue_user_certificates,
    make_iin,
)


@dataclass
class PkiHelper:
    """Paths and helpers of a built test PKI."""

    root: Path
    password: str = DEFAULT_PASSWORD
    _issued: dict[tuple[str, bool], tuple[Path, Path]] = field(default_factory=dict)
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
    ) -> tuple[Path, Path]:
        """``(auth.p12, sign.p12)`` for this IIN, issued once per session (the names of the
        first call win)."""
        key = (iin, rsa_key)
        if key not in self._issued:
            self._issued[key] = issue_user_certificates(
                self.root, iin, surname, given_name, patronymic, bin, org, rsa_key=rsa_key
            )
        return self._issued[key]

    def p12(self, iin: str, kind: str = "auth") -> Path:
        """The PKCS#12 file of an issued person; ``kind`` is ``"auth"`` or ``"sign"``."""
        if kind not in ("auth", "sign"):
            raise ValueError(kind)
        auth, sign = self.issue(iin)
        return auth if kind == "auth" else sign

    def special(self, name: str) -> Path:
        """``special/<name>.p12``: expired, revoked, not_yet_valid, foreign, no_iin,
        signing_only, rsa_user."""
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
    ) -> bytes:
        """A DER CMS over ``data`` by the person ``iin`` (issued on demand) or a ``p12``."""
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
