"""Security configuration a state portal is held to (issue 10 item 5): headers, CSP, deploy."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "qamqor" / "templates"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/organizations/", "/accounts/login/esign/", "/api/v1/docs"])
def test_pages_carry_a_strict_content_security_policy(client, path: str) -> None:
    response = client.get(path)

    policy = response["Content-Security-Policy"]
    directives = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, _, value = part.partition(" ")
        directives[name] = value
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval, no CDN
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "wss://127.0.0.1:13579" in directives["connect-src"]  # NCALayer (R-X-2)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_style_attributes() -> None:
    """The CSP forbids inline code: a template with one would break in the browser."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
        if re.search(r"\sstyle=\"|\son[a-z]+=\"", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: style= or on…= attribute")
    assert offenders == []


def test_the_error_page_style_is_the_one_the_policy_allows() -> None:
    html = (TEMPLATES / "500.html").read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)  # type: ignore[union-attr]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.ERROR_PAGE_STYLE_HASH


@pytest.mark.django_db
def test_api_docs_are_served_from_this_site_not_a_cdn(client) -> None:
    text = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in text.lower()
    assert "/static/ninja/swagger-ui-bundle" in text


def test_deploy_check_is_clean_with_production_settings() -> None:
    """``manage.py check --deploy`` in a fresh process with the environment production sets
    (DEBUG off, a real secret, the public host): no warning at all."""
    import base64
    import os
    import secrets
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ESIGN_DEV"))
    }
    env |= {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "qamqor.kz", "DEBUG": ""}
    # A real field encryption key (the public development key fails core.E002; docs/privacy.md).
    env["FIELD_ENCRYPTION_KEYS"] = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
