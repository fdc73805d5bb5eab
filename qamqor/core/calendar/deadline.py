"""R-X-1, R-X-6: deadlines that explain themselves (``Deadline``, ``compute_deadline``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, ngettext

from qamqor.core.calendar.days import (
    _DATE,
    DayInfo,
    _pick,
    _roll_forward,
    _same_day_months_later,
    _snapshot,
    add_working_days,
)
from qamqor.core.models import LegalTerm

WORKING_DAYS = LegalTerm.Unit.WORKING_DAYS.value
CALENDAR_DAYS = LegalTerm.Unit.CALENDAR_DAYS.value
MONTHS = LegalTerm.Unit.MONTHS.value


@dataclass(frozen=True)
class Deadline:
    """A computed term with everything needed to explain it (R-X-1: every deadline stores and
    shows its start event, its count, the rule id and why it moved).

    ``start`` is the date of the event that starts the term; ``due`` the last day of the term
    (for ``before=True`` terms: the day by which the act must happen). ``skipped`` lists the
    named days off inside a working-day term (holidays, also those on a weekend, and weekday
    days off), ``worked_weekends`` the weekend days that were working days and were counted.
    For calendar-day and month terms ``nominal_due`` is the day the term would end on and
    ``moved_over`` the days off between it and ``due``. ``as_dict()`` is JSON for a JSONField;
    ``from_dict()`` reads it back, and ``explain()`` renders the stored facts in the active
    language without consulting the calendar again.
    """

    start: dt.date
    count: int
    unit: str
    due: dt.date
    rule_id: str = ""
    key: str = "main"
    before: bool = False
    legal_source: str = ""
    source_description: Mapping[str, str] = field(default_factory=dict)
    effective_from: dt.date | None = None
    skipped: tuple[DayInfo, ...] = ()
    worked_weekends: tuple[DayInfo, ...] = ()
    nominal_due: dt.date | None = None
    moved_over: tuple[DayInfo, ...] = ()

    @property
    def moved(self) -> bool:
        return self.nominal_due is not None and self.nominal_due != self.due

    def explain(self) -> str:
        """A human explanation in the active language, e.g. "17 working days from 18.03.2026,
        counted from the next day, end on 15.04.2026 (R-SVC-6). Days off skipped: 21–25.03.2026
        Nauryz. …"."""
        parts = [self._main_sentence()]
        if self.skipped:
            parts.append(gettext("Days off skipped: %(days)s.") % {"days": _runs(self.skipped)})
        if self.worked_weekends:
            parts.append(
                gettext("Weekend days that were working days and are counted: %(days)s.")
                % {"days": _runs(self.worked_weekends)}
            )
        if self.moved and self.nominal_due is not None:
            parts.append(
                gettext(
                    "The term would end on %(nominal)s, which is not a working day "
                    "(%(reasons)s), so it ends on the next working day, %(due)s."
                )
                % {
                    "nominal": self.nominal_due.strftime(_DATE),
                    "reasons": _runs(self.moved_over),
                    "due": self.due.strftime(_DATE),
                }
            )
        source = _pick(self.source_description) or self.legal_source
        if source:
            parts.append(gettext("Legal basis: %(source)s.") % {"source": source.rstrip(" .")})
        return " ".join(parts)

    def _main_sentence(self) -> str:
        values = {
            "count": self.count,
            "start": self.start.strftime(_DATE),
            "due": self.due.strftime(_DATE),
            "rule": self.rule_id,
        }
        n = self.count
        if self.before:
            if self.rule_id:
                text = ngettext(
                    "%(count)d working day before %(start)s is %(due)s (%(rule)s).",
                    "%(count)d working days before %(start)s is %(due)s (%(rule)s).",
                    n,
                )
            else:
                text = ngettext(
                    "%(count)d working day before %(start)s is %(due)s.",
                    "%(count)d working days before %(start)s is %(due)s.",
                    n,
                )
        elif self.unit == WORKING_DAYS:
            if self.rule_id:
                text = ngettext(
                    "%(count)d working day from %(start)s, counted from the next day, ends on "
                    "%(due)s (%(rule)s).",
                    "%(count)d working days from %(start)s, counted from the next day, end on "
                    "%(due)s (%(rule)s).",
                    n,
                )
            else:
                text = ngettext(
                    "%(count)d working day from %(start)s, counted from the next day, ends on "
                    "%(due)s.",
                    "%(count)d working days from %(start)s, counted from the next day, end on "
                    "%(due)s.",
                    n,
                )
        elif self.unit == CALENDAR_DAYS:
            if self.rule_id:
                text = ngettext(
                    "%(count)d calendar day from %(start)s, counted from the next day, ends on "
                    "%(due)s (%(rule)s).",
                    "%(count)d calendar days from %(start)s, counted from the next day, end on "
                    "%(due)s (%(rule)s).",
                    n,
                )
            else:
                text = ngettext(
                    "%(count)d calendar day from %(start)s, counted from the next day, ends on "
                    "%(due)s.",
                    "%(count)d calendar days from %(start)s, counted from the next day, end on "
                    "%(due)s.",
                    n,
                )
        elif self.rule_id:
            text = ngettext(
                "%(count)d month from %(start)s ends on %(due)s (%(rule)s).",
                "%(count)d months from %(start)s end on %(due)s (%(rule)s).",
                n,
            )
        else:
            text = ngettext(
                "%(count)d month from %(start)s ends on %(due)s.",
                "%(count)d months from %(start)s end on %(due)s.",
                n,
            )
        return text % values

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready facts of the deadline (dates as ISO strings) for a JSONField."""
        return {
            "start": self.start.isoformat(),
            "count": self.count,
            "unit": self.unit,
            "due": self.due.isoformat(),
            "rule_id": self.rule_id,
            "key": self.key,
            "before": self.before,
            "legal_source": self.legal_source,
            "source_description": dict(self.source_description),
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "skipped": [d.as_dict() for d in self.skipped],
            "worked_weekends": [d.as_dict() for d in self.worked_weekends],
            "nominal_due": self.nominal_due.isoformat() if self.nominal_due else None,
            "moved_over": [d.as_dict() for d in self.moved_over],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Deadline:
        def opt_date(value: str | None) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        return cls(
            start=dt.date.fromisoformat(data["start"]),
            count=int(data["count"]),
            unit=data["unit"],
            due=dt.date.fromisoformat(data["due"]),
            rule_id=data.get("rule_id", ""),
            key=data.get("key", "main"),
            before=bool(data.get("before", False)),
            legal_source=data.get("legal_source", ""),
            source_description=dict(data.get("source_description") or {}),
            effective_from=opt_date(data.get("effective_from")),
            skipped=tuple(DayInfo.from_dict(d) for d in data.get("skipped", [])),
            worked_weekends=tuple(DayInfo.from_dict(d) for d in data.get("worked_weekends", [])),
            nominal_due=opt_date(data.get("nominal_due")),
            moved_over=tuple(DayInfo.from_dict(d) for d in data.get("moved_over", [])),
        )


def _format_range(first: dt.date, last: dt.date) -> str:
    if first == last:
        return first.strftime(_DATE)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%d}–{last.strftime(_DATE)}"
    if first.year == last.year:
        return f"{first:%d.%m}–{last.strftime(_DATE)}"
    return f"{first.strftime(_DATE)}–{last.strftime(_DATE)}"


def _runs(days: Iterable[DayInfo]) -> str:
    """ "21–25.03.2025 Nauryz; 07.01.2025 Orthodox Christmas": consecutive days with the same name
    (also across a plain weekend) become one range."""
    runs: list[list[DayInfo]] = []
    for info in sorted(days, key=lambda d: d.date):
        if runs:
            last = runs[-1][-1]
            gap = (info.date - last.date).days
            between = [last.date + dt.timedelta(days=i) for i in range(1, gap)]
            same_name = (last.name_kk, last.name_ru, last.name_en) == (
                info.name_kk,
                info.name_ru,
                info.name_en,
            )
            if same_name and gap <= 3 and all(d.weekday() >= 5 for d in between):
                runs[-1].append(info)
                continue
        runs.append([info])
    return "; ".join(f"{_format_range(run[0].date, run[-1].date)} {run[0].name}" for run in runs)


def compute_deadline(
    start: dt.date,
    count: int,
    unit: str,
    *,
    before: bool = False,
    rule_id: str = "",
    key: str = "main",
    legal_source: str = "",
    source_description: Mapping[str, str] | None = None,
    effective_from: dt.date | None = None,
) -> Deadline:
    """R-X-1: compute a term of ``count`` ``unit`` (a ``LegalTerm.Unit`` value) started by an
    event on ``start``, with its explanation. ``before=True`` counts working days back from
    ``start`` (R-SVC-6 hand-over and R-SVC-11 notice: "N working days before the term ends").

    Feature code calls ``terms.deadline_for(rule_id, …)``, which takes ``count`` and ``unit``
    from the legal term in force; this function is for the calendar itself and the public
    calculator.
    """
    if count < 0:
        raise ValueError("count must not be negative; use before=True")
    details: dict[str, Any] = {}
    if before:
        if unit != WORKING_DAYS:
            raise ValueError("only working-day terms are counted backwards")
        due = add_working_days(start, -count)
        details = _working_day_details(due - dt.timedelta(days=1), start - dt.timedelta(days=1))
    elif unit == WORKING_DAYS:
        due = add_working_days(start, count)
        details = _working_day_details(start, due)
    elif unit in (CALENDAR_DAYS, MONTHS):
        nominal = (
            start + dt.timedelta(days=count)
            if unit == CALENDAR_DAYS
            else _same_day_months_later(start, count)
        )
        due = _roll_forward(nominal)
        snap = _snapshot()
        moved_over = []
        day = nominal
        while day < due:
            info = snap.info(day)
            if info is not None:
                moved_over.append(info)
            day += dt.timedelta(days=1)
        details = {"nominal_due": nominal, "moved_over": tuple(moved_over)}
    else:
        raise ValueError(f"unknown unit {unit!r}")
    return Deadline(
        start=start,
        count=count,
        unit=unit,
        due=due,
        rule_id=rule_id,
        key=key,
        before=before,
        legal_source=legal_source,
        source_description=dict(source_description or {}),
        effective_from=effective_from,
        **details,
    )


def _working_day_details(after: dt.date, through: dt.date) -> dict[str, Any]:
    """The named days off and the working weekend days in ``(after, through]``."""
    snap = _snapshot()
    skipped = []
    worked = []
    for day, info in sorted(snap.days.items()):
        if after < day <= through:
            if not info.is_working_day:
                skipped.append(info)
            elif day.weekday() >= 5:
                worked.append(info)
    return {"skipped": tuple(skipped), "worked_weekends": tuple(worked)}
