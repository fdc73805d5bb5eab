"""Qamqor's benchmark runner: `make bench` (bench/README.md).

1. Prepares a benchmark database (PostgreSQL `qamqor_bench` on 127.0.0.1 by default, created if
   missing), migrates it, collects static files and compiles the message catalogues.
2. For each server (gunicorn sync workers, granian WSGI with one blocking thread), starts the app
   through `bin/serve` on a free loopback port with DEBUG off and a throwaway SECRET_KEY, waits for
   /health, loads every endpoint of ENDPOINTS with wrk for a bounded time and stops the server's
   whole process group, whatever happens.
3. Runs the calendar micro-benchmark (bench/calendar_bench.py).
4. Prints one table per server, each endpoint's requests/s as a ratio to the floor endpoint of the
   same run (STYLE: performance figures), and writes everything to bench/results/<timestamp>.json.

It only ever loads 127.0.0.1/localhost and only ever uses a database on this machine.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import importlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
#: The backend a session of a logged-in endpoint names: the e-signature login, as for real users.
ESIGN_BACKEND = "qamqor.accounts.backends.ESignatureBackend"
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
WRK_SCRIPT = BENCH_DIR / "wrk_report.lua"
SERVE = ROOT / "bin" / "serve"
PYTHON = sys.executable

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/qamqor_bench"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
WRK_MARKER = "QAMQOR_WRK_JSON "
CALENDAR_MARKER = "QAMQOR_CALENDAR_JSON "
SERVE_MARKER = "bin/serve: "
FLOOR = "floor"


@dataclass(frozen=True)
class Endpoint:
    """One page or API route to load.

    name           a short label; the one named "floor" is the reference for every ratio.
    path           the path on the server, with its query string.
    headers        sent with every request (e.g. Accept-Language).
    cookies        sent with every request (e.g. the language cookie).
    login_as       natural key (IIN) of a user in the benchmark database: the runner makes a
                   session for that user and sends its cookie, for pages behind a login.
    prepare        "module:function" called once (django.setup() done) before any server starts,
                   to create the rows the page needs; it must be idempotent.
    expect_status  the status one probe request must get before the load starts.
    expect_headers headers the probe response must carry (a check that we load the right thing).
    """

    name: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    login_as: str | None = None
    prepare: str | None = None
    expect_status: int = 200
    expect_headers: dict[str, str] = field(default_factory=dict)


# Add an endpoint here when a feature lands a page or an API route worth watching (README).
ENDPOINTS: list[Endpoint] = [
    Endpoint(FLOOR, "/bench/floor/1"),
    Endpoint("health", "/health"),
    Endpoint(
        "home (kk)",
        "/",
        headers={"Accept-Language": "kk"},
        expect_headers={"Content-Language": "kk"},
    ),
    Endpoint("api regions", "/api/v1/core/regions"),
    # The public registry at the national scale (issue 4): 10,000 entries, a search with filters.
    Endpoint(
        "registry search (kk)",
        # q=қарттар (a word of ~1/4 of the names) in Astana, only with vacancies
        "/organizations/?q=%D2%9B%D0%B0%D1%80%D1%82%D1%82%D0%B0%D1%80&region=71&has_vacancy=on",
        headers={"Accept-Language": "kk"},
        prepare="bench.registry_data:prepare",
        expect_headers={"Content-Language": "kk"},
    ),
    Endpoint(
        "registry export csv (ru)",
        "/organizations/export.csv?lang=ru",
        prepare="bench.registry_data:prepare",
        expect_headers={"Content-Type": "text/csv; charset=utf-8"},
    ),
    # The registry of specialists (issue 5, R-SPC-5): 100,000 registered specialists, the public
    # search page (name, region, category) and the API list (region and profession).
    Endpoint(
        "specialists search (kk)",
        # q=әбілов (1/8 of the names) in Almaty city, first category
        "/specialists/?q=%D3%99%D0%B1%D1%96%D0%BB%D0%BE%D0%B2&region=75&category=first",
        headers={"Accept-Language": "kk"},
        prepare="bench.specialists_data:prepare",
        expect_headers={"Content-Language": "kk"},
    ),
    Endpoint(
        "specialists api",
        "/api/v1/specialists?region=71&profession=psychologist",
        prepare="bench.specialists_data:prepare",
        expect_headers={"Content-Type": "application/json; charset=utf-8"},
    ),
    # The personal cabinet (issue 8) of one of 700,000 persons with an IPR (CABINET_BENCH_COUNT
    # for fewer): bench/cabinet_data.py builds them; login_as is its first person's IIN.
    Endpoint(
        "cabinet (kk)",
        "/cabinet/",
        headers={"Accept-Language": "kk"},
        prepare="bench.cabinet_data:prepare",
        login_as="500101390009",
        expect_headers={"Content-Language": "kk"},
    ),
    # Issue 7: "my position" of a recipient in the middle of a 100-entry queue, with 1,000
    # journals, 200,000 stays and 100,000 queue entries (bench/journal_data.py).
    Endpoint(
        "my position api",
        "/api/v1/journal/queue/mine",
        login_as="900101300017",
        prepare="bench.journal_data:prepare",
    ),
    Endpoint(
        "my position page (kk)",
        "/journal/my/",
        headers={"Accept-Language": "kk"},
        login_as="900101300017",
        prepare="bench.journal_data:prepare",
        expect_headers={"Content-Language": "kk"},
    ),
    # The monitoring of the state service over 1,000,000 applications (issue 6, R-SVC-12).
    Endpoint(
        "applications dashboard ministry (ru)",
        "/applications/dashboard/",
        headers={"Accept-Language": "ru"},
        login_as="900101300057",
        prepare="bench.applications_data:prepare",
    ),
    Endpoint(
        "applications dashboard officer (kk)",
        "/applications/dashboard/",
        headers={"Accept-Language": "kk"},
        login_as="900101300067",
        prepare="bench.applications_data:prepare",
    ),
    Endpoint(
        "api applications dashboard ministry",
        "/api/v1/applications/dashboard",
        login_as="900101300057",
        prepare="bench.applications_data:prepare",
    ),
    Endpoint(
        "applications overdue list officer",
        "/applications/cases/?bucket=overdue",
        login_as="900101300067",
        prepare="bench.applications_data:prepare",
    ),
]


@dataclass(frozen=True)
class ServerSpec:
    """A server bin/serve can start; workers=None keeps bin/serve's documented default."""

    name: str
    workers: int | None = None

    @property
    def label(self) -> str:
        return self.name if self.workers is None else f"{self.name}:{self.workers}"


SERVER_NAMES = ("gunicorn", "granian")


class NotLoopbackError(ValueError):
    """The runner was asked to load or use something that is not this machine's loopback."""


# --- Pure helpers (tests/test_bench_harness.py) ------------------------------------------------


def ensure_loopback(target: str) -> str:
    """Return the host of `target` (a host name or a URL) if it is 127.0.0.1 or localhost."""
    host = urlsplit(target).hostname if "://" in target else target
    if host is None or host.strip().lower() not in LOOPBACK_HOSTS:
        raise NotLoopbackError(f"refusing to target {target!r}: only 127.0.0.1 or localhost")
    return host.strip().lower()


def parse_server_spec(text: str) -> ServerSpec:
    """'gunicorn' or 'granian:3' (a worker count overriding bin/serve's default)."""
    name, _, workers = text.strip().partition(":")
    if name not in SERVER_NAMES:
        raise ValueError(f"unknown server {name!r}; choose from {', '.join(SERVER_NAMES)}")
    if not workers:
        return ServerSpec(name)
    if not workers.isdigit() or int(workers) < 1:
        raise ValueError(f"worker count must be a positive integer, not {workers!r}")
    return ServerSpec(name, int(workers))


def select_endpoints(names: str | None, registry: list[Endpoint] = ENDPOINTS) -> list[Endpoint]:
    """The endpoints named (comma-separated), always with the floor first; None means all."""
    if not names:
        return list(registry)
    by_name = {e.name: e for e in registry}
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in by_name]
    if unknown:
        raise ValueError(f"unknown endpoint(s) {unknown}; known: {list(by_name)}")
    return [by_name[FLOOR], *(by_name[n] for n in wanted if n != FLOOR)]


def parse_wrk_output(stdout: str) -> dict[str, Any]:
    """The JSON that bench/wrk_report.lua's done() printed after WRK_MARKER."""
    for line in stdout.splitlines():
        if line.startswith(WRK_MARKER):
            report: dict[str, Any] = json.loads(line[len(WRK_MARKER) :])
            return report
    raise ValueError("wrk printed no report line; is bench/wrk_report.lua loaded?")


def ratio(value: float | None, reference: float | None) -> float | None:
    """`value / reference`, or None when either is missing (a skipped endpoint, no floor)."""
    if value is None or not reference:
        return None
    return value / reference


def ratio_to_floor(
    requests_per_s: float | None, floor_requests_per_s: float | None
) -> float | None:
    """Requests/s of an endpoint divided by the floor's, measured in the same run."""
    return ratio(requests_per_s, floor_requests_per_s)


def with_ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of `rows` (one server's run) with `ratio_to_floor` filled in."""
    floor = next((r for r in rows if r["name"] == FLOOR), None)
    floor_rps = floor.get("requests_per_s") if floor else None
    return [
        {**r, "ratio_to_floor": ratio_to_floor(r.get("requests_per_s"), floor_rps)} for r in rows
    ]


def rotated(items: list[Any], index: int) -> list[Any]:
    """`items` starting at position `index` (modulo), so that no server always goes first."""
    if not items:
        return []
    shift = index % len(items)
    return items[shift:] + items[:shift]


def median_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Of one endpoint's rounds, the one with the median requests/s (the lower one of two).

    A whole row is kept, not a median of each column, so its latencies belong to its rate.
    A failed round makes the endpoint failed: it must answer every time.
    """
    failed = [r for r in rows if r.get("failure")]
    if failed:
        return failed[0]
    ranked = sorted(rows, key=lambda r: r["requests_per_s"])
    return ranked[(len(ranked) - 1) // 2]


def error_count(report: dict[str, Any]) -> int:
    return sum(int(v) for v in report.get("errors", {}).values())


def _ms(microseconds: float | None) -> str:
    return "-" if microseconds is None else f"{microseconds / 1000:.2f}"


def format_table(title: str, rows: list[dict[str, Any]]) -> str:
    """One server's results as a fixed-width text table."""
    header = ("endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "÷ floor", "errors")
    lines = [header]
    for r in rows:
        if r.get("failure"):
            lines.append((r["name"], "-", "-", "-", "-", "-", r["failure"]))
            continue
        lat = r["latency_us"]
        to_floor = r.get("ratio_to_floor")
        lines.append(
            (
                r["name"],
                f"{r['requests_per_s']:.0f}",
                _ms(lat["p50"]),
                _ms(lat["p95"]),
                _ms(lat["p99"]),
                "-" if to_floor is None else f"{to_floor:.2f}",
                str(r["error_count"]),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def fmt(cells: tuple[str, ...]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "-" * len(fmt(header))
    return "\n".join([title, rule, fmt(header), rule, *(fmt(cells) for cells in lines[1:]), rule])


def paired_ratios(
    base_rounds: list[dict[str, Any]], rounds: list[dict[str, Any]], name: str
) -> list[float]:
    """Requests/s of `rounds` over `base_rounds` for endpoint `name`, round by round.

    The two measurements of a pair ran one after the other, so the drift of a shared machine
    mostly cancels out of each ratio.
    """
    base = {r["round"]: r.get("requests_per_s") for r in base_rounds if r["name"] == name}
    pairs = [(r.get("requests_per_s"), base.get(r["round"])) for r in rounds if r["name"] == name]
    return [q for q in (ratio(value, ref) for value, ref in pairs) if q is not None]


def format_comparison(runs: list[dict[str, Any]]) -> str:
    """Each server against the first one, endpoint by endpoint: the median of the per-round
    ratios of requests/s (with their range when there are several rounds)."""
    base = runs[0]
    names = [r["name"] for r in base["endpoints"]]
    header = ["endpoint", *(f"{run['server']} req/s" for run in runs)]
    header += [f"{run['server']} ÷ {base['server']}" for run in runs[1:]]
    lines = [header]
    for name in names:
        row = [name]
        for run in runs:
            value = next(r.get("requests_per_s") for r in run["endpoints"] if r["name"] == name)
            row.append("-" if value is None else f"{value:.0f}")
        for run in runs[1:]:
            ratios = sorted(paired_ratios(base["rounds"], run["rounds"], name))
            if not ratios:
                row.append("-")
                continue
            cell = f"{ratios[(len(ratios) - 1) // 2]:.2f}"
            if len(ratios) > 1:
                cell += f" ({ratios[0]:.2f}–{ratios[-1]:.2f})"
            row.append(cell)
        lines.append(row)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [
        "  ".join(
            [ln[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(ln[1:], widths[1:], strict=True))]
        )
        for ln in lines
    ]
    title = "Servers compared: median req/s; ratio = median of per-round ratios (range)"
    return "\n".join([title, "-" * len(out[0]), *out, "-" * len(out[0])])


def database_environment(database_url: str) -> dict[str, str]:
    """Environment variables that make qamqor/settings.py use `database_url`.

    PostgreSQL goes through DATABASE_URL; SQLite (sqlite:///relative or sqlite:////absolute)
    through SQLITE_PATH, so that the settings' WAL and IMMEDIATE options apply.
    """
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite":
        raw = database_url[len("sqlite:///") :]
        if not raw:
            raise ValueError("an SQLite URL needs a file: sqlite:///var/bench.sqlite3")
        path = Path(raw) if raw.startswith("/") else ROOT / raw
        return {"DATABASE_URL": "", "SQLITE_PATH": str(path)}
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        if parts.hostname:  # no host means the local Unix socket
            ensure_loopback(parts.hostname)
        if not parts.path.strip("/"):
            raise ValueError("the PostgreSQL URL needs a database name")
        return {"DATABASE_URL": database_url}
    raise ValueError(f"unsupported database URL scheme {parts.scheme!r} (postgres or sqlite)")


def redact_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def wrk_command(
    url: str,
    *,
    headers: dict[str, str],
    duration_s: int,
    connections: int,
    threads: int,
) -> list[str]:
    ensure_loopback(url)
    cmd = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration_s}s",
        "--timeout=10s",
        f"--script={WRK_SCRIPT}",
    ]
    for name, value in headers.items():
        cmd += ["--header", f"{name}: {value}"]
    return [*cmd, url]


def parse_serve_banner(log_text: str) -> dict[str, Any]:
    """bin/serve's first line: 'bin/serve: gunicorn, 5 workers, 127.0.0.1:8000'."""
    for line in log_text.splitlines():
        if line.startswith(SERVE_MARKER):
            server, workers, address = (p.strip() for p in line[len(SERVE_MARKER) :].split(","))
            return {"server": server, "workers": int(workers.split()[0]), "address": address}
    return {}


# --- Side effects: database, servers, wrk ------------------------------------------------------


def app_environment(database_url: str) -> dict[str, str]:
    """The production-like environment the app runs with during the benchmark."""
    env = dict(os.environ)
    env.pop("STATIC_NO_MANIFEST", None)  # measure the production static storage
    env.update(
        DJANGO_SETTINGS_MODULE="qamqor.settings",
        DEBUG="",
        SECRET_KEY="bench-throwaway-" + secrets.token_urlsafe(32),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        WEB_ACCESS_LOG="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(database_environment(database_url))
    # Personal data is encrypted at rest (docs/privacy.md); the bench uses the public dev key.
    env.setdefault("FIELD_ENCRYPTION_KEYS", "Dmio7KwA0sT6eXoXpUN4qEdwowgVXDqTNiIS4u08h04=")
    return env


def _maintenance_params(database_url: str) -> dict[str, Any]:
    """Connection parameters for the `postgres` database of the server in `database_url`."""
    parts = urlsplit(database_url)
    params: dict[str, Any] = {"dbname": "postgres", "autocommit": True}
    if parts.hostname:
        params["host"] = ensure_loopback(parts.hostname)
    for key, value in (
        ("port", parts.port),
        ("user", parts.username),
        ("password", parts.password),
    ):
        if value:
            params[key] = value
    return params


def ensure_postgres_database(database_url: str) -> bool:
    """Create the database of `database_url` if it is missing; True if it was created."""
    import psycopg
    from psycopg import sql

    name = urlsplit(database_url).path.strip("/")
    with psycopg.connect(**_maintenance_params(database_url)) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def ensure_bench_name(database_url: str) -> str:
    """The database name, if it says it is a benchmark database (only those are ever dropped)."""
    parts = urlsplit(database_url)
    name = Path(parts.path).name if parts.scheme == "sqlite" else parts.path.strip("/")
    if "bench" not in name:
        raise ValueError(f"refusing to drop {name!r}: only a database named *bench* is recreated")
    return name


def drop_database(database_url: str, env: dict[str, str]) -> None:
    """--fresh: drop the benchmark database so that it is rebuilt by the migrations."""
    name = ensure_bench_name(database_url)
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(env["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(**_maintenance_params(database_url)) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    print(f"dropped database {name}")


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


def prepare_database(database_url: str, env: dict[str, str]) -> None:
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite":
        Path(env["SQLITE_PATH"]).parent.mkdir(parents=True, exist_ok=True)
    elif ensure_postgres_database(database_url):
        print(f"created database {parts.path.strip('/')}")
    started = time.monotonic()
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    messages = manage(env, "compilemessages", "--ignore=.venv", "-v0", check=False)
    if messages.returncode != 0:
        print("warning: compilemessages failed; pages render untranslated:\n" + messages.stderr)
    elapsed = time.monotonic() - started
    print(f"database {redact_url(database_url)} migrated, static collected ({elapsed:.1f} s)")


def prepare_endpoints(endpoints: list[Endpoint], env: dict[str, str]) -> dict[str, dict[str, str]]:
    """Run the endpoints' prepare hooks and make sessions; returns cookies per endpoint name."""
    spec = {
        "prepare": sorted({e.prepare for e in endpoints if e.prepare}),
        "login_as": sorted({e.login_as for e in endpoints if e.login_as}),
    }
    cookies = {e.name: dict(e.cookies) for e in endpoints}
    if not spec["prepare"] and not spec["login_as"]:
        return cookies
    done = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--django-helper"],
        input=json.dumps(spec),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    sessions: dict[str, dict[str, str]] = json.loads(done.stdout.strip().splitlines()[-1])
    for e in endpoints:
        if e.login_as:
            cookies[e.name].update(sessions[e.login_as])
    return cookies


def django_helper() -> None:
    """Runs inside the app's environment: prepare hooks, then one session per login_as user."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    spec = json.load(sys.stdin)
    for target in spec["prepare"]:
        module, _, func = target.partition(":")
        getattr(importlib.import_module(module), func)()
    sessions = {}
    user_model = get_user_model()
    for key in spec["login_as"]:
        client = Client()
        # As a citizen or officer logs in (by e-signature): the session names that backend,
        # whose get_user reads the user on every request.
        client.force_login(
            user_model._default_manager.get_by_natural_key(key), backend=ESIGN_BACKEND
        )
        name = settings.SESSION_COOKIE_NAME
        sessions[key] = {name: client.cookies[name].value}
    print(json.dumps(sessions))


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def start_server(
    spec: ServerSpec, host: str, port: int, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    ensure_loopback(host)
    server_env = {**env, "SERVER": spec.name, "HOST": host, "PORT": str(port)}
    if spec.workers is not None:
        server_env["WEB_WORKERS"] = str(spec.workers)
    else:
        server_env.pop("WEB_WORKERS", None)
    with log.open("wb") as out:
        # A new session: the server and all its workers form one process group we can stop.
        return subprocess.Popen(
            [str(SERVE)],
            cwd=ROOT,
            env=server_env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_server(proc: subprocess.Popen[bytes], grace_s: float = 15) -> None:
    """Stop the server's whole process group: SIGTERM, then SIGKILL after `grace_s`."""
    for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue
        # The master is gone; make sure no orphaned worker of its group survives.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        break


def http_get(
    host: str, port: int, endpoint: Endpoint, cookies: dict[str, str], timeout: float = 10
) -> tuple[int, dict[str, str]]:
    ensure_loopback(host)
    headers = dict(endpoint.headers)
    if cookies:
        headers["Cookie"] = cookie_header(cookies)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", endpoint.path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def wait_for_health(
    proc: subprocess.Popen[bytes], host: str, port: int, log: Path, timeout_s: float
) -> None:
    deadline = time.monotonic() + timeout_s
    health = Endpoint("health", "/health")
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}:\n{tail(log)}")
        try:
            if http_get(host, port, health, {}, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"/health did not answer 200 within {timeout_s:.0f} s:\n{tail(log)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def probe(host: str, port: int, endpoint: Endpoint, cookies: dict[str, str]) -> str | None:
    """None if the endpoint answers as expected, else why not (the load is then skipped)."""
    status, headers = http_get(host, port, endpoint, cookies)
    if status != endpoint.expect_status:
        return f"status {status}, expected {endpoint.expect_status}"
    for name, value in endpoint.expect_headers.items():
        if headers.get(name.lower()) != value:
            return f"header {name}: {headers.get(name.lower())!r}, expected {value!r}"
    return None


def load(
    url: str, headers: dict[str, str], duration_s: int, args: argparse.Namespace
) -> dict[str, Any]:
    cmd = wrk_command(
        url,
        headers=headers,
        duration_s=duration_s,
        connections=args.connections,
        threads=args.threads,
    )
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse_wrk_output(done.stdout)


@dataclass
class RunningServer:
    spec: ServerSpec
    port: int
    log: Path
    proc: subprocess.Popen[bytes]
    banner: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)


def measure_endpoint(
    server: RunningServer,
    endpoint: Endpoint,
    cookies: dict[str, str],
    args: argparse.Namespace,
    *,
    warm_up: bool,
) -> dict[str, Any]:
    row: dict[str, Any] = {"name": endpoint.name, "path": endpoint.path}
    try:
        failure = probe(args.host, server.port, endpoint, cookies)
    except OSError as exc:  # a page slower than the probe's timeout is reported, not fatal
        failure = f"probe failed: {exc!r}"
    if failure:
        return {**row, "failure": failure}
    headers = dict(endpoint.headers)
    if cookies:
        headers["Cookie"] = cookie_header(cookies)
    url = f"http://{args.host}:{server.port}{endpoint.path}"
    if warm_up and args.warmup > 0:
        load(url, headers, args.warmup, args)
    report = load(url, headers, args.duration, args)
    return {**row, **report, "error_count": error_count(report)}


def bench_servers(
    specs: list[ServerSpec],
    endpoints: list[Endpoint],
    cookies: dict[str, dict[str, str]],
    env: dict[str, str],
    args: argparse.Namespace,
    stamp: str,
) -> list[dict[str, Any]]:
    """Start every server, then load endpoint by endpoint, servers in rotating order.

    Interleaving spreads the drift of a shared machine over all servers instead of letting one
    server have the quiet minute; idle servers cost no CPU. All process groups are stopped at
    the end, whatever happens.
    """
    running: list[RunningServer] = []
    try:
        for spec in specs:
            port = free_port(args.host)
            log = RESULTS_DIR / f"{stamp}-{spec.label.replace(':', '-')}.log"
            proc = start_server(spec, args.host, port, env, log)
            running.append(RunningServer(spec, port, log, proc))
            print(
                f"== {spec.label}: bin/serve on {args.host}:{port} (log {log.relative_to(ROOT)})",
                flush=True,
            )
        for server in running:
            started = time.monotonic()
            wait_for_health(server.proc, args.host, server.port, server.log, args.startup_timeout)
            server.banner = parse_serve_banner(server.log.read_text(errors="replace"))
            waited = time.monotonic() - started
            print(f"   {server.spec.label} healthy (+{waited:.1f} s): {server.banner}", flush=True)
        turn = 0
        for round_no in range(1, args.rounds + 1):
            for endpoint in endpoints:
                for server in rotated(running, turn):
                    cookie = cookies.get(endpoint.name, {})
                    # Servers stay warm between rounds: only the first one warms up.
                    row = measure_endpoint(server, endpoint, cookie, args, warm_up=round_no == 1)
                    server.rows.append({**row, "round": round_no})
                    outcome = row.get("failure") or f"{row['requests_per_s']:.0f} req/s"
                    print(
                        f"   [{round_no}] {endpoint.name} on {server.spec.label}: {outcome}",
                        flush=True,
                    )
                turn += 1
    finally:
        for server in running:
            stop_server(server.proc)
    results = []
    for server in running:
        summary = [median_row([r for r in server.rows if r["name"] == e.name]) for e in endpoints]
        results.append(
            {
                "server": server.spec.label,
                "workers": server.banner.get("workers"),
                "endpoints": with_ratios(summary),
                "rounds": server.rows,
            }
        )
    return results


def run_calendar(env: dict[str, str], seconds: float) -> dict[str, Any]:
    done = subprocess.run(
        [
            PYTHON,
            str(BENCH_DIR / "calendar_bench.py"),
            "--use-environment",
            "--json-line",
            f"--seconds={seconds}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    result: dict[str, Any] = {"returncode": done.returncode}
    for line in done.stdout.splitlines():
        if line.startswith(CALENDAR_MARKER):
            result.update(json.loads(line[len(CALENDAR_MARKER) :]))
        else:
            print(line)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
    return result


# --- Command line ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Qamqor HTTP benchmark (wrk: gunicorn, granian) and calendar micro-benchmark",
    )
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds of load per endpoint (10)"
    )
    parser.add_argument(
        "--warmup", type=int, default=2, help="seconds of unrecorded load first (2)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure every endpoint this many times, report the median round (1)",
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument(
        "--servers",
        default=",".join(SERVER_NAMES),
        help="comma-separated servers, each optionally name:workers (gunicorn,granian)",
    )
    parser.add_argument(
        "--endpoints", help="comma-separated endpoint names (all); floor is always run"
    )
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE_URL, help=f"({DEFAULT_DATABASE_URL})"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="loopback address to bind and load (127.0.0.1)"
    )
    parser.add_argument(
        "--startup-timeout", type=float, default=60, help="seconds to wait for /health (60)"
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="drop and rebuild the benchmark database first (its name must contain 'bench')",
    )
    parser.add_argument(
        "--no-prepare", action="store_true", help="skip migrate/collectstatic/compilemessages"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--calendar", action="store_true", help="run only the calendar micro-benchmark"
    )
    mode.add_argument("--no-calendar", action="store_true", help="run only the HTTP benchmark")
    parser.add_argument(
        "--calendar-seconds", type=float, default=1.0, help="seconds per calendar figure (1)"
    )
    parser.add_argument("--output", type=Path, help="results file (bench/results/<timestamp>.json)")
    args = parser.parse_args(argv)
    if args.duration < 1 or args.warmup < 0 or args.rounds < 1:
        parser.error("--duration and --rounds must be >= 1, --warmup >= 0")
    if args.threads < 1 or args.connections < args.threads:
        parser.error("--connections must be >= --threads >= 1")
    try:
        args.host = ensure_loopback(args.host)
        args.server_specs = [parse_server_spec(s) for s in args.servers.split(",") if s.strip()]
        args.selected = select_endpoints(args.endpoints)
        database_environment(args.database_url)
        if args.fresh:
            ensure_bench_name(args.database_url)
    except ValueError as exc:
        parser.error(str(exc))
    return args


def _raise_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # so that `finally` stops the servers


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run_http = not args.calendar
    if run_http and shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    started = dt.datetime.now().astimezone()
    stamp = started.strftime("%Y%m%dT%H%M%S")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    env = app_environment(args.database_url)
    if args.fresh:
        drop_database(args.database_url, env)
    if args.fresh or not args.no_prepare:
        prepare_database(args.database_url, env)

    results: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join(
            [Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]
        ),
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "database": redact_url(args.database_url),
        "options": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "rounds": args.rounds,
            "connections": args.connections,
            "threads": args.threads,
        },
        "servers": [],
    }
    failed = False
    if run_http:
        cookies = prepare_endpoints(args.selected, env)
        print(flush=True)
        results["servers"] = bench_servers(
            args.server_specs, args.selected, cookies, env, args, stamp
        )
        failed |= any(r.get("failure") for run in results["servers"] for r in run["endpoints"])
    if not args.no_calendar:
        print("\n== calendar micro-benchmark", flush=True)
        results["calendar"] = run_calendar(env, args.calendar_seconds)
        failed |= results["calendar"]["returncode"] not in (0, 3)  # 3: module not written yet

    output = args.output or RESULTS_DIR / f"{stamp}.json"
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print()
    for run in results["servers"]:
        title = (
            f"{run['server']} ({run['workers']} workers) — {args.duration} s per endpoint, "
            f"{args.connections} connections, {args.threads} wrk threads"
        )
        print(format_table(title, run["endpoints"]))
        print()
    if len(results["servers"]) > 1:
        print(format_comparison(results["servers"]))
        print()
    print(f"machine: {os.cpu_count()} cores; results in {output}")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--django-helper"]:
        django_helper()
    else:
        sys.exit(main())
