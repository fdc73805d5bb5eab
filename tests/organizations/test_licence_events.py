"""Licence events from the licensing system (R-ORG-1, R-ORG-3): every kind, idempotency, bad rows,
all or nothing, CSV and JSON files."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from qamqor.core.models import DomainEvent
from qamqor.organizations.imports import parse_csv, parse_json
from qamqor.organizations.models import (
    LicenceEvent,
    Organization,
    OrganizationService,
    OrganizationStatus,
)
from qamqor.organizations.services import LicenceEventInput, apply_licence_events
from tests.factories import (
    DistrictFactory,
    OrganizationFactory,
    OrganizationServiceFactory,
    make_bin,
)

pytestmark = pytest.mark.django_db

BAD_BIN = "150140000001"  # wrong check digit


@pytest.fixture
def district():
    return DistrictFactory(slug="astana-esil")


def issued(n: int = 1, **overrides) -> LicenceEventInput:
    values = {
        "event_id": f"ev-issued-{n}",
        "kind": "issued",
        "licence_number": f"LIC-{n}",
        "bin": make_bin(100 + n),
        "occurred_at": "2026-02-10",
        "name_kk": f"«Мейірім-{n}» орталығы",
        "name_ru": f"Центр «Мейірім-{n}»",
        "legal_address": "Астана қ., Сарыарқа д-лы, 1",
        "district": "astana-esil",
        "services": {"stationary": 40, "at_home": 10},
        "categories": ["elderly", "disability_group_1_2"],
        "phone": "8 (7172) 55-10-01",
        "email": "info@meyirim.kz",
        "licence_valid_until": "",
    }
    values.update(overrides)
    return LicenceEventInput(**values)


def event(kind: str, event_id: str, org: Organization, **extra) -> LicenceEventInput:
    values = {
        "event_id": event_id,
        "kind": kind,
        "licence_number": org.licence_number,
        "bin": org.bin,
        "occurred_at": "2026-03-01",
    }
    return LicenceEventInput(**{**values, **extra})


def test_issued_licence_creates_an_active_unconsented_entry(district) -> None:
    """R-ORG-1: an issued licence creates the entry automatically; R-ORG-4: not public yet."""
    result = apply_licence_events([issued()])

    assert result.ok and result.count("applied") == 1
    org = Organization.objects.get(licence_number="LIC-1")
    assert org.status == OrganizationStatus.ACTIVE
    assert org.included_on == dt.date(2026, 2, 10)
    assert org.licence_issued_on == dt.date(2026, 2, 10)
    assert org.district == district
    assert org.phone == "+77172551001"
    assert org.categories == ["disability_group_1_2", "elderly"]
    assert dict(org.services.values_list("condition", "capacity")) == {
        "stationary": 40,
        "at_home": 10,
    }
    assert not org.publication_consent and not org.is_public
    assert LicenceEvent.objects.get().organization == org
    assert list(DomainEvent.objects.values_list("verb", flat=True)) == [
        "organizations.licence_issued"
    ]
    assert org.history.count() == 1


def test_issued_licence_for_an_entry_without_licence_attaches_it(district) -> None:
    """R-ORG-1: an entry entered by hand (or demo data) gets its licence by BIN."""
    org = OrganizationFactory(licence_number="", district=district)
    apply_licence_events([issued(bin=org.bin)])
    org.refresh_from_db()
    assert org.licence_number == "LIC-1"
    assert Organization.objects.count() == 1


def test_reissued_licence_updates_fields_and_records_reregistration(district) -> None:
    """R-ORG-1: re-issuing updates the entry and records the re-registration date."""
    org = OrganizationFactory(district=district, status=OrganizationStatus.SUSPENDED)
    OrganizationServiceFactory(organization=org, capacity=50)

    result = apply_licence_events(
        [event("reissued", "ev-r", org, name_ru="Новое имя", services="stationary:70")]
    )

    assert result.ok
    org.refresh_from_db()
    assert org.name_ru == "Новое имя"
    assert org.reregistered_on == dt.date(2026, 3, 1)
    assert org.status == OrganizationStatus.ACTIVE
    assert org.services.get().capacity == 70
    assert DomainEvent.objects.get().verb == "organizations.licence_reissued"


def test_suspended_licence_suspends_the_entry(district) -> None:
    """R-ORG-1: a suspension sets the status; the entry stays in the registry."""
    org = OrganizationFactory(district=district)
    assert apply_licence_events([event("suspended", "ev-s", org)]).ok
    org.refresh_from_db()
    assert org.status == OrganizationStatus.SUSPENDED
    assert DomainEvent.objects.get().verb == "organizations.licence_suspended"


def test_terminated_licence_excludes_with_date_and_basis(district) -> None:
    """R-ORG-3: when the licence stops the entry is excluded with date and basis, not deleted."""
    org = OrganizationFactory(district=district, public=True)
    basis = "Заң 35-бап: лицензия тоқтатылды"

    assert apply_licence_events([event("terminated", "ev-t", org, basis=basis)]).ok

    org.refresh_from_db()
    assert org.status == OrganizationStatus.EXCLUDED
    assert org.excluded_on == org.licence_stopped_on == dt.date(2026, 3, 1)
    assert org.exclusion_basis == basis
    assert not org.is_public
    assert DomainEvent.objects.get().verb == "organizations.licence_terminated"
    assert org.history.count() == 2  # created, excluded: the old state is kept


def test_issue_then_suspend_in_one_batch(district) -> None:
    """R-ORG-1: later events of a batch may refer to a licence issued earlier in it."""
    first = issued()
    suspend = LicenceEventInput(
        event_id="ev-2",
        kind="suspended",
        licence_number="LIC-1",
        bin=first.bin,
        occurred_at="2026-02-11",
    )
    assert apply_licence_events([first, suspend]).ok
    assert Organization.objects.get().status == OrganizationStatus.SUSPENDED


def test_replay_changes_nothing(district) -> None:
    """R-ORG-1: replaying the same events (same ids, same content) is skipped."""
    batch = [issued(1), issued(2)]
    apply_licence_events(batch)
    counts = (Organization.history.count(), LicenceEvent.objects.count())

    again = apply_licence_events(batch)

    assert again.ok
    assert [r.outcome for r in again.rows] == ["already_applied", "already_applied"]
    assert (Organization.history.count(), LicenceEvent.objects.count()) == counts
    assert DomainEvent.objects.count() == 2


def test_same_id_with_different_content_is_refused(district) -> None:
    """R-ORG-1: an event id is the event; a changed event under the same id is an error."""
    apply_licence_events([issued()])
    result = apply_licence_events([issued(name_ru="Другое")])
    assert [(e.code, e.index) for e in result.errors] == [("licence_event.conflict", 0)]


def test_duplicate_id_within_a_batch(district) -> None:
    """R-ORG-1: the same event twice in a batch is applied once; with other content, refused."""
    result = apply_licence_events([issued(), issued()])
    assert [r.outcome for r in result.rows] == ["applied", "duplicate_in_batch"]

    result = apply_licence_events([issued(5), issued(5, name_kk="Басқа")])
    assert [(e.code, e.index) for e in result.errors] == [("licence_event.duplicate_id", 1)]


def test_bad_bin_row_is_rejected_with_reason(district) -> None:
    """R-ORG-1: an event with a bad BIN is refused with the reason."""
    result = apply_licence_events([issued(bin=BAD_BIN)])
    assert [(e.code, e.field) for e in result.errors] == [("bin.checksum", "bin")]
    assert "check digit" in result.errors[0].message
    assert not Organization.objects.exists()


def test_unknown_licence_is_rejected(district) -> None:
    """R-ORG-1: re-issue, suspension or termination of an unknown licence is refused."""
    events = [
        LicenceEventInput(
            event_id=f"ev-{kind}",
            kind=kind,
            licence_number="NOPE",
            bin=make_bin(1),
            occurred_at="2026-03-01",
            basis="x",
        )
        for kind in ("reissued", "suspended", "terminated")
    ]
    result = apply_licence_events(events)
    assert [e.code for e in result.errors] == ["licence_event.unknown_licence"] * 3
    assert not LicenceEvent.objects.exists()


def test_registry_conflicts_are_refused(district) -> None:
    """R-ORG-1, R-ORG-3: another BIN's licence, an excluded entry, a BIN already licensed."""
    org = OrganizationFactory(district=district)
    gone = OrganizationFactory(
        district=district,
        status=OrganizationStatus.EXCLUDED,
        excluded_on=dt.date(2025, 12, 1),
        exclusion_basis="art. 35",
    )
    result = apply_licence_events(
        [
            issued(1, licence_number=org.licence_number),  # licence of another BIN
            event("suspended", "ev-2", gone),  # excluded entry
            issued(3, bin=org.bin),  # BIN holds another licence
            event("suspended", "ev-4", org, bin=gone.bin),  # BIN does not match
        ]
    )
    assert [e.code for e in result.errors] == [
        "licence_event.licence_of_other_bin",
        "licence_event.excluded",
        "licence_event.bin_has_licence",
        "licence_event.bin_mismatch",
    ]


def test_missing_and_unknown_fields_are_all_reported(district) -> None:
    """R-ORG-2: an issued licence must carry a whole entry; every problem is reported."""
    bad = issued(
        name_kk="",
        district="nowhere",
        region="99",
        services="stationary",
        categories=["elderly", "aliens"],
        email="not-an-email",
        occurred_at="yesterday",
    )
    result = apply_licence_events([bad])
    assert sorted(e.code for e in result.errors) == sorted(
        [
            "licence_event.field_required",
            "licence_event.unknown_district",
            "licence_event.unknown_region",
            "licence_event.services",
            "licence_event.unknown_category",
            "licence_event.email",
            "licence_event.occurred_at",
        ]
    )
    terminated = LicenceEventInput(
        event_id="t",
        kind="terminated",
        licence_number="L",
        bin=make_bin(3),
        occurred_at="2026-01-01",
    )
    codes = [e.code for e in apply_licence_events([terminated]).errors]
    assert codes == ["licence_event.basis_required"]
    codes = [e.code for e in apply_licence_events([LicenceEventInput(kind="lost")]).errors]
    assert codes == [
        "licence_event.event_id_required",
        "licence_event.kind",
        "licence_event.licence_number_required",
        "bin.required",
        "licence_event.occurred_at",
    ]


def test_batch_with_bad_rows_applies_nothing_and_reports_every_bad_row(district) -> None:
    """STYLE (imports), R-ORG-1: validate the whole batch first, then all or nothing."""
    events = [issued(1), issued(2, bin=BAD_BIN), issued(3), issued(4, district="x")]
    for line, e in enumerate(events, start=2):
        e.line = line

    result = apply_licence_events(events)

    assert [(e.line, e.code) for e in result.errors] == [
        (3, "bin.checksum"),
        (5, "licence_event.unknown_district"),
    ]
    assert not Organization.objects.exists()
    assert not LicenceEvent.objects.exists()
    assert not DomainEvent.objects.exists()


def test_dry_run_changes_nothing(district) -> None:
    result = apply_licence_events([issued()], dry_run=True)
    assert result.ok and [r.outcome for r in result.rows] == ["valid"]
    assert not Organization.objects.exists()


# --- Files ---------------------------------------------------------------------------------------

CSV = """\
event_id,kind,licence_number,bin,occurred_at,name_kk,name_ru,legal_address,district,services,\
categories
ev-1,issued,LIC-1,{bin1},2026-02-10,Қамқор,Камкор,"Астана, 1",astana-esil,\
stationary:40;at_home:5,elderly;homeless
ev-2,issued,LIC-2,{bad},2026-02-10,Бір,Один,"Астана, 2",astana-esil,stationary:10,elderly
ev-3,suspended,LIC-9,{bin1},2026-02-11,,,,,,
"""


def test_csv_parsing_keeps_line_numbers() -> None:
    """R-ORG-1: CSV rows become events with their line numbers."""
    events, errors = parse_csv(CSV.format(bin1=make_bin(1), bad=BAD_BIN))
    assert errors == []
    assert [(e.event_id, e.line) for e in events] == [("ev-1", 2), ("ev-2", 3), ("ev-3", 4)]
    assert events[0].services == "stationary:40;at_home:5"
    assert events[0].legal_address == "Астана, 1"


def test_csv_with_unknown_or_missing_columns_is_refused() -> None:
    events, errors = parse_csv("event_id,kind,colour\n1,issued,red\n")
    assert events == []
    assert [(e.line, e.code) for e in errors] == [
        (1, "import.unknown_columns"),
        (1, "import.missing_columns"),
    ]


def test_json_parsing_keeps_line_numbers() -> None:
    text = (
        '{"events": [\n  {"event_id": "a", "kind": "issued"},\n  7,\n'
        '  {"event_id": "b", "x": 1}\n]}'
    )
    events, errors = parse_json(text)
    assert [(e.event_id, e.line) for e in events] == [("a", 2)]
    assert [(e.line, e.code) for e in errors] == [
        (3, "import.not_an_object"),
        (4, "import.unknown_keys"),
    ]
    events, errors = parse_json('[{"event_id": "a",\n "services": {"stationary": 3}}]')
    assert events[0].services == {"stationary": 3} and events[0].line == 1
    assert parse_json("[{]")[1][0].code == "import.json"


def test_import_command_prints_every_bad_row_and_applies_nothing(district, tmp_path: Path) -> None:
    """R-ORG-1: the command reports each bad row with its line; nothing of the file is applied."""
    path = tmp_path / "events.csv"
    path.write_text(CSV.format(bin1=make_bin(1), bad=BAD_BIN), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_licence_events", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("line 3: ev-2:") and "(bin.checksum)" in lines[0]
    assert lines[1].startswith("line 4: ev-3:") and "(licence_event.unknown_licence)" in lines[1]
    assert not Organization.objects.exists()


def test_import_command_applies_a_good_file_once(district, tmp_path: Path) -> None:
    """R-ORG-1: importing the same file twice changes nothing the second time."""
    text = "\n".join(CSV.format(bin1=make_bin(1), bad=make_bin(2)).splitlines()[:3]) + "\n"
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_licence_events", str(path), "--dry-run", stdout=out)
    assert "2 valid" in out.getvalue() and not Organization.objects.exists()
    call_command("import_licence_events", str(path), stdout=out)
    assert Organization.objects.count() == 2
    assert OrganizationService.objects.count() == 3
    out = StringIO()
    call_command("import_licence_events", str(path), stdout=out)
    assert "2 already applied" in out.getvalue()
    assert LicenceEvent.objects.filter(source="import").count() == 2
