"""The table of abusive values thrown at every field (issue 10 item 3), by the kind of field.

Each value is ``(label, value)``; the label names the case in test ids and in the count that
``docs/security.md`` reports. Strings are what a person (or a script) can type or post; the
"raw" cases are bytes that cannot be expressed as a Python ``str`` sent through a form."""

from __future__ import annotations

TEXT: list[tuple[str, object]] = [
    ("oversize", "Ә" * 100_001),
    ("script", "<script>alert('x')</script>"),
    ("attr_break", "\"'><img src=x onerror=alert(1)>"),
    ("js_url", "javascript:alert(document.cookie)"),
    ("sql", "'; DROP TABLE accounts_user; --"),
    ("sql_like", "%_\\' OR 1=1 --"),
    ("rtl_override", "\u202eгдл.exe"),
    ("zero_width", "Ай\u200bгерім\u200d\ufeff"),
    ("combining", "а" + "\u0301" * 500),
    ("lone_surrogate", "\ud800x"),
    ("whitespace_only", " \t\u00a0\u3000 "),
    ("control", "a\x07\x1b[31mb"),
    ("emoji", "👩‍👩‍👧‍👦" * 10),
]

NUMBER: list[tuple[str, object]] = [
    ("negative", "-1"),
    ("huge", "9" * 40),
    ("int64_plus_one", str(2**63)),
    ("nan", "NaN"),
    ("infinity", "Infinity"),
    ("neg_infinity", "-inf"),
    ("exponent", "1e400"),
    ("fraction", "1.5"),
    ("text", "abc"),
    ("sql", "1 OR 1=1"),
    ("arabic_digits", "١٢٣"),
]

DATE: list[tuple[str, object]] = [
    ("year_0001", "0001-01-01"),
    ("year_9999", "9999-12-31"),
    ("year_10000", "10000-01-01"),
    ("feb_30", "2025-02-30"),
    ("month_13", "2025-13-01"),
    ("far_future", "2999-01-01"),
    ("before_birth", "1800-01-01"),
    ("text", "yesterday"),
    ("sql", "2025-01-01' OR '1'='1"),
    ("year_zero", "0000-01-01"),
]

IIN: list[tuple[str, object]] = [
    ("bad_checksum", "800101300001"),
    ("short", "80010130000"),
    ("long", "8001013000011"),
    ("letters", "80010130000A"),
    ("zeros", "000000000000"),
    ("bad_month", "801301300007"),
    ("arabic_digits", "٨٠٠١٠١٣٠٠٠٠١"),
]

CHOICE: list[tuple[str, object]] = [
    ("unknown", "no-such-choice"),
    ("script", "<script>alert(1)</script>"),
    ("sql", "' OR 1=1 --"),
    ("huge_int", "9" * 40),
    ("negative", "-1"),
]

BOOLEAN: list[tuple[str, object]] = [
    ("text", "<script>"),
    ("huge", "9" * 40),
]

# JSON-only shapes: wrong types where the schema expects a scalar.
JSON_WRONG_TYPES: list[tuple[str, object]] = [
    ("null", None),
    ("list", ["a"]),
    ("object", {"$ne": 1}),
    ("bool", True),
    ("float_huge", 1e308),
    ("int_huge", 2**70),
    ("int_negative", -(2**63) - 1),
]
