"""Validation and normalisation of national ids and phone numbers."""

from __future__ import annotations

import re
from datetime import date

_CN_ID = re.compile(r"^[1-9][0-9]{16}[0-9X]$")
_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CN_CHECK = "10X98765432"
_OTHER_ID = re.compile(r"^[A-Z0-9][A-Z0-9 -]{3,31}$")
_PHONE_STRIP = re.compile(r"[\s().-]")
_CN_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


class IdentityError(ValueError):
    pass


def cn_id_check_character(first17: str) -> str:
    return _CN_CHECK[sum(int(d) * w for d, w in zip(first17, _CN_WEIGHTS, strict=True)) % 11]


def normalise_national_id(text: str, *, country: str, today: date | None = None) -> str:
    """CN: 18-character resident id (GB 11643) with a valid birth date and check character."""
    value = text.strip().upper()
    if country != "CN":
        if not _OTHER_ID.match(value):
            raise IdentityError("national id must be 4-32 letters, digits, spaces or dashes")
        return value
    if not _CN_ID.match(value):
        raise IdentityError("CN resident id must be 17 digits and a check digit or X (18 characters)")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as error:
        raise IdentityError("CN resident id has an impossible birth date") from error
    if born.year < 1900 or (today is not None and born > today):
        raise IdentityError("CN resident id has an impossible birth date")
    if cn_id_check_character(value[:17]) != value[17]:
        raise IdentityError("CN resident id check character does not match")
    return value


def normalise_phone(text: str, *, country: str) -> str:
    """E.164. CN mobiles in national form become +86…; US 10-digit and UK 0-prefixed numbers too."""
    raw = _PHONE_STRIP.sub("", text.strip())
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if country == "CN":
        if raw.startswith("+86"):
            rest = raw[3:]
        elif raw.startswith("86") and len(raw) == 13:
            rest = raw[2:]
        else:
            rest = raw
        if _CN_MOBILE.match(rest):
            return "+86" + rest
        if raw.startswith("+") and _E164.match(raw) and not raw.startswith("+86"):
            return raw
        if (raw.startswith("+86") and _E164.match(raw) and len(rest) in (10, 11)
                and (rest[0] != "1" or rest.startswith("10"))):
            return raw  # a landline with area code (Beijing's is 10, the only one starting with 1)
        if re.fullmatch(r"0[1-9][0-9]{8,10}", raw):
            return "+86" + raw[1:]
        raise IdentityError("not a CN phone number: mobiles have 11 digits starting 13-19")
    if country == "US" and re.fullmatch(r"1?[2-9][0-9]{9}", raw):
        return "+1" + raw[-10:]
    if country == "UK" and re.fullmatch(r"0[1-9][0-9]{8,9}", raw):
        return "+44" + raw[1:]
    if _E164.match(raw):
        return raw
    raise IdentityError("not a phone number in E.164 (+country digits) or national format")
