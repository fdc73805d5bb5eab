"""Reading licence events from files of the licensing system (R-ORG-1): CSV and JSON.

The parsers only read: every row becomes a ``LicenceEventInput`` with its line number, and what
cannot be read at all (bad JSON, an unknown column, a row that is not an object) is a
``RowError`` with its line. Validation of the content and the all-or-nothing apply are
``services.apply_licence_events``. Formats: docs/operations.md, "Licence events".
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import fields
from typing import Any

from django.utils.translation import gettext as _

from qamqor.core.importfiles import load_json
from qamqor.organizations.services import LicenceEventInput, RowError

#: The columns of a CSV file (and keys of a JSON object), in this order in the example files.
COLUMNS = tuple(f.name for f in fields(LicenceEventInput) if f.name != "line")
REQUIRED_COLUMNS = ("event_id", "kind", "licence_number", "bin", "occurred_at")

ParseResult = tuple[list[LicenceEventInput], list[RowError]]


def _file_error(code: str, message: str, line: int | None = None) -> RowError:
    return RowError(None, line, "", code, message)


def _as_input(data: dict[str, Any], line: int | None) -> LicenceEventInput:
    values: dict[str, Any] = {}
    for name in COLUMNS:
        value = data.get(name)
        if name in ("services", "categories") and isinstance(value, dict | list):
            values[name] = value
        elif value is not None:
            values[name] = str(value).strip()
    return LicenceEventInput(**values, line=line)


def parse_csv(text: str) -> ParseResult:
    """CSV with a header row of ``COLUMNS`` (comma or semicolon separated, UTF-8)."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        return [], [_file_error("import.empty", _("The file is empty."), 1)]
    reader.fieldnames = header
    errors: list[RowError] = []
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        errors.append(
            _file_error(
                "import.unknown_columns",
                _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)},
                1,
            )
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        errors.append(
            _file_error(
                "import.missing_columns",
                _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)},
                1,
            )
        )
    if errors:
        return [], errors
    events: list[LicenceEventInput] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue  # blank line
            if None in row:  # more cells than columns
                errors.append(
                    RowError(
                        None,
                        line,
                        (row.get("event_id") or "").strip(),
                        "import.extra_cells",
                        _("This row has more cells than the header has columns."),
                    )
                )
                continue
            events.append(_as_input({k: v for k, v in row.items() if k in COLUMNS}, line))
    except csv.Error as exc:
        errors.append(
            _file_error(
                "import.csv",
                _("The file is not valid CSV: %(reason)s.") % {"reason": exc},
                reader.line_num,
            )
        )
    return events, errors


_EVENTS_KEY = re.compile(r'"events"\s*:\s*\[')


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def parse_json(text: str) -> ParseResult:
    """A JSON array of event objects, or an object ``{"events": [...]}``; line numbers are the
    lines where each object starts."""
    text = text.lstrip("\ufeff")
    try:
        document = load_json(text)
    except json.JSONDecodeError as exc:
        message = _("The file is not valid JSON: %(reason)s.") % {"reason": exc.msg}
        return [], [_file_error("import.json", message, exc.lineno)]
    if isinstance(document, dict) and isinstance(document.get("events"), list):
        items = document["events"]
        found = _EVENTS_KEY.search(text)
        start = found.end() if found else 0
    elif isinstance(document, list):
        items = document
        start = text.index("[") + 1
    else:
        return [], [
            _file_error(
                "import.json_shape",
                _('The file must hold a list of events or an object {"events": [...]}.'),
                1,
            )
        ]
    lines = _element_lines(text, start, len(items))
    events: list[LicenceEventInput] = []
    errors: list[RowError] = []
    for item, line in zip(items, lines, strict=True):
        if not isinstance(item, dict):
            errors.append(
                RowError(None, line, "", "import.not_an_object", _("An event must be an object."))
            )
            continue
        unknown = sorted(k for k in item if k not in COLUMNS)
        if unknown:
            errors.append(
                RowError(
                    None,
                    line,
                    str(item.get("event_id") or ""),
                    "import.unknown_keys",
                    _("Unknown keys: %(keys)s.") % {"keys": ", ".join(unknown)},
                    unknown[0],
                )
            )
            continue
        events.append(_as_input(item, line))
    return events, errors


def _element_lines(text: str, pos: int, count: int) -> list[int | None]:
    """The line where each of ``count`` array elements starts, the array's content at ``pos``."""
    decoder = json.JSONDecoder()
    lines: list[int | None] = []
    for _i in range(count):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        try:
            _value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            lines.extend([None] * (count - len(lines)))
            break
        lines.append(_line_of(text, pos))
        pos = end
    return lines
