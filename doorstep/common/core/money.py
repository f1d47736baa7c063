"""Money as integer minor units (cents/fen) in storage and SQL, Decimal everywhere else.

Storing cents keeps set-based SQL exact on both SQLite (which has no decimal type) and PostgreSQL.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

CENT = Decimal("0.01")
_MONEY_TEXT = re.compile(r"^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$")
PPM = 1_000_000


class MoneyFormatError(ValueError):
    """A money string is not a plain decimal with at most two decimals."""


def parse_money_cents(text: str) -> int:
    """'1234.5' -> 123450. Refuses thousands separators, exponents and more than two decimals."""
    text = text.strip()
    if not _MONEY_TEXT.match(text):
        raise MoneyFormatError(f"not a decimal amount with at most 2 decimals: {text!r}")
    negative = text.startswith("-")
    if negative:
        text = text[1:]
    whole, _, fraction = text.partition(".")
    cents = int(whole) * 100 + int((fraction + "00")[:2])
    return -cents if negative else cents


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def decimal_to_cents(amount: Decimal) -> int:
    """Exact conversion; refuses fractions of a cent rather than rounding money silently."""
    try:
        quantized = amount.quantize(CENT)
    except InvalidOperation as error:
        raise MoneyFormatError(f"not a finite amount: {amount!r}") from error
    if quantized != amount:
        raise MoneyFormatError(f"more than two decimals: {amount}")
    return int(quantized * 100)


def round_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)


_RATE_TEXT = re.compile(r"^(0|[1-9][0-9]{0,2})(\.[0-9]{1,6})?$")


def parse_rate_ppm(text: str) -> int:
    """An annual rate as a decimal fraction ('0.18' = 18 %) to parts per million."""
    text = text.strip()
    if not _RATE_TEXT.match(text):
        raise MoneyFormatError(f"not a decimal rate with at most 6 decimals: {text!r}")
    whole, _, fraction = text.partition(".")
    return int(whole) * PPM + int((fraction + "000000")[:6])


def ppm_to_decimal(ppm: int) -> Decimal:
    return Decimal(ppm) / PPM


def decimal_to_ppm(rate: Decimal) -> int:
    scaled = rate * PPM
    if scaled != scaled.to_integral_value():
        raise MoneyFormatError(f"more than six decimals: {rate}")
    return int(scaled)
