"""Encryption at rest (AES-256-GCM) and keyed lookup digests (HMAC-SHA256) for personal data.

Keys are passed in; this module reads no settings. A sealed value names the key it was sealed
with, so keys can be rotated: seal with the newest, open with any.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_PREFIX = "v1"


class SealError(ValueError):
    """A sealed value cannot be opened with the keys given."""


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def seal(plaintext: str, *, key: bytes, associated: str = "") -> str:
    nonce = os.urandom(12)
    body = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), associated.encode("utf-8"))
    return f"{_PREFIX}:{key_id(key)}:{base64.b64encode(nonce + body).decode('ascii')}"


def open_sealed(sealed: str, *, keys: Sequence[bytes], associated: str = "") -> str:
    try:
        prefix, kid, payload = sealed.split(":", 2)
    except ValueError as error:
        raise SealError("not a sealed value") from error
    if prefix != _PREFIX:
        raise SealError(f"unknown seal version {prefix!r}")
    try:
        raw = base64.b64decode(payload, validate=True)
    except binascii.Error as error:
        raise SealError("sealed value is damaged (not base64)") from error
    if len(raw) < 12 + 16:
        raise SealError("sealed value is damaged (too short)")
    for key in keys:
        if key_id(key) == kid:
            try:
                return AESGCM(key).decrypt(raw[:12], raw[12:], associated.encode("utf-8")).decode("utf-8")
            except Exception as error:  # cryptography raises InvalidTag without a message
                raise SealError("sealed value was altered or belongs to another record") from error
    raise SealError(f"no key with id {kid}")


def lookup_digest(normalised: str, *, key: bytes, purpose: str) -> str:
    """Deterministic keyed digest for exact-match search; the purpose separates fields."""
    message = f"{purpose}\x00{normalised}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
