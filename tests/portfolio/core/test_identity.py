"""doorstep.portfolio.core.identity and jurisdiction: CN resident ids, phone numbers, jurisdiction codes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doorstep.portfolio.core.identity import IdentityError, normalise_national_id, normalise_phone
from doorstep.portfolio.core.jurisdiction import JurisdictionError, parse_jurisdiction


def iso7064_check(first17: str) -> str:
    """GB 11643 check character, written out independently of the code under test (ISO 7064 MOD 11-2)."""
    total = sum(int(digit) * pow(2, 17 - position, 11) for position, digit in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def resident_id(region: str, born: str, serial: str) -> str:
    return region + born + serial + iso7064_check(region + born + serial)


def test_the_published_example_id_is_valid() -> None:
    assert iso7064_check("11010519491231002") == "X"
    assert normalise_national_id("11010519491231002X", country="CN") == "11010519491231002X"


def test_lower_case_x_and_surrounding_spaces_are_normalised() -> None:
    assert normalise_national_id(" 11010519491231002x ", country="CN") == "11010519491231002X"


@pytest.mark.parametrize("text", [
    "110105194912310021",  # check character should be X
    "11010519491231002Y", "1101051949123100", "011010519491231002X"[:18], "110105 19491231002X",
])
def test_malformed_or_wrong_checksum_ids_are_refused(text: str) -> None:
    with pytest.raises(IdentityError):
        normalise_national_id(text, country="CN")


def test_wrong_checksum_says_so() -> None:
    with pytest.raises(IdentityError, match="check character does not match"):
        normalise_national_id("110105194912310021", country="CN")


@pytest.mark.parametrize("born", ["19490230", "19491301", "19490000", "18991231", "20230229"])
def test_impossible_birth_dates_are_refused_even_with_a_valid_check_character(born: str) -> None:
    with pytest.raises(IdentityError, match="impossible birth date"):
        normalise_national_id(resident_id("440524", born, "001"), country="CN")


def test_birth_on_29_february_of_a_leap_year_is_valid() -> None:
    value = resident_id("440524", "20000229", "123")
    assert normalise_national_id(value, country="CN") == value


def test_birth_date_after_today_is_refused_when_today_is_given() -> None:
    value = resident_id("310101", "20260301", "456")
    assert normalise_national_id(value, country="CN", today=date(2026, 3, 1)) == value
    with pytest.raises(IdentityError, match="impossible birth date"):
        normalise_national_id(value, country="CN", today=date(2026, 2, 28))


@given(region=st.from_regex(r"[1-9][0-9]{5}", fullmatch=True),
       born=st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
       serial=st.from_regex(r"[0-9]{3}", fullmatch=True), wrong=st.sampled_from("0123456789X"))
def test_any_id_with_a_real_birth_date_and_its_check_character_is_valid(region: str, born: date, serial: str,
                                                                        wrong: str) -> None:
    value = resident_id(region, born.strftime("%Y%m%d"), serial)
    assert normalise_national_id(value, country="CN", today=date(2026, 1, 1)) == value
    if wrong != value[-1]:
        with pytest.raises(IdentityError, match="check character"):
            normalise_national_id(value[:-1] + wrong, country="CN")


@pytest.mark.parametrize(("text", "expected"), [("123-45-6789", "123-45-6789"), ("ab 123456 c", "AB 123456 C")])
def test_other_countries_take_a_plain_id(text: str, expected: str) -> None:
    assert normalise_national_id(text, country="US") == expected


@pytest.mark.parametrize("text", ["ab", "-1234", "12345_678", "x" * 33])
def test_other_countries_refuse_odd_ids(text: str) -> None:
    with pytest.raises(IdentityError):
        normalise_national_id(text, country="UK")


@pytest.mark.parametrize(("text", "country", "expected"), [
    ("13812345678", "CN", "+8613812345678"),
    ("138 1234 5678", "CN", "+8613812345678"),
    ("138-1234-5678", "CN", "+8613812345678"),
    ("+86 138 1234 5678", "CN", "+8613812345678"),
    ("008613812345678", "CN", "+8613812345678"),
    ("8613812345678", "CN", "+8613812345678"),
    ("19912345678", "CN", "+8619912345678"),
    ("010-12345678", "CN", "+861012345678"),  # Beijing landline
    ("+86 10 1234 5678", "CN", "+861012345678"),
    ("+1 617 555 0123", "CN", "+16175550123"),  # a foreign number stays as given
    ("(617) 555-0123", "US", "+16175550123"),
    ("617.555.0123", "US", "+16175550123"),
    ("1-617-555-0123", "US", "+16175550123"),
    ("+1 617 555 0123", "US", "+16175550123"),
    ("020 7946 0018", "UK", "+442079460018"),
    ("07700 900123", "UK", "+447700900123"),
    ("+44 7700 900123", "UK", "+447700900123"),
    ("0044 7700 900123", "UK", "+447700900123"),
])
def test_phone_normalisation(text: str, country: str, expected: str) -> None:
    assert normalise_phone(text, country=country) == expected


@given(st.one_of(
    st.tuples(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.just("CN")),
    st.tuples(st.from_regex(r"0(10|2[0-9]|[3-9][0-9]{2})[2-8][0-9]{7}", fullmatch=True), st.just("CN")),
    st.tuples(st.from_regex(r"[2-9][0-9]{2}[2-9][0-9]{6}", fullmatch=True), st.just("US")),
    st.tuples(st.from_regex(r"0[1-9][0-9]{8,9}", fullmatch=True), st.just("UK")),
))
def test_a_normalised_phone_normalises_to_itself(number: tuple[str, str]) -> None:
    text, country = number
    normalised = normalise_phone(text, country=country)
    assert normalised.startswith("+")
    assert normalise_phone(normalised, country=country) == normalised


@pytest.mark.parametrize(("text", "country"), [
    ("12812345678", "CN"),  # 12x is not a mobile prefix
    ("1381234567", "CN"), ("138123456789", "CN"), ("+8612345", "CN"), ("phone", "CN"),
    ("555-0123", "US"), ("0617 555 0123", "US"), ("7700 900123", "UK"), ("+0 123 4567", "UK"), ("", "US"),
])
def test_phones_that_are_not_numbers_are_refused(text: str, country: str) -> None:
    with pytest.raises(IdentityError):
        normalise_phone(text, country=country)


@pytest.mark.parametrize(("code", "country", "region", "zone"), [
    ("CN", "CN", "", "Asia/Shanghai"), ("cn", "CN", "", "Asia/Shanghai"),
    ("US-MA", "US", "MA", "America/New_York"), ("US-CA", "US", "CA", "America/Los_Angeles"),
    ("US-TX", "US", "TX", "America/Chicago"), ("US-HI", "US", "HI", "Pacific/Honolulu"),
    ("UK-ENG", "UK", "ENG", "Europe/London"), ("UK-SCT", "UK", "SCT", "Europe/London"),
])
def test_jurisdictions(code: str, country: str, region: str, zone: str) -> None:
    jurisdiction = parse_jurisdiction(code)
    assert (jurisdiction.code, jurisdiction.country, jurisdiction.region) == (code.upper(), country, region)
    assert jurisdiction.default_timezone == zone


@pytest.mark.parametrize("code", ["CN-GD", "US", "US-XX", "UK", "UK-ENGLAND", "GB-ENG", "EU", ""])
def test_unknown_jurisdictions(code: str) -> None:
    with pytest.raises(JurisdictionError, match="unknown jurisdiction"):
        parse_jurisdiction(code)


def test_a_birth_date_of_today_is_possible() -> None:
    today = date(2026, 1, 1)
    value = resident_id("110105", today.strftime("%Y%m%d"), "001")
    assert normalise_national_id(value, country="CN", today=today) == value
    with pytest.raises(IdentityError):
        normalise_national_id(value, country="CN", today=today - timedelta(days=1))


def test_seq_refuses_unicode_digits_with_a_field_error() -> None:
    from doorstep.portfolio.core.rows import FieldError, parse_seq

    with pytest.raises(FieldError):
        parse_seq("²")
    assert parse_seq("007") == 7
