"""Every string of the portal is translated into Kazakh and Russian (issue 10 item 6).

The catalogues are read as text: an entry with an empty translation, a ``fuzzy`` one (a guess
gettext ignores, so people would see English) or a translation whose named placeholders differ
from the English (``%(date)s`` missing or misspelt: the page would fail or show the wrong value)
fails with its msgid.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    obsolete: bool = False


def _entries(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    current = Entry()
    key: tuple[str, int] | None = None

    def flush() -> None:
        nonlocal current, key
        if current.msgid or current.msgstr:
            entries.append(current)
        current, key = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#~"):
            current.obsolete = True
        elif line.startswith("#,"):
            current.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and key is not None:
            _append(current, key, ast.literal_eval(line))
        else:
            word, _, rest = line.partition(" ")
            if word.startswith("msgstr["):
                key = ("msgstr", int(word[7:-1]))
            elif word in ("msgid", "msgid_plural", "msgstr", "msgctxt"):
                key = (word, 0)
            else:
                raise AssertionError(f"{path}: cannot read {raw!r}")
            _append(current, key, ast.literal_eval(rest))
    flush()
    return entries


def _append(entry: Entry, key: tuple[str, int], text: str) -> None:
    name, index = key
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    elif name in ("msgid", "msgid_plural"):
        setattr(entry, name, getattr(entry, name) + text)


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_string_is_translated(language: str) -> None:
    entries = [e for e in _entries(LOCALE / language / "LC_MESSAGES" / "django.po") if e.msgid]
    assert len(entries) > 500, "the catalogue looks empty: run make messages"
    missing = [e.msgid for e in entries if not e.obsolete and not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if not e.obsolete and "fuzzy" in e.flags]
    assert missing == [], f"untranslated in {language}: {missing[:20]}"
    assert fuzzy == [], f"fuzzy (not used by gettext) in {language}: {fuzzy[:20]}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_translations_keep_the_named_placeholders(language: str) -> None:
    wrong = []
    for e in _entries(LOCALE / language / "LC_MESSAGES" / "django.po"):
        if not e.msgid or e.obsolete:
            continue
        expected = _placeholders(e.msgid) | _placeholders(e.msgid_plural)
        for index, text in e.msgstr.items():
            got = _placeholders(text)
            # A singular form may leave the count out ("one day" for %(count)s day).
            if got != expected and not (e.msgid_plural and got < expected):
                wrong.append((e.msgid[:60], index, sorted(got ^ expected)))
    assert wrong == [], f"placeholders differ in {language}: {wrong[:20]}"
