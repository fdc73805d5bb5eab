"""Licence events as they arrive (R-ORG-1): the input record, row errors and results of a
batch, and the parsing of each field."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from qamqor.core.models import District
from qamqor.organizations.models import (
    LicenceEventKind,
)

# --- Licence events (R-ORG-1, R-ORG-3) -----------------------------------------------------------

#: The data fields an event may carry besides its identity (event id, kind, licence, BIN, time).
DATA_FIELDS = (
    "name_kk",
    "name_ru",
    "legal_address",
    "region",
    "district",
    "services",
    "categories",
    "phone",
    "email",
    "licence_issued_on",
    "licence_valid_until",
    "basis",
)
#: R-ORG-1: an issued licence carries what the provider gave for it, enough for a whole entry.
REQUIRED_FOR_ISSUE = ("name_kk", "name_ru", "legal_address", "district", "services", "categories")


@dataclass
class LicenceEventInput:
    """One event as received, before validation. ``line`` is the source line (files) or None."""

    event_id: str = ""
    kind: str = ""
    licence_number: str = ""
    bin: str = ""
    occurred_at: str | dt.date | dt.datetime | None = None
    name_kk: str = ""
    name_ru: str = ""
    legal_address: str = ""
    region: str = ""
    district: str = ""
    services: str | Mapping[str, Any] | None = None
    categories: str | list[Any] | None = None
    phone: str = ""
    email: str = ""
    licence_issued_on: str | dt.date | None = None
    licence_valid_until: str | dt.date | None = None
    basis: str = ""
    line: int | None = field(default=None, compare=False)

    def content(self) -> dict[str, Any]:
        """The event's content as JSON-ready data (without the source line)."""
        data = asdict(self)
        data.pop("line")
        return json.loads(json.dumps(data, default=str, sort_keys=True))

    def content_hash(self) -> str:
        return hashlib.sha256(
            json.dumps(self.content(), sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()


@dataclass
class RowError:
    """One refused row: ``index`` in the batch (0-based), ``line`` in the source file if any."""

    index: int | None
    line: int | None
    event_id: str
    code: str
    message: str
    field: str | None = None

    def where(self) -> str:
        if self.line is not None:
            return _("line %(line)s") % {"line": self.line}
        if self.index is not None:
            return _("event %(number)s") % {"number": self.index + 1}
        return _("file")


@dataclass
class RowResult:
    index: int
    event_id: str
    outcome: str  # "applied" | "already_applied" | "duplicate_in_batch" | "valid" (dry run)
    organization_id: int | None = None


@dataclass
class ImportResult:
    batch_id: uuid.UUID
    rows: list[RowResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


@dataclass
class _Checked:
    """A valid event, normalised, ready to apply."""

    index: int
    event: LicenceEventInput
    kind: LicenceEventKind
    bin: str
    occurred_at: dt.datetime
    district: District | None
    services: dict[str, int]
    categories: list[str]
    values: dict[str, Any]  # Organization fields the event sets
    content_hash: str


class _RowErrors:
    def __init__(self, index: int, event: LicenceEventInput) -> None:
        self.index = index
        self.event = event
        self.items: list[RowError] = []

    def add(self, code: str, message: str, field_name: str | None = None) -> None:
        self.items.append(
            RowError(self.index, self.event.line, self.event.event_id, code, message, field_name)
        )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _parse_moment(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        text = _text(value)
        if not text:
            return None
        try:
            moment_or_none = parse_datetime(text)
            if moment_or_none is None:
                day = parse_date(text)
                if day is None:
                    return None
                moment_or_none = dt.datetime.combine(day, dt.time())
        except ValueError:
            return None
        moment = moment_or_none
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _parse_day(value: Any) -> tuple[dt.date | None, bool]:
    """(date, ok): empty is (None, True); a bad value is (None, False)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value, True
    text = _text(value)
    if not text:
        return None, True
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    return day, day is not None


def parse_services(value: Any) -> dict[str, int] | None:
    """``{"stationary": 120}`` or ``"stationary:120;at_home:30"`` → a dict; None if malformed."""
    if value is None or value == "":
        return {}
    items: Iterable[tuple[Any, Any]]
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, str):
        pairs = [p.strip() for p in value.split(";") if p.strip()]
        if any(":" not in p for p in pairs):
            return None
        items = [(p.partition(":")[0], p.partition(":")[2]) for p in pairs]
    else:
        return None
    out: dict[str, int] = {}
    for condition, capacity in items:
        try:
            number = int(str(capacity).strip())
        except ValueError:
            return None
        if number < 0:
            return None
        out[str(condition).strip()] = number
    return out


def parse_categories(value: Any) -> list[str] | None:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [c.strip() for c in value.split(";") if c.strip()]
    if isinstance(value, list):
        return [str(c).strip() for c in value]
    return None


def _find_district(code: str) -> District | None:
    if code.isdigit():
        return District.objects.select_related("region").filter(kato=code).first()
    return District.objects.select_related("region").filter(slug=code).first()
