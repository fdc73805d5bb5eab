"""Kazakhstan identifiers (R-X-3): IIN ("ЖСН"), BIN ("БСН") and phone numbers.

IIN and BIN are 12 digits whose last digit is a check digit: ``r = Σ dᵢ·i mod 11`` over the
first 11 digits with weights 1..11; if ``r == 10`` the sum is recomputed with weights
3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2; if that is 10 again the prefix is never issued. The checksum
alone accepts impossible numbers (all zeros, month 13), so structure is checked on top.
See ../shared/KZ-NOTES.md ("IIN and BIN", "Phones and places").

Every refusal is a ``ValidationError`` with a stable ``code`` and a whole English sentence as
msgid, one per identifier (Kazakh needs different case endings for "IIN" and "BIN", so messages
are never assembled from fragments). The codes and messages are listed in ``IIN_MESSAGES``,
``BIN_MESSAGES`` and ``PHONE_MESSAGES``.

The parsers take the identifier as stored: 12 ASCII digits, surrounding whitespace allowed.
What people type ("900101 300017") is normalised first with ``strip_spaces`` (the form fields
do this). Digits from other scripts (full-width ``９``, Arabic-Indic ``٩``) are refused with
their own message rather than silently converted, so what is stored is what was checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Promise
else:
    from django.utils.functional import Promise

_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# Characters that pasting from documents and messengers leaves between digits.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

IIN_MESSAGES: Mapping[str, Promise] = {
    "required": _("Enter the IIN."),
    "non_ascii_digits": _(
        "Type the IIN with the ordinary digits 0–9: it contains characters that only look like "
        "digits."
    ),
    "format": _("The IIN must be exactly 12 digits."),
    "is_bin": _("This number is a BIN, not an IIN. Enter the person's IIN."),
    "century": _("This IIN is not valid: its 7th digit (century and sex) must be 1 to 6."),
    "birth_date": _("This IIN is not valid: its first six digits are not a date of birth."),
    "future_birth_date": _("This IIN is not valid: its date of birth is in the future."),
    "checksum": _("This IIN is not valid: the check digit does not match. Check every digit."),
}

BIN_MESSAGES: Mapping[str, Promise] = {
    "required": _("Enter the BIN."),
    "non_ascii_digits": _(
        "Type the BIN with the ordinary digits 0–9: it contains characters that only look like "
        "digits."
    ),
    "format": _("The BIN must be exactly 12 digits."),
    "is_iin": _(
        "This number is an IIN, not a BIN. Enter the BIN of the organization; a sole "
        "entrepreneur has no BIN."
    ),
    "month": _("This BIN is not valid: digits 3–4 must be the registration month (01–12)."),
    "entity_type": _("This BIN is not valid: its 5th digit (type of entity) must be 4, 5 or 6."),
    "unit_type": _("This BIN is not valid: its 6th digit (type of unit) must be 0 to 3."),
    "checksum": _("This BIN is not valid: the check digit does not match. Check every digit."),
}

PHONE_MESSAGES: Mapping[str, Promise] = {
    "required": _("Enter a phone number."),
    "non_ascii_digits": _(
        "Type the phone number with the ordinary digits 0–9: it contains characters that only "
        "look like digits."
    ),
    "format": _("Enter the phone number as +7 7XX XXX XX XX or 8 7XX XXX XX XX."),
    "too_long": _(
        "This phone number has too many digits. A Kazakhstan number has 10 digits after +7 or 8."
    ),
    "not_kz": _(
        "This is a phone number of another country. Enter a Kazakhstan number: +7 7XX XXX XX XX."
    ),
    "invalid": _(
        "This phone number does not exist in Kazakhstan. Check the digits and the operator code."
    ),
}


def _error(messages: Mapping[str, Promise], code: str) -> ValidationError:
    return ValidationError(messages[code], code=code)


def check_digit(prefix: str) -> int | None:
    """The 12th digit for an 11-digit prefix, or None when no check digit exists."""
    if len(prefix) != 11 or not prefix.isascii() or not prefix.isdigit():
        raise ValueError("prefix must be 11 ASCII digits")
    digits = [int(c) for c in prefix]
    r = sum(d * w for d, w in zip(digits, _WEIGHTS_1, strict=True)) % 11
    if r == 10:
        r = sum(d * w for d, w in zip(digits, _WEIGHTS_2, strict=True)) % 11
        if r == 10:
            return None
    return r


def has_valid_check_digit(text: str) -> bool:
    """Whether 12 ASCII digits end with the check digit of their first 11 (no structure check)."""
    if len(text) != 12 or not text.isascii() or not text.isdigit():
        return False
    expected = check_digit(text[:11])
    return expected is not None and expected == int(text[11])


def strip_spaces(value: object) -> str:
    """What a person typed, without spaces, tabs, no-break spaces and invisible characters.

    ``"900101 300017"`` → ``"900101300017"``. Used by the form fields before parsing.
    """
    text = "" if value is None else str(value)
    return "".join(text.split()).translate(_INVISIBLE)


def _has_non_ascii_digit(text: str) -> bool:
    return any(not c.isascii() and c.isdigit() for c in text)


def _twelve_digits(value: object, messages: Mapping[str, Promise]) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise _error(messages, "required")
    if _has_non_ascii_digit(text):
        raise _error(messages, "non_ascii_digits")
    if len(text) != 12 or not text.isascii() or not text.isdigit():
        raise _error(messages, "format")
    return text


# --- IIN ---------------------------------------------------------------------------------------

_CENTURY_BASE = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


@dataclass(frozen=True)
class IIN:
    """A parsed individual identification number ("жеке сәйкестендіру нөмірі")."""

    value: str
    birth_date: dt.date
    sex: str  # "male" | "female"

    @property
    def century_digit(self) -> int:
        return int(self.value[6])

    @property
    def serial(self) -> str:
        return self.value[7:11]

    @property
    def birth_year_is_ambiguous(self) -> bool:
        """True for year digits ``00`` with century digit 1–4.

        People born in 1900 or 2000 may carry the neighbouring century digit (KZ-NOTES), so
        ``00`` with 3/4 may be 1900 or 2000. Cross-check with the person record before deriving
        an age.
        """
        return self.value[0:2] == "00" and self.century_digit <= 4


def _iin_birth_date(text: str, century_digit: int) -> dt.date | None:
    base = _CENTURY_BASE[century_digit]
    yy, mm, dd = int(text[0:2]), int(text[2:4]), int(text[4:6])
    years = [base + yy]
    if yy == 0 and base < 2000:
        # 00 may be the last year of the previous century's digit: 29 February 2000 written
        # with digit 3/4 does not exist as 1900-02-29, but the person does.
        years.append(base + 100)
    for year in years:
        try:
            return dt.date(year, mm, dd)
        except ValueError:
            continue
    return None


def _parse_iin_digits(text: str, today: dt.date) -> IIN:
    century_digit = int(text[6])
    if century_digit not in _CENTURY_BASE:
        raise _error(IIN_MESSAGES, "century")
    birth = _iin_birth_date(text, century_digit)
    if birth is None:
        raise _error(IIN_MESSAGES, "birth_date")
    if birth > today:
        raise _error(IIN_MESSAGES, "future_birth_date")
    if not has_valid_check_digit(text):
        raise _error(IIN_MESSAGES, "checksum")
    return IIN(value=text, birth_date=birth, sex="male" if century_digit % 2 else "female")


def parse_iin(value: object, *, today: dt.date | None = None) -> IIN:
    """Validate and parse an IIN (R-X-3); raise ``ValidationError`` with a code and a message.

    Refuses, in this order: empty (``required``), digits of other scripts
    (``non_ascii_digits``), anything but 12 ASCII digits (``format``), a BIN (``is_bin``), a
    7th digit outside 1–6 (``century``), a date that does not exist (``birth_date``) or is after
    ``today`` (``future_birth_date``; default: today in Kazakhstan), a wrong check digit
    (``checksum``).

    The birth date is read from digits 1–6 and the century/sex digit 7 (1/2 → 1800s, 3/4 →
    1900s, 5/6 → 2000s; odd = male). Do not derive legal facts such as age from it alone: see
    ``IIN.birth_year_is_ambiguous``.
    """
    text = _twelve_digits(value, IIN_MESSAGES)
    today = timezone.localdate() if today is None else today
    try:
        return _parse_iin_digits(text, today)
    except ValidationError:
        if _is_bin_digits(text):
            raise _error(IIN_MESSAGES, "is_bin") from None
        raise


def _is_iin_digits(text: str) -> bool:
    try:
        _parse_iin_digits(text, timezone.localdate())
    except ValidationError:
        return False
    return True


# --- BIN ---------------------------------------------------------------------------------------

ENTITY_TYPES: Mapping[str, Promise] = {
    "4": _("resident legal entity"),
    "5": _("non-resident legal entity"),
    "6": _("joint individual entrepreneurship"),
}
UNIT_TYPES: Mapping[str, Promise] = {
    "0": _("head organization"),
    "1": _("branch"),
    "2": _("representative office"),
    "3": _("peasant (farm) enterprise"),
}


@dataclass(frozen=True)
class BIN:
    """A parsed business identification number ("бизнес-сәйкестендіру нөмірі")."""

    value: str
    registration_year: int  # two digits as written, e.g. 94
    registration_month: int
    entity_type: str  # "4" | "5" | "6"
    unit_type: str  # "0" | "1" | "2" | "3"

    @property
    def serial(self) -> str:
        return self.value[6:11]

    @property
    def entity_type_label(self) -> str:
        return str(ENTITY_TYPES[self.entity_type])

    @property
    def unit_type_label(self) -> str:
        return str(UNIT_TYPES[self.unit_type])


def _parse_bin_digits(text: str) -> BIN:
    month = int(text[2:4])
    if not 1 <= month <= 12:
        raise _error(BIN_MESSAGES, "month")
    if text[4] not in ENTITY_TYPES:
        raise _error(BIN_MESSAGES, "entity_type")
    if text[5] not in UNIT_TYPES:
        raise _error(BIN_MESSAGES, "unit_type")
    if not has_valid_check_digit(text):
        raise _error(BIN_MESSAGES, "checksum")
    return BIN(
        value=text,
        registration_year=int(text[0:2]),
        registration_month=month,
        entity_type=text[4],
        unit_type=text[5],
    )


def parse_bin(value: object) -> BIN:
    """Validate and parse a BIN (R-X-3); raise ``ValidationError`` with a code and a message.

    Refuses, in this order: empty (``required``), digits of other scripts
    (``non_ascii_digits``), anything but 12 ASCII digits (``format``), an IIN (``is_iin``: a
    sole entrepreneur uses the IIN), a month outside 01–12 (``month``), a 5th digit outside 4–6
    (``entity_type``), a 6th digit outside 0–3 (``unit_type``), a wrong check digit
    (``checksum``).
    """
    text = _twelve_digits(value, BIN_MESSAGES)
    try:
        return _parse_bin_digits(text)
    except ValidationError:
        if _is_iin_digits(text):
            raise _error(BIN_MESSAGES, "is_iin") from None
        raise


def _is_bin_digits(text: str) -> bool:
    try:
        _parse_bin_digits(text)
    except ValidationError:
        return False
    return True


def validate_iin(value: object) -> None:
    """Model and form validator: ``parse_iin`` without the result."""
    parse_iin(value)


def validate_bin(value: object) -> None:
    """Model and form validator: ``parse_bin`` without the result."""
    parse_bin(value)


def is_valid_iin(value: object) -> bool:
    try:
        parse_iin(value)
    except ValidationError:
        return False
    return True


def is_valid_bin(value: object) -> bool:
    try:
        parse_bin(value)
    except ValidationError:
        return False
    return True


# --- Phones ------------------------------------------------------------------------------------

# What people write around the digits. Letters (vanity numbers, "ext.", "tel:") are refused:
# phonenumbers would turn letters into digits and drop an extension silently.
_PHONE_CHARS = re.compile(r"\+?[0-9 ().\-]+")
_MAX_PHONE_INPUT = 32
_MAX_KZ_DIGITS = 11  # 8 or 7, then 10 digits


def normalize_phone(value: object) -> str:
    """A Kazakhstan phone number in E.164 (``+77012345678``) (R-X-3).

    Accepts what people type: ``8 (701) 234-56-78``, ``+7 701 234 5678``, ``87012345678``,
    ``7012345678``. Refuses (codes in ``PHONE_MESSAGES``): empty, digits of other scripts,
    letters and other signs, too many digits, a valid number of another country (``+7 916…`` is
    Russian) and a number that does not exist in Kazakhstan.
    """
    # Any run of whitespace (no-break spaces too) counts as one space.
    text = " ".join(("" if value is None else str(value)).translate(_INVISIBLE).split())
    if not text:
        raise _error(PHONE_MESSAGES, "required")
    if _has_non_ascii_digit(text):
        raise _error(PHONE_MESSAGES, "non_ascii_digits")
    if len(text) > _MAX_PHONE_INPUT:
        raise _error(PHONE_MESSAGES, "too_long")
    if not _PHONE_CHARS.fullmatch(text):
        raise _error(PHONE_MESSAGES, "format")
    try:
        number = phonenumbers.parse(text, "KZ")
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.TOO_LONG:
            raise _error(PHONE_MESSAGES, "too_long") from None
        raise _error(PHONE_MESSAGES, "format") from None
    if phonenumbers.is_valid_number_for_region(number, "KZ"):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(number):
        raise _error(PHONE_MESSAGES, "not_kz")
    if sum(c.isdigit() for c in text) > _MAX_KZ_DIGITS:
        raise _error(PHONE_MESSAGES, "too_long")
    raise _error(PHONE_MESSAGES, "invalid")


def is_valid_phone(value: object) -> bool:
    try:
        normalize_phone(value)
    except ValidationError:
        return False
    return True


def is_mobile_phone(e164: str | None) -> bool:
    """Whether a stored number is a Kazakhstan mobile number (can receive a text message)."""
    if not e164:
        return False
    try:
        number = phonenumbers.parse(e164, "KZ")
    except phonenumbers.NumberParseException:
        return False
    if not phonenumbers.is_valid_number_for_region(number, "KZ"):
        return False
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def format_phone(e164: str | None) -> str:
    """Display form: ``+7 701 234 5678``; anything unparseable is shown as stored."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "KZ")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
