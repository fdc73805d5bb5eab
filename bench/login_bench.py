"""E-signature login benchmark (issue 3, R-X-2): `make bench-login`, also run by `make bench`.

Two figures, each next to a reference measured in the same run (machines here are noisy):

1. **Verification time per signature**, in process: `qamqor.accounts.esign.verify()` over one
   detached CMS made with an ECDSA P-256, one made with an RSA-2048 and one made with a GOST
   34.10-2015 512-bit test certificate (chain to the test root, CRL check, subject extraction),
   against the bare public-key check of the same signature with `cryptography` (with `gostcrypto`
   for GOST: the floor of any verifier). The GOST row is measured with the verified CA
   certificates cached (the state of a running server after its first GOST login): two GOST
   verifications per login, the leaf certificate's and the signature's (issue 12).
2. **Login throughput**: whole e-signature logins per second through HTTP against the app served
   by `bin/serve` (granian, DEBUG off) — a new browser session, the nonce POST, the client signs the
   nonce (client CPU, inside the loop, as a browser with NCALayer would), the login POST answered
   by a redirect — against plain requests per second on the floor endpoint (`/bench/floor/1`)
   driven by the same client code, so the ratio cancels the driver's own cost. Two kinds of
   login round: ECDSA P-256 keys (`sign_cms`) and GOST 34.10-2015 512-bit keys (`sign_cms_gost`,
   NCA's current keys; the client's GOST signing is inside the loop too), interleaved with the
   floor rounds, each with its ratio to the floor.

Rate limits and the lockout are switched off for the run (they exist to stop exactly this load);
the benchmark uses its own test PKI in var/bench-pki and the database of `make bench`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import run as harness  # noqa: E402  (bench/run.py: database, server start/stop)

PKI_DIR = ROOT / "var" / "bench-pki"
USERS = 16  # distinct citizens logging in (each created on first login, found afterwards)
NONCE_PATH = "/accounts/login/esign/nonce/"
LOGIN_PATH = "/accounts/login/esign/"
FLOOR_PATH = "/bench/floor/1"


def bench_environment(database_url: str) -> dict[str, str]:
    env = harness.app_environment(database_url)
    env.update(
        ESIGN_TRUSTED_CA_DIR=str(PKI_DIR / "trusted"),
        ESIGN_CRL_DIR=str(PKI_DIR / "crl"),
        RATELIMIT_ENABLE="0",
        AXES_ENABLED="0",
        SECURE_COOKIES="0",  # plain HTTP on loopback: a client sends no Secure cookies
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def citizens() -> list[tuple[str, str, str]]:
    """USERS valid IINs (born 1960-1975) with names, deterministic."""
    from qamqor.accounts.esign.testpki import make_iin

    return [
        (make_iin(dt.date(1960 + i, 1 + i % 12, 1 + i % 28), 3 + i % 2, 100 + i), "Бенч", f"N{i}")
        for i in range(USERS)
    ]


def prepare_pki() -> None:
    from qamqor.accounts.esign.testpki import build_test_pki, issue_user_certificates

    build_test_pki(PKI_DIR)
    for iin, surname, given in citizens():
        if not (PKI_DIR / "users" / iin / "auth.p12").exists():
            issue_user_certificates(PKI_DIR, iin, surname, given)
    rsa_iin, surname, given = citizens()[0]
    if not (PKI_DIR / "users" / "rsa" / "auth.p12").exists():
        paths = issue_user_certificates(PKI_DIR, rsa_iin, surname, given, rsa_key=True)
        target = PKI_DIR / "users" / "rsa"
        target.mkdir(parents=True, exist_ok=True)
        for path in paths:
            path.replace(target / path.name)
        issue_user_certificates(PKI_DIR, rsa_iin, surname, given)  # keep the ECDSA pair too
    for iin, surname, given in citizens():  # the first builds the GOST CAs into trusted/, crl/
        if not gost_key_file(iin).exists():
            issue_user_certificates(PKI_DIR, iin, surname, given, key_type="gost512")


def gost_key_file(iin: str | None = None) -> Path:
    return PKI_DIR / "users" / (iin or citizens()[0][0]) / "gost" / "auth.key.json"


# --- 1. Verification time ----------------------------------------------------------------------


def _bare_check(der: bytes, data: bytes) -> None:
    """The public-key operation alone, over the same signed attributes (the floor)."""
    from asn1crypto import cms
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    from qamqor.accounts.esign import gost
    from qamqor.accounts.esign.algorithms import register_asn1_oids

    register_asn1_oids()
    info = cms.ContentInfo.load(der)["content"]
    signer = info["signer_infos"][0]
    attrs = signer["signed_attrs"].untag().dump()
    serial = signer["sid"].chosen["serial_number"].native
    der_cert = next(
        c.chosen.dump() for c in info["certificates"] if c.chosen.serial_number == serial
    )
    cert = x509.load_der_x509_certificate(der_cert)
    value = signer["signature"].native
    if gost.is_gost2015_key(cert):
        if not gost.verify(gost.certificate_public_key(der_cert), attrs, value):
            raise ValueError("GOST signature does not verify")
        return
    key = cert.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(value, attrs, ec.ECDSA(hashes.SHA256()))
    elif isinstance(key, rsa.RSAPublicKey):
        key.verify(value, attrs, padding.PKCS1v15(), hashes.SHA256())


def _per_call(fn: Any, seconds: float) -> tuple[float, int]:
    calls = 0
    started = time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return elapsed / calls, calls


def verification_times(seconds: float) -> list[dict[str, Any]]:
    from qamqor.accounts.esign import Purpose, verify
    from qamqor.accounts.esign.signer import sign_cms, sign_cms_gost
    from qamqor.accounts.esign.testpki import read_password

    password = read_password(PKI_DIR)
    data = b"qamqor-bench-" + os.urandom(16).hex().encode()
    iin = citizens()[0][0]
    rows = []
    for label, key in (
        ("ECDSA P-256", PKI_DIR / "users" / iin / "auth.p12"),
        ("RSA-2048", PKI_DIR / "users" / "rsa" / "auth.p12"),
        ("GOST 2015-512", gost_key_file()),
    ):
        if key.suffix == ".json":
            der = sign_cms_gost(data, key_file=key)
        else:
            der = sign_cms(data, p12=key, password=password)
        verify(der, data=data, purpose=Purpose.AUTHENTICATION)  # warm the trust store cache
        full, calls = _per_call(
            lambda der=der: verify(der, data=data, purpose=Purpose.AUTHENTICATION), seconds
        )
        bare, _ = _per_call(lambda der=der: _bare_check(der, data), seconds / 2)
        rows.append(
            {
                "key": label,
                "verify_ms": round(full * 1000, 3),
                "bare_ms": round(bare * 1000, 3),
                "ratio_to_bare": round(full / bare, 1),
                "calls": calls,
                "verifications_per_s": round(1 / full, 2),
            }
        )
    return rows


# --- 2. Login throughput -----------------------------------------------------------------------


def _worker(
    kind: str, base: str, env: dict[str, str], seconds: float, index: int, out: Any
) -> None:
    setup_django(env)
    import base64

    import httpx

    from qamqor.accounts.esign.signer import sign_cms, sign_cms_gost
    from qamqor.accounts.esign.testpki import read_password

    password = read_password(PKI_DIR)
    people = citizens()
    done = failures = 0
    started = time.perf_counter()
    deadline = started + seconds
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
        while time.perf_counter() < deadline:
            if kind == "floor":
                ok = client.get(FLOOR_PATH).status_code == 200
            else:
                client.cookies.clear()  # a new browser session for every login
                client.get(LOGIN_PATH)
                token = client.cookies.get("csrftoken", "")
                headers = {"X-CSRFToken": token, "Referer": base + LOGIN_PATH}
                answer = client.post(NONCE_PATH, headers=headers)
                nonce = answer.json()["nonce"] if answer.status_code == 200 else ""
                iin = people[(index + done + failures) % len(people)][0]
                if kind == "gost":
                    der = sign_cms_gost(nonce.encode(), key_file=gost_key_file(iin))
                else:
                    der = sign_cms(
                        nonce.encode(), p12=PKI_DIR / "users" / iin / "auth.p12", password=password
                    )
                response = client.post(
                    LOGIN_PATH,
                    data={"nonce": nonce, "cms": base64.b64encode(der).decode()},
                    headers=headers,
                )
                ok = response.status_code == 302
            if ok:
                done += 1
            else:
                failures += 1
    out.put({"kind": kind, "done": done, "failures": failures})


def throughput(env: dict[str, str], seconds: float, clients: int) -> dict[str, Any]:
    spec = harness.parse_server_spec("granian")
    host = "127.0.0.1"
    port = harness.free_port(host)
    log = harness.RESULTS_DIR / "login-bench-server.log"
    harness.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    proc = harness.start_server(spec, host, port, env, log)
    result: dict[str, Any] = {"server": spec.name, "clients": clients, "seconds": seconds}
    try:
        harness.wait_for_health(proc, host, port, log, timeout_s=60)
        base = f"http://{host}:{port}"
        ctx = mp.get_context("spawn")
        # interleaved: two rounds each; "login" signs with ECDSA keys, "gost" with GOST 2015 keys
        for kind in ("floor", "login", "gost", "floor", "login", "gost"):
            queue = ctx.Queue()
            procs = [
                ctx.Process(target=_worker, args=(kind, base, env, seconds, i, queue))
                for i in range(clients)
            ]
            for p in procs:
                p.start()
            reports = [queue.get() for _ in procs]
            for p in procs:
                p.join()
            rate = sum(r["done"] for r in reports) / seconds
            result.setdefault(kind, []).append(
                {"per_s": round(rate, 1), "failures": sum(r["failures"] for r in reports)}
            )
            print(f"  {kind:5} {rate:8.1f}/s  failures {result[kind][-1]['failures']}", flush=True)
    finally:
        harness.stop_server(proc)
    floor = round(statistics.median(r["per_s"] for r in result["floor"]), 2)
    login = round(statistics.median(r["per_s"] for r in result["login"]), 2)
    result["floor_per_s"] = floor
    result["logins_per_s"] = login
    gost = round(statistics.median(r["per_s"] for r in result["gost"]), 2)
    result["ratio_to_floor"] = round(login / floor, 3) if floor else None
    result["gost_logins_per_s"] = gost
    result["gost_ratio_to_floor"] = round(gost / floor, 3) if floor else None
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/login_bench.py", description=__doc__)
    parser.add_argument("--database-url", default=harness.DEFAULT_DATABASE_URL)
    parser.add_argument("--seconds", type=float, default=10, help="per load round (10)")
    parser.add_argument("--clients", type=int, default=4, help="client processes (4)")
    parser.add_argument("--verify-seconds", type=float, default=3)
    parser.add_argument("--no-prepare", action="store_true", help="skip migrate/collectstatic")
    parser.add_argument(
        "--verify-only", action="store_true", help="only the verification times (no server)"
    )
    args = parser.parse_args(argv)

    env = bench_environment(args.database_url)
    if not args.no_prepare and not args.verify_only:
        harness.prepare_database(args.database_url, env)
    setup_django(env)
    prepare_pki()
    started = dt.datetime.now().astimezone()
    print("== verification time per signature (in process)", flush=True)
    rows = verification_times(args.verify_seconds)
    for row in rows:
        print(
            f"  {row['key']:13} verify {row['verify_ms']:8.3f} ms   bare key check "
            f"{row['bare_ms']:7.3f} ms   ratio {row['ratio_to_bare']}x   "
            f"{row['verifications_per_s']}/s",
            flush=True,
        )
    if args.verify_only:
        return 0
    print(f"== login throughput ({args.clients} clients, {args.seconds:.0f} s rounds)", flush=True)
    result = throughput(env, args.seconds, args.clients)
    print(
        f"  logins/s {result['logins_per_s']}   floor req/s {result['floor_per_s']}   "
        f"ratio {result['ratio_to_floor']}   (ECDSA P-256)",
        flush=True,
    )
    print(
        f"  logins/s {result['gost_logins_per_s']}   floor req/s {result['floor_per_s']}   "
        f"ratio {result['gost_ratio_to_floor']}   (GOST 2015-512)",
        flush=True,
    )
    output = harness.RESULTS_DIR / f"login-{started:%Y%m%dT%H%M%S}.json"
    payload = {"started": started.isoformat(timespec="seconds"), "cores": os.cpu_count()}
    payload.update(verification=rows, login=result)
    output.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"results in {output}")
    failures = sum(r["failures"] for r in (*result["login"], *result["gost"]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
