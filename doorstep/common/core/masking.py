"""How personal data is shown to roles that do not need it in full."""

from __future__ import annotations


def mask_national_id(value: str) -> str:
    """First 3 and last 4 characters stay: region prefix and check digits, not the birth date."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    """+8613812345678 -> +86138****5678; keeps the country code, operator prefix and last four."""
    digits_start = 3 if value.startswith("+86") else (1 if value.startswith("+") else 0)
    body = value[digits_start:]
    if len(body) <= 7:
        return value[:digits_start] + "*" * max(len(body) - 2, 0) + body[-2:]
    return value[:digits_start] + body[:3] + "*" * (len(body) - 7) + body[-4:]


def mask_name(value: str) -> str:
    """张三丰 -> 张**; John Smith -> J*** S****."""
    if not value:
        return value
    if value.isascii():
        return " ".join(part[:1] + "*" * (len(part) - 1) for part in value.split())
    return value[:1] + "*" * (len(value) - 1)
