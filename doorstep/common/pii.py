"""Seal, open and digest personal data with the deployment's keys."""

from __future__ import annotations

import base64
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from doorstep.common.core.sealing import lookup_digest, open_sealed, seal


@cache
def _field_keys() -> tuple[bytes, ...]:
    keys = tuple(base64.b64decode(text) for text in settings.DOORSTEP_FIELD_KEYS)
    if not keys or any(len(key) != 32 for key in keys):
        raise ImproperlyConfigured("DOORSTEP_FIELD_KEYS needs base64 keys of 32 bytes, newest first")
    return keys


def pii_seal(value: str, *, purpose: str) -> str:
    return seal(value, key=_field_keys()[0], associated=purpose)


def pii_open(sealed: str, *, purpose: str) -> str:
    return open_sealed(sealed, keys=_field_keys(), associated=purpose)


def pii_digest(normalised: str, *, purpose: str) -> str:
    if not settings.DOORSTEP_LOOKUP_KEY:
        raise ImproperlyConfigured("DOORSTEP_LOOKUP_KEY is not set")
    return lookup_digest(normalised, key=settings.DOORSTEP_LOOKUP_KEY.encode(), purpose=purpose)
