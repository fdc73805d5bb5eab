"""The verifier chain and the HTTP verifier adapter (R-X-2; contract in docs/esign.md)."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from qamqor.accounts.esign import Purpose, SignatureError, verify
from qamqor.accounts.esign.verifiers import (
    HttpVerifier,
    InProcessVerifier,
    configured_verifiers,
)
from tests.accounts.esign.test_inprocess import with_algorithms
from tests.pki import PkiHelper

URL = "https://verifier.example/verify"
DOC = b"postponement notice"
GOST_512 = "1.2.398.3.10.1.1.2.3.2"


def http(handler: object) -> HttpVerifier:
    return HttpVerifier(URL, timeout=2, transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


def test_http_verifier_success_maps_to_verified_signature(esign_settings: PkiHelper) -> None:
    """R-X-2: the server's "valid" answer becomes a VerifiedSignature checked by "http"."""
    iin = esign_settings.new_iin()
    cms = esign_settings.sign(DOC, iin=iin, kind="sign")
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json={"valid": True, "signature_algorithm": "GOST512"})

    result = verify(cms, data=DOC, purpose=Purpose.SIGNING, verifiers=[http(handler)])
    assert (result.verifier, result.signature_algorithm, result.signer.iin) == (
        "http",
        "GOST512",
        iin,
    )
    assert result.content == DOC
    (body,) = seen
    assert base64.b64decode(body["cms"]) == cms  # type: ignore[arg-type]
    assert base64.b64decode(body["data"]) == DOC  # type: ignore[arg-type]
    assert body["purpose"] == "signing"


def test_gost_falls_through_to_the_http_verifier(esign_settings: PkiHelper) -> None:
    """R-X-2: what the in-process verifier cannot check goes to the next verifier."""
    cms = with_algorithms(
        esign_settings.sign(DOC, iin=esign_settings.new_iin()), GOST_512, "1.2.398.3.10.1.3.3"
    )
    verifiers = [
        InProcessVerifier(),
        http(lambda request: httpx.Response(200, json={"valid": True})),
    ]
    result = verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION, verifiers=verifiers)
    assert result.verifier == "http"
    assert "GOST 34.10-2015" in result.signature_algorithm


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ({"valid": False, "code": "revoked", "detail": "OCSP"}, "esign.revoked"),
        ({"valid": False, "code": "esign.untrusted_chain"}, "esign.untrusted_chain"),
        ({"valid": False, "code": "esign.expired"}, "esign.expired"),
        ({"valid": False, "code": "kalkan_error_42"}, "esign.external_rejected"),
        ({"valid": False, "code": "no_trusted_roots"}, "esign.external_rejected"),
        ({"valid": "yes"}, "esign.verifier_unavailable"),
        ({"nothing": 1}, "esign.verifier_unavailable"),
    ],
)
def test_http_refusals_are_mapped_to_our_codes(
    esign_settings: PkiHelper, refused: object, answer: dict[str, object], code: str
) -> None:
    """R-X-2: a refusal of the server keeps its meaning when it is one of ours; anything else
    is esign.external_rejected, and an answer we do not understand is verifier_unavailable."""
    cms = esign_settings.sign(DOC, iin=esign_settings.new_iin())
    verifier = http(lambda request: httpx.Response(200, json=answer))
    with refused(code):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION, verifiers=[verifier])


def _down(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


@pytest.mark.parametrize(
    "handler",
    [
        _down,
        lambda request: httpx.Response(503, text="maintenance"),
        lambda request: httpx.Response(200, text="<html>not json</html>"),
    ],
)
def test_http_server_down_is_verifier_unavailable(
    esign_settings: PkiHelper, refused: object, handler: object
) -> None:
    """R-X-2: server down, 5xx or junk: esign.verifier_unavailable, never a pass."""
    cms = esign_settings.sign(DOC, iin=esign_settings.new_iin())
    with refused("esign.verifier_unavailable"):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION, verifiers=[http(handler)])


def test_purpose_is_checked_locally_after_the_server(
    esign_settings: PkiHelper, refused: object
) -> None:
    """R-X-2: the server cannot let a signing-only key log in: the purpose check is ours."""
    cms = esign_settings.sign(DOC, p12=esign_settings.special("signing_only"))
    verifier = http(lambda request: httpx.Response(200, json={"valid": True}))
    with refused("esign.wrong_key_usage"):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION, verifiers=[verifier])


def test_server_vouching_for_another_certificate_is_not_believed(
    esign_settings: PkiHelper, refused: object
) -> None:
    """R-X-2: a chain that does not start with the CMS's signer certificate is refused."""
    other = base64.b64encode((esign_settings.trusted_dir / "root.pem").read_bytes()).decode()
    cms = esign_settings.sign(DOC, iin=esign_settings.new_iin())
    verifier = http(lambda request: httpx.Response(200, json={"valid": True, "chain": [other]}))
    with refused("esign.verifier_unavailable"):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION, verifiers=[verifier])


def test_empty_url_is_verifier_unavailable(esign_settings: PkiHelper, settings: object) -> None:
    """R-X-2: "http" configured without a URL refuses rather than passes."""
    settings.ESIGN_VERIFIERS = ["http"]  # type: ignore[attr-defined]
    settings.ESIGN_HTTP_VERIFIER_URL = ""  # type: ignore[attr-defined]
    cms = esign_settings.sign(DOC, iin=esign_settings.new_iin())
    with pytest.raises(SignatureError) as info:
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
    assert info.value.code == "esign.verifier_unavailable"


def test_settings_choose_the_verifiers(settings: object) -> None:
    """R-X-2: ESIGN_VERIFIERS lists the verifiers in order; a typo is an error, not a pass."""
    settings.ESIGN_VERIFIERS = ["inprocess", "http"]  # type: ignore[attr-defined]
    assert [v.name for v in configured_verifiers()] == ["inprocess", "http"]
    settings.ESIGN_VERIFIERS = ["inproces"]  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="inproces"):
        configured_verifiers()
