"""R-POR-3: IPR records from E-Sobes, applied all or nothing; R-POR-4: each new measure notifies
the person and opens the 2-month choice window from that notification.

A row is one measure: the person (IIN; names when the person is new to Qamqor), the IPR
(number, date, district), the measure (catalogue code, quantity, term). A batch is validated
whole first; any bad row refuses the whole batch and every bad row is reported with its line
(file) or index (API). A measure already imported with the same content is skipped, so a replay
of a batch or a file changes nothing; the same IPR number and code with other content is
refused (E-Sobes sends a new IPR for a changed programme).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qamqor.accounts.models import User
from qamqor.cabinet.models import CatalogueItem, ImportBatch, Ipr, Measure, MeasureStatus
from qamqor.core.audit import record_event
from qamqor.core.history import acting_as, audited_bulk_create
from qamqor.core.identifiers import is_valid_iin
from qamqor.core.models import District
from qamqor.core.terms import deadline_for
from qamqor.organizations.services import RowError

CHOICE_RULE = "R-POR-4"


@dataclass
class IprRowInput:
    """One measure of an IPR as E-Sobes sends it (every value a string as read)."""

    iin: str = ""
    surname: str = ""
    given_name: str = ""
    patronymic: str = ""
    ipr_number: str = ""
    ipr_date: str = ""
    district: str = ""  # KATO code or Qamqor's district identifier
    measure_code: str = ""
    quantity: str = "1"
    term_until: str = ""
    line: int | None = None


FIELDS = tuple(f for f in IprRowInput.__dataclass_fields__ if f != "line")
REQUIRED = ("iin", "ipr_number", "ipr_date", "district", "measure_code", "term_until")


def row_error(
    index: int | None, line: int | None, code: str, message: str, field: str | None = None
) -> RowError:
    """A refused row, in the import error type the licence-event import uses (its ``where()``
    names the line of a file)."""
    return RowError(index, line, "", code, message, field)


@dataclass
class IprImportResult:
    batch_id: uuid.UUID
    outcomes: list[str] = field(default_factory=list)  # per row: applied/already_applied/…
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, outcome: str) -> int:
        return self.outcomes.count(outcome)


@dataclass
class _Row:
    index: int
    raw: IprRowInput
    iin: str
    ipr_date: dt.date
    term_until: dt.date
    quantity: int
    district: District
    item: CatalogueItem
    digest: str


def _date(value: str) -> dt.date | None:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _digest(row: IprRowInput) -> str:
    content = {
        "iin": row.iin.strip(),
        "ipr_number": row.ipr_number.strip(),
        "ipr_date": row.ipr_date.strip(),
        "measure_code": row.measure_code.strip(),
        "quantity": row.quantity.strip(),
        "term_until": row.term_until.strip(),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _lookup_districts(rows: list[IprRowInput]) -> dict[str, District]:
    keys = {r.district.strip() for r in rows if r.district.strip()}
    found: dict[str, District] = {}
    for d in District.objects.filter(Q(kato__in=keys) | Q(slug__in=keys)).select_related("region"):
        if d.kato:
            found[d.kato] = d
        found[d.slug] = d
    return found


def validate_ipr_rows(
    rows: list[IprRowInput],
) -> tuple[list[_Row], list[str], list[RowError]]:
    """Check every row against the catalogue, the districts, the people and the IPRs already
    imported; returns (rows to apply, outcome per row, errors)."""
    errors: list[RowError] = []
    outcomes = ["valid"] * len(rows)
    items = {i.code: i for i in CatalogueItem.objects.filter(is_active=True)}
    districts = _lookup_districts(rows)
    numbers = {r.ipr_number.strip() for r in rows}
    known_iprs = {
        i.number: i for i in Ipr.objects.filter(number__in=numbers).select_related("person")
    }
    known_measures = {
        (ipr_number, code): digest
        for ipr_number, code, digest in Measure.objects.filter(ipr__number__in=numbers).values_list(
            "ipr__number", "item__code", "import_digest"
        )
    }
    iins = {r.iin.strip() for r in rows}
    known_people = set(User.objects.filter(iin__in=iins).values_list("iin", flat=True))
    seen: dict[tuple[str, str], str] = {}
    ipr_heads: dict[str, tuple[str, str, str]] = {}
    checked: list[_Row] = []

    def bad(i: int, row: IprRowInput, code: str, message: str, fld: str | None = None) -> None:
        errors.append(row_error(i, row.line, code, message, fld))

    for i, row in enumerate(rows):
        before = len(errors)
        for name in REQUIRED:
            if not getattr(row, name).strip():
                bad(i, row, "import.required", _("%(field)s is required.") % {"field": name}, name)
        if len(errors) > before:
            continue
        iin = row.iin.strip()
        if not is_valid_iin(iin):
            bad(i, row, "import.iin", _("This IIN is not valid."), "iin")
        ipr_date, term_until = _date(row.ipr_date), _date(row.term_until)
        if ipr_date is None:
            bad(i, row, "import.date", _("Write the date as YYYY-MM-DD."), "ipr_date")
        if term_until is None:
            bad(i, row, "import.date", _("Write the date as YYYY-MM-DD."), "term_until")
        elif ipr_date is not None and term_until < ipr_date:
            bad(
                i,
                row,
                "import.term_before_ipr",
                _("The term of the measure ends before the IPR date."),
                "term_until",
            )
        try:
            quantity = int(row.quantity.strip() or "1")
        except ValueError:
            quantity = 0
        if quantity <= 0:
            bad(i, row, "import.quantity", _("The quantity must be a whole number above zero."))
        item = items.get(row.measure_code.strip())
        if item is None:
            bad(
                i,
                row,
                "import.unknown_code",
                _("No rehabilitation means or service has the code %(code)s.")
                % {"code": row.measure_code.strip()},
                "measure_code",
            )
        district = districts.get(row.district.strip())
        if district is None:
            bad(i, row, "import.unknown_district", _("Unknown district."), "district")
        if iin not in known_people and not (row.surname.strip() and row.given_name.strip()):
            bad(
                i,
                row,
                "import.person_unknown",
                _("This person is new to Qamqor: give the surname and the name."),
                "surname",
            )
        number = row.ipr_number.strip()
        head = (iin, row.ipr_date.strip(), row.district.strip())
        if ipr_heads.setdefault(number, head) != head:
            bad(
                i,
                row,
                "import.ipr_inconsistent",
                _("Rows of one IPR must name the same person, date and district."),
                "ipr_number",
            )
        existing = known_iprs.get(number)
        if existing is not None and existing.person.iin != iin:
            bad(
                i,
                row,
                "import.ipr_other_person",
                _("This IPR number belongs to another person."),
                "ipr_number",
            )
        if len(errors) > before:
            continue
        assert item is not None and district is not None
        assert ipr_date is not None and term_until is not None
        digest = _digest(row)
        key = (number, item.code)
        if key in seen:
            if seen[key] != digest:
                bad(
                    i,
                    row,
                    "import.duplicate_conflict",
                    _("The same measure appears twice in this batch with different content."),
                    "measure_code",
                )
            else:
                outcomes[i] = "duplicate_in_batch"
            continue
        seen[key] = digest
        if key in known_measures:
            if known_measures[key] != digest:
                bad(
                    i,
                    row,
                    "import.changed",
                    _(
                        "This measure was imported earlier with other content; a changed "
                        "programme comes with a new IPR number."
                    ),
                    "measure_code",
                )
            else:
                outcomes[i] = "already_applied"
            continue
        checked.append(_Row(i, row, iin, ipr_date, term_until, quantity, district, item, digest))
    return checked, outcomes, errors


MEASURE_SUBJECT = gettext_lazy(
    "Your rehabilitation programme: choose a supplier of “%(item)s” by %(date)s"
)
MEASURE_BODY = gettext_lazy(
    "Your individual rehabilitation programme %(number)s includes “%(item)s” (%(quantity)s). "
    "Open your personal cabinet, choose a supplier and sign the order by %(date)s. After that "
    "day the choice closes."
)


def _notify_measure(person: User, measure: Measure) -> None:
    from qamqor.notifications.services import notify

    item = measure.item
    name = item.name_ru if person.language == "ru" else item.name_kk
    notify(
        person,
        kind="cabinet.measure_arrived",
        subject=MEASURE_SUBJECT,
        body=MEASURE_BODY,
        params={
            "item": name,
            "number": measure.ipr.number,
            "quantity": measure.quantity,
            "date": measure.choice_until.strftime("%d.%m.%Y") if measure.choice_until else "",
        },
        url="/cabinet/",
    )


def apply_ipr_rows(
    rows: list[IprRowInput], *, source: str = "api", actor: Any = None, dry_run: bool = False
) -> IprImportResult:
    """R-POR-3: apply a batch of IPR measures all or nothing; R-POR-4: notify the person of
    each new measure and open its choice window (2 months from the notification, counted by
    ``deadline_for``). Refuses the whole batch when any row is bad, reporting every bad row."""
    result = IprImportResult(batch_id=uuid.uuid4(), dry_run=dry_run)
    with transaction.atomic(durable=True), acting_as(actor):
        checked, outcomes, errors = validate_ipr_rows(rows)
        result.outcomes, result.errors = outcomes, errors
        if errors or dry_run:
            return result
        now = timezone.now()
        window = deadline_for(CHOICE_RULE, timezone.localdate(now))
        # Set-based writes (each with its history rows): the new persons, the new IPRs, the
        # measures; then one notification per measure (R-POR-4: the window starts there).
        people = {u.iin: u for u in User.objects.filter(iin__in={r.iin for r in checked})}
        new_people: dict[str, User] = {}
        for r in checked:
            if r.iin not in people and r.iin not in new_people:
                person = User(
                    iin=r.iin,
                    surname=r.raw.surname.strip(),
                    given_name=r.raw.given_name.strip(),
                    patronymic=r.raw.patronymic.strip(),
                )
                person.set_unusable_password()
                new_people[r.iin] = person
        people.update({u.iin: u for u in audited_bulk_create(User, list(new_people.values()))})
        numbers = {r.raw.ipr_number.strip() for r in checked}
        iprs = {i.number: i for i in Ipr.objects.filter(number__in=numbers)}
        new_iprs: dict[str, Ipr] = {}
        for r in checked:
            number = r.raw.ipr_number.strip()
            if number not in iprs and number not in new_iprs:
                new_iprs[number] = Ipr(
                    person=people[r.iin], number=number, issued_on=r.ipr_date, district=r.district
                )
        iprs.update({i.number: i for i in audited_bulk_create(Ipr, list(new_iprs.values()))})
        measures = audited_bulk_create(
            Measure,
            [
                Measure(
                    ipr=iprs[r.raw.ipr_number.strip()],
                    item=r.item,
                    quantity=r.quantity,
                    term_until=r.term_until,
                    status=MeasureStatus.AWAITING_CHOICE,
                    notified_at=now,
                    choice_until=window.due,
                    choice_deadline=window.as_dict(),
                    import_digest=r.digest,
                )
                for r in checked
            ],
        )
        for r, measure in zip(checked, measures, strict=True):
            _notify_measure(people[r.iin], measure)
            result.outcomes[r.index] = "applied"
        ImportBatch.objects.create(source=source, rows=len(rows), applied=len(checked))
        record_event(
            "cabinet.ipr_imported",
            ("cabinet.importbatch", str(result.batch_id)),
            actor=actor,
            data={"source": source, "rows": len(rows), "applied": len(checked)},
        )
    return result


def api_errors(result: IprImportResult) -> list[dict[str, Any]]:
    """The refused records as the API reports them: ``records[i].field``."""
    return [
        {
            "code": e.code,
            "message": e.message,
            "field": ".".join(filter(None, [f"records[{e.index}]", e.field])),
        }
        for e in result.errors
    ]
