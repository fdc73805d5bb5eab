"""The recipient registry standing in for the state systems (R-SVC-2): an idempotent import.

A batch (CSV, JSON or the API) is validated whole first; any bad row refuses the whole batch
and every bad row is reported with its line (or index) and field. A good batch is applied all
at once: a new IIN creates a recipient, a changed record updates it, the same record again
changes nothing ("unchanged"), so replaying a file is harmless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qamqor.applications.models import DisabilityGroup, Recipient, Sex
from qamqor.applications.services.common import update_rows
from qamqor.core.audit import record_event
from qamqor.core.identifiers import normalize_phone, parse_iin
from qamqor.core.models import District

#: The columns of a record (CSV header / JSON keys). ``legal_representatives`` and
#: ``relatives`` are JSON lists in a CSV cell.
COLUMNS = (
    "iin",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "sex",
    "birthplace",
    "registration_address",
    "residence_address",
    "phone",
    "district",
    "identity_document_number",
    "identity_document_issued_on",
    "disability_group",
    "disability_until",
    "ipr_reference",
    "is_incapacitated",
    "is_pension_age",
    "is_veteran",
    "allowance_kind",
    "allowance_amount",
    "legal_representatives",
    "relatives",
)
REQUIRED = (
    "iin",
    "surname",
    "given_name",
    "birth_date",
    "sex",
    "registration_address",
    "residence_address",
    "district",
)
#: Form 1: the columns of a legal representative or relative.
PERSON_KEYS = (
    "full_name",
    "iin",
    "relationship",
    "birth_date",
    "social_status",
    "address",
    "phone",
)


@dataclass
class RecipientRow:
    data: dict[str, Any]
    line: int | None = None


@dataclass
class RowError:
    index: int | None
    line: int | None
    iin: str
    code: str
    message: str
    field: str | None = None


@dataclass
class ImportResult:
    batch_id: uuid.UUID
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (iin, outcome)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, outcome: str) -> int:
        return sum(1 for _iin, o in self.outcomes if o == outcome)


def _date(value: Any) -> dt.date:
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "иә", "да"):
        return True
    if text in ("0", "false", "no", "жоқ", "нет"):
        return False
    raise ValueError(text)


def _people(value: Any) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, list) or not all(isinstance(p, dict) for p in value):
        raise ValueError("list")
    return value


class _Checker:
    """Validates one row into model values, collecting every problem with its field."""

    def __init__(self, row: RecipientRow, index: int, districts: dict[str, int]) -> None:
        self.row = row
        self.index = index
        self.districts = districts
        self.errors: list[RowError] = []
        self.iin = str(row.data.get("iin") or "").strip()

    def error(self, field_name: str, code: str, message: str) -> None:
        self.errors.append(RowError(self.index, self.row.line, self.iin, code, message, field_name))

    def check(self) -> dict[str, Any]:
        data = self.row.data
        unknown = sorted(k for k in data if k not in COLUMNS)
        for key in unknown:
            self.error(key, "import.unknown_key", _("Unknown column %(name)s.") % {"name": key})
        for key in REQUIRED:
            if not str(data.get(key) or "").strip():
                self.error(key, "required", _("This field is required."))
        values: dict[str, Any] = {
            k: str(data.get(k) or "").strip()
            for k in (
                "surname",
                "given_name",
                "patronymic",
                "birthplace",
                "registration_address",
                "residence_address",
                "identity_document_number",
                "ipr_reference",
                "allowance_kind",
            )
        }
        iin = None
        if self.iin:
            try:
                iin = parse_iin(self.iin)
                values["iin"] = iin.value
            except ValidationError as exc:
                self.error("iin", "iin.invalid", " ".join(exc.messages))
        for name in ("birth_date", "identity_document_issued_on", "disability_until"):
            raw = data.get(name)
            values[name] = None
            if raw not in (None, ""):
                try:
                    values[name] = _date(raw)
                except ValueError:
                    self.error(
                        name, "date.invalid", _("Write the date as YYYY-MM-DD or DD.MM.YYYY.")
                    )
        if iin is not None and values["birth_date"] and iin.birth_date != values["birth_date"]:
            self.error(
                "birth_date",
                "birth_date.iin_mismatch",
                _("The birth date does not match the IIN (%(date)s).")
                % {"date": iin.birth_date.strftime("%d.%m.%Y")},
            )
        sex = str(data.get("sex") or "").strip()
        if sex and sex not in Sex.values:
            self.error("sex", "choice", _("Sex is female or male."))
        values["sex"] = sex
        group = str(data.get("disability_group") or "none").strip()
        if group not in DisabilityGroup.values:
            self.error(
                "disability_group",
                "choice",
                _("Unknown disability category; use one of: %(values)s.")
                % {"values": ", ".join(DisabilityGroup.values)},
            )
        values["disability_group"] = group
        phone = str(data.get("phone") or "").strip()
        values["phone"] = ""
        if phone:
            try:
                values["phone"] = normalize_phone(phone)
            except ValidationError as exc:
                self.error("phone", "phone.invalid", " ".join(exc.messages))
        district = str(data.get("district") or "").strip()
        if district:
            if district not in self.districts:
                self.error(
                    "district", "district.unknown", _("Unknown district %(d)s.") % {"d": district}
                )
            values["district_id"] = self.districts.get(district)
        for name in ("is_incapacitated", "is_pension_age", "is_veteran"):
            try:
                values[name] = _bool(data.get(name))
            except ValueError:
                self.error(name, "boolean", _("Write yes or no (true/false)."))
        values["is_pension_age"] = bool(values.get("is_pension_age"))
        values["is_veteran"] = bool(values.get("is_veteran"))
        amount = data.get("allowance_amount")
        values["allowance_amount"] = None
        if amount not in (None, ""):
            try:
                values["allowance_amount"] = Decimal(str(amount).replace(",", "."))
                if values["allowance_amount"] < 0:
                    raise InvalidOperation
            except InvalidOperation:
                self.error("allowance_amount", "amount.invalid", _("Write a positive amount."))
        for name in ("legal_representatives", "relatives"):
            values[name] = self.people(name, data.get(name))
        return values

    def people(self, name: str, raw: Any) -> list[dict[str, Any]]:
        try:
            people = _people(raw)
        except ValueError:
            self.error(name, "people.format", _("Write a list of persons (JSON)."))
            return []
        out = []
        for i, person in enumerate(people):
            where = f"{name}[{i}]"
            unknown = sorted(k for k in person if k not in PERSON_KEYS)
            for key in unknown:
                self.error(
                    f"{where}.{key}",
                    "import.unknown_key",
                    _("Unknown column %(name)s.") % {"name": key},
                )
            clean = {k: str(person.get(k) or "").strip() for k in PERSON_KEYS}
            if not clean["full_name"]:
                self.error(f"{where}.full_name", "required", _("This field is required."))
            if not clean["relationship"]:
                self.error(f"{where}.relationship", "required", _("This field is required."))
            if clean["iin"]:
                try:
                    parse_iin(clean["iin"])
                except ValidationError as exc:
                    self.error(f"{where}.iin", "iin.invalid", " ".join(exc.messages))
            if clean["phone"]:
                try:
                    clean["phone"] = normalize_phone(clean["phone"])
                except ValidationError as exc:
                    self.error(f"{where}.phone", "phone.invalid", " ".join(exc.messages))
            out.append(clean)
        return out


def _hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(values, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def _district_keys() -> dict[str, int]:
    keys: dict[str, int] = {}
    for pk, slug, kato in District.objects.values_list("pk", "slug", "kato"):
        keys[slug] = pk
        if kato:
            keys[kato] = pk
    return keys


def import_recipients(
    rows: list[RecipientRow], *, actor: Any = None, source: str = "import"
) -> ImportResult:
    """R-SVC-2: apply a batch of recipient records all or nothing (see the module docstring).

    Refuses the whole batch, reporting every bad row and field, for: a bad or missing IIN, a
    birth date that contradicts the IIN, a missing required field, an unknown district, sex or
    disability category, a bad phone, date, amount or person list, an unknown column, or the same
    IIN twice in the batch with different content. Event ``applications.recipients_imported``.
    """
    result = ImportResult(batch_id=uuid.uuid4())
    districts = _district_keys()
    checked: dict[str, tuple[int, dict[str, Any], str]] = {}
    for index, row in enumerate(rows):
        checker = _Checker(row, index, districts)
        values = checker.check()
        if checker.errors:
            result.errors.extend(checker.errors)
            continue
        digest = _hash(values)
        previous = checked.get(values["iin"])
        if previous is not None and previous[2] != digest:
            checker.error(
                "iin",
                "import.duplicate_iin",
                _("This IIN appears twice in the file with different data."),
            )
            result.errors.extend(checker.errors)
            continue
        checked[values["iin"]] = (index, values, digest)
    if result.errors:
        return result
    with transaction.atomic(durable=True):
        now = timezone.now()
        existing = {r.iin: r for r in Recipient.objects.filter(iin__in=list(checked))}
        for iin, (_index, values, digest) in checked.items():
            current = existing.get(iin)
            if current is None:
                Recipient.objects.create(
                    **values, source=source, source_hash=digest, imported_at=now
                )
                result.outcomes.append((iin, "created"))
            elif current.source_hash == digest:
                result.outcomes.append((iin, "unchanged"))
            else:
                update_rows(
                    Recipient.objects.filter(pk=current.pk),
                    **values,
                    source=source,
                    source_hash=digest,
                    imported_at=now,
                    updated_at=now,
                )
                result.outcomes.append((iin, "updated"))
        record_event(
            "applications.recipients_imported",
            ("applications.recipient_batch", result.batch_id),
            actor=actor,
            data={
                "source": source,
                "created": result.count("created"),
                "updated": result.count("updated"),
                "unchanged": result.count("unchanged"),
            },
        )
    return result
