"""Payment gateway adapters: a borrower pays the lender through the lender's own channel.

A collector never handles money without a receipt, so what the field app offers is a link (and its
QR code) to the lender's payment page. The default adapter signs the link so the page can check
that the amount and reference are the ones the platform issued.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol, runtime_checkable
from urllib.parse import parse_qsl, urlencode, urlsplit

import segno

_CENT = Decimal("0.01")
_CURRENCY = re.compile(r"[A-Z]{3}")  # ISO 4217 code
_SIGNED_FIELDS = ("reference", "amount", "currency", "expires")
_SIGNATURE_FIELD = "sig"
_MINIMUM_SECRET_BYTES = 16  # below this an HMAC key can be guessed, and then any amount forged
_SECRET_LABEL = b"doorstep.field.gateways.payment-link"
_QR_SIZE_PX = 200


@dataclass(frozen=True)
class PaymentLink:
    reference: str
    url: str
    expires_at: datetime
    gateway: str


class GatewayError(Exception):
    """An adapter could not create a link (the provider refused or did not answer)."""


@runtime_checkable
class PaymentGateway(Protocol):
    name: str

    def create_link(
        self, *, reference: str, amount: Decimal, currency: str, description: str, expires_at: datetime
    ) -> PaymentLink: ...


class LenderLinkGateway:
    """Links to the lender's own payment page, signed with HMAC-SHA256 over what they say."""

    name: str = "lender_link"

    def __init__(self, *, base_url: str, secret: bytes) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
        if parts.query or parts.fragment:
            # Parameters of the base would sit outside the signature and could be changed freely.
            raise ValueError("base_url must have no query string or fragment")
        if len(secret) < _MINIMUM_SECRET_BYTES:
            raise ValueError(f"the signing secret must have at least {_MINIMUM_SECRET_BYTES} bytes")
        self.base_url = base_url
        self._secret = secret

    def create_link(
        self, *, reference: str, amount: Decimal, currency: str, description: str, expires_at: datetime
    ) -> PaymentLink:
        # The description stays out of the URL: links end up in logs, screenshots and QR codes, and
        # the lender's page finds the details from the reference anyway.
        if not reference:
            raise ValueError("a payment link needs a reference")
        if not _CURRENCY.fullmatch(currency):
            raise ValueError(f"currency must be an ISO 4217 code such as CNY, not {currency!r}")
        if expires_at.utcoffset() is None:
            raise ValueError("expires_at needs a time zone")
        fields = [
            ("reference", reference),
            ("amount", _amount_text(amount)),
            ("currency", currency),
            ("expires", _expiry_text(expires_at)),
        ]
        query = urlencode([*fields, (_SIGNATURE_FIELD, self._sign(fields))])
        return PaymentLink(reference=reference, url=f"{self.base_url}?{query}", expires_at=expires_at,
                           gateway=self.name)

    def verify(self, url: str, *, at: datetime | None = None) -> bool:
        """Whether the link is one this gateway issued, unchanged; and, given `at`, not yet expired."""
        parts = urlsplit(url)
        if parts.fragment or f"{parts.scheme}://{parts.netloc}{parts.path}" != self.base_url:
            return False
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        names = [name for name, _ in pairs]
        # Exactly the signed fields and the signature, once each: an extra parameter would be unsigned
        # data that the payment page might still read.
        if sorted(names) != sorted((*_SIGNED_FIELDS, _SIGNATURE_FIELD)):
            return False
        values = dict(pairs)
        fields = [(name, values[name]) for name in _SIGNED_FIELDS]
        if not hmac.compare_digest(self._sign(fields), values[_SIGNATURE_FIELD]):
            return False
        if at is not None:
            try:
                expires_at = datetime.strptime(values["expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            except ValueError:
                return False
            return at < expires_at
        return True

    def _sign(self, fields: list[tuple[str, str]]) -> str:
        # Signed as the encoded query, in a fixed order: encoding makes the field boundaries unambiguous.
        return hmac.new(self._secret, urlencode(fields).encode("ascii"), hashlib.sha256).hexdigest()


def _amount_text(amount: Decimal) -> str:
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"amount must be positive, not {amount}")
    if amount != amount.quantize(_CENT):
        raise ValueError(f"amount {amount} has more than two decimals")
    # One spelling per amount (1500 and 1500.0 both become 1500.00) so the lender can recompute the signature.
    return str(amount.quantize(_CENT))


def _expiry_text(expires_at: datetime) -> str:
    return expires_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gateway_from_settings() -> PaymentGateway:
    """The configured adapter. `DOORSTEP_PAYMENT_GATEWAY` names a class or factory, called with
    `base_url=` and `secret=`; an adapter for another provider may ignore them and read its own settings."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.module_loading import import_string

    path = getattr(settings, "DOORSTEP_PAYMENT_GATEWAY", "doorstep.field.gateways.LenderLinkGateway")
    # The demo's link goes nowhere on purpose (.invalid never resolves): no real money can move
    # until a lender's page is configured.
    base_url = getattr(settings, "DOORSTEP_PAYMENT_LINK_BASE", "https://pay.example.invalid/collect")
    secret = getattr(settings, "DOORSTEP_PAYMENT_LINK_SECRET", None)
    if secret is None:
        if not settings.SECRET_KEY:
            raise ImproperlyConfigured("DOORSTEP_PAYMENT_LINK_SECRET or SECRET_KEY is needed to sign payment links")
        # A key of its own, derived under a label, so a link signature reveals nothing usable elsewhere.
        secret = hmac.new(settings.SECRET_KEY.encode(), _SECRET_LABEL, hashlib.sha256).digest()
    elif isinstance(secret, str):
        secret = secret.encode()
    try:
        factory = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"DOORSTEP_PAYMENT_GATEWAY: cannot import {path!r}") from error
    gateway = factory(base_url=base_url, secret=secret)
    if not isinstance(gateway, PaymentGateway):
        raise ImproperlyConfigured(f"DOORSTEP_PAYMENT_GATEWAY: {path!r} did not make a payment gateway")
    return gateway


def qr_svg(payload: str) -> str:
    """An inline SVG QR code of about 200 px for the payload, to show on the collector's phone."""
    # make_qr, not make: segno would pick a Micro QR for short payloads, which many phone scanners cannot read.
    code = segno.make_qr(payload, error="m")
    width, _ = code.symbol_size(scale=1)
    return code.svg_inline(scale=_QR_SIZE_PX / width, dark="#111")
