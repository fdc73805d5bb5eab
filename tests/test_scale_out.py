"""Scale-out (issue 9, item 4; docs/deployment.md): TWO application processes against ONE
PostgreSQL database and ONE Redis, plus a separate task worker, behave as one portal.

Two gunicorn servers are started through ``bin/serve`` on free loopback ports (A and B), with the
production settings (DEBUG off) pointed at the test database and at Redis under a key prefix of
their own. One browser (one cookie jar) then

1. asks for a one-time code on A and types it on B: the pending login lives in the session, so B
   must read the session A wrote; the session made by logging in on B is then valid on A;
2. opens the monitoring dashboard on A, which caches its figures; the test changes the cached
   entry in Redis and B shows the changed figure, so B answers from the cache A filled;
3. submits a specialist application on A, which enqueues the SMS/e-mail of its notification; a
   separate ``manage.py db_worker --batch`` process runs the task, and B (the administration
   site) shows the notification's SMS sent.

Needs PostgreSQL (``DATABASE_URL``) and Redis (``SCALE_OUT_REDIS_URL``, else ``REDIS_URL``, else
redis://127.0.0.1:6379/15); skipped with the reason otherwise. Every process is started in its own
process group and killed with it, also when the test fails.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role
from tests.factories import make_iin

BASE_DIR = Path(__file__).resolve().parent.parent
REDIS_URL = (
    os.environ.get("SCALE_OUT_REDIS_URL")
    or os.environ.get("REDIS_URL")
    or "redis://127.0.0.1:6379/15"
)
START_TIMEOUT = 30.0
PHONE = "+77017654321"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SCALE-OUT TEST SKIPPED: needs PostgreSQL (set DATABASE_URL); two app "
        "processes cannot share the in-memory SQLite test database",
    ),
]


def _redis_or_skip() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"SCALE-OUT TEST SKIPPED: Redis not reachable at {REDIS_URL}: {exc}")
    return client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Processes:
    """Child processes, each in its own process group; all killed by ``stop``."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(  # noqa: S603 (our own scripts, fixed arguments)
            argv,
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append((name, proc))
        return proc

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        for _name, proc in self.started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, proc in self.started:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[dict[str, Any]]:
    redis_client = _redis_or_skip()
    if shutil.which("gunicorn", path=str(BASE_DIR / ".venv" / "bin")) is None and not shutil.which(
        "gunicorn"
    ):
        pytest.skip("SCALE-OUT TEST SKIPPED: gunicorn is not installed")
    prefix = "scaleout-" + secrets.token_hex(6)
    sms_dir = tmp_path / "sms"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PYTEST", "SESSION_"))
    }
    env.update(
        {
            "SECRET_KEY": "scale-out-" + secrets.token_hex(16),
            "DEBUG": "0",
            "DATABASE_URL": _database_url(),
            "DB_CONN_MAX_AGE": "0",  # no idle connection outlives a request (test teardown)
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "0",  # plain http on loopback
            "STATIC_NO_MANIFEST": "1",
            "SMS_BACKEND": "qamqor.accounts.sms.FileBackend",
            "SMS_FILE_PATH": str(sms_dir),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "LOG_LEVEL": "WARNING",
            "SERVER": "gunicorn",
            "HOST": "127.0.0.1",
            "WEB_WORKERS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    procs = Processes(tmp_path)
    urls: dict[str, str] = {}
    try:
        for name in ("A", "B"):
            port = _free_port()
            procs.start(name, [str(BASE_DIR / "bin" / "serve")], {**env, "PORT": str(port)})
            urls[name] = f"http://127.0.0.1:{port}"
        for name, url in urls.items():
            _wait_healthy(procs, name, url)
        yield {
            "urls": urls,
            "env": env,
            "procs": procs,
            "sms": sms_dir,
            "prefix": prefix,
            "redis": redis_client,
        }
    finally:
        procs.stop()
        keys = list(redis_client.scan_iter(match=f"{prefix}:*"))
        if keys:
            redis_client.delete(*keys)


def _wait_healthy(procs: Processes, name: str, url: str) -> None:
    import requests

    deadline = time.monotonic() + START_TIMEOUT
    proc = dict(procs.started)[name]
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"app server {name} exited ({proc.returncode}):\n{procs.log(name)}")
        try:
            if requests.get(url + "/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"app server {name} not healthy after {START_TIMEOUT} s:\n{procs.log(name)}")


def _csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def _code_sent_to(sms_dir: Path, phone: str) -> str:
    for path in sorted(sms_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text.startswith(f"To: {phone}"):
            match = re.search(r"\b(\d{6})\b", text)
            if match:
                return match.group(1)
    raise AssertionError(f"no one-time code for {phone} in {sms_dir}")


def test_sessions_cache_and_tasks_work_across_two_app_processes(cluster) -> None:
    import requests
    from django.core.cache.backends.redis import RedisCache
    from django_tasks_db.models import DBTaskResult

    from qamqor.accounts.models import User
    from qamqor.notifications.models import Notification
    from tests.specialists.factories import complete_draft

    a, b = cluster["urls"]["A"], cluster["urls"]["B"]
    browser = requests.Session()
    browser.cookies.set("qamqor_language", "en")

    # --- 1. Sessions: the code asked for on A is typed on B ------------------------------------
    page = browser.get(f"{a}/accounts/otp/", timeout=10)
    assert page.status_code == 200
    sent = browser.post(
        f"{a}/accounts/otp/",
        data={
            "csrfmiddlewaretoken": _csrf(page.text),
            "channel": "sms",
            "phone": PHONE,
            "iin": make_iin(7, birth=dt.date(1990, 5, 17)),
            "surname": "Сейітова",
            "given_name": "Әлия",
            "patronymic": "Нұрланқызы",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert sent.status_code == 302, sent.text[:2000]
    code = _code_sent_to(cluster["sms"], PHONE)

    verify_page = browser.get(f"{b}/accounts/otp/verify/", timeout=10)
    assert verify_page.status_code == 200  # B found the pending login in A's session
    assert 'name="code"' in verify_page.text
    logged_in = browser.post(
        f"{b}/accounts/otp/verify/",
        data={"csrfmiddlewaretoken": _csrf(verify_page.text), "code": code},
        allow_redirects=False,
        timeout=10,
    )
    assert logged_in.status_code == 302, logged_in.text[:2000]
    assert "/accounts/login" not in logged_in.headers["Location"]

    user = User.objects.get(phone=PHONE)
    own_page = browser.get(f"{a}/accounts/representation/", allow_redirects=False, timeout=10)
    assert own_page.status_code == 200  # the session made on B is valid on A
    assert "Әлия" in own_page.text
    stranger = requests.get(f"{a}/accounts/representation/", allow_redirects=False, timeout=10)
    assert stranger.status_code == 302  # control: without the session, A asks to log in

    # --- 2. Cache: B answers from the dashboard entry A cached ---------------------------------
    grant_role(None, user, Role.MINISTRY)
    first = browser.get(f"{a}/applications/dashboard/", timeout=10)
    assert first.status_code == 200, first.text[:2000]
    redis_client = cluster["redis"]
    prefix = cluster["prefix"]
    keys = [
        key.decode()
        # The figures of the ministry's scope in the page's language (the rendering is kept
        # beside them under the same key with the time they were computed: not matched here).
        for key in redis_client.scan_iter(match=f"{prefix}:*applications.dashboard*:all:en")
    ]
    assert len(keys) == 1, keys
    shared = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    key = keys[0].split(":", 2)[2]  # "<prefix>:<version>:<key>"
    entry = shared.get(key)
    assert entry is not None and entry["totals"]["total"] == 0
    entry["totals"]["total"] = 4817  # a figure no query could give on this empty database
    entry["cache_key"] += ":edited"  # so that B renders these figures, not A's cached rendering
    shared.set(key, entry, 60)
    second = browser.get(f"{b}/applications/dashboard/", timeout=10)
    assert second.status_code == 200
    assert ">4817</a>" in second.text

    # --- 3. Tasks: A enqueues, a separate worker runs, B shows the result ----------------------
    application = complete_draft(user)
    form = browser.get(f"{a}/specialists/applications/{application.pk}/", timeout=10)
    assert form.status_code == 200, form.text[:2000]
    submitted = browser.post(
        f"{a}/specialists/applications/{application.pk}/submit/",
        data={"csrfmiddlewaretoken": _csrf(form.text)},
        allow_redirects=False,
        timeout=10,
    )
    assert submitted.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    notification = Notification.objects.get(recipient=user, kind="specialists.submitted")
    assert notification.sms_state == "pending"  # enqueued, not run by the web process

    worker = cluster["procs"].start(
        "worker",
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cluster["env"],
    )
    assert worker.wait(timeout=60) == 0, cluster["procs"].log("worker")
    notification.refresh_from_db()
    assert notification.sms_state == "sent"

    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    admin_page = browser.get(
        f"{b}/admin/notifications/notification/{notification.pk}/change/", timeout=10
    )
    assert admin_page.status_code == 200, admin_page.text[:2000]
    assert re.search(r'field-sms_state">.{0,400}class="readonly">sent<', admin_page.text, re.S), (
        admin_page.text[-3000:]
    )
    result = DBTaskResult.objects.get(task_path__endswith="deliver_notification")
    assert result.status == "SUCCESSFUL"
    assert result.worker_ids  # claimed by the separate worker process, not by A
    missing = browser.get(f"{b}/no/such/page/", timeout=10)
    assert missing.status_code == 404, missing.text[:3000]
