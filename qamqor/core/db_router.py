"""Reads that may go to a PostgreSQL read replica (issue 9, item 4; docs/deployment.md).

PostgreSQL's primary (``default``) is the single source of truth. A streaming replica
(``DATABASE_REPLICA_URL``, alias ``replica``) may lag behind it by a moment, so reads go there
ONLY where the whole code path has opted in and a slightly old answer is acceptable:

- inside ``using_replica()`` (a context manager), or
- in a GET/HEAD request to one of ``settings.REPLICA_READ_VIEWS`` (the public registries of
  organizations and specialists, their exports, the monitoring dashboard): ``ReplicaReadMiddleware``
  opens ``using_replica()`` around the view and around a streamed response's body.

Even then a read stays on the primary when

- no replica is configured (the router then never answers, so Django uses ``default``);
- a transaction is open on the primary (a read inside a write transaction must see that
  transaction's own rows and hold its locks);
- the model belongs to ``settings.REPLICA_EXCLUDED_APPS``: the logged-in person's own data and
  the security state (sessions, users and role grants, the inbox, lockouts, task results).
  The middleware also loads the session and the user from the primary before the view starts.

Writes always go to the primary, also for a row that was read from the replica.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

REPLICA = "replica"

# Apps whose rows are never read from the replica (see the module docstring).
DEFAULT_EXCLUDED_APPS = (
    "sessions",
    "accounts",
    "auth",
    "axes",
    "notifications",
    "django_tasks_db",
    "admin",
)

_replica_reads: ContextVar[bool] = ContextVar("qamqor_replica_reads", default=False)


def replica_configured() -> bool:
    """True when a ``replica`` database alias exists (``DATABASE_REPLICA_URL`` is set)."""
    return REPLICA in connections.settings


def replica_reads_enabled() -> bool:
    """True inside ``using_replica()`` (whether or not a replica is configured)."""
    return _replica_reads.get()


@contextmanager
def using_replica() -> Iterator[None]:
    """Let reads that tolerate a little lag go to the replica while the block runs."""
    previous = _replica_reads.get()
    _replica_reads.set(True)
    try:
        yield
    finally:
        # Set back rather than reset by token: a streamed body's generator may be finished
        # from another context than the one that started it.
        _replica_reads.set(previous)


@contextmanager
def using_primary() -> Iterator[None]:
    """Read from the primary while the block runs, even inside ``using_replica()``.

    For content that is cached under the current data version (``core.pagecache``): rendered from
    a lagging replica it would keep yesterday's rows under today's version until it expires.
    """
    previous = _replica_reads.get()
    _replica_reads.set(False)
    try:
        yield
    finally:
        _replica_reads.set(previous)


def _excluded_apps() -> frozenset[str]:
    return frozenset(getattr(settings, "REPLICA_EXCLUDED_APPS", DEFAULT_EXCLUDED_APPS))


class ReplicaRouter:
    """Django database router: see the module docstring for when a read goes to the replica."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if not _replica_reads.get() or not replica_configured():
            return None
        if model._meta.app_label in _excluded_apps():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        # Explicit: without an answer Django would write a row back to the database it was
        # read from, i.e. to the replica.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        both = {obj1._state.db, obj2._state.db}
        if both <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True  # the same data: the replica is a copy of the primary
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        if db == REPLICA:
            return False  # a physical replica follows the primary's schema by itself
        return None


def view_reads_replica(request: HttpRequest) -> bool:
    """True for a GET/HEAD request to a view listed in ``settings.REPLICA_READ_VIEWS``
    (URL names, ``fnmatch`` patterns such as ``"organizations:export_*"``)."""
    if request.method not in ("GET", "HEAD"):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    patterns = getattr(settings, "REPLICA_READ_VIEWS", ())
    return any(fnmatch.fnmatchcase(match.view_name, pattern) for pattern in patterns)


def _within_replica(content: Iterator[bytes]) -> Iterator[bytes]:
    with using_replica():
        yield from content


class ReplicaReadMiddleware:
    """Opens ``using_replica()`` around the views of ``settings.REPLICA_READ_VIEWS``.

    Placed near the end of ``MIDDLEWARE`` so that the session, the authentication and the
    messages run outside it, on the primary. A streamed export reads its rows while the server
    sends the body, after the view has returned: its body is wrapped too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured() or not view_reads_replica(request):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None:
            # Load the session and the user from the primary now (they are lazy).
            bool(user.is_authenticated)
        with using_replica():
            response = self.get_response(request)
        if response.streaming:
            response.streaming_content = _within_replica(response.streaming_content)  # type: ignore[attr-defined]
        return response
