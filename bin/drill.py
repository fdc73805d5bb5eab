#!/usr/bin/env python3
"""Fault drills (issue 10 item 7), run by ``make drill``; docs/operations.md "Fault drills".

Sets up its OWN throw-away PostgreSQL cluster (initdb in var/drill-pg, port 5440 by default,
never the shared server on 5432), then:

a. LOAD + RESTARTS: gunicorn (bin/serve) serves admissions through the API (Idempotency-Key)
   and the admission page (one-use form token) from several client threads, while the cluster
   is restarted twice (a clean fast restart and a crash: ``pg_ctl stop -m immediate``). Every
   failure must be clean (503 + the API's error structure or the static page, never a
   traceback); clients retry with the same key; afterwards every acknowledged admission exists
   exactly once and no person was admitted twice.
b. WORKER KILLED: a ``db_worker`` runs the specialists' deadline sweep, which blocks on a lock
   the drill holds mid-task; the drill SIGKILLs the worker, ``requeue_stuck_tasks`` requeues
   the task, a new worker runs it: one digest, one digest event, the flags set.
c. BACKUP/RESTORE: ``manage.py backup`` (pg_dump) while the portal serves, ``manage.py restore``
   into a fresh database (row counts and checksums compared), and a restore over a non-empty
   database refused.

Exit status 0 only when every check held. ``--keep`` leaves the cluster running to look at.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404 - the drill drives pg_ctl, gunicorn and manage.py
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
DATA = ROOT / "var" / "drill-pg"
PG_PORT = int(os.environ.get("DRILL_PG_PORT", "5440"))
WEB_PORT = int(os.environ.get("DRILL_WEB_PORT", "8765"))
DB = "qamqor_drill"
DB_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB}"
REPORT: dict[str, Any] = {}
FAILURES: list[str] = []
OWNED: list[Path] = []  # the cluster this run created (and may remove)


def say(msg: str) -> None:
    print(f"[drill {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def check(ok: bool, what: str) -> None:
    say(("ok    " if ok else "FAILED ") + what)
    if not ok:
        FAILURES.append(what)


# --- The drill's own PostgreSQL cluster ------------------------------------------------------


def pg_bin(name: str) -> str:
    for bindir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (bindir / name).exists():
            return str(bindir / name)
    found = shutil.which(name)
    if not found:
        sys.exit(f"drill: {name} not found (install the PostgreSQL server package)")
    return found


def as_postgres(args: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:  # initdb and the server refuse to run as root
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, text=True, check=kw.pop("check", True), **kw)  # nosec B603


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def pg_ctl(*args: str, check: bool = True) -> None:
    as_postgres(
        [
            pg_bin("pg_ctl"),
            "-D",
            str(DATA),
            "-w",
            "-t",
            "60",
            "-l",
            str(DATA / "server.log"),
            *args,
        ],
        check=check,
        stdout=subprocess.DEVNULL,
    )


def cluster_up() -> None:
    if not port_free(PG_PORT):
        sys.exit(f"drill: port {PG_PORT} is taken (set DRILL_PG_PORT)")
    if (DATA / "postmaster.pid").exists():
        sys.exit(f"drill: {DATA} is in use by another drill (or stale: remove it)")
    OWNED.append(DATA)
    if DATA.exists():
        shutil.rmtree(DATA)
    DATA.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(DATA, "postgres", "postgres")
    as_postgres(
        [pg_bin("initdb"), "-D", str(DATA), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories={DATA} "
        "-c max_connections=60 -c client_connection_check_interval=1000 "
        # No fsync: a killed server loses nothing the OS already has (only a machine crash
        # would); synchronous_commit stays on, so every acknowledged commit is in the OS.
        "-c fsync=off"
    )
    (DATA / "drill.opts").write_text(options)
    pg_ctl("-o", options, "start")
    subprocess.run(  # nosec B603
        [pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", DB],
        check=True,
    )


def cluster_restart(mode: str) -> float:
    """Restart the drill cluster; ``immediate`` is a crash (WAL recovery on start)."""
    options = (DATA / "drill.opts").read_text()
    start = time.monotonic()
    pg_ctl("-m", mode, "stop")
    time.sleep(2)  # the outage the clients see
    pg_ctl("-o", options, "start")
    return time.monotonic() - start


def cluster_down() -> None:
    if not OWNED:  # never stop a cluster another drill started
        return
    if (DATA / "postmaster.pid").exists():
        pg_ctl("-m", "fast", "stop", check=False)
    shutil.rmtree(DATA, ignore_errors=True)


# --- The portal -------------------------------------------------------------------------------

ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "SECRET_KEY": os.environ.get("DRILL_SECRET_KEY", secrets.token_urlsafe(40)),
    # Production refuses to start without keys of the personal data encrypted at rest
    # (docs/privacy.md): a fresh key per drill, never the public development key.
    "FIELD_ENCRYPTION_KEYS": os.environ.get("DRILL_FIELD_ENCRYPTION_KEYS")
    or base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "DEBUG": "",
    "SECURE_COOKIES": "0",
    "DB_CONN_MAX_AGE": "600",
    "LOG_LEVEL": "WARNING",
}
for _name in ("REDIS_URL", "TASKS_BACKEND"):
    ENV.pop(_name, None)


def manage(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # nosec B603
        [PY, "manage.py", *args], cwd=ROOT, env=ENV, text=True, capture_output=True, check=check
    )


def command(*args: str) -> subprocess.CompletedProcess[str]:
    """A management command in this process (Django set up with the drill's settings): each
    ``manage.py`` start costs seconds on a busy machine. Same shape as ``manage``'s answer."""
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connections

    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        code = 1
    finally:
        connections.close_all()
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def django_setup() -> None:
    os.environ.update({k: v for k, v in ENV.items() if k not in ("PATH",)})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qamqor.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.SPECIALISTS_PRIVATE_ROOT = ROOT / "var" / "drill-private"  # the drill's attachments


def seed() -> dict[str, Any]:
    """An organization with room for everyone, its staff member with a session, and the
    specialists' overdue application for the worker drill."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from qamqor.accounts import services as account_services
    from qamqor.accounts.roles import Role
    from qamqor.journal.locks import journal_for_update
    from tests.factories import OrganizationServiceFactory, UserFactory

    org = OrganizationServiceFactory(capacity=100_000).organization
    staff = UserFactory()
    account_services.grant_role(None, staff, Role.ORGANIZATION_STAFF, organization=org)
    with transaction.atomic():
        journal = journal_for_update(org.pk, "stationary")
    session = SessionStore()
    session[SESSION_KEY] = str(staff.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
    session.create()
    return {
        "journal": journal.pk,
        "session": session.session_key,
        "cookie": settings.SESSION_COOKIE_NAME,
    }


def serve() -> subprocess.Popen[bytes]:
    env = {**ENV, "SERVER": "gunicorn", "PORT": str(WEB_PORT), "WEB_WORKERS": "3"}
    if not port_free(WEB_PORT):
        sys.exit(f"drill: port {WEB_PORT} is taken (set DRILL_WEB_PORT)")
    log = open(ROOT / "var" / "drill-web.log", "wb")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(  # nosec B603
        ["bash", "bin/serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    import requests

    for _ in range(240):
        try:
            if requests.get(f"http://127.0.0.1:{WEB_PORT}/health", timeout=60).ok:
                break
        except requests.RequestException:
            time.sleep(0.5)
    else:
        proc.kill()
        sys.exit("drill: gunicorn did not start (var/drill-web.log)")
    # Warm every worker (each imports the application on its first request) before the load.
    warm = [
        threading.Thread(
            target=lambda: requests.get(
                f"http://127.0.0.1:{WEB_PORT}/api/v1/journal/organizations/1/counts", timeout=120
            )
        )
        for _ in range(9)
    ]
    for t in warm:
        t.start()
    for t in warm:
        t.join()
    return proc


# --- a. Load with restarts --------------------------------------------------------------------

TRACE = re.compile(r"Traceback|File \"/|OperationalError|psycopg", re.I)


class Client:
    """One person at the keyboard: sends, and on any failure sends the SAME request again."""

    def __init__(self, ctx: dict[str, Any], stats: Counter[str], bad: list[str]) -> None:
        import requests

        self.http = requests.Session()
        self.base = f"http://127.0.0.1:{WEB_PORT}"
        self.csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
        self.http.headers["Cookie"] = f"{ctx['cookie']}={ctx['session']}; csrftoken={self.csrf}"
        self.http.headers["X-CSRFToken"] = self.csrf
        self.ctx, self.stats, self.bad = ctx, stats, bad

    def _look(self, r: Any) -> None:
        self.stats[f"status {r.status_code}"] += 1
        if r.status_code >= 500:
            body = r.text
            if TRACE.search(body):
                self.bad.append(f"{r.status_code} leaked internals: {body[:200]!r}")
            if r.status_code != 503:
                self.bad.append(f"{r.status_code} instead of 503: {body[:200]!r}")
            elif r.request.url.startswith(f"{self.base}/api/"):
                code = (r.json().get("errors") or [{}])[0].get("code")
                if code != "service.unavailable":
                    self.bad.append(f"503 without the API structure: {body[:200]!r}")
            elif "<html" not in body:
                self.bad.append(f"503 page is not the page: {body[:200]!r}")

    def send(self, method: str, path: str, deadline: float, **kw: Any) -> Any:
        import requests

        while time.monotonic() < deadline:
            try:
                r = self.http.request(
                    method, self.base + path, timeout=60, allow_redirects=False, **kw
                )
            except requests.RequestException as exc:
                self.stats[f"connection error {type(exc).__name__}"] += 1
                time.sleep(0.3)
                continue
            self._look(r)
            if r.status_code < 500:
                return r
            time.sleep(0.3)
        return None


def api_person(n: int) -> dict[str, Any]:
    from tests.factories import make_iin

    return {"iin": make_iin(n % 9000, birth=_birth(n)), "full_name": f"Drill Person {n}"}


def _birth(n: int) -> Any:
    import datetime as dt

    return dt.date(1940 + n // 9000, 1 + (n // 900) % 12, 1 + (n // 90) % 28)


def load_run(ctx: dict[str, Any], seconds: float, restarts: list[tuple[float, str]]) -> None:
    stats: Counter[str] = Counter()
    bad: list[str] = []
    sent: dict[str, str] = {}  # key → iin of every request sent
    acknowledged: dict[str, tuple[str, int | None]] = {}  # key → (iin, stay id from the 2xx)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    counter = iter(range(10**9))

    def api_worker(w: int) -> None:
        c = Client(ctx, stats, bad)
        while time.monotonic() < stop_at:
            with lock:
                n = next(counter)
            person, key = api_person(n), f"drill-api-{n}"
            with lock:
                sent[key] = person["iin"]
            body = {
                "on": time.strftime("%Y-%m-%d"),
                "order_number": f"D-{n}",
                "order_date": time.strftime("%Y-%m-%d"),
                "person": person,
            }
            r = c.send(
                "POST",
                f"/api/v1/journal/journals/{ctx['journal']}/admissions",
                stop_at + 60,  # a started request is retried until it gets an answer
                json=body,
                headers={"Idempotency-Key": key},
            )
            if r is not None and r.status_code == 201:
                with lock:
                    acknowledged[key] = (person["iin"], r.json()["id"])
                    if r.headers.get("Idempotent-Replayed"):
                        stats["replayed"] += 1
            elif r is not None:
                bad.append(f"API admission {key}: {r.status_code} {r.text[:200]}")

    def page_worker() -> None:
        c = Client(ctx, stats, bad)
        form_path = f"/journal/{ctx['journal']}/admit/"
        while time.monotonic() < stop_at:
            page = c.send("GET", form_path, stop_at + 60)
            if page is None:
                continue
            match = re.search(r'name="idempotency_token" value="([0-9a-f]+)"', page.text)
            if not match:
                bad.append(f"admission page has no token ({page.status_code})")
                return
            with lock:
                n = next(counter)
            person = api_person(n)
            key = f"page-{match.group(1)}"
            with lock:
                sent[key] = person["iin"]
            r = c.send(
                "POST",
                form_path,
                stop_at + 60,
                data={
                    "csrfmiddlewaretoken": c.csrf,
                    "idempotency_token": match.group(1),
                    "iin": person["iin"],
                    "full_name": person["full_name"],
                    "on": time.strftime("%Y-%m-%d"),
                    "order_number": f"P-{n}",
                    "order_date": time.strftime("%Y-%m-%d"),
                },
                headers={"Referer": f"http://127.0.0.1:{WEB_PORT}{form_path}"},
            )
            if r is not None and r.status_code == 302:
                with lock:
                    acknowledged[key] = (person["iin"], None)
            elif r is not None:
                bad.append(f"page admission: {r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=api_worker, args=(i,)) for i in range(4)]
    threads.append(threading.Thread(target=page_worker))
    started = time.monotonic()
    for t in threads:
        t.start()
    outages = []
    for at, mode in restarts:
        time.sleep(max(0.0, started + at - time.monotonic()))
        say(f"restarting PostgreSQL ({mode}) under load")
        outages.append(round(cluster_restart(mode), 1))
        stats[f"restart {mode}"] += 1
    for t in threads:
        t.join()
    REPORT["load"] = {
        "seconds": round(time.monotonic() - started, 1),
        "requests_started": len(sent),
        "acknowledged": len(acknowledged),
        "outages_s": outages,
        "answers": dict(sorted(stats.items())),
    }
    say(f"load: {json.dumps(REPORT['load'], ensure_ascii=False)}")
    check(not bad, f"every failure was clean and every request got an answer ({len(bad)} bad)")
    for line in bad[:10]:
        say(f"       {line}")
    check(
        stats["status 503"] + sum(v for k, v in stats.items() if "error" in k) > 0,
        "the restarts were seen by the clients (the fault was real)",
    )

    from django.db import connections

    connections.close_all()  # the drill's own connection died with the restarts
    from qamqor.journal.models import Stay

    per_iin = Counter(
        Stay.objects.filter(journal_id=ctx["journal"]).values_list("person_iin", flat=True)
    )
    duplicates = {iin: n for iin, n in per_iin.items() if n > 1}
    check(not duplicates, f"no person admitted twice ({len(duplicates)} duplicated)")
    lost = [
        key
        for key, (iin, stay_id) in acknowledged.items()
        if per_iin.get(iin, 0) != 1
        or (stay_id is not None and not Stay.objects.filter(pk=stay_id, person_iin=iin).exists())
    ]
    check(not lost, f"every acknowledged admission exists exactly once ({len(lost)} lost)")
    unacked = set(per_iin) - {iin for iin, _ in acknowledged.values()}
    check(not unacked, f"no admission stored that nobody was told about ({len(unacked)})")
    check(len(acknowledged) > 20, f"the load was real ({len(acknowledged)} acknowledged writes)")


# --- b. A worker killed mid-task ----------------------------------------------------------------


def worker_kill() -> None:
    import datetime as dt

    import psycopg
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from qamqor.core.models import DomainEvent
    from qamqor.notifications.models import Notification
    from qamqor.specialists.models import Application, DueFlag
    from qamqor.specialists.tasks import sweep_deadlines
    from tests.specialists.factories import registry_admin, submitted

    admins = [registry_admin(), registry_admin()]
    app = submitted(at=timezone.now() - dt.timedelta(days=30))
    result = sweep_deadlines.enqueue()

    # The drill holds a lock the task needs half-way (its digest's notifications), so the
    # worker is caught mid-task, its transaction open, the task RUNNING.
    blocker = psycopg.connect(DB_URL.replace("postgres://", "postgresql://"))
    blocker.execute("LOCK TABLE notifications_notification IN ACCESS EXCLUSIVE MODE")
    worker = subprocess.Popen(  # nosec B603
        [PY, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "-v", "0"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    waiting = False
    while time.monotonic() < deadline and not waiting:
        time.sleep(0.2)
        waiting = bool(
            blocker.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'notifications_notification' AND NOT l.granted"
            ).fetchone()[0]
        )
    check(waiting, "the worker was caught mid-task (waiting on the drill's lock)")
    check(
        DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING,
        "the task is RUNNING when the worker dies",
    )
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    say("worker SIGKILLed mid-task")
    blocker.rollback()
    blocker.close()
    time.sleep(2)  # the server notices the dead client and rolls its transaction back
    check(
        DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING,
        "django-tasks-db leaves the killed task RUNNING (it has no recovery of its own)",
    )
    digests = Notification.objects.filter(kind="specialists.digest")
    check(digests.count() == 0, "the killed task left no half effect (no digest yet)")
    out = command("requeue_stuck_tasks", "--minutes", "0").stdout.strip()
    say(f"requeue_stuck_tasks: {out}")
    command("db_worker", "--batch", "--no-startup-delay", "-v", "0")
    done = DBTaskResult.objects.get(pk=result.id)
    check(done.status == TaskResultStatus.SUCCESSFUL, f"the task ran again ({done.status})")
    check(len(done.worker_ids) == 2, f"by a second worker ({done.worker_ids})")
    check(
        digests.count() == len(admins)
        and DomainEvent.objects.filter(verb="specialists.digest").count() == 1,
        f"its effects happened once ({digests.count()} digests for {len(admins)} admins)",
    )
    check(Application.objects.get(pk=app.pk).due_flag == DueFlag.OVERDUE, "the flag is set")
    sweep_deadlines.enqueue()  # delivered twice (a requeue racing a slow worker)
    command("db_worker", "--batch", "--no-startup-delay", "-v", "0")
    check(digests.count() == len(admins), "a second run of the same task adds nothing")
    REPORT["worker"] = {"requeue": out, "worker_ids": done.worker_ids}


# --- c. Backup and restore -----------------------------------------------------------------------


def backup_restore(ctx: dict[str, Any]) -> None:
    folder = ROOT / "var" / "drill-backups"
    shutil.rmtree(folder, ignore_errors=True)
    # The portal keeps admitting people during the backup: the dump and its manifest must
    # still agree (one snapshot).
    stats: Counter[str] = Counter()
    bad: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        c = Client(ctx, stats, bad)
        n = 5 * 10**5
        while not stop.is_set():
            n += 1
            c.send(
                "POST",
                f"/api/v1/journal/journals/{ctx['journal']}/admissions",
                time.monotonic() + 60,
                json={
                    "on": time.strftime("%Y-%m-%d"),
                    "order_number": f"B-{n}",
                    "order_date": time.strftime("%Y-%m-%d"),
                    "person": api_person(n),
                },
                headers={"Idempotency-Key": f"drill-backup-{n}"},
            )

    thread = threading.Thread(target=writer)
    thread.start()
    started = time.monotonic()
    try:
        path = command("backup", "--dir", str(folder)).stdout.strip()
    finally:
        stop.set()
        thread.join()
    took = round(time.monotonic() - started, 1)
    say(f"writes during the backup: {stats['status 201']} admissions")
    manifest = json.loads(Path(f"{path}.manifest.json").read_text())["tables"]
    rows = sum(t["rows"] for t in manifest.values())
    say(f"backup {Path(path).name}: {len(manifest)} tables, {rows} rows, {took}s")
    fresh = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB}_restored"
    r = command("restore", path, "--to", fresh)
    check(
        r.returncode == 0,
        "restored into a fresh database, counts and checksums equal: "
        + (r.stdout.strip() or r.stderr.strip()[-300:]),
    )
    again = command("restore", path, "--to", fresh)
    check(again.returncode != 0 and "not empty" in again.stderr, "a non-empty database is refused")
    forced = command("restore", path, "--to", fresh, "--force")
    check(
        forced.returncode == 0,
        f"--force overwrites it, checked again: {forced.stderr.strip()[-300:]}",
    )
    REPORT["backup"] = {"tables": len(manifest), "rows": rows, "seconds": took}


# --- Main --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=40, help="length of the load run")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    args = parser.parse_args()
    t0 = time.monotonic()
    web = None
    try:
        say(f"own PostgreSQL cluster in {DATA.relative_to(ROOT)} on port {PG_PORT}")
        cluster_up()
        say("migrating the drill database")
        manage("migrate", "--no-input", "-v", "0")
        manage("collectstatic", "--no-input", "-v", "0")
        django_setup()
        ctx = seed()
        web = serve()
        say(f"gunicorn on :{WEB_PORT}; load for {args.seconds:.0f}s with two restarts")
        s = args.seconds
        load_run(ctx, s, [(s * 0.25, "fast"), (s * 0.6, "immediate")])
        from django.db import connections

        connections.close_all()
        backup_restore(ctx)
        worker_kill()
    finally:
        if web is not None:
            web.send_signal(signal.SIGTERM)
            try:
                web.wait(timeout=30)
            except subprocess.TimeoutExpired:
                web.kill()
        if not args.keep:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: S110 - Django may not be set up yet
                pass
            cluster_down()
            shutil.rmtree(ROOT / "var" / "drill-private", ignore_errors=True)
    REPORT["runtime_s"] = round(time.monotonic() - t0, 1)
    REPORT["failures"] = FAILURES
    (ROOT / "var" / "drill-report.json").write_text(
        json.dumps(REPORT, indent=1, ensure_ascii=False)
    )
    say(f"runtime {REPORT['runtime_s']}s; report in var/drill-report.json")
    if FAILURES:
        say(f"DRILL FAILED: {len(FAILURES)} check(s)")
        return 1
    say("DRILL PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
