"""Personal content (the cabinet's sections, "my place in the queue"), cached and checked against
the database on every view (issue 9: the cabinet was the one read page far below its target,
0.08-0.13 of the floor).

A cabinet shows a person's own rows, so it cannot be shared like the public registry's pages
(``core.pagecache``); and a personal page must never be stale, whatever process served the last
write. So the code that renders it declares what its rows depend on, as querysets (a section
provider with ``@watching(...)``; ``cached(name, watches, ...)`` for a page's content):

* ``latest(qs)``: the newest change key of ``qs``. For an audited model that is its history
  table's ``history_id``: every write of an audited model leaves a history row with a new,
  higher key, the set-based ones included (``core.history.audited_update``,
  ``history_rows_from_table``), so a change of any watched row, and a new row, makes it grow.
  For an append-only model (a movement, a read of a file, a consent record) it is the row's key.
* ``counted(qs)``: the number of rows (a notification read or not).

On every view one statement reads all of them (each a scalar subquery on indexed columns,
compiled once per process and database vendor from the querysets with ``core.hotsql``): the
*fingerprint*. The rendered content is cached under its name, the person, the viewer, the
language, the day (a "days left" changes at midnight) and the fingerprint; the cabinet's
sections each under their own figures (``cached_each``), so a new notification renders the
inbox's section again and takes the other nine from the cache. The fingerprint is
read before the content is rendered, so what is cached is never older than the key it is cached
under; a write that commits in between only leaves an entry nobody asks for again.

A section provider without ``@watching`` is rendered on every view (the safe default for a new
section). Reference names that are not audited (regions, districts) are not watched: an entry
lives at most ``CABINET_CACHE_SECONDS`` (default 300), which also bounds a deployment's template
change. tests/cabinet/test_freshness.py, tests/journal/test_cabinet_freshness.py and
tests/applications/test_cabinet_freshness.py check each watch: every write the portal makes to
what is shown changes the next view, exactly as a fresh render would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone, translation

from qamqor.core import hotsql

#: Stand-ins for the values of a view (``core.hotsql.arg``), written into the watched querysets
#: and replaced by the real ones when the statement runs.
PERSON = hotsql.arg("person")
USER = hotsql.arg("user")
PERSON_IIN = hotsql.arg("person_iin", str)

_KEY_PREFIX = "qamqor:personal:v1"


@dataclass(frozen=True)
class Watch:
    """One figure of the fingerprint: ``aggregate`` (MAX or COUNT) of ``queryset``'s column."""

    aggregate: str
    queryset: QuerySet[Any]


def latest(queryset: QuerySet[Any], field: str = "history_id") -> Watch:
    """The highest ``field`` (a history key, or an append-only row's key) of ``queryset``."""
    return Watch("MAX", queryset.order_by().values(v=F(field)))


def counted(queryset: QuerySet[Any]) -> Watch:
    return Watch("COUNT", queryset.order_by().values(v=F("pk")))


Watches = Callable[[], Sequence[Watch]]


def watching(build: Watches) -> Callable[[Any], Any]:
    """Declare what a section provider's rows depend on: ``build()`` returns the ``Watch``-es,
    written with ``PERSON``, ``USER`` and ``PERSON_IIN`` for the values of the view."""

    def mark(provider: Any) -> Any:
        provider.watches = build
        return provider

    return mark


#: (name of the cached content, database vendor) -> its fingerprint statement and, for each
#: group of watches, the columns of the statement that are its figures.
_COMPILED: dict[tuple[str, str], tuple[hotsql.Compiled, tuple[tuple[int, ...], ...]]] = {}


def _compile(
    groups: Sequence[Sequence[Watch]],
) -> tuple[hotsql.Compiled, tuple[tuple[int, ...], ...]]:
    parts: list[str] = []
    params: list[Any] = []
    column: dict[tuple[str, tuple[Any, ...]], int] = {}
    columns = []
    for watches in groups:
        mine = []
        for watch in watches:
            compiled = hotsql.compile_query(watch.queryset)
            part = f"(SELECT {watch.aggregate}(w.v) FROM ({compiled.sql}) w)"  # noqa: S608  # nosec B608
            # Two groups watching the same rows (the catalogue's names, say) share a column.
            if (part, compiled.params) not in column:
                column[(part, compiled.params)] = len(parts)
                parts.append(part)
                params.extend(compiled.params)
            mine.append(column[(part, compiled.params)])
        columns.append(tuple(mine))
    return hotsql.Compiled("SELECT " + ", ".join(parts), tuple(params)), tuple(columns)


def fingerprints(
    name: str, groups: Callable[[], Sequence[Sequence[Watch]]], person: Any, user: Any
) -> list[tuple[Any, ...]]:
    """The figures of each group of ``groups()`` for this view, all in one statement compiled
    once per ``name`` (unique to the groups) and database vendor."""
    key = (name, connection.vendor)
    found = _COMPILED.get(key)
    if found is None:
        found = _COMPILED[key] = _compile(groups())
    statement, columns = found
    values = {"person": person.pk, "user": user.pk, "person_iin": person.iin}
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.bind(values))
        row = cursor.fetchone()
    return [tuple(row[i] for i in mine) for mine in columns]


def fingerprint(
    name: str, watches: Callable[[], Sequence[Watch]], person: Any, user: Any
) -> tuple[Any, ...]:
    """The figures of ``watches()`` for this view (one group)."""
    return fingerprints(name, lambda: [watches()], person, user)[0]


def cache_key(name: str, person: Any, user: Any, figures: tuple[Any, ...]) -> str:
    """Per content, person shown, viewer, language, day and fingerprint."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    digest = hashlib.sha256(repr((name, figures)).encode()).hexdigest()[:32]
    day = timezone.localdate().isoformat()
    return f"{_KEY_PREFIX}:{person.pk}:{user.pk}:{language}:{day}:{digest}"


def cached_each(
    name: str,
    parts: Sequence[tuple[str, Callable[[], Sequence[Watch]], Callable[[], Any]]],
    request: Any,
    person: Any,
) -> list[Any]:
    """For each ``(part, watches, render)`` of ``parts``: ``render()`` for this view, from the
    cache while nothing its ``watches()`` read changed since it was rendered. One statement reads
    the figures of every part; only the parts whose figures changed are rendered again (a new
    notification renders the inbox's section, not the IPR's). ``render`` must return what
    depends only on what it watches, the person, the viewer, the language and the day."""
    user = request.user
    figures = fingerprints(name, lambda: [watches() for _, watches, _ in parts], person, user)
    keys = [
        cache_key(f"{name}#{part}", person, user, f)
        for (part, _, _), f in zip(parts, figures, strict=True)
    ]
    found = cache.get_many(keys)
    out, new = [], {}
    for key, (_, _, render) in zip(keys, parts, strict=True):
        entry = found.get(key)
        if not isinstance(entry, tuple):  # stored as (value,): a None rendered is kept too
            entry = new[key] = (render(),)
        out.append(entry[0])
    if new:
        cache.set_many(new, timeout=settings.CABINET_CACHE_SECONDS)
    return out


def cached(
    name: str,
    watches: Callable[[], Sequence[Watch]],
    request: Any,
    person: Any,
    render: Callable[[], Any],
) -> Any:
    """``render()`` for this view (``person`` shown to ``request.user``), from the cache while
    nothing ``watches()`` reads changed since it was rendered (``cached_each`` with one part)."""
    return cached_each(name, [("", watches, render)], request, person)[0]
