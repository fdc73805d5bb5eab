"""Reading the file of an import command (IPR measures, recipients, licence events).

A file is refused before it is read when it is larger than ``settings.IMPORT_MAX_BYTES`` (a zip
bomb or a wrong file must not fill the memory: found by the input-abuse suite of issue 10), and
when it is not UTF-8 text."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.template.defaultfilters import filesizeformat

from qamqor.core.middleware import all_text_encodable

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_import_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > max_bytes():
            raise CommandError(
                f"{path} is too big: {filesizeformat(size)}, at most {filesizeformat(max_bytes())}."
            )
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from exc


def load_json(text: str) -> Any:
    """``json.loads`` for an import file, with the two ways a file could still crash it refused as
    invalid JSON (found by the input-abuse suite): nesting too deep for the parser, and an escaped
    lone surrogate (``"\\ud800"``) that no database can store."""
    try:
        document = json.loads(text)
    except RecursionError as exc:
        raise json.JSONDecodeError("nested too deeply", text, 0) from exc
    if not all_text_encodable(document):
        match = re.search(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}", text)
        raise json.JSONDecodeError("a lone surrogate escape", text, match.start() if match else 0)
    return document
