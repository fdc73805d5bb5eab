"""refresh_crls: reload the CA and CRL folders (R-X-2)."""

from __future__ import annotations

import shutil
from pathlib import Path

from qamqor.accounts.esign.tasks import refresh_crls
from tests.pki import PkiHelper


def test_refresh_crls_reloads_and_counts(
    test_pki: PkiHelper, settings: object, tmp_path: Path
) -> None:
    """R-X-2: the task reloads the folders and says what they hold; run twice, same answer."""
    crl = tmp_path / "crl"
    crl.mkdir()
    settings.ESIGN_TRUSTED_CA_DIR = str(test_pki.trusted_dir)  # type: ignore[attr-defined]
    settings.ESIGN_CRL_DIR = str(crl)  # type: ignore[attr-defined]
    assert refresh_crls.call() == {"roots": 1, "intermediates": 1, "crls": 0}
    shutil.copy(test_pki.crl_dir / "intermediate.crl.pem", crl)
    assert refresh_crls.call() == {"roots": 1, "intermediates": 1, "crls": 1}
    assert refresh_crls.call() == {"roots": 1, "intermediates": 1, "crls": 1}
