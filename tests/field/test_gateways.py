"""Payment gateway adapters: signed lender links, their QR code, and choosing the adapter in settings."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from doorstep.field.gateways import (
    GatewayError,
    LenderLinkGateway,
    PaymentGateway,
    PaymentLink,
    gateway_from_settings,
    qr_svg,
)

BASE = "https://pay.lender.example/collect"
SECRET = b"a-test-secret-of-enough-bytes"
EXPIRES_AT = datetime(2026, 5, 2, 8, 0, tzinfo=timezone(timedelta(hours=8)))


class FakeGateway:
    """Stands in for a provider's adapter; remembers what gateway_from_settings gave it."""

    name = "fake"

    def __init__(self, *, base_url: str, secret: bytes) -> None:
        self.base_url = base_url
        self.secret = secret

    def create_link(
        self, *, reference: str, amount: Decimal, currency: str, description: str, expires_at: datetime
    ) -> PaymentLink:
        raise GatewayError("the fake provider is down")


class NotAGateway:
    def __init__(self, **options: object) -> None:
        self.options = options


@pytest.fixture
def gateway() -> LenderLinkGateway:
    return LenderLinkGateway(base_url=BASE, secret=SECRET)


def create(gateway: PaymentGateway, amount: Decimal = Decimal("1500.00"), **changes: Any) -> PaymentLink:
    arguments: dict[str, Any] = {"reference": "AG-2026-0042/0", "amount": amount, "currency": "CNY",
                                 "description": "Down payment, agreement AG-2026-0042", "expires_at": EXPIRES_AT}
    arguments.update(changes)
    return gateway.create_link(**arguments)


def with_query(url: str, **values: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(values)
    return parts._replace(query=urlencode(query)).geturl()


def test_link_points_at_the_lender_page_with_its_fields(gateway: LenderLinkGateway) -> None:
    link = create(gateway, Decimal("1500"))

    parts = urlsplit(link.url)
    query = dict(parse_qsl(parts.query))
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == BASE
    assert query == {"reference": "AG-2026-0042/0", "amount": "1500.00", "currency": "CNY",
                     "expires": "2026-05-02T00:00:00Z", "sig": query["sig"]}
    assert link == PaymentLink(reference="AG-2026-0042/0", url=link.url, expires_at=EXPIRES_AT, gateway="lender_link")


def test_signature_is_hmac_sha256_over_the_encoded_fields(gateway: LenderLinkGateway) -> None:
    query = dict(parse_qsl(urlsplit(create(gateway).url).query))

    message = urlencode([(name, query[name]) for name in ("reference", "amount", "currency", "expires")])
    assert query["sig"] == hmac.new(SECRET, message.encode(), hashlib.sha256).hexdigest()


def test_description_stays_out_of_the_url(gateway: LenderLinkGateway) -> None:
    assert "Down" not in create(gateway).url


def test_link_verifies(gateway: LenderLinkGateway) -> None:
    assert gateway.verify(create(gateway).url)


@pytest.mark.parametrize("field, value", [("amount", "15.00"), ("amount", "1500.0"), ("reference", "AG-2026-0043/0"),
                                          ("currency", "USD"), ("expires", "2027-05-02T00:00:00Z"),
                                          ("sig", "0" * 64)])
def test_changed_link_does_not_verify(gateway: LenderLinkGateway, field: str, value: str) -> None:
    assert not gateway.verify(with_query(create(gateway).url, **{field: value}))


def test_link_with_an_extra_or_repeated_parameter_does_not_verify(gateway: LenderLinkGateway) -> None:
    url = create(gateway).url

    assert not gateway.verify(url + "&amount_override=1.00")
    assert not gateway.verify(url + "&amount=1.00")


def test_link_on_another_page_or_with_another_secret_does_not_verify(gateway: LenderLinkGateway) -> None:
    url = create(gateway).url

    assert not gateway.verify(url.replace("pay.lender.example", "pay.attacker.example"))
    assert not LenderLinkGateway(base_url=BASE, secret=b"another-secret-of-enough-bytes").verify(url)


def test_link_verifies_until_it_expires(gateway: LenderLinkGateway) -> None:
    url = create(gateway).url

    assert gateway.verify(url, at=datetime(2026, 5, 1, 23, 59, 59, tzinfo=UTC))
    assert not gateway.verify(url, at=datetime(2026, 5, 2, 0, 0, tzinfo=UTC))


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00"), Decimal("10.001"), Decimal("NaN"),
                                    Decimal("Infinity")])
def test_bad_amounts_are_refused(gateway: LenderLinkGateway, amount: Decimal) -> None:
    with pytest.raises(ValueError, match="amount"):
        create(gateway, amount)


def test_trailing_zeros_are_not_extra_decimals(gateway: LenderLinkGateway) -> None:
    assert "amount=10.50&" in create(gateway, Decimal("10.500")).url


@pytest.mark.parametrize("changes", [{"currency": "cny"}, {"currency": "RMB "}, {"reference": ""},
                                     {"expires_at": datetime(2026, 5, 2, 8, 0)}])
def test_bad_fields_are_refused(gateway: LenderLinkGateway, changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        create(gateway, **changes)


@pytest.mark.parametrize("base_url, secret", [("pay.lender.example/collect", SECRET), (BASE + "?merchant=1", SECRET),
                                              (BASE, b"short")])
def test_bad_configuration_is_refused(base_url: str, secret: bytes) -> None:
    with pytest.raises(ValueError):
        LenderLinkGateway(base_url=base_url, secret=secret)


def test_lender_link_gateway_is_a_payment_gateway(gateway: LenderLinkGateway) -> None:
    assert isinstance(gateway, PaymentGateway)


def test_default_gateway_links_nowhere_and_signs_with_a_key_derived_from_secret_key(settings) -> None:
    settings.SECRET_KEY = "a-django-secret-key"
    for name in ("DOORSTEP_PAYMENT_GATEWAY", "DOORSTEP_PAYMENT_LINK_BASE", "DOORSTEP_PAYMENT_LINK_SECRET"):
        if hasattr(settings, name):
            delattr(settings, name)

    configured = gateway_from_settings()

    assert isinstance(configured, LenderLinkGateway)
    link = create(configured)
    assert link.url.startswith("https://pay.example.invalid/collect?")
    derived = hmac.new(b"a-django-secret-key", b"doorstep.field.gateways.payment-link", hashlib.sha256).digest()
    assert LenderLinkGateway(base_url="https://pay.example.invalid/collect", secret=derived).verify(link.url)
    assert not LenderLinkGateway(base_url="https://pay.example.invalid/collect",
                                 secret=b"a-django-secret-key").verify(link.url)


def test_configured_base_and_secret_are_used(settings) -> None:
    settings.DOORSTEP_PAYMENT_LINK_BASE = BASE
    settings.DOORSTEP_PAYMENT_LINK_SECRET = SECRET.decode()

    link = create(gateway_from_settings())

    assert LenderLinkGateway(base_url=BASE, secret=SECRET).verify(link.url)


def test_configured_adapter_is_returned(settings) -> None:
    settings.DOORSTEP_PAYMENT_GATEWAY = f"{__name__}.FakeGateway"
    settings.DOORSTEP_PAYMENT_LINK_BASE = BASE

    configured = gateway_from_settings()

    assert isinstance(configured, FakeGateway)
    assert configured.base_url == BASE
    with pytest.raises(GatewayError):
        configured.create_link(reference="R-1", amount=Decimal("1.00"), currency="CNY", description="",
                               expires_at=EXPIRES_AT)


@pytest.mark.parametrize("path", ["doorstep.field.gateways.NoSuchGateway", f"{__name__}.NotAGateway"])
def test_misconfigured_adapter_is_refused(settings, path: str) -> None:
    settings.DOORSTEP_PAYMENT_GATEWAY = path

    with pytest.raises(ImproperlyConfigured):
        gateway_from_settings()


def test_without_any_secret_the_gateway_is_refused(settings) -> None:
    settings.SECRET_KEY = ""
    if hasattr(settings, "DOORSTEP_PAYMENT_LINK_SECRET"):
        del settings.DOORSTEP_PAYMENT_LINK_SECRET

    with pytest.raises(ImproperlyConfigured):
        gateway_from_settings()


def test_qr_svg_is_inline_svg_of_about_200_px() -> None:
    svg = qr_svg("https://pay.example.invalid/collect?reference=AG-2026-0042%2F0&amount=1500.00")

    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg
    assert 'width="200' in svg
    assert 'height="200' in svg
    assert "<path" in svg
    assert 'stroke="#111"' in svg


def test_qr_svg_has_no_external_references() -> None:
    svg = qr_svg("https://pay.example.invalid/collect?reference=x").lower()

    for reference in ("href", "<image", "url(", "<script", "<use", "http"):
        assert reference not in svg, reference


def test_short_payloads_still_make_a_full_qr_code() -> None:
    # A full QR code of version 1 is 21 modules and a quiet zone of 4 each side: 200 / 29 px a module.
    # A Micro QR (which segno.make would choose here) is 11 + 2 * 2 modules: 200 / 15.
    assert f"scale({200 / 29})" in qr_svg("1")
