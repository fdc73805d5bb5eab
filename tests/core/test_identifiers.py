"""IIN, BIN and phone numbers (R-X-3): what is accepted, what is refused, and with which code.

Vectors come from ../shared/KZ-NOTES.md ("IIN and BIN", "Phones and places"). The `idnumbers`
package serves as an independent oracle for the checksum and the structure.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from idnumbers.nationalid import KAZ
from idnumbers.nationalid.kaz.util import checksum as oracle_checksum

from qamqor.core.identifiers import (
    BIN,
    BIN_MESSAGES,
    IIN,
    IIN_MESSAGES,
    PHONE_MESSAGES,
    check_digit,
    format_phone,
    has_valid_check_digit,
    is_mobile_phone,
    is_valid_bin,
    is_valid_iin,
    is_valid_phone,
    normalize_phone,
    parse_bin,
    parse_iin,
    strip_spaces,
    validate_bin,
    validate_iin,
)

# A fixed "today" for everything that depends on the date of birth being in the past.
TODAY = dt.date(2026, 3, 22)

VALID_IINS = ["900101300017", "850312300305", "061211600012"]
VALID_BINS = ["940140000385", "100140000003"]

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
prefixes = st.text(alphabet="0123456789", min_size=11, max_size=11)
dates_of_birth = st.dates(min_value=dt.date(1800, 1, 1), max_value=TODAY)


def refusal(func, value, **kwargs) -> ValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        func(value, **kwargs)
    return info.value


def with_check_digit(prefix: str) -> str:
    digit = check_digit(prefix)
    assert digit is not None, prefix
    return prefix + str(digit)


def first_with_check_digit(template: str) -> str:
    """The first checksum-valid number whose 11-digit prefix fills ``template`` with a serial."""
    for serial in range(100_000):
        prefix = template.format(serial)
        if check_digit(prefix) is not None:
            return with_check_digit(prefix)
    raise AssertionError(template)  # pragma: no cover


def iin_for(birth_digits: str, century_digit: int) -> str:
    """The first checksum-valid IIN for six birth digits and a century digit."""
    for serial in range(10_000):
        prefix = f"{birth_digits}{century_digit}{serial:04d}"
        if check_digit(prefix) is not None:
            return with_check_digit(prefix)
    raise AssertionError(birth_digits)  # pragma: no cover


def first_pass_remainder(number: str) -> int:
    return sum(int(d) * w for d, w in zip(number[:11], range(1, 12), strict=True)) % 11


def century_digit_for(year: int, *, female: bool) -> int:
    return {18: 1, 19: 3, 20: 5}[year // 100] + (1 if female else 0)


# --- The check digit -----------------------------------------------------------------------------


def test_check_digit_of_the_first_pass_vector() -> None:
    """R-X-3: Σ dᵢ·i mod 11 with weights 1..11 (KZ-NOTES: 900101300017 is first pass)."""
    prefix = "90010130001"
    assert sum(int(d) * w for d, w in zip(prefix, range(1, 12), strict=True)) % 11 == 7
    assert check_digit(prefix) == 7


def test_check_digit_of_the_second_pass_vectors() -> None:
    """R-X-3: a first remainder of 10 is recomputed with weights 3..11, 1, 2 (KZ-NOTES)."""
    second = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
    for number in ("850312300305", "061211600012"):
        prefix = number[:11]
        assert sum(int(d) * w for d, w in zip(prefix, range(1, 12), strict=True)) % 11 == 10
        assert sum(int(d) * w for d, w in zip(prefix, second, strict=True)) % 11 == int(number[11])
        assert check_digit(prefix) == int(number[11])


def test_prefix_with_ten_in_both_passes_has_no_check_digit() -> None:
    """R-X-3: such a prefix is never issued (KZ-NOTES: 85031230038x)."""
    assert check_digit("85031230038") is None


@pytest.mark.parametrize(
    "prefix", ["", "9001013000", "900101300017", "9001013000a", "９００１０１３０００１"]
)
def test_check_digit_needs_eleven_ascii_digits(prefix: str) -> None:
    """R-X-3: the check digit is defined only for 11 ASCII digits; anything else is a bug."""
    with pytest.raises(ValueError):
        check_digit(prefix)


@given(prefixes)
@settings(max_examples=500)
def test_a_prefix_with_its_check_digit_always_passes_the_checksum(prefix: str) -> None:
    """R-X-3: for any 11 digits with a check digit, the 12-digit number built passes it."""
    digit = check_digit(prefix)
    assume(digit is not None)
    number = prefix + str(digit)
    assert has_valid_check_digit(number)
    assert [has_valid_check_digit(prefix + str(d)) for d in range(10)].count(True) == 1


@given(prefixes)
@settings(max_examples=1000)
def test_check_digit_agrees_with_the_idnumbers_oracle(prefix: str) -> None:
    """R-X-3: our checksum is the one idnumbers computes (an independent implementation)."""
    assert check_digit(prefix) == oracle_checksum(prefix + "0")


@given(prefixes, st.integers(min_value=0, max_value=11), digits)
@settings(max_examples=1000)
def test_changing_one_of_digits_1_to_10_or_12_breaks_the_checksum_in_the_first_pass(
    prefix: str, position: int, new_digit: str
) -> None:
    """R-X-3: one wrong digit at positions 1–10 or 12 is caught when the number and the typo
    are both settled in the first pass; when either needs the second pass about 1.7 % of such
    typos are missed (the property does not hold without this condition)."""
    assume(position != 10)  # the 11th digit: see the next test
    digit = check_digit(prefix)
    assume(digit is not None)
    number = prefix + str(digit)
    assume(new_digit != number[position])
    changed = number[:position] + new_digit + number[position + 1 :]
    assume(first_pass_remainder(number) != 10 and first_pass_remainder(changed) != 10)
    assert not has_valid_check_digit(changed)


def test_the_11th_digit_has_weight_11_so_the_first_pass_cannot_see_a_change_there() -> None:
    """R-X-3: a known weakness of the algorithm, not of our code. 11·d ≡ 0 (mod 11), so a typo
    in the 11th digit of a first-pass number keeps the checksum valid — idnumbers agrees."""
    assert is_valid_iin("900101300017")
    assert parse_iin("900101300027", today=TODAY).birth_date == dt.date(1990, 1, 1)
    assert KAZ.IndividualIDNumber.validate("900101300027")


@st.composite
def valid_iins(draw: st.DrawFn) -> str:
    """A valid IIN: a real date of birth up to TODAY, a century/sex digit, a serial."""
    birth = draw(dates_of_birth)
    female = draw(st.booleans())
    serial = draw(st.text("0123456789", min_size=4, max_size=4))
    prefix = f"{birth:%y%m%d}{century_digit_for(birth.year, female=female)}{serial}"
    digit = check_digit(prefix)
    assume(digit is not None)
    return prefix + str(digit)


@given(valid_iins(), st.integers(min_value=0, max_value=11), digits)
@settings(max_examples=1000)
def test_changing_one_digit_of_a_valid_iin_breaks_checksum_or_structure_except_digit_11(
    number: str, position: int, new_digit: str
) -> None:
    """R-X-3: on a valid IIN a single changed digit (other than the 11th) is refused by the
    checksum or the structure, when both numbers are settled in the first pass."""
    assert is_valid_iin(number)
    assume(position != 10)
    assume(new_digit != number[position])
    changed = number[:position] + new_digit + number[position + 1 :]
    assume(first_pass_remainder(number) != 10 and first_pass_remainder(changed) != 10)
    assert not is_valid_iin(changed)


# --- IIN -----------------------------------------------------------------------------------------


def test_valid_iin_of_the_first_pass_is_parsed() -> None:
    """R-X-3: 900101300017 — born 1 January 1990, male (century digit 3)."""
    assert parse_iin("900101300017", today=TODAY) == IIN(
        value="900101300017", birth_date=dt.date(1990, 1, 1), sex="male"
    )


def test_valid_iin_of_the_second_pass_is_parsed() -> None:
    """R-X-3: 850312300305 — born 12 March 1985, male."""
    iin = parse_iin("850312300305", today=TODAY)
    assert (iin.birth_date, iin.sex, iin.century_digit, iin.serial) == (
        dt.date(1985, 3, 12),
        "male",
        3,
        "0030",
    )


def test_valid_iin_of_a_girl_born_in_2006_is_parsed() -> None:
    """R-X-3: 061211600012 — second pass, century digit 6: female, 2000s."""
    iin = parse_iin("061211600012", today=TODAY)
    assert (iin.birth_date, iin.sex, iin.century_digit) == (dt.date(2006, 12, 11), "female", 6)


@pytest.mark.parametrize(
    ("century_digit", "year", "sex"),
    [
        (1, 1875, "male"),
        (2, 1875, "female"),
        (3, 1975, "male"),
        (4, 1975, "female"),
        (5, 2015, "male"),
        (6, 2015, "female"),
    ],
)
def test_iin_century_digit_gives_century_and_sex(century_digit: int, year: int, sex: str) -> None:
    """R-X-3: digit 7 is 1/2 → 1800s, 3/4 → 1900s, 5/6 → 2000s; odd is male."""
    iin = parse_iin(iin_for(f"{year % 100:02d}0704", century_digit), today=TODAY)
    assert (iin.birth_date, iin.sex) == (dt.date(year, 7, 4), sex)


@pytest.mark.parametrize("value", VALID_IINS)
def test_valid_iins_pass_every_entry_point(value: str) -> None:
    """R-X-3: the KZ-NOTES vectors are valid for us and for the oracle."""
    validate_iin(value)
    assert is_valid_iin(value)
    assert is_valid_iin(f"  {value}\n")  # surrounding whitespace as a form or import leaves it
    assert KAZ.IndividualIDNumber.validate(value)


def test_iin_with_wrong_check_digit_is_refused() -> None:
    """R-X-3: 900101300018 differs from a valid IIN in the check digit only."""
    error = refusal(parse_iin, "900101300018", today=TODAY)
    assert error.code == "checksum"
    assert error.messages == [
        "This IIN is not valid: the check digit does not match. Check every digit."
    ]


@pytest.mark.parametrize("last", "0123456789")
def test_iin_whose_prefix_has_no_check_digit_is_refused_whatever_the_last_digit(last: str) -> None:
    """R-X-3: 85031230038x gives 10 in both passes: never issued, for every x."""
    assert refusal(parse_iin, "85031230038" + last, today=TODAY).code == "checksum"
    assert not KAZ.IndividualIDNumber.validate("85031230038" + last)


def test_iin_with_month_13_is_refused_although_its_checksum_passes() -> None:
    """R-X-3: 901301300017 passes the checksum; the structure refuses it."""
    assert has_valid_check_digit("901301300017")
    assert refusal(parse_iin, "901301300017", today=TODAY).code == "birth_date"


def test_iin_of_all_zeros_is_refused_although_its_checksum_passes() -> None:
    """R-X-3: the checksum alone accepts 000000000000."""
    assert has_valid_check_digit("000000000000")
    assert refusal(parse_iin, "000000000000", today=TODAY).code == "century"
    assert refusal(parse_bin, "000000000000").code == "month"


def test_iin_123456789012_is_refused() -> None:
    """R-X-3: KZ-NOTES invalid vector; its 7th digit 7 is no century."""
    assert refusal(parse_iin, "123456789012", today=TODAY).code == "century"


@pytest.mark.parametrize("century_digit", [0, 7, 8, 9])
def test_iin_with_century_digit_outside_1_to_6_is_refused(century_digit: int) -> None:
    """R-X-3: digit 7 is 1–6, even when the checksum passes."""
    error = refusal(parse_iin, iin_for("900101", century_digit), today=TODAY)
    assert error.code == "century"
    assert error.messages == [
        "This IIN is not valid: its 7th digit (century and sex) must be 1 to 6."
    ]


@pytest.mark.parametrize("birth_digits", ["900230", "900431", "900001", "900100", "010229"])
def test_iin_whose_first_six_digits_are_no_date_is_refused(birth_digits: str) -> None:
    """R-X-3: digits 1–6 are a date of birth that exists (2001 has no 29 February)."""
    error = refusal(parse_iin, iin_for(birth_digits, 5 if birth_digits < "27" else 3), today=TODAY)
    assert error.code == "birth_date"
    assert error.messages == [
        "This IIN is not valid: its first six digits are not a date of birth."
    ]


def test_iin_of_29_february_2000_with_a_20th_century_digit_is_accepted() -> None:
    """R-X-3: people born in 2000 may carry the century digit 3/4 (KZ-NOTES); 1900-02-29 does
    not exist, so the date is 2000-02-29. idnumbers refuses this number: we trust the notes."""
    number = iin_for("000229", 4)
    iin = parse_iin(number, today=TODAY)
    assert (iin.birth_date, iin.sex, iin.birth_year_is_ambiguous) == (
        dt.date(2000, 2, 29),
        "female",
        True,
    )
    assert not KAZ.IndividualIDNumber.validate(number)


def test_iin_of_29_february_1900_with_a_19th_century_digit_is_refused() -> None:
    """R-X-3: neither 1800 nor 1900 has a 29 February."""
    assert refusal(parse_iin, iin_for("000229", 1), today=TODAY).code == "birth_date"


@pytest.mark.parametrize(
    ("number_birth", "century_digit", "ambiguous"),
    [("000101", 3, True), ("000101", 1, True), ("000101", 5, False), ("010101", 3, False)],
)
def test_iin_year_00_with_century_digit_1_to_4_is_flagged_ambiguous(
    number_birth: str, century_digit: int, ambiguous: bool
) -> None:
    """R-X-3: do not derive age from the IIN alone; year 00 may belong to either century."""
    iin = parse_iin(iin_for(number_birth, century_digit), today=TODAY)
    assert iin.birth_year_is_ambiguous is ambiguous


def test_iin_of_a_baby_born_today_is_accepted_and_tomorrow_refused() -> None:
    """R-X-3: a date of birth after today cannot be an issued IIN."""
    born_today = iin_for("260322", 6)
    born_tomorrow = iin_for("260323", 6)
    assert parse_iin(born_today, today=TODAY).birth_date == TODAY
    error = refusal(parse_iin, born_tomorrow, today=TODAY)
    assert error.code == "future_birth_date"
    assert error.messages == ["This IIN is not valid: its date of birth is in the future."]


@time_machine.travel(dt.datetime(2026, 3, 21, 19, 30, tzinfo=dt.UTC), tick=False)
def test_iin_today_is_the_day_in_kazakhstan_not_in_utc() -> None:
    """R-X-3: at 00:30 in Astana (19:30 UTC the day before) a baby born that day is valid."""
    assert is_valid_iin(iin_for("260322", 5))
    assert not is_valid_iin(iin_for("260323", 5))


def test_bin_typed_into_an_iin_field_is_named_as_a_bin() -> None:
    """R-X-3: a clear message for the most likely mix-up."""
    error = refusal(parse_iin, "940140000385", today=TODAY)
    assert error.code == "is_bin"
    assert error.messages == ["This number is a BIN, not an IIN. Enter the person's IIN."]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        (None, "required"),
        ("90010130001", "format"),
        ("9001013000170", "format"),
        ("90010130001x", "format"),
        ("900101-300017", "format"),
        ("900101 300017", "format"),  # the parser takes stored values; forms strip spaces first
        ("９００１０１３０００１７", "non_ascii_digits"),  # full-width
        ("٩٠٠١٠١٣٠٠٠١٧", "non_ascii_digits"),  # Arabic-Indic
        ("۹۰۰۱۰۱۳۰۰۰۱۷", "non_ascii_digits"),  # Extended Arabic-Indic (Persian)
        ("90010130001٧", "non_ascii_digits"),  # one look-alike among ASCII digits
        ("९००१०१३०००१७", "non_ascii_digits"),  # Devanagari
        ("90010130001²", "non_ascii_digits"),  # a superscript looks like a digit too
    ],
)
def test_iin_that_is_not_12_ascii_digits_is_refused_with_its_code(value: object, code: str) -> None:
    """R-X-3: empty, wrong length, letters and look-alike digits each have their own message."""
    error = refusal(parse_iin, value, today=TODAY)
    assert error.code == code
    assert error.messages == [str(IIN_MESSAGES[code])]


def test_iin_messages_are_whole_sentences() -> None:
    """R-X-3 (STYLE): the exact English msgids the translators get."""
    assert str(IIN_MESSAGES["required"]) == "Enter the IIN."
    assert str(IIN_MESSAGES["format"]) == "The IIN must be exactly 12 digits."


def test_iin_given_as_an_integer_is_read_as_digits() -> None:
    """R-X-3: an import may hand over a number; leading zeros are then lost and refused."""
    assert parse_iin(900101300017, today=TODAY).value == "900101300017"
    assert refusal(parse_iin, 61211600012, today=TODAY).code == "format"


@given(dates_of_birth, st.booleans(), st.text("0123456789", min_size=4, max_size=4), digits)
@settings(max_examples=1000)
def test_iin_verdict_agrees_with_the_idnumbers_oracle_when_the_structure_is_valid(
    birth: dt.date, female: bool, serial: str, last: str
) -> None:
    """R-X-3: for every real date of birth, serial and last digit, we accept exactly what
    idnumbers accepts, and read the same date and sex."""
    number = f"{birth:%y%m%d}{century_digit_for(birth.year, female=female)}{serial}{last}"
    ours = is_valid_iin(number)
    assert ours == KAZ.IndividualIDNumber.validate(number)
    assert ours == has_valid_check_digit(number)
    if ours:
        iin = parse_iin(number, today=TODAY)
        oracle = KAZ.IndividualIDNumber.parse(number)
        assert oracle is not None
        assert iin.birth_date == oracle["yyyymmdd"] == birth
        assert iin.sex == oracle["gender"].value.lower() == ("female" if female else "male")


@given(st.text("0123456789", min_size=12, max_size=12))
@settings(max_examples=1000)
def test_iin_verdict_agrees_with_the_oracle_on_any_12_digits_except_future_births(
    number: str,
) -> None:
    """R-X-3: on arbitrary digits we differ from idnumbers only where we refuse a birth date
    after today (idnumbers has no clock) or accept 29 February 2000 with digit 3/4."""
    ours = is_valid_iin(number)
    oracle = KAZ.IndividualIDNumber.validate(number)
    if ours != oracle:
        if oracle:
            assert refusal(parse_iin, number).code == "future_birth_date"
        else:
            assert number[:6] == "000229"
            assert number[6] in "34"


@given(st.text(max_size=40))
@settings(max_examples=500)
def test_iin_parser_refuses_any_text_with_a_known_code_and_never_crashes(text: str) -> None:
    """R-X-3: no input makes the parser raise anything but a coded ValidationError."""
    try:
        parse_iin(text, today=TODAY)
    except ValidationError as error:
        assert error.code in IIN_MESSAGES
        assert error.messages == [str(IIN_MESSAGES[error.code])]


# --- BIN -----------------------------------------------------------------------------------------


def test_valid_bin_940140000385_is_parsed() -> None:
    """R-X-3: registered January 1994, resident legal entity, head unit."""
    parsed = parse_bin("940140000385")
    assert parsed == BIN(
        value="940140000385",
        registration_year=94,
        registration_month=1,
        entity_type="4",
        unit_type="0",
    )
    assert parsed.serial == "00038"
    assert (parsed.entity_type_label, parsed.unit_type_label) == (
        "resident legal entity",
        "head organization",
    )


def test_valid_bin_100140000003_is_parsed() -> None:
    """R-X-3: registered January 2010, resident legal entity, head unit."""
    parsed = parse_bin("100140000003")
    assert (parsed.registration_year, parsed.registration_month) == (10, 1)
    assert (parsed.entity_type, parsed.unit_type, parsed.serial) == ("4", "0", "00000")


@pytest.mark.parametrize("value", VALID_BINS)
def test_valid_bins_pass_every_entry_point(value: str) -> None:
    """R-X-3: the KZ-NOTES vectors are valid for us and for the oracle."""
    validate_bin(value)
    assert is_valid_bin(value)
    assert KAZ.BusinessIDNumber.validate(value)


@pytest.mark.parametrize(
    ("entity", "unit", "entity_label", "unit_label"),
    [
        ("4", "0", "resident legal entity", "head organization"),
        ("5", "1", "non-resident legal entity", "branch"),
        ("6", "2", "joint individual entrepreneurship", "representative office"),
        ("4", "3", "resident legal entity", "peasant (farm) enterprise"),
    ],
)
def test_bin_digits_5_and_6_give_entity_and_unit_type(
    entity: str, unit: str, entity_label: str, unit_label: str
) -> None:
    """R-X-3: 5 = 4 resident, 5 non-resident, 6 joint IE; 6 = 0 head, 1 branch, 2
    representative office, 3 peasant farm."""
    number = first_with_check_digit(f"0712{entity}{unit}{{:05d}}")
    parsed = parse_bin(number)
    assert (parsed.registration_year, parsed.registration_month) == (7, 12)
    assert (parsed.entity_type_label, parsed.unit_type_label) == (entity_label, unit_label)


def test_bin_with_wrong_check_digit_is_refused() -> None:
    """R-X-3: one digit off in the check digit."""
    error = refusal(parse_bin, "940140000386")
    assert error.code == "checksum"
    assert error.messages == [
        "This BIN is not valid: the check digit does not match. Check every digit."
    ]


@pytest.mark.parametrize("month", ["00", "13", "99"])
def test_bin_with_month_outside_01_to_12_is_refused(month: str) -> None:
    """R-X-3: digits 3–4 are the registration month, even when the checksum passes."""
    number = first_with_check_digit(f"94{month}40{{:05d}}")
    assert has_valid_check_digit(number)
    assert refusal(parse_bin, number).code == "month"


@pytest.mark.parametrize("entity", "0123789")
def test_bin_with_entity_type_outside_4_to_6_is_refused(entity: str) -> None:
    """R-X-3: the 5th digit is 4, 5 or 6."""
    number = first_with_check_digit(f"9401{entity}0{{:05d}}")
    error = refusal(parse_bin, number)
    assert error.code == "entity_type"
    assert error.messages == [
        "This BIN is not valid: its 5th digit (type of entity) must be 4, 5 or 6."
    ]


@pytest.mark.parametrize("unit", "456789")
def test_bin_with_unit_type_outside_0_to_3_is_refused(unit: str) -> None:
    """R-X-3: the 6th digit is 0 to 3."""
    number = first_with_check_digit(f"94014{unit}{{:05d}}")
    assert refusal(parse_bin, number).code == "unit_type"


@pytest.mark.parametrize("value", VALID_IINS)
def test_iin_typed_into_a_bin_field_is_named_as_an_iin(value: str) -> None:
    """R-X-3: a sole entrepreneur uses the IIN; say so instead of "5th digit must be 4–6"."""
    error = refusal(parse_bin, value)
    assert error.code == "is_iin"
    assert error.messages == [
        "This number is an IIN, not a BIN. Enter the BIN of the organization; "
        "a sole entrepreneur has no BIN."
    ]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        (None, "required"),
        ("94014000038", "format"),
        ("9401400003850", "format"),
        ("94014000038O", "format"),  # a letter O for a zero
        ("９４０１４０００００３８５", "non_ascii_digits"),
        ("٩٤٠١٤٠٠٠٠٣٨٥", "non_ascii_digits"),
        ("901301300017", "month"),  # KZ-NOTES invalid vector
        ("123456789012", "month"),
        ("900101300018", "entity_type"),
        ("85031230038" + "0", "entity_type"),
    ],
)
def test_bin_that_is_not_a_bin_is_refused_with_its_code(value: object, code: str) -> None:
    """R-X-3: every refusal has a stable code and the BIN's own sentence."""
    error = refusal(parse_bin, value)
    assert error.code == code
    assert error.messages == [str(BIN_MESSAGES[code])]


@given(
    st.integers(0, 99),
    st.integers(1, 12),
    st.sampled_from("456"),
    st.sampled_from("0123"),
    st.text("0123456789", min_size=5, max_size=5),
    digits,
)
@settings(max_examples=1000)
def test_bin_verdict_agrees_with_the_idnumbers_oracle_when_the_structure_is_valid(
    year: int, month: int, entity: str, unit: str, serial: str, last: str
) -> None:
    """R-X-3: for every well-formed BIN, we accept exactly what idnumbers accepts."""
    number = f"{year:02d}{month:02d}{entity}{unit}{serial}{last}"
    ours = is_valid_bin(number)
    assert ours == KAZ.BusinessIDNumber.validate(number) == has_valid_check_digit(number)
    if ours:
        oracle = KAZ.BusinessIDNumber.parse(number)
        assert oracle is not None
        parsed = parse_bin(number)
        assert (parsed.registration_year, parsed.registration_month) == (oracle["yy"], oracle["mm"])


@given(st.text("0123456789", min_size=12, max_size=12))
@settings(max_examples=1000)
def test_bin_verdict_agrees_with_the_oracle_on_any_12_digits(number: str) -> None:
    """R-X-3: BIN has no date of birth, so there is no exception at all."""
    assert is_valid_bin(number) == KAZ.BusinessIDNumber.validate(number)


@given(st.text(max_size=40))
@settings(max_examples=500)
def test_bin_parser_refuses_any_text_with_a_known_code_and_never_crashes(text: str) -> None:
    """R-X-3: no input makes the parser raise anything but a coded ValidationError."""
    try:
        parse_bin(text)
    except ValidationError as error:
        assert error.code in BIN_MESSAGES


# --- Messages ------------------------------------------------------------------------------------


def test_iin_and_bin_have_their_own_sentence_for_every_shared_code() -> None:
    """R-X-3 (STYLE): never "Enter the %(what)s." — Kazakh declines ЖСН and БСН differently."""
    shared = set(IIN_MESSAGES) & set(BIN_MESSAGES)
    assert shared == {"required", "non_ascii_digits", "format", "checksum"}
    for code in shared:
        assert str(IIN_MESSAGES[code]) != str(BIN_MESSAGES[code])
        assert "IIN" in str(IIN_MESSAGES[code])
        assert "BIN" in str(BIN_MESSAGES[code])
    assert str(BIN_MESSAGES["required"]) == "Enter the BIN."
    assert str(BIN_MESSAGES["format"]) == "The BIN must be exactly 12 digits."


@pytest.mark.parametrize("messages", [IIN_MESSAGES, BIN_MESSAGES, PHONE_MESSAGES])
def test_every_message_is_a_lazy_whole_sentence_without_placeholders(messages: dict) -> None:  # type: ignore[type-arg]
    """R-X-3, R-X-4: lazy (translated when shown, in the person's language), one sentence or
    two, no fragments to fill in."""
    for message in messages.values():
        text = str(message)
        assert isinstance(message, Promise)  # a lazy translation, not a str
        assert text[0].isupper()
        assert text.endswith(".")
        assert "%(" not in text
        assert "{" not in text


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_messages_render_in_every_portal_language(language: str) -> None:
    """R-X-4: rendering under kk and ru works (falls back to English until translated)."""
    with translation.override(language):
        error = refusal(parse_iin, "900101300018", today=TODAY)
        assert error.messages[0]


# --- Phones --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("8 (701) 234-56-78", "+77012345678"),
        ("+7 701 234 5678", "+77012345678"),
        ("+7 (701) 234-56-78", "+77012345678"),
        ("87012345678", "+77012345678"),
        ("77012345678", "+77012345678"),
        ("7012345678", "+77012345678"),
        ("+77012345678", "+77012345678"),
        ("8-701-234-56-78", "+77012345678"),
        ("8.701.234.56.78", "+77012345678"),
        ("  8 701 234 56 78  ", "+77012345678"),
        ("8\u00a0701\u00a0234\u00a056\u00a078", "+77012345678"),  # no-break spaces
        ("8 701\u2009234\u202f56 78", "+77012345678"),  # thin and narrow no-break spaces
        ("\u200b+77012345678\ufeff", "+77012345678"),  # invisible characters from a paste
        (77012345678, "+77012345678"),
    ],
)
def test_phone_typed_in_the_usual_ways_is_stored_in_e164(typed: object, e164: str) -> None:
    """R-X-3: 8 (701) 234-56-78 → +77012345678 (KZ-NOTES)."""
    assert normalize_phone(typed) == e164


@pytest.mark.parametrize(
    "operator",
    [
        *("700", "701", "702", "705", "706", "707", "708", "747"),
        *("760", "761", "762", "763", "764", "771", "775", "776", "777", "778", "785"),
    ],
)
def test_phone_of_every_kazakh_mobile_operator_code_is_accepted_as_mobile(operator: str) -> None:
    """R-X-3: mobile +7 700–702, 705–708, 747, 760–764, 771, 775–778, 785 (KZ-NOTES)."""
    e164 = normalize_phone(f"8 ({operator}) 123-45-67")
    assert e164 == f"+7{operator}1234567"
    assert is_mobile_phone(e164)


@pytest.mark.parametrize("operator", ["703", "704", "709", "772", "779", "799"])
def test_phone_with_an_unassigned_mobile_code_is_refused(operator: str) -> None:
    """R-X-3: 703 and 704 are not in KZ-NOTES' list (nor in phonenumbers' metadata), although
    a range "700–708" is sometimes quoted."""
    error = refusal(normalize_phone, f"+7 {operator} 123 45 67")
    assert error.code == "invalid"
    assert error.messages == [str(PHONE_MESSAGES["invalid"])]


@pytest.mark.parametrize(
    ("typed", "e164", "display"),
    [
        ("8 7172 55 12 34", "+77172551234", "+7 7172 55 12 34"),  # Astana
        ("+7 (7172) 72-34-56", "+77172723456", "+7 7172 72 34 56"),
        ("8 727 258 12 34", "+77272581234", "+7 7272 58 12 34"),  # Almaty
        ("+7 727 300 12 34", "+77273001234", "+7 727 300 1234"),
    ],
)
def test_phone_of_a_fixed_line_in_astana_or_almaty_is_accepted_and_not_mobile(
    typed: str, e164: str, display: str
) -> None:
    """R-X-3: fixed lines +7 7xxx (7172 Astana, 727 Almaty) are Kazakh numbers, not mobile."""
    assert normalize_phone(typed) == e164
    assert not is_mobile_phone(e164)
    assert format_phone(e164) == display


@pytest.mark.parametrize(
    "typed", ["+79161234567", "8 916 123 45 67", "+7 (495) 123-45-67", "+44 20 7946 0958"]
)
def test_phone_of_another_country_is_refused(typed: str) -> None:
    """R-X-3: +79161234567 is a valid Russian number: refused for a Kazakh field (KZ-NOTES)."""
    error = refusal(normalize_phone, typed)
    assert error.code == "not_kz"
    assert error.messages == [
        "This is a phone number of another country. Enter a Kazakhstan number: +7 7XX XXX XX XX."
    ]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        (None, "required"),
        ("abc", "format"),
        ("+", "format"),
        ("()", "format"),
        ("8 701 CALL ME 1", "format"),  # phonenumbers would turn the letters into digits
        ("+7 701 234 5678 ext 5", "format"),  # phonenumbers would drop the extension
        ("+7 701 234 5678 доб. 5", "format"),
        ("tel:+77012345678", "format"),
        ("8 701 234 56 78, 8 702 111 22 33", "format"),
        ("7+7012345678", "format"),
        ("８７０１２３４５６７８", "non_ascii_digits"),  # full-width
        ("٨٧٠١٢٣٤٥٦٧٨", "non_ascii_digits"),  # Arabic-Indic
        ("8 701 234 56 78 9", "too_long"),
        ("+7 701 234 56789", "too_long"),
        ("8" * 33, "too_long"),
        ("8 " * 20, "too_long"),
        ("+7 701 234 567", "invalid"),
        ("234 56 78", "invalid"),
        ("+7 600 123 45 67", "invalid"),
    ],
)
def test_phone_that_is_not_a_kazakh_number_is_refused_with_its_code(
    typed: object, code: str
) -> None:
    """R-X-3: garbage, look-alike digits, too long, too short each get their own message."""
    error = refusal(normalize_phone, typed)
    assert error.code == code
    assert error.messages == [str(PHONE_MESSAGES[code])]
    assert not is_valid_phone(typed)


@given(
    st.sampled_from(["700", "701", "702", "705", "707", "747", "771", "775", "777", "778"]),
    st.text("0123456789", min_size=7, max_size=7),
)
def test_phone_written_in_any_usual_format_gives_the_same_e164(operator: str, rest: str) -> None:
    """R-X-3: the stored value does not depend on how the person wrote the number."""
    expected = f"+7{operator}{rest}"
    written = [
        f"+7 {operator} {rest[:3]} {rest[3:]}",
        f"8 ({operator}) {rest[:3]}-{rest[3:5]}-{rest[5:]}",
        f"8{operator}{rest}",
        f"7{operator}{rest}",
        f"{operator}{rest}",
    ]
    assert {normalize_phone(w) for w in written} == {expected}
    assert normalize_phone(expected) == expected  # idempotent
    assert is_mobile_phone(expected)


@given(st.text(max_size=40))
@settings(max_examples=500)
def test_phone_normaliser_refuses_any_text_with_a_known_code_and_never_crashes(text: str) -> None:
    """R-X-3: the result is always a Kazakh E.164 number or a coded ValidationError."""
    try:
        e164 = normalize_phone(text)
    except ValidationError as error:
        assert error.code in PHONE_MESSAGES
    else:
        assert e164.startswith("+77") and len(e164) == 12 and e164[1:].isdigit()


@pytest.mark.parametrize("stored", ["", None, "garbage", "+79161234567", "+7"])
def test_phone_that_is_not_a_stored_kazakh_number_is_not_mobile(stored: str | None) -> None:
    """R-X-3: is_mobile_phone answers False instead of raising for odd stored values."""
    assert is_mobile_phone(stored) is False


def test_phone_display_form_and_odd_stored_values() -> None:
    """R-X-3: shown as +7 701 234 5678; what cannot be parsed is shown as stored."""
    assert format_phone("+77012345678") == "+7 701 234 5678"
    assert format_phone("") == ""
    assert format_phone(None) == ""
    assert format_phone("garbage") == "garbage"


# --- Normalising typed input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("900101 300017", "900101300017"),
        (" 9001 0130 0017 ", "900101300017"),
        ("900101\t300017\n", "900101300017"),
        ("900101\u00a0300017", "900101300017"),
        ("900101\u200b300017\ufeff", "900101300017"),
        (None, ""),
        ("９００１０１", "９００１０１"),  # look-alike digits are kept, for the parser to refuse
    ],
)
def test_strip_spaces_removes_only_whitespace_and_invisible_characters(
    typed: str | None, clean: str
) -> None:
    """R-X-3: what people type with spaces is accepted once normalised."""
    assert strip_spaces(typed) == clean
