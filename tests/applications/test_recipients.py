"""The recipient registry import (R-SVC-2): all or nothing, every bad row, idempotent."""

from __future__ import annotations

import json

import pytest

from qamqor.applications.imports import parse_csv, parse_json
from qamqor.applications.models import Recipient
from qamqor.applications.services.recipients import RecipientRow, import_recipients
from qamqor.core.models import DomainEvent
from tests.factories import make_iin

pytestmark = pytest.mark.django_db

BIRTH = __import__("datetime").date(1950, 2, 3)


def record(n: int, dist, **override):
    data = {
        "iin": make_iin(n, birth=BIRTH),
        "surname": "Оспанов",
        "given_name": "Болат",
        "birth_date": "1950-02-03",
        "sex": "male",
        "registration_address": "Астана қ., Сарыарқа д-лы, 1",
        "residence_address": "Астана қ., Сарыарқа д-лы, 1",
        "district": dist.slug,
        "disability_group": "group_1",
        "phone": "8 701 234 56 78",
        "relatives": [
            {
                "full_name": "Оспанова Ә.",
                "relationship": "қызы",
                "iin": make_iin(n + 50, birth=BIRTH),
            }
        ],
    }
    data.update(override)
    return data


def test_a_batch_creates_then_a_replay_changes_nothing(district):
    rows = [RecipientRow(record(i, district), i + 2) for i in range(3)]
    first = import_recipients(rows)
    assert first.ok and first.count("created") == 3
    again = import_recipients(rows)
    assert again.ok and again.count("unchanged") == 3
    assert Recipient.objects.count() == 3
    assert DomainEvent.objects.filter(verb="applications.recipients_imported").count() == 2


def test_a_changed_record_updates_the_file(district):
    import_recipients([RecipientRow(record(0, district))])
    result = import_recipients([RecipientRow(record(0, district, disability_group="group_2"))])
    assert result.count("updated") == 1
    assert Recipient.objects.get().disability_group == "group_2"


def test_every_bad_row_is_reported_and_nothing_is_applied(district):
    rows = [
        RecipientRow(record(0, district), 2),
        RecipientRow(record(1, district, iin="123456789012"), 3),
        RecipientRow(record(2, district, birth_date="1951-02-03", sex="x"), 4),
        RecipientRow(record(3, district, district="nowhere", phone="+7 916 123 45 67"), 5),
        RecipientRow(record(4, district, relatives=[{"full_name": ""}]), 6),
        RecipientRow(record(5, district, colour="blue"), 7),
    ]
    result = import_recipients(rows)
    assert not result.ok
    got = {(e.line, e.field, e.code) for e in result.errors}
    assert got >= {
        (3, "iin", "iin.invalid"),
        (4, "birth_date", "birth_date.iin_mismatch"),
        (4, "sex", "choice"),
        (5, "district", "district.unknown"),
        (5, "phone", "phone.invalid"),
        (6, "relatives[0].full_name", "required"),
        (6, "relatives[0].relationship", "required"),
        (7, "colour", "import.unknown_key"),
    }
    assert all(e.message for e in result.errors)
    assert Recipient.objects.count() == 0


def test_the_same_iin_twice_with_different_data_is_refused(district):
    rows = [
        RecipientRow(record(0, district), 2),
        RecipientRow(record(0, district, surname="Басқа"), 3),
    ]
    result = import_recipients(rows)
    assert [(e.line, e.code) for e in result.errors] == [(3, "import.duplicate_iin")]


def test_csv_and_json_files_are_read_with_line_numbers(district):
    data = record(0, district)
    header = ",".join(k for k in data)
    values = ",".join(
        '"'
        + (json.dumps(v, ensure_ascii=False) if isinstance(v, list) else str(v)).replace('"', '""')
        + '"'
        for v in data.values()
    )
    rows, errors = parse_csv(f"{header}\n{values}\n")
    assert errors == [] and rows[0].line == 2
    assert import_recipients(rows).ok
    rows, errors = parse_json(json.dumps({"recipients": [data, 5]}, indent=1))
    assert [e.code for e in errors] == ["import.not_an_object"]
    rows, errors = parse_csv("iin,colour\n1,2\n")
    assert [e.code for e in errors] == ["import.unknown_columns"]
