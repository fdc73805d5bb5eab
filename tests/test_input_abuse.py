"""Input abuse, generated (issue 10 item 3): every form of the portal and every write operation of
the API gets a table of abusive values (``tests/abuse/values.py``) field by field, by the kind of
field: oversize, wrong types, malformed Unicode, script injection, SQL metacharacters, wrong
IIN/BIN checksums, dates and numbers out of range, files with a lying extension.

Each time: no exception (no 5xx), a message in Kazakh and in Russian, the typed value kept and
escaped when the form is shown again, and the values a field must refuse refused. A new form
fails ``test_every_form_is_covered`` until ``tests/abuse/forms.py`` says how to build it; a new
API operation is picked up from the OpenAPI schema by itself. The targeted end-to-end checks
through the real views are in ``tests/test_input_abuse_views.py``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.utils import translation
from django.utils.html import escape

from tests.abuse import discovery
from tests.abuse import files as abuse_files
from tests.abuse.forms import FORMS, MUST_REFUSE, NOT_POSTED, VALUES, kind_of

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
LANGUAGES = ("kk", "ru")

pytestmark = pytest.mark.django_db


def test_every_form_is_covered() -> None:
    """A form class added to a forms or views module must be listed in tests/abuse/forms.py."""
    found = set(discovery.form_classes())
    assert found, "the discovery found no form at all"
    missing = found - set(FORMS) - set(NOT_POSTED)
    stale = (set(FORMS) | set(NOT_POSTED)) - found
    assert not missing, f"forms without abuse coverage: {sorted(missing)}"
    assert not stale, f"listed forms that no longer exist: {sorted(stale)}"


def _build(path: str, data: dict[str, Any], files: dict[str, Any] | None = None) -> forms.Form:
    cls = discovery.form_classes()[path]
    return cls(data=data, files=files or {}, **FORMS[path]())  # type: ignore[no-any-return]


def _messages(form: forms.Form) -> list[str]:
    return [str(m) for errors in form.errors.values() for m in errors]


def _check_messages(form: forms.Form, value: object, where: str) -> list[str]:
    problems = []
    for message in _messages(form):
        rest = message.replace(str(value), "") if isinstance(value, str) else message
        if not CYRILLIC.search(rest) or "%(" in message:
            problems.append(f"{where}: message not in the page language: {message[:120]!r}")
    return problems


def _fields(path: str) -> list[tuple[str, forms.Field]]:
    return list(_build(path, {}).fields.items())


def _value_for(field: forms.Field, value: object) -> object:
    if isinstance(field, forms.MultipleChoiceField):
        return [value]
    return value


def _keeps_typed_value(field: forms.Field, kind: str) -> bool:
    widget = field.widget
    return kind not in ("choice", "boolean", "file") and not isinstance(
        widget, (forms.PasswordInput, forms.FileInput)
    )


FORM_CASES = sorted(FORMS)


@pytest.mark.parametrize("path", FORM_CASES)
def test_form_fields_resist_abuse(path: str) -> None:
    """Every field of the form × every abusive value of its kind."""
    problems: list[str] = []
    tried = 0
    for name, field in _fields(path):
        kind = kind_of(name, field)
        for label, value in VALUES[kind]:
            tried += 1
            where = f"{name}={label}"
            with translation.override("kk"):
                form = _build(path, {name: _value_for(field, value)})
                try:
                    form.is_valid()
                    html = form[name].as_field_group() + str(form.non_field_errors())
                except Exception as exc:
                    problems.append(f"{where}: {type(exc).__name__}: {exc}")
                    continue
            for language in LANGUAGES:
                with translation.override(language):
                    problems += _check_messages(form, value, f"{where} [{language}]")
            if "<script>" in html or "<img src=x" in html:
                problems.append(f"{where}: unescaped input in the re-rendered form")
            if (
                _keeps_typed_value(field, kind)
                and isinstance(value, str)
                and label != "lone_surrogate"
                and escape(value) not in html
            ):
                problems.append(f"{where}: the typed value is not shown again")
            if label in MUST_REFUSE.get(kind, ()) and name not in form.errors:
                problems.append(f"{where}: accepted ({form.cleaned_data.get(name)!r})"[:200])
    assert tried, path
    assert not sorted(set(problems)), "\n".join(sorted(set(problems)))


def _file_fields() -> list[tuple[str, str]]:
    return [
        (path, name)
        for path in FORM_CASES
        for name, field in discovery.form_classes()[path].base_fields.items()
        if isinstance(field, forms.FileField)
    ]


@pytest.mark.parametrize(("path", "name"), _file_fields())
def test_file_fields_resist_lying_files(path: str, name: str) -> None:
    """Every file field × every lying file: no exception, an error or a bounded value."""
    problems = []
    for label, file_name, content, content_type in abuse_files.cases():
        with translation.override("kk"):
            upload = abuse_files.upload(label, file_name, content, content_type)
            form = _build(path, {}, {name: upload})
            try:
                form.is_valid()
                html = form.as_div()
            except Exception as exc:
                problems.append(f"{label}: {type(exc).__name__}: {exc}")
                continue
            problems += _check_messages(form, file_name, label)
            if "<script>" in html:
                problems.append(f"{label}: unescaped file name")
    assert not problems, "\n".join(problems)
