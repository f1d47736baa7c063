"""Remove personal data from a visit's story before it becomes a training case.

Two layers, because notes are free text typed at a door:
1. every known personal value of the people involved (names, id numbers, phones, addresses,
   usernames, external ids) is replaced wherever it appears, also in part (a surname, a street,
   the last digits of a phone), by a role label such as "[borrower]";
2. patterns catch what nobody registered: phone numbers, Chinese resident id numbers, bank card
   numbers, e-mail addresses and any other long digit run; money amounts become bands.

`leaks` is the check run before publishing: it lists every known personal value (or telling part
of it) still present, so a reviewer's edit cannot put one back unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Bands for money: an exact amount identifies a loan; a band still teaches.
AMOUNT_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("1000"), "<1,000"), (Decimal("5000"), "1,000–5,000"), (Decimal("20000"), "5,000–20,000"),
    (Decimal("50000"), "20,000–50,000"), (Decimal("100000"), "50,000–100,000"),
)
TOP_BAND = ">100,000"

PHONE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)")
RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CARD = re.compile(r"(?<!\d)\d{4}(?:[\s-]?\d{4}){3,4}(?!\d)")
# Money: a currency sign or word before or after a number; the number may carry separators.
NUMBER = r"(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?"
MONEY = re.compile(
    rf"(?:(?:¥|￥|RMB|CNY|\$|USD)\s?(?P<a>{NUMBER})(?:\s?(?P<wa>万))?)"
    rf"|(?:(?P<b>{NUMBER})\s?(?:(?P<wb>万)(?:\s?(?:元|块|yuan|RMB|CNY))?|(?:元|块|yuan|RMB|CNY)))",
    re.IGNORECASE,
)
LONG_DIGITS = re.compile(r"(?<!\d)\d{6,}(?!\d)")
ADDRESS_SPLIT = re.compile(r"[省市区县镇乡村街道路巷弄号楼栋单元室,，\s]+")
HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Person:
    """The personal values of one person, labelled by their part in the story."""

    label: str  # "borrower", "guarantor", "contact", "collector"
    names: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()  # phones, id numbers, external ids, account numbers
    addresses: tuple[str, ...] = ()


def amount_band(amount: Decimal) -> str:
    for limit, band in AMOUNT_BANDS:
        if amount < limit:
            return band
    return TOP_BAND


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def name_parts(name: str) -> list[str]:
    """A name and the parts that still identify: for a Chinese name the given name (the surname
    alone is shared by millions and stays: "Mr Zhang" is not an identifier once the rest goes);
    for a Latin name each word of three letters or more."""
    name = name.strip()
    if not name:
        return []
    if HAN.search(name):
        parts = [name]
        if len(name) >= 3:
            parts.append(name[1:])  # given name of a one-character surname
        if len(name) >= 4:
            parts.append(name[2:])  # given name of a two-character surname
        return parts
    return [name, *[word for word in re.split(r"[\s.,-]+", name) if len(word) >= 3]]


def address_parts(address: str) -> list[str]:
    """The address and its pieces long enough to locate someone (a street, a compound, a number)."""
    address = address.strip()
    if not address:
        return []
    pieces = [piece for piece in ADDRESS_SPLIT.split(address) if len(piece) >= 2]
    return [address, *pieces]


def number_parts(number: str) -> list[str]:
    digits = _digits(number)
    parts = [number.strip()] if number.strip() else []
    if len(digits) >= 6:
        parts += [digits, digits[-6:]]  # also as written without separators, and its telling tail
    return parts


def _terms(people: Sequence[Person]) -> list[tuple[str, str]]:
    terms: dict[str, str] = {}
    for person in people:
        for name in person.names:
            for part in name_parts(name):
                terms.setdefault(part, person.label)
        for number in person.numbers:
            for part in number_parts(number):
                terms.setdefault(part, person.label)
        for address in person.addresses:
            for part in address_parts(address):
                terms.setdefault(part, f"{person.label}'s address")
    # Longest first, so a full name goes before its given name and an address before its street.
    return sorted(terms.items(), key=lambda item: (-len(item[0]), item[0]))


def _band_money(match: re.Match[str]) -> str:
    raw = match.group("a") or match.group("b") or ""
    wan = match.group("wa") or match.group("wb")
    try:
        amount = Decimal(raw.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return "[amount]"
    if wan:
        amount *= 10000
    return f"[amount {amount_band(amount)}]"


LABEL = re.compile(r"\[[^\[\]]*\]")
LATIN = re.compile(r"[A-Za-z]")


def _occurrences(term: str) -> re.Pattern[str]:
    """Where a term counts: anywhere for Chinese text and numbers, as a whole word for Latin words
    (the username "collector" is not in "collectors", nor in the label "[collector]")."""
    if LATIN.search(term):
        return re.compile(rf"(?<![\w\[]){re.escape(term)}(?![\w\]])", re.IGNORECASE)
    return re.compile(re.escape(term))


def anonymise(text: str, people: Sequence[Person]) -> str:
    """`text` with every known personal value and every recognisable identifier replaced."""
    for term, label in _terms(people):
        if term:
            text = _occurrences(term).sub(f"[{label}]", text)
    text = EMAIL.sub("[e-mail]", text)
    text = RESIDENT_ID.sub("[id number]", text)
    text = CARD.sub("[account]", text)
    text = PHONE.sub("[phone]", text)
    text = LANDLINE.sub("[phone]", text)
    text = MONEY.sub(_band_money, text)
    return LONG_DIGITS.sub("[number]", text)


def leaks(texts: Iterable[str], people: Sequence[Person]) -> list[str]:
    """Personal values (or their telling parts) still present in any of `texts`."""
    joined = LABEL.sub(" ", "\n".join(texts))  # the labels the anonymiser put in are not personal data
    # Numbers also count when written with other spacing or dashes ("138 0013 8000").
    runs = [_digits(run) for run in re.findall(r"\d[\d\s-]{4,}\d", joined)]
    found = []
    for term, label in _terms(people):
        digits = _digits(term)
        if _occurrences(term).search(joined) or (
                len(digits) >= 6 and digits == term and any(digits in run for run in runs)):
            found.append(f"{label}: {term}")
    return found
