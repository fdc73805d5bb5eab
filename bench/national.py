"""`make bench-national`: the synthetic country under load (issue 9).

    .venv/bin/python bench/national.py [--scale 0.2] [--fresh] [--duration 10]

1. Prepares PostgreSQL ``qamqor_bench_national`` on 127.0.0.1 (created if missing; ``--fresh``
   drops it first), migrates, collects static files, compiles messages, and builds the national
   dataset with ``manage.py seed_national --scale S`` (a rerun completes what is missing).
2. Starts gunicorn through ``bin/serve`` (DEBUG off, rate limits off, the benchmark test PKI of
   bench/login_bench.py trusted) and loads, at 16 connections:
   - with wrk (bench/run.py's machinery): the floor, the public registry search, an
     organization page with vacancies, "my queue position" (page and API), the personal
     cabinet and the district officer's dashboard;
   - with a Python driver (16 client threads over 4 processes; each request is unique, so wrk
     cannot make it): the floor again (the reference of these rows: the driver costs more than
     wrk), the e-signature login (bench/login_bench.py's PKI and flow: new session, nonce, client
     signs, POST), a queue application (GET the act, sign it, POST the JSON API with the session
     cookie and CSRF token; each client applies to a new organization every time) and an
     admission under contention (the JSON admission API of ONE organization, whose journal row
     every admission locks; bench/journal_bench.py measures the same in process).
3. Times the background sweeps over the national data (target < 10 s each).
4. Prints one table (requests/s, p50/p95/p99, errors, ratio to the floor of the same run and
   driver) and writes bench/results/national-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import multiprocessing as mp
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import login_bench  # noqa: E402  (its PKI, citizens and environment)
import run as harness  # noqa: E402  (database, servers, wrk, tables)

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/qamqor_bench_national"
DEFAULT_SCALE = 0.2
SWEEP_TARGET_S = 10.0
PAGE_RATIO_TARGET = 0.35
PAGE_P99_TARGET_MS = 250.0
RECIPIENT_IIN = "900101300017"  # qamqor.demo.national.RECIPIENT_IIN
OFFICER_IIN = "900101300067"  # qamqor.demo.national.applications.OFFICER_IIN
STAFF_IIN = "900101300037"  # journal staff of the contention organization (made here)
CSRF = "benchnationalcsrftoken0123456789"  # 32 characters: a valid CSRF secret
ESIGN_BACKEND = harness.ESIGN_BACKEND


# --- Pure helpers (tests/test_bench_harness.py) --------------------------------------------------


def percentile(sorted_values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (0 < share ≤ 1) of already sorted values; None if empty."""
    if not sorted_values:
        return None
    rank = max(1, -(-int(share * 1000) * len(sorted_values) // 1000))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def driver_report(latencies_s: list[float], errors: int, seconds: float) -> dict[str, Any]:
    """A wrk-like report (requests/s, latency in µs, errors) from the driver's measurements."""
    ordered = sorted(latencies_s)
    us = {
        name: (None if value is None else value * 1e6)
        for name, value in (
            ("p50", percentile(ordered, 0.50)),
            ("p95", percentile(ordered, 0.95)),
            ("p99", percentile(ordered, 0.99)),
        )
    }
    return {
        "requests": len(ordered),
        "requests_per_s": len(ordered) / seconds if seconds > 0 else 0.0,
        "latency_us": us,
        "errors": {"status": errors},
        "error_count": errors,
    }


def verdict(row: dict[str, Any]) -> str:
    """Issue 9's target for a read page: ≥ 0.35 of the floor's requests/s and p99 < 250 ms."""
    if row.get("failure") or row.get("ratio_to_floor") is None:
        return "-"
    p99 = row["latency_us"]["p99"]
    ok = row["ratio_to_floor"] >= PAGE_RATIO_TARGET and p99 is not None and p99 / 1000 < 250
    return "meets" if ok else "misses"


def sweep_table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'sweep':<44}{'seconds':>9}  target < {SWEEP_TARGET_S:.0f} s  result"]
    for r in rows:
        mark = "ok" if r["seconds"] < SWEEP_TARGET_S else "MISSED"
        lines.append(f"{r['name']:<44}{r['seconds']:>9.2f}  {mark:<15} {r['result']}")
    return "\n".join(lines)


# --- Building the data -------------------------------------------------------------------------


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True)


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def prepare_fixtures() -> dict[str, Any]:
    """(Django set up.) Users of the driver: the PKI citizens, a journal staff member of one
    organization with a large capacity for the contention row; the organizations applied to."""
    from qamqor.accounts import services as accounts
    from qamqor.accounts.models import User
    from qamqor.accounts.roles import Role
    from qamqor.demo.national import ORG_PREFIX
    from qamqor.journal.models import Journal
    from qamqor.organizations.models import Organization, OrganizationService

    for iin, surname, given in login_bench.citizens():
        User.objects.get_or_create(iin=iin, defaults={"surname": surname, "given_name": given})
    org = Organization.objects.filter(licence_number__startswith=ORG_PREFIX).order_by("pk").first()
    assert org is not None, "seed_national first"
    service, _ = OrganizationService.objects.get_or_create(
        organization=org, condition="semi_stationary", defaults={"capacity": 1_000_000}
    )
    if service.capacity < 1_000_000:
        service.capacity = 1_000_000
        service.save()
    journal, _ = Journal.objects.get_or_create(
        organization=org, condition="semi_stationary", defaults={"started_on": dt.date(2024, 1, 1)}
    )
    staff, _ = User.objects.get_or_create(
        iin=STAFF_IIN, defaults={"surname": "Бенч", "given_name": "Қызметкер"}
    )
    if not staff.role_assignments.filter(revoked_at__isnull=True).exists():
        accounts.grant_role(None, staff, Role.ORGANIZATION_STAFF, organization=org)
    # Queues exist where there is no vacancy (a queue application to an organization with a
    # free place is refused): the organizations applied to are made full, their capacity
    # lowered to the places occupied (benchmark fixture, not the seed's invariant).
    from qamqor.core.history import audited_update
    from qamqor.journal.models import Stay

    targets = []
    for journal_row in (
        Journal.objects.filter(
            organization__licence_number__startswith=ORG_PREFIX,
            organization__publication_consent=True,
        )
        .exclude(organization=org)
        .order_by("pk")[:300]
    ):
        occupied = Stay.objects.filter(journal=journal_row, status="in_care").count()
        audited_update(
            OrganizationService.objects.filter(
                organization_id=journal_row.organization_id, condition=journal_row.condition
            ),
            capacity=max(occupied, 1),
        )
        targets.append((journal_row.organization_id, journal_row.condition))
    with_vacancy = (
        OrganizationService.objects.filter(
            organization__licence_number__startswith=ORG_PREFIX,
            organization__publication_consent=True,
            capacity__gt=0,
        )
        .order_by("pk")
        .values_list("organization_id", flat=True)
        .first()
    )
    return {"journal": journal.pk, "targets": targets, "organization_page": with_vacancy}


def sessions(iins: list[str]) -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    out = {}
    users = get_user_model()._default_manager
    for iin in iins:
        client = Client()
        user = users.filter(iin=iin).first()
        if user is None:  # no data (--no-seed on an empty database): the probe reports it
            continue
        # As a citizen or officer logs in (by e-signature): the session names that backend,
        # whose get_user reads the user on every request.
        client.force_login(user, backend=ESIGN_BACKEND)
        out[iin] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return out


# --- The Python driver -------------------------------------------------------------------------


def _client_loop(kind: str, base: str, seconds: float, slot: int, ctx: dict[str, Any]) -> Any:
    import httpx

    from qamqor.accounts.esign.signer import sign_cms
    from qamqor.accounts.esign.testpki import read_password

    password = read_password(login_bench.PKI_DIR)
    people = login_bench.citizens()
    latencies: list[float] = []
    errors = 0
    n = 0
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
        # After the client exists: making its TLS context takes seconds on a loaded machine.
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            n += 1
            started = time.perf_counter()
            ok = False
            try:
                if kind == "floor":
                    ok = client.get("/bench/floor/1").status_code == 200
                elif kind == "login":
                    client.cookies.clear()
                    client.get(login_bench.LOGIN_PATH)
                    token = client.cookies.get("csrftoken", "")
                    headers = {"X-CSRFToken": token, "Referer": base + login_bench.LOGIN_PATH}
                    answer = client.post(login_bench.NONCE_PATH, headers=headers)
                    nonce = answer.json()["nonce"] if answer.status_code == 200 else ""
                    iin = people[(slot + n) % len(people)][0]
                    der = sign_cms(
                        nonce.encode(),
                        p12=login_bench.PKI_DIR / "users" / iin / "auth.p12",
                        password=password,
                    )
                    response = client.post(
                        login_bench.LOGIN_PATH,
                        data={"nonce": nonce, "cms": base64.b64encode(der).decode()},
                        headers=headers,
                    )
                    ok = response.status_code == 302
                elif kind == "queue application":
                    iin = people[slot % len(people)][0]
                    targets = ctx["targets"]
                    org, condition = targets[(n * 7 + ctx["round"]) % len(targets)]
                    cookies = {"sessionid": ctx["sessions"][iin], "csrftoken": CSRF}
                    act = client.get(
                        "/api/v1/journal/queue/application-act",
                        params={"organization": org, "condition": condition},
                        cookies=cookies,
                    )
                    der = sign_cms(
                        act.json()["content"].encode(),
                        p12=login_bench.PKI_DIR / "users" / iin / "sign.p12",
                        password=password,
                    )
                    response = client.post(
                        "/api/v1/journal/queue/applications",
                        json={
                            "organization": org,
                            "condition": condition,
                            "cms": base64.b64encode(der).decode(),
                        },
                        headers={"X-CSRFToken": CSRF},
                        cookies=cookies,
                    )
                    ok = response.status_code == 201
                    if not ok and errors < 1:
                        print(
                            f"    queue application: {response.status_code} {response.text[:300]}"
                        )
                elif kind == "admission":
                    from journal_bench import valid_iin

                    serial = ctx["serial"] + slot * 100_000 + n
                    today = dt.date.today().isoformat()
                    response = client.post(
                        f"/api/v1/journal/journals/{ctx['journal']}/admissions",
                        json={
                            "on": today,
                            "order_number": f"Б-{serial}",
                            "order_date": today,
                            "person": {"iin": valid_iin(serial), "full_name": "Бенчмарк Адам"},
                        },
                        headers={"X-CSRFToken": CSRF},
                        cookies={"sessionid": ctx["sessions"][STAFF_IIN], "csrftoken": CSRF},
                    )
                    ok = response.status_code == 201
                    if not ok and errors < 1:
                        print(f"    admission: {response.status_code} {response.text[:300]}")
            except Exception as exc:
                if errors < 1:
                    print(f"    {kind}: {exc!r}")
            elapsed = time.perf_counter() - started
            if ok:
                latencies.append(elapsed)
            else:
                errors += 1
    return latencies, errors


def _process(
    kind: str,
    base: str,
    env: dict[str, str],
    seconds: float,
    first_slot: int,
    threads: int,
    ctx: dict[str, Any],
    out: Any,
) -> None:
    django_setup(env)
    # Import once here: modules imported by several threads at once can fail half-initialised.
    import httpx  # noqa: F401
    import journal_bench  # noqa: F401

    from qamqor.accounts.esign import signer, testpki  # noqa: F401

    results: list[Any] = [None] * threads

    def run(i: int) -> None:
        try:
            results[i] = _client_loop(kind, base, seconds, first_slot + i, ctx)
        except BaseException as exc:
            print(f"    driver thread failed: {exc!r}", file=sys.stderr, flush=True)
            raise

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    latencies = [x for r in results if r for x in r[0]]
    out.put((latencies, sum(r[1] for r in results if r)))


def drive(
    kind: str,
    base: str,
    env: dict[str, str],
    seconds: float,
    ctx: dict[str, Any],
    processes: int = 4,
    threads: int = 4,
) -> dict[str, Any]:
    spawn = mp.get_context("spawn")
    queue = spawn.Queue()
    procs = [
        spawn.Process(
            target=_process, args=(kind, base, env, seconds, p * threads, threads, ctx, queue)
        )
        for p in range(processes)
    ]
    for p in procs:
        p.start()
    reports = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = [x for r in reports for x in r[0]]
    return driver_report(latencies, sum(r[1] for r in reports), seconds)


# --- The sweeps ----------------------------------------------------------------------------------

SWEEPS = (
    (
        "applications: sweep_overdue (R-SVC-12)",
        "qamqor.applications.services.monitoring",
        "sweep_overdue",
    ),
    ("specialists: flag_due_applications", "qamqor.specialists.services", "flag_due_applications"),
    ("journal: close_no_shows (R-QUE-6)", "qamqor.journal.services", "close_no_shows"),
    ("journal: suspend_expired_ipr (R-QUE-3)", "qamqor.journal.services", "suspend_expired_ipr"),
    ("cabinet: expire_measures (R-POR-4)", "qamqor.cabinet.services.orders", "expire_measures"),
)


def time_sweeps() -> list[dict[str, Any]]:
    import importlib

    rows = []
    for name, module, func in SWEEPS:
        fn = getattr(importlib.import_module(module), func)
        started = time.perf_counter()
        result = fn()
        rows.append(
            {"name": name, "seconds": time.perf_counter() - started, "result": str(result)[:60]}
        )
        print(f"   {name}: {rows[-1]['seconds']:.2f} s", flush=True)
    return rows


# --- Main ----------------------------------------------------------------------------------------


def wrk_endpoints(organization_page: int) -> list[harness.Endpoint]:
    e = harness.Endpoint
    kk = {"Accept-Language": "kk"}
    return [
        e(harness.FLOOR, "/bench/floor/1"),
        e(
            "registry search (kk)",
            "/organizations/?q=%D2%9B%D0%B0%D1%80%D1%82%D1%82%D0%B0%D1%80&region=71&has_vacancy=on",
            headers=kk,
        ),
        e(
            "organization page with vacancies (kk)",
            f"/organizations/{organization_page}/",
            headers=kk,
        ),
        e("my queue position page (kk)", "/journal/my/", headers=kk, login_as=RECIPIENT_IIN),
        e("my queue position api", "/api/v1/journal/queue/mine", login_as=RECIPIENT_IIN),
        e("cabinet (kk)", "/cabinet/", headers=kk, login_as="first-person"),
        e("officer dashboard (kk)", "/applications/dashboard/", headers=kk, login_as=OFFICER_IIN),
    ]


def drive_and_sweep(
    env: dict[str, str],
    args: argparse.Namespace,
    cookies_by_iin: dict[str, str],
    fixtures: dict[str, Any],
    stamp: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The Python driver (logins, queue applications, admissions: writes) and the sweeps."""
    print("\n== Python driver against gunicorn (16 clients)", flush=True)
    port = harness.free_port("127.0.0.1")
    log = harness.RESULTS_DIR / f"national-{stamp}-driver.log"
    proc = harness.start_server(harness.ServerSpec("gunicorn"), "127.0.0.1", port, env, log)
    driven: list[dict[str, Any]] = []
    try:
        harness.wait_for_health(proc, "127.0.0.1", port, log, 90)
        base = f"http://127.0.0.1:{port}"
        ctx = {
            "sessions": cookies_by_iin,
            "targets": fixtures["targets"],
            "journal": fixtures["journal"],
            "serial": int(time.time()) % 10_000 * 1_000_000,
            "round": int(time.time()) % 1000,
        }
        for kind in ("floor", "login", "queue application", "admission"):
            report = drive(kind, base, env, args.duration, ctx)
            name = "floor (python driver)" if kind == "floor" else kind
            driven.append({"name": name, **report, "driver": "python"})
            print(f"   {name}: {report['requests_per_s']:.1f}/s, errors {report['error_count']}")
    finally:
        harness.stop_server(proc)
    driven = [
        {**r, "ratio_to_floor": harness.ratio(r["requests_per_s"], driven[0]["requests_per_s"])}
        for r in driven
    ]
    print("\n== sweeps over the national data", flush=True)
    sweeps = time_sweeps()
    return driven, sweeps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/national.py", description=__doc__)
    parser.add_argument("--scale", type=float, default=DEFAULT_SCALE, help=f"({DEFAULT_SCALE})")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=DATABASE_URL)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint (10)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-seed", action="store_true", help="use the data as it is")
    parser.add_argument(
        "--no-prepare", action="store_true", help="skip migrate/collectstatic/compilemessages"
    )
    parser.add_argument(
        "--read-pages-only",
        action="store_true",
        help="only the wrk read pages: no Python driver (logins, writes), no sweeps",
    )
    parser.add_argument(
        "--endpoints", default="", help="comma-separated wrk endpoint names (the floor is kept)"
    )
    args = parser.parse_args(argv)
    harness.ensure_bench_name(args.database_url)
    wall = time.monotonic()
    started = dt.datetime.now().astimezone()
    stamp = started.strftime("%Y%m%dT%H%M%S")
    harness.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    env = login_bench.bench_environment(args.database_url)
    env["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    if args.fresh:
        harness.drop_database(args.database_url, env)
    if args.fresh or not args.no_prepare:
        harness.prepare_database(args.database_url, env)
    build_s = None
    if not args.no_seed:
        t = time.monotonic()
        manage(env, "seed_national", f"--scale={args.scale}", f"--seed={args.seed}")
        build_s = time.monotonic() - t
        print(f"== seed_national --scale {args.scale}: {build_s:.0f} s", flush=True)
    django_setup(env)
    login_bench.prepare_pki()
    from qamqor.demo.national import first_person_iin

    fixtures = prepare_fixtures()
    endpoints = wrk_endpoints(fixtures["organization_page"])
    person = first_person_iin()
    endpoints = [
        harness.Endpoint(**{**x.__dict__, "login_as": person})
        if x.login_as == "first-person"
        else x
        for x in endpoints
    ]
    if args.endpoints:
        wanted = {n.strip() for n in args.endpoints.split(",")} | {harness.FLOOR}
        endpoints = [x for x in endpoints if x.name in wanted]
    iins = sorted({x.login_as for x in endpoints if x.login_as})
    iins += [c[0] for c in login_bench.citizens()] + [STAFF_IIN]
    cookies_by_iin = sessions(iins)
    cookies = {
        x.name: ({"sessionid": cookies_by_iin.get(x.login_as, "none")} if x.login_as else {})
        for x in endpoints
    }
    from django.db import connections

    connections.close_all()
    opts = SimpleNamespace(
        host="127.0.0.1",
        warmup=args.warmup,
        duration=args.duration,
        connections=args.connections,
        threads=2,
        rounds=1,
        startup_timeout=90,
    )
    print("\n== wrk against gunicorn", flush=True)
    run = harness.bench_servers(
        [harness.ServerSpec("gunicorn")], endpoints, cookies, env, opts, f"national-{stamp}"
    )[0]
    rows = run["endpoints"]
    for r in rows:
        r["driver"] = "wrk"

    driven: list[dict[str, Any]] = []
    sweeps: list[dict[str, Any]] = []
    if not args.read_pages_only:
        driven, sweeps = drive_and_sweep(env, args, cookies_by_iin, fixtures, stamp)
    title = (
        f"gunicorn, national data at scale {args.scale} — {args.duration} s per endpoint, "
        f"{args.connections} connections"
    )
    table = harness.format_table(title + " (wrk)", rows)
    table += "\n" + harness.format_table(
        "the same server setup, Python driver (unique requests; ratio to its own floor)", driven
    )
    print()
    print(table)
    print("\ntarget for read pages (≥ 0.35 of floor, p99 < 250 ms):")
    for r in rows[1:]:
        print(f"   {r['name']:<40} {verdict(r)}")
    print()
    print(sweep_table(sweeps))
    total = time.monotonic() - wall
    print(f"\nwhole run {total / 60:.1f} min; machine: {os.cpu_count()} cores (shared)")
    output = harness.RESULTS_DIR / f"national-{stamp}.json"
    output.write_text(
        json.dumps(
            {
                "started": started.isoformat(timespec="seconds"),
                "scale": args.scale,
                "build_s": build_s,
                "wrk": rows,
                "driver": driven,
                "sweeps": sweeps,
                "total_s": total,
                "cores": os.cpu_count(),
            },
            indent=2,
            ensure_ascii=False,
            default=str,
        )
        + "\n"
    )
    print(f"results in {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
