"""Writes to the registry of organizations (R-ORG-1…4).

* ``apply_licence_events``: events of the licensing system (issued / re-issued / suspended /
  terminated) create, update, suspend and exclude entries. The whole batch is validated first,
  every bad row is reported with its position, and the batch is applied all or nothing.
  Delivery is idempotent by event id.
* ``update_contacts``, ``set_consent``, ``exclude_organization``: acts of staff, each checking
  permission, writing history and recording a domain event in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from qamqor.accounts.permissions import require
from qamqor.core import identifiers
from qamqor.core.audit import record_event
from qamqor.core.errors import ConflictError, DomainError
from qamqor.core.history import acting_as
from qamqor.core.models import District, Region
from qamqor.organizations.models import (
    LicenceEvent,
    LicenceEventKind,
    LicenceEventSource,
    Organization,
    OrganizationService,
    OrganizationStatus,
    RecipientCategory,
    ServiceCondition,
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


def _check_event(
    index: int, event: LicenceEventInput, known: dict[str, _Licence | None]
) -> tuple[_Checked | None, list[RowError]]:
    """Validate one event against the database and the earlier events of the batch."""
    errors = _RowErrors(index, event)
    if not _text(event.event_id):
        errors.add("licence_event.event_id_required", _("The event id is missing."), "event_id")
    elif len(_text(event.event_id)) > 100:
        errors.add(
            "licence_event.event_id_too_long",
            _("The event id must be at most 100 characters."),
            "event_id",
        )
    try:
        kind = LicenceEventKind(_text(event.kind))
    except ValueError:
        errors.add(
            "licence_event.kind",
            _(
                "The event kind must be one of: issued, reissued, suspended, terminated; "
                "got “%(value)s”."
            )
            % {"value": _text(event.kind)},
            "kind",
        )
        kind = None
    licence = _text(event.licence_number)
    if not licence:
        errors.add(
            "licence_event.licence_number_required",
            _("The licence number is missing."),
            "licence_number",
        )
    elif len(licence) > 64:
        errors.add(
            "licence_event.licence_number_too_long",
            _("The licence number must be at most 64 characters."),
            "licence_number",
        )
    bin_ = identifiers.strip_spaces(event.bin)
    try:
        identifiers.parse_bin(bin_)
    except ValidationError as exc:
        errors.add(f"bin.{exc.code}", str(exc.messages[0]), "bin")
    occurred_at = _parse_moment(event.occurred_at)
    if occurred_at is None:
        errors.add(
            "licence_event.occurred_at",
            _("The event date is missing or is not a date (YYYY-MM-DD)."),
            "occurred_at",
        )

    values: dict[str, Any] = {}
    for name in ("name_kk", "name_ru", "legal_address"):
        text = _text(getattr(event, name))
        if text:
            if len(text) > 500:
                errors.add("licence_event.too_long", _("At most 500 characters, please."), name)
            values[name] = text
    if kind == LicenceEventKind.ISSUED:
        for name in REQUIRED_FOR_ISSUE:
            if getattr(event, name) in (None, "", [], {}):
                errors.add(
                    "licence_event.field_required",
                    _("An issued licence must state “%(field)s”.") % {"field": name},
                    name,
                )
    if kind == LicenceEventKind.TERMINATED and not _text(event.basis):
        errors.add(
            "licence_event.basis_required",
            _("A terminated licence must state the basis of exclusion."),
            "basis",
        )

    district = None
    region_code = _text(event.region)
    region = None
    if region_code:
        region = Region.objects.filter(kato=region_code).first()
        if region is None:
            errors.add(
                "licence_event.unknown_region",
                _("There is no region with the code “%(code)s”.") % {"code": region_code},
                "region",
            )
    district_code = _text(event.district)
    if district_code:
        district = _find_district(district_code)
        if district is None:
            errors.add(
                "licence_event.unknown_district",
                _("There is no district with the code “%(code)s”.") % {"code": district_code},
                "district",
            )
        elif region is not None and district.region_id != region.pk:
            errors.add(
                "licence_event.district_not_in_region",
                _("The district “%(district)s” does not lie in the region “%(region)s”.")
                % {"district": district_code, "region": region_code},
                "district",
            )
    elif region is not None:
        errors.add(
            "licence_event.district_required",
            _("Give the district together with the region."),
            "district",
        )

    services = parse_services(event.services)
    if services is None:
        errors.add(
            "licence_event.services",
            _("Service conditions must be written as condition:capacity;condition:capacity."),
            "services",
        )
        services = {}
    for condition in services:
        if condition not in ServiceCondition.values:
            errors.add(
                "licence_event.unknown_condition",
                _("“%(value)s” is not a service condition.") % {"value": condition},
                "services",
            )
    categories = parse_categories(event.categories)
    if categories is None:
        errors.add(
            "licence_event.categories",
            _("Recipient categories must be a list."),
            "categories",
        )
        categories = []
    for category in categories:
        if category not in RecipientCategory.values:
            errors.add(
                "licence_event.unknown_category",
                _("“%(value)s” is not a recipient category.") % {"value": category},
                "categories",
            )
    if categories:
        values["categories"] = sorted(set(categories))

    phone = _text(event.phone)
    if phone:
        try:
            values["phone"] = identifiers.normalize_phone(phone)
        except ValidationError as exc:
            errors.add(f"phone.{exc.code}", str(exc.messages[0]), "phone")
    email = _text(event.email)
    if email:
        try:
            validate_email(email)
            values["email"] = email
        except ValidationError:
            errors.add("licence_event.email", _("Enter a valid e-mail address."), "email")
    for name in ("licence_issued_on", "licence_valid_until"):
        day, ok = _parse_day(getattr(event, name))
        if not ok:
            errors.add("licence_event.date", _("This is not a date (YYYY-MM-DD)."), name)
        elif day is not None:
            values[name] = day

    # Against the registry and the earlier events of this batch.
    if kind is not None and licence and not errors.items:
        _check_against_registry(errors, kind, licence, bin_, known)
    if errors.items or kind is None or occurred_at is None:
        return None, errors.items
    return (
        _Checked(
            index=index,
            event=event,
            kind=kind,
            bin=bin_,
            occurred_at=occurred_at,
            district=district,
            services=services,
            categories=values.get("categories", []),
            values=values,
            content_hash=event.content_hash(),
        ),
        [],
    )


@dataclass
class _Licence:
    """What the batch knows of a licence: its holder's BIN and whether the entry is excluded."""

    bin: str
    excluded: bool


def _known_licence(licence: str, known: dict[str, _Licence | None]) -> _Licence | None:
    if licence not in known:
        org = _org_by_licence(licence)
        known[licence] = _Licence(org.bin, org.is_excluded) if org is not None else None
    return known[licence]


def _check_against_registry(
    errors: _RowErrors,
    kind: LicenceEventKind,
    licence: str,
    bin_: str,
    known: dict[str, _Licence | None],
) -> None:
    held = _known_licence(licence, known)
    if kind == LicenceEventKind.ISSUED:
        if held is not None and held.bin != bin_:
            errors.add(
                "licence_event.licence_of_other_bin",
                _("This licence number is registered to another BIN."),
                "licence_number",
            )
            return
        if held is not None and held.excluded:
            errors.add(
                "licence_event.licence_terminated",
                _("This licence was terminated; a new licence needs a new number."),
                "licence_number",
            )
            return
        other = _licence_of_bin(bin_, known)
        if other is not None and other != licence:
            errors.add(
                "licence_event.bin_has_licence",
                _(
                    "The organization with this BIN already holds licence %(licence)s; send a "
                    "re-issue event instead."
                )
                % {"licence": other},
                "bin",
            )
            return
        known[licence] = _Licence(bin_, excluded=False)
        return
    if held is None:
        errors.add(
            "licence_event.unknown_licence",
            _("No organization holds the licence “%(licence)s”.") % {"licence": licence},
            "licence_number",
        )
    elif held.bin != bin_:
        errors.add(
            "licence_event.bin_mismatch",
            _("The BIN does not match the organization holding this licence."),
            "bin",
        )
    elif held.excluded:
        errors.add(
            "licence_event.excluded",
            _("The organization holding this licence is excluded from the registry."),
            "licence_number",
        )
    elif kind == LicenceEventKind.TERMINATED:
        held.excluded = True


def _licence_of_bin(bin_: str, known: dict[str, _Licence | None]) -> str | None:
    """The licence in force for a BIN, from this batch or the registry (None if none)."""
    for number, held in known.items():
        if held is not None and held.bin == bin_ and not held.excluded:
            return number
    holder = _org_by_bin(bin_)
    if holder is not None and holder.licence_number and not holder.is_excluded:
        held = _known_licence(holder.licence_number, known)
        if held is not None and not held.excluded:
            return holder.licence_number
    return None


def _org_by_licence(licence: str) -> Organization | None:
    return Organization.objects.filter(licence_number=licence).first()


def _org_by_bin(bin_: str) -> Organization | None:
    return Organization.objects.filter(bin=bin_).first()


def validate_licence_events(
    events: list[LicenceEventInput],
) -> tuple[list[_Checked], list[RowResult], list[RowError]]:
    """Check the whole batch; return the events to apply, the skipped ones and every error."""
    ids = [_text(e.event_id) for e in events]
    stored = {
        ev.event_id: ev.content_hash
        for ev in LicenceEvent.objects.filter(event_id__in=[i for i in ids if i]).only(
            "event_id", "content_hash"
        )
    }
    seen: dict[str, str] = {}
    known: dict[str, _Licence | None] = {}
    checked: list[_Checked] = []
    skipped: list[RowResult] = []
    errors: list[RowError] = []
    for index, event in enumerate(events):
        event_id = ids[index]
        digest = event.content_hash()
        if event_id and event_id in seen:
            if seen[event_id] == digest:
                skipped.append(RowResult(index, event_id, "duplicate_in_batch"))
            else:
                errors.append(
                    RowError(
                        index,
                        event.line,
                        event_id,
                        "licence_event.duplicate_id",
                        _("The event id appears earlier in this batch with different content."),
                        "event_id",
                    )
                )
            continue
        if event_id:
            seen[event_id] = digest
        if event_id in stored:
            if stored[event_id] == digest:
                skipped.append(RowResult(index, event_id, "already_applied"))
            else:
                errors.append(
                    RowError(
                        index,
                        event.line,
                        event_id,
                        "licence_event.conflict",
                        _("An event with this id was already applied with different content."),
                        "event_id",
                    )
                )
            continue
        ok, row_errors = _check_event(index, event, known)
        errors.extend(row_errors)
        if ok is not None:
            checked.append(ok)
    return checked, skipped, errors


def _set_services(org: Organization, services: Mapping[str, int], *, drop_others: bool) -> None:
    current = {s.condition: s for s in org.services.all()}
    for condition, capacity in services.items():
        service = current.get(condition) or OrganizationService(
            organization=org, condition=condition
        )
        if service.pk is None or service.capacity != capacity:
            service.capacity = capacity
            service.save()
    if drop_others:
        # Rows are never deleted (R-ORG-3): a condition no longer offered keeps capacity 0.
        for condition, service in current.items():
            if condition not in services and service.capacity:
                service.capacity = 0
                service.save()


def _save_changes(org: Organization, values: Mapping[str, Any]) -> None:
    changed = org.pk is None
    for name, value in values.items():
        if getattr(org, name) != value:
            setattr(org, name, value)
            changed = True
    if changed:
        org.save()


def _apply_one(c: _Checked, batch_id: uuid.UUID, source: str, actor: Any) -> Organization:
    event = c.event
    day = timezone.localdate(c.occurred_at)
    licence = _text(event.licence_number)
    values = dict(c.values)
    if c.district is not None:
        values["district_id"] = c.district.pk
    verb = f"organizations.licence_{c.kind.value}"
    if c.kind == LicenceEventKind.ISSUED:
        # R-ORG-1: the entry is created automatically; it is public only after consent (R-ORG-4).
        org = _org_by_licence(licence) or _org_by_bin(c.bin) or Organization(bin=c.bin)
        values.update(
            licence_number=licence,
            licence_issued_on=values.get("licence_issued_on", day),
            status=OrganizationStatus.ACTIVE,
        )
        if org.pk is None or org.is_excluded or not org.included_on:
            values.update(included_on=day, excluded_on=None, exclusion_basis="")
            values.update(licence_stopped_on=None)
        if org.pk is None or org.is_excluded:
            values.update(publication_consent=False, consent_given_on=None)
        _save_changes(org, values)
        _set_services(org, c.services, drop_others=True)
    else:
        org = Organization.objects.get(licence_number=licence)
        if c.kind == LicenceEventKind.REISSUED:
            # A re-issued licence is in force again, whatever a suspension said before.
            values.update(reregistered_on=day, status=OrganizationStatus.ACTIVE)
            _save_changes(org, values)
            if c.services:
                _set_services(org, c.services, drop_others=True)
        elif c.kind == LicenceEventKind.SUSPENDED:
            _save_changes(org, {"status": OrganizationStatus.SUSPENDED})
        else:
            # R-ORG-3: the licence stopped; the entry is excluded with date and basis, never
            # deleted.
            _save_changes(
                org,
                {
                    "status": OrganizationStatus.EXCLUDED,
                    "excluded_on": day,
                    "licence_stopped_on": day,
                    "exclusion_basis": _text(event.basis),
                },
            )
    LicenceEvent.objects.create(
        event_id=_text(event.event_id),
        kind=c.kind,
        licence_number=licence,
        bin=c.bin,
        payload=event.content(),
        content_hash=c.content_hash,
        occurred_at=c.occurred_at,
        organization=org,
        batch_id=batch_id,
        source=source,
    )
    record_event(
        verb,
        org,
        actor=actor,
        data={"event_id": _text(event.event_id), "licence_number": licence, "source": source},
    )
    return org


def apply_licence_events(
    events: list[LicenceEventInput],
    *,
    actor: Any = None,
    source: str = LicenceEventSource.API,
    dry_run: bool = False,
) -> ImportResult:
    """Apply a batch of licence events all or nothing (R-ORG-1, R-ORG-3).

    Refuses the whole batch, reporting every bad row, when any event has a bad BIN, misses a
    required field, names an unknown licence (re-issue, suspension, termination), district or
    region, conflicts with the registry (a licence of another BIN, an excluded entry), or reuses
    an event id with different content. An event id already applied with the same content is
    skipped ("already_applied"), so replaying a file changes nothing.
    """
    result = ImportResult(batch_id=uuid.uuid4(), dry_run=dry_run)
    try:
        with transaction.atomic(durable=True), acting_as(actor):
            checked, skipped, errors = validate_licence_events(events)
            result.errors = errors
            result.rows = list(skipped)
            if errors or dry_run:
                result.rows += [
                    RowResult(c.index, _text(c.event.event_id), "valid") for c in checked
                ]
                result.rows.sort(key=lambda r: r.index)
                return result
            for c in checked:
                org = _apply_one(c, result.batch_id, source, actor)
                result.rows.append(RowResult(c.index, _text(c.event.event_id), "applied", org.pk))
    except IntegrityError as exc:
        # Another delivery of the same events won the race; nothing of this batch was applied.
        raise ConflictError(
            "licence_event.concurrent",
            _("The same events are being applied by another request. Try again."),
        ) from exc
    result.rows.sort(key=lambda r: r.index)
    return result


# --- Acts of staff (R-ORG-2.7, R-ORG-3, R-ORG-4) -------------------------------------------------

CONTACT_FIELDS = ("phone", "email")


def contact_errors(fields: Mapping[str, Any]) -> dict[str, str]:
    """Field → message for contacts that are not valid (also used by the admin form)."""
    errors: dict[str, str] = {}
    phone = _text(fields.get("phone"))
    if phone:
        try:
            identifiers.normalize_phone(phone)
        except ValidationError as exc:
            errors["phone"] = str(exc.messages[0])
    email = _text(fields.get("email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    return errors


def organization_errors(org: Organization) -> dict[str, str]:
    """Rules of an entry that involve the clock or the list of categories (admin form, services).

    The single-row rules are database constraints on ``Organization``.
    """
    errors = contact_errors({"phone": org.phone, "email": org.email})
    categories = org.categories if isinstance(org.categories, list) else None
    if not categories:
        errors["categories"] = _("Choose at least one recipient category.")
    elif any(c not in RecipientCategory.values for c in categories):
        errors["categories"] = _("Choose only among the nine recipient categories.")
    today = timezone.localdate()
    if org.excluded_on and org.excluded_on > today:
        errors["excluded_on"] = _("The date of exclusion cannot be in the future.")
    if org.consent_given_on and org.consent_given_on > today:
        errors["consent_given_on"] = _("The date of consent cannot be in the future.")
    return errors


@transaction.atomic(durable=True)
def update_contacts(actor: Any, organization: Organization, **fields: Any) -> Organization:
    """Change the phone and e-mail of an entry (R-ORG-2.7).

    Allowed to the organization's own staff and the registry administrator. Refuses other
    fields and invalid values; writes nothing when nothing changes.
    """
    require(actor, "organizations.change_organization_contacts", organization)
    unknown = sorted(set(fields) - set(CONTACT_FIELDS))
    if unknown:
        raise DomainError(
            "organization.not_a_contact",
            _("Only the phone and e-mail can be changed here."),
            field=unknown[0],
        )
    errors = contact_errors(fields)
    if errors:
        name, message = next(iter(errors.items()))
        raise DomainError("organization.invalid_contact", message, field=name)
    values: dict[str, Any] = {}
    if "phone" in fields:
        phone = _text(fields["phone"])
        values["phone"] = identifiers.normalize_phone(phone) if phone else None
    if "email" in fields:
        values["email"] = _text(fields["email"])
    org = Organization.objects.get(pk=organization.pk)
    changed = sorted(n for n, v in values.items() if getattr(org, n) != v)
    if not changed:
        return org
    with acting_as(actor):
        for name in changed:
            setattr(org, name, values[name])
        org.save(update_fields=[*changed, "updated_at"])
        record_event("organizations.contacts_updated", org, actor=actor, data={"fields": changed})
    return org


@transaction.atomic(durable=True)
def set_consent(actor: Any, organization: Organization, consented: bool) -> Organization:
    """Give or withdraw the provider's consent to publication, with its date (R-ORG-4).

    Only the organization's own staff decide. Giving consent records today as the date of
    consent; withdrawing records today as the date of withdrawal. Repeating the current state
    changes nothing and records nothing.
    """
    require(actor, "organizations.change_organization_consent", organization)
    org = Organization.objects.get(pk=organization.pk)
    if org.publication_consent == consented:
        return org
    today = timezone.localdate()
    with acting_as(actor):
        org.publication_consent = consented
        if consented:
            org.consent_given_on = today
            org.consent_withdrawn_on = None
        else:
            org.consent_withdrawn_on = today
        org.save()
        record_event(
            "organizations.consent_given" if consented else "organizations.consent_withdrawn",
            org,
            actor=actor,
        )
    return org


@transaction.atomic(durable=True)
def exclude_organization(
    actor: Any, organization: Organization, date: dt.date, basis: str
) -> Organization:
    """Exclude an entry from the registry with date and basis; it is never deleted (R-ORG-3).

    Only the registry administrator. Refuses an entry already excluded, an empty basis and a
    date in the future. The licence stop date is set to the exclusion date when not yet known.
    """
    require(actor, "organizations.exclude_organization", organization)
    org = Organization.objects.get(pk=organization.pk)
    if org.is_excluded:
        raise DomainError(
            "organization.already_excluded", _("This organization is already excluded.")
        )
    basis = _text(basis)
    if not basis:
        raise DomainError(
            "organization.basis_required",
            _("State the basis of exclusion."),
            field="basis",
        )
    if date > timezone.localdate():
        raise DomainError(
            "organization.future_exclusion",
            _("The date of exclusion cannot be in the future."),
            field="date",
        )
    with acting_as(actor):
        org.status = OrganizationStatus.EXCLUDED
        org.excluded_on = date
        org.exclusion_basis = basis
        org.licence_stopped_on = org.licence_stopped_on or date
        org.save()
        record_event(
            "organizations.excluded",
            org,
            actor=actor,
            comment=basis,
            data={"date": date.isoformat()},
        )
    return org
