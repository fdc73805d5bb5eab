"""R-POR-3 (IPR import from E-Sobes: idempotent, all or nothing, every bad row reported) and
R-POR-4 (the choice window starts at the notification of each measure)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from qamqor.accounts.models import User
from qamqor.cabinet.imports import parse_csv, parse_json
from qamqor.cabinet.models import Ipr, Measure, MeasureStatus
from qamqor.cabinet.services.ipr_import import IprRowInput, apply_ipr_rows
from qamqor.notifications.models import Notification
from tests.factories import DistrictFactory, UserFactory, make_iin

pytestmark = pytest.mark.django_db

# Not the birth date of UserFactory's IINs, so "a person new to Qamqor" stays new.
BORN = dt.date(1956, 6, 6)

NOTIFIED = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)  # Wednesday, 15:00 in Astana


def _row(district, **over) -> IprRowInput:
    values = {
        "iin": make_iin(7, birth=BORN),
        "surname": "Нұрланова",
        "given_name": "Айгерім",
        "ipr_number": "ОЖБ-2026-000001",
        "ipr_date": "2026-03-02",
        "district": district.slug,
        "measure_code": "M-0101",
        "quantity": "1",
        "term_until": "2026-12-31",
    }
    values.update(over)
    return IprRowInput(**values)


@time_machine.travel(NOTIFIED, tick=False)
def test_each_imported_measure_notifies_the_person_and_opens_a_two_month_window() -> None:
    """R-POR-3, R-POR-4: the person, the IPR and its measures are created; each measure
    notifies the person; the choice window ends 2 months after the notification day."""
    district = DistrictFactory()
    rows = [_row(district), _row(district, measure_code="S-0201", quantity="120")]

    result = apply_ipr_rows(rows)

    assert result.ok and result.outcomes == ["applied", "applied"]
    person = User.objects.get(iin=make_iin(7, birth=BORN))
    ipr = Ipr.objects.get(number="ОЖБ-2026-000001")
    assert ipr.person == person and ipr.district == district
    measures = list(Measure.objects.filter(ipr=ipr).order_by("item__code"))
    assert [(m.item.code, m.quantity) for m in measures] == [("M-0101", 1), ("S-0201", 120)]
    assert {m.choice_until for m in measures} == {dt.date(2026, 5, 4)}
    assert {m.notified_at for m in measures} == {NOTIFIED}
    assert measures[0].choice_deadline["rule_id"] == "R-POR-4"
    inbox = Notification.objects.filter(recipient=person, kind="cabinet.measure_arrived")
    assert inbox.count() == 2
    assert "04.05.2026" in inbox.first().subject


@time_machine.travel(NOTIFIED, tick=False)
def test_replaying_a_batch_changes_nothing() -> None:
    """R-POR-3: idempotent by IPR number and measure code."""
    district = DistrictFactory()
    rows = [_row(district), _row(district, measure_code="M-0201")]
    apply_ipr_rows(rows)

    again = apply_ipr_rows(rows)

    assert again.ok and again.outcomes == ["already_applied", "already_applied"]
    assert Measure.objects.count() == 2
    assert Notification.objects.count() == 2


@time_machine.travel(NOTIFIED, tick=False)
def test_one_bad_row_refuses_the_batch_and_every_bad_row_is_reported() -> None:
    """R-POR-3: all or nothing; each bad row with its line and field."""
    district = DistrictFactory()
    rows = [
        _row(district),
        _row(district, measure_code="X-9999"),
        _row(district, iin="900101300018", ipr_number="ОЖБ-2"),
        _row(district, measure_code="M-0201", quantity="0"),
        _row(district, measure_code="M-0301", term_until="2026-01-01"),
    ]
    for line, row in enumerate(rows, start=2):
        row.line = line

    result = apply_ipr_rows(rows)

    assert not result.ok
    assert [(e.line, e.code, e.field) for e in result.errors] == [
        (3, "import.unknown_code", "measure_code"),
        (4, "import.iin", "iin"),
        (5, "import.quantity", None),
        (6, "import.term_before_ipr", "term_until"),
    ]
    assert Measure.objects.count() == Ipr.objects.count() == Notification.objects.count() == 0
    assert not User.objects.filter(iin=make_iin(7, birth=BORN)).exists()


@time_machine.travel(NOTIFIED, tick=False)
def test_changed_content_of_an_imported_measure_is_refused() -> None:
    """R-POR-3: the same IPR number and code with another quantity is a conflict."""
    district = DistrictFactory()
    apply_ipr_rows([_row(district)])

    result = apply_ipr_rows([_row(district, quantity="2")])

    assert [e.code for e in result.errors] == ["import.changed"]
    assert Measure.objects.get().quantity == 1


def test_a_new_person_needs_a_name_and_an_ipr_number_cannot_change_hands() -> None:
    district = DistrictFactory()
    other = UserFactory()
    IprFactory_number = "ОЖБ-2026-000001"
    apply_ipr_rows([_row(district, iin=other.iin)])
    result = apply_ipr_rows(
        [
            _row(
                district,
                surname="",
                given_name="",
                iin=make_iin(8, birth=BORN),
                ipr_number=IprFactory_number,
            )
        ]
    )
    assert [e.code for e in result.errors] == ["import.person_unknown", "import.ipr_other_person"]


def test_csv_and_json_files_carry_their_line_numbers() -> None:
    first, second = make_iin(7, birth=BORN), make_iin(8, birth=BORN)
    csv_text = (
        "iin;surname;given_name;ipr_number;ipr_date;district;measure_code;quantity;term_until\n"
        f"{first};Нұрланова;Айгерім;ОЖБ-1;2026-03-02;almaty-d;M-0101;1;2026-12-31\n"
        f"{second};Ахметов;Дәурен;ОЖБ-2;02.03.2026;almaty-d;M-0201;2;31.12.2026\n"
    )
    rows, errors = parse_csv(csv_text)
    assert errors == []
    assert [(r.line, r.ipr_number, r.quantity) for r in rows] == [
        (2, "ОЖБ-1", "1"),
        (3, "ОЖБ-2", "2"),
    ]

    json_text = '{"records": [\n  {"iin": "1", "ipr_number": "A"},\n  {"iin": "2", "bogus": 1}\n]}'
    rows, errors = parse_json(json_text)
    assert [(r.line, r.iin) for r in rows] == [(2, "1")]
    assert [(e.line, e.code) for e in errors] == [(3, "import.unknown_keys")]

    rows, errors = parse_csv("iin;nonsense\n1;2\n")
    assert [e.code for e in errors] == ["import.unknown_columns", "import.missing_columns"]


@time_machine.travel(NOTIFIED, tick=False)
def test_measures_start_awaiting_a_choice() -> None:
    district = DistrictFactory()
    apply_ipr_rows([_row(district)])
    assert Measure.objects.get().status == MeasureStatus.AWAITING_CHOICE


@time_machine.travel(NOTIFIED, tick=False)
def test_the_file_command_reports_every_bad_line_and_imports_nothing(tmp_path) -> None:
    """R-POR-3: `manage.py import_ipr` applies none or all; a replay changes nothing."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    district = DistrictFactory()
    header = "iin,surname,given_name,ipr_number,ipr_date,district,measure_code,quantity,term_until"
    first, second = make_iin(7, birth=BORN), make_iin(8, birth=BORN)
    good = f"{first},Нұрланова,Айгерім,ОЖБ-F1,2026-03-02,{district.slug},M-0101,1,2026-12-31"
    bad = f"{second},Ахметов,Дәурен,ОЖБ-F2,2026-03-02,{district.slug},NOPE,1,2026-12-31"
    path = tmp_path / "ipr.csv"
    path.write_text("\n".join([header, good, bad, good.replace("M-0101", "M-0401")]) + "\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_ipr", str(path), stderr=err)
    assert "line 3" in err.getvalue() and "import.unknown_code" in err.getvalue()
    assert Measure.objects.count() == 0

    path.write_text("\n".join([header, good]) + "\n")
    out = StringIO()
    call_command("import_ipr", str(path), stdout=out)
    call_command("import_ipr", str(path), stdout=out)
    assert "1 applied" in out.getvalue() and "1 already applied" in out.getvalue()
    assert Measure.objects.count() == 1


@time_machine.travel(NOTIFIED, tick=False)
def test_the_notification_is_written_in_the_persons_language() -> None:
    """R-POR-4, issue item 5: the person is told in their own language what to do and by when."""
    district = DistrictFactory()
    russian = UserFactory(language="ru")
    kazakh = UserFactory(language="kk")
    apply_ipr_rows(
        [
            _row(district, iin=russian.iin, ipr_number="ОЖБ-RU"),
            _row(district, iin=kazakh.iin, ipr_number="ОЖБ-KK"),
        ]
    )
    ru = Notification.objects.get(recipient=russian)
    kk = Notification.objects.get(recipient=kazakh)
    assert ru.subject.startswith("Ваша программа реабилитации") and "Кресло-коляска" in ru.subject
    assert kk.subject.startswith("Оңалту бағдарламаңыз") and "кресло-арба" in kk.subject
    assert "04.05.2026" in ru.body and "04.05.2026" in kk.body
