"""Validation of a batch of licence events (R-ORG-1, R-ORG-3): each event on its own, then
against the registry and the rest of the batch. Nothing is written here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from qamqor.core import identifiers
from qamqor.core.models import Region
from qamqor.organizations.models import (
    LicenceEvent,
    LicenceEventKind,
    Organization,
    RecipientCategory,
    ServiceCondition,
)
from qamqor.organizations.services.licence_input import (
    REQUIRED_FOR_ISSUE,
    LicenceEventInput,
    RowError,
    RowResult,
    _Checked,
    _find_district,
    _parse_day,
    _parse_moment,
    _RowErrors,
    _text,
    parse_categories,
    parse_services,
)


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
