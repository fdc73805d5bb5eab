"""The fixes the input-abuse suite of issue 10 led to, each pinned by a direct test."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from qamqor.applications.forms_data import validate_documents
from qamqor.core import importfiles

pytestmark = pytest.mark.django_db


def test_a_lone_surrogate_in_json_is_refused_before_any_view(client: Any) -> None:
    response = client.post(
        "/api/v1/notifications/read",
        b'{"ids": [], "x": "\\udc00"}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "input.lone_surrogate"


def test_a_surrogate_pair_is_ordinary_text(client: Any) -> None:
    """An emoji escaped as a pair is valid Unicode and goes on to the view (here: login needed)."""
    response = client.post(
        "/api/v1/notifications/read",
        b'{"ids": [], "x": "\\ud83d\\ude00"}',
        content_type="application/json",
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("issued_on", "valid_until", "code"),
    [
        ("01.01.0001", "", "date.too_early"),
        ("31.12.1899", "", "date.too_early"),
        ("01.03.2018", "31.12.9999", "date.too_late"),
        ("01.03.2018", "01.03.2028", None),
    ],
)
def test_document_dates_out_of_range_are_refused(
    issued_on: str, valid_until: str, code: str | None
) -> None:
    problems = validate_documents(
        [
            {
                "kind": "identity_document",
                "number": "1",
                "issued_on": issued_on,
                "valid_until": valid_until,
            }
        ]
    )
    assert [p[1] for p in problems] == ([code] if code else [])


def test_decimal_limits_are_said_in_kazakh_and_russian() -> None:
    from django import forms

    field = forms.DecimalField(max_digits=12, decimal_places=2)
    for language, word in (("kk", "цифрдан"), ("ru", "цифр")):
        with translation.override(language):
            with pytest.raises(forms.ValidationError) as caught:
                field.clean("9" * 40)
            assert word in caught.value.messages[0]


def test_an_import_file_over_the_limit_is_not_read(tmp_path: Any, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 10
    path = tmp_path / "rows.csv"
    path.write_bytes(b"x" * 11)
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="too big"):
        importfiles.read_import_text(path)
    path.write_bytes(b"x" * 10)
    assert importfiles.read_import_text(path) == "x" * 10


_ = dt


@pytest.mark.parametrize(
    ("text", "reason"),
    [('[{"iin": "\\ud800"}]', "a lone surrogate escape"), ("[" * 100_000, "nested too deeply")],
)
def test_import_json_that_would_crash_the_parser_or_the_database_is_invalid_json(
    text: str, reason: str
) -> None:
    import json

    with pytest.raises(json.JSONDecodeError, match=reason):
        importfiles.load_json(text)
    assert importfiles.load_json('[{"name": "\\ud83d\\ude00"}]') == [{"name": "😀"}]


def test_a_medical_card_commission_that_is_not_an_object_is_a_problem_not_a_crash() -> None:
    from qamqor.applications.forms_data import validate_medical_card

    problems = validate_medical_card("form_1", {"commission": "<script>"})
    assert ("medical_card.commission", "card.format") in [(p[0], p[1]) for p in problems]
