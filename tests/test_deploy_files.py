"""The shipped deployment files (deploy/, docs/deployment.md) are valid and match the code:
nginx accepts the configuration, every scheduled command and task exists, every variable of the
environment example is one the application reads."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY = BASE_DIR / "deploy"
SCHEDULES = [
    DEPLOY / "systemd" / "qamqor-sweeps.service",
    DEPLOY / "systemd" / "qamqor-morning.service",
    DEPLOY / "systemd" / "qamqor-worker@.service",
    DEPLOY / "cron" / "qamqor",
]


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "qamqor.example.kz")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "fullchain.pem", tmp / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if nginx is None:
        pytest.skip(
            "NGINX CONFIG NOT CHECKED: nginx is not installed "
            "(apt-get install -y nginx-light, then run this test again)"
        )
    cert, key = _self_signed(tmp_path)
    snippet = tmp_path / "qamqor-proxy.conf"
    shutil.copy(DEPLOY / "nginx" / "qamqor-proxy.conf", snippet)
    site = (DEPLOY / "nginx" / "qamqor.conf").read_text()
    for installed, here in (
        ("/etc/nginx/snippets/qamqor-proxy.conf", snippet),
        ("/etc/ssl/qamqor/fullchain.pem", cert),
        ("/etc/ssl/qamqor/privkey.pem", key),
    ):
        assert installed in site
        site = site.replace(installed, str(here))
    (tmp_path / "qamqor.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/qamqor.conf;\n}}\n"
    )
    result = subprocess.run(  # noqa: S603
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_proxy_sets_the_headers_the_settings_trust() -> None:
    """SECURE_PROXY_SSL_HEADER trusts X-Forwarded-Proto, so nginx must overwrite it; a client's
    X-Forwarded-Host must not pass (USE_X_FORWARDED_HOST is off); X-Forwarded-For is appended
    (PROXY_COUNT counts this proxy)."""
    from django.conf import settings

    proxy = (DEPLOY / "nginx" / "qamqor-proxy.conf").read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in proxy
    assert 'proxy_set_header X-Forwarded-Host "";' in proxy
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in proxy
    assert "proxy_set_header Host $host;" in proxy
    assert settings.USE_X_FORWARDED_HOST is False
    site = (DEPLOY / "nginx" / "qamqor.conf").read_text()
    upstream = re.search(r"upstream qamqor_app \{(.*?)\n\}", site, re.S)
    assert upstream is not None
    assert len(re.findall(r"^\s*server \S+:\d+", upstream.group(1), re.M)) >= 2


def test_every_scheduled_command_and_task_exists() -> None:
    commands = get_commands()
    found = 0
    for path in SCHEDULES:
        text = path.read_text()
        for name in re.findall(r"manage\.py\"? (\w+)", text) + re.findall(r"\$Q (\w+)", text):
            assert name in commands, f"{path.name}: no management command {name!r}"
            found += 1
        for module, names in re.findall(r"from (qamqor[\w.]+) import ([\w, ]+(?: as \w+)?)", text):
            loaded = importlib.import_module(module)
            for item in names.split(","):
                attr = item.strip().split(" as ")[0]
                assert hasattr(getattr(loaded, attr), "enqueue"), f"{module}.{attr} is no task"
                found += 1
    assert found >= 10


def test_every_variable_of_the_environment_example_is_read() -> None:
    code = (BASE_DIR / "qamqor" / "settings.py").read_text() + (
        BASE_DIR / "bin" / "serve"
    ).read_text()
    example = (DEPLOY / "env" / "qamqor.env.example").read_text()
    names = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.M)
    assert len(names) > 20
    for name in names:
        assert f'"{name}"' in code or f"{name}:-" in code or f"${{{name}" in code, name
