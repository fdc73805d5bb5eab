"""Cache of the rendered content of public pages (issue 9 item 3).

A public list page (the registry of organizations, the registry of specialists) shows the same
thing to everybody who asks the same question in the same language, so its rendered content
block is cached under a key made of:

* the page's *namespace* and the namespace's **data version**,
* the active language,
* the whole query string (every parameter, sorted), so the links the page builds from it
  (``{% querystring %}``) are those of the request.

The data version is a token in the cache that changes whenever a row of a model the namespace
watches is saved or deleted (``post_save``/``post_delete``, and ``rows_changed`` sent by
``audited_update``/``audited_bulk_create``, the only set-based writes of audited models). It is
changed at once and again when the transaction commits, so a reader who cached the old rows while
the write was in flight never serves them under the new token. Entries also expire after
``PAGE_CACHE_SECONDS`` (default 300): without ``REDIS_URL`` each process has its own memory
cache, and the other processes see a change only when their entry expires (docs/operations.md).

Only the content block goes through here: the header (user's name, CSRF token, inbox count) and
everything personal are rendered per request. A page behind a login must never use it.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import translation
from django.utils.safestring import SafeString

from qamqor.core.db_router import using_primary

#: Sent by qamqor.core.history.audited_update / audited_bulk_create with ``sender=model``.
rows_changed = Signal()

#: namespace -> labels ("app_label.modelname") of the models its pages read.
_WATCHED: dict[str, frozenset[str]] = {}
_KEY_PREFIX = "qamqor:pagecache"


def watch(namespace: str, models: Iterable[str]) -> None:
    """Declare that the pages of ``namespace`` read these models (call from AppConfig.ready)."""
    _WATCHED[namespace] = _WATCHED.get(namespace, frozenset()) | {m.lower() for m in models}


def _version_key(namespace: str) -> str:
    return f"{_KEY_PREFIX}:v:{namespace}"


def version(namespace: str) -> str:
    """The current data version of ``namespace`` (a new random token if the cache has none)."""
    key = _version_key(namespace)
    current = cache.get(key)
    if current is None:
        current = secrets.token_hex(8)
        # add(): of two processes starting at once, both end up with the same token.
        if not cache.add(key, current, timeout=None):
            current = cache.get(key) or current
    return str(current)


def bump(namespace: str) -> None:
    """Make every cached page of ``namespace`` stale."""
    cache.set(_version_key(namespace), secrets.token_hex(8), timeout=None)


def bump_all() -> None:
    """Make every cached page stale (tests; after a restore of the database)."""
    for namespace in _WATCHED:
        bump(namespace)


def _changed(sender: Any, **kwargs: Any) -> None:
    label = getattr(getattr(sender, "_meta", None), "label_lower", None)
    if label is None:
        return
    for namespace, labels in _WATCHED.items():
        if label in labels:
            bump(namespace)
            transaction.on_commit(functools.partial(bump, namespace))


def connect_signals() -> None:
    post_save.connect(_changed, dispatch_uid="qamqor.pagecache.post_save")
    post_delete.connect(_changed, dispatch_uid="qamqor.pagecache.post_delete")
    rows_changed.connect(_changed, dispatch_uid="qamqor.pagecache.rows_changed")


def request_key(namespace: str, request: HttpRequest, part: str = "") -> str:
    """The cache key of ``request``'s content in ``namespace`` at the current data version;
    ``part`` names one of several cached pieces of the same page (its title, say)."""
    query = sorted((k, v) for k, values in request.GET.lists() for v in values)
    digest = hashlib.sha256(repr((request.path, query, part)).encode()).hexdigest()[:32]
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"{_KEY_PREFIX}:{namespace}:{version(namespace)}:{language}:{digest}"


def cached_content(
    namespace: str, request: HttpRequest, render: Callable[[], str], part: str = ""
) -> str:
    """``render()`` (a rendered template), cached for this request's question.

    What ``render`` raises (``Http404`` for an entry that is not public) is never cached: the
    next request asks the database again.

    The cache keeps the ``SafeString`` that ``render_to_string`` returns (pickled with its type),
    so no ``mark_safe`` is needed; anything else that came back would be escaped, never trusted.
    """
    key = request_key(namespace, request, part)
    html = cache.get(key)
    if not isinstance(html, SafeString):
        # Rendered from the primary: a lagging replica would store old rows under the new version.
        with using_primary():
            html = render()
        cache.set(key, html, timeout=settings.PAGE_CACHE_SECONDS)
    return html
