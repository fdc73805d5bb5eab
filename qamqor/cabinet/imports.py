"""Reading IPR files from E-Sobes (R-POR-3): CSV (comma or semicolon, UTF-8, a header row of
``FIELDS``) and JSON (a list of records or ``{"records": [...]}``). The parsers only read; every
record keeps its line so the all-or-nothing validation (``services.ipr_import``) reports bad rows
where the operator can find them. Formats: docs/cabinet.md."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from django.utils.translation import gettext as _

from qamqor.cabinet.services.ipr_import import FIELDS, REQUIRED, IprRowInput, row_error
from qamqor.core.importfiles import load_json
from qamqor.organizations.imports import _element_lines
from qamqor.organizations.services import RowError

Parsed = tuple[list[IprRowInput], list[RowError]]


def _record(data: dict[str, Any], line: int | None) -> IprRowInput:
    return IprRowInput(
        **{k: str(v).strip() for k, v in data.items() if k in FIELDS and v is not None},
        line=line,
    )


def parse_csv(text: str) -> Parsed:
    text = text.lstrip("\ufeff")
    head = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if ";" in head else ",")
    columns = [c.strip() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    errors: list[RowError] = []
    if not columns:
        return [], [row_error(None, 1, "import.empty", _("The file is empty."))]
    unknown = [c for c in columns if c not in FIELDS]
    if unknown:
        message = _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}
        errors.append(row_error(None, 1, "import.unknown_columns", message))
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        message = _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        errors.append(row_error(None, 1, "import.missing_columns", message))
    if errors:
        return [], errors
    rows: list[IprRowInput] = []
    try:
        for data in reader:
            if None in data:
                errors.append(
                    row_error(
                        None,
                        reader.line_num,
                        "import.extra_cells",
                        _("This row has more cells than the header has columns."),
                    )
                )
            elif any((v or "").strip() for v in data.values()):
                rows.append(_record(data, reader.line_num))
    except csv.Error as exc:
        message = _("The file is not valid CSV: %(reason)s.") % {"reason": exc}
        errors.append(row_error(None, reader.line_num, "import.csv", message))
    return rows, errors


_RECORDS = re.compile(r'"records"\s*:\s*\[')


def parse_json(text: str) -> Parsed:
    text = text.lstrip("\ufeff")
    try:
        document = load_json(text)
    except json.JSONDecodeError as exc:
        message = _("The file is not valid JSON: %(reason)s.") % {"reason": exc.msg}
        return [], [row_error(None, exc.lineno, "import.json", message)]
    if isinstance(document, dict) and isinstance(document.get("records"), list):
        items, found = document["records"], _RECORDS.search(text)
        start = found.end() if found else 0
    elif isinstance(document, list):
        items, start = document, text.index("[") + 1
    else:
        message = _('The file must hold a list of records or an object {"records": [...]}.')
        return [], [row_error(None, 1, "import.json_shape", message)]
    rows: list[IprRowInput] = []
    errors: list[RowError] = []
    for item, line in zip(items, _element_lines(text, start, len(items)), strict=True):
        if not isinstance(item, dict):
            errors.append(
                row_error(None, line, "import.not_an_object", _("A record must be an object."))
            )
            continue
        unknown = sorted(k for k in item if k not in FIELDS)
        if unknown:
            message = _("Unknown keys: %(keys)s.") % {"keys": ", ".join(unknown)}
            errors.append(row_error(None, line, "import.unknown_keys", message, unknown[0]))
            continue
        rows.append(_record(item, line))
    return rows, errors
