"""The signer and `manage.py sign` (R-X-2)."""

from __future__ import annotations

import base64
import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from qamqor.accounts.esign import Purpose, verify
from qamqor.accounts.esign.cms import parse_cms
from qamqor.accounts.esign.signer import sign_cms
from tests.pki import PkiHelper


def test_signing_time_is_the_one_asked_for(test_pki: PkiHelper) -> None:
    """R-X-2: the signingTime attribute carries the given time (UTC, whole seconds)."""
    when = dt.datetime(2026, 3, 2, 9, 30, 15, 999, tzinfo=dt.UTC)
    der = sign_cms(
        b"x", p12=test_pki.p12(test_pki.new_iin()), password=test_pki.password, signing_time=when
    )
    assert parse_cms(der).signing_time == when.replace(microsecond=0)


@pytest.mark.parametrize("attached", [False, True])
def test_sign_command_round_trip(esign_settings: PkiHelper, tmp_path: Path, attached: bool) -> None:
    """R-X-2: `manage.py sign` makes a CMS that verify() accepts (DER and --base64)."""
    iin = esign_settings.new_iin()
    data = tmp_path / "act.xml"
    data.write_bytes("<act>Шешім</act>".encode())
    args = ["--p12", str(esign_settings.p12(iin, "sign")), "--password", esign_settings.password]
    args += ["--data", str(data)] + (["--attached"] if attached else [])
    call_command("sign", *args, "--out", str(tmp_path / "act.p7s"))
    out = StringIO()
    call_command("sign", *args, "--base64", stdout=out)
    for cms in ((tmp_path / "act.p7s").read_bytes(), out.getvalue().strip()):
        result = verify(cms, data=data.read_bytes(), purpose=Purpose.SIGNING)
        assert result.signer.iin == iin
    assert base64.b64decode(out.getvalue())[:1] == b"\x30"


def test_sign_command_wrong_password_is_an_error(test_pki: PkiHelper, tmp_path: Path) -> None:
    """A wrong password is a clear command error, not a traceback."""
    data = tmp_path / "d"
    data.write_bytes(b"d")
    with pytest.raises(CommandError):
        call_command(
            "sign",
            "--p12",
            str(test_pki.special("rsa_user")),
            "--password",
            "no",
            "--data",
            str(data),
        )
