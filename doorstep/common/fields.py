"""Model fields that keep money and rates exact in SQL and Decimal in Python."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable

from doorstep.common.core.money import (
    MoneyFormatError,
    cents_to_decimal,
    decimal_to_cents,
    decimal_to_ppm,
    ppm_to_decimal,
)


class MoneyField(models.BigIntegerField[Decimal | int | str | Combinable, Decimal]):
    """Stored as integer cents; read and written as Decimal with two places."""

    description = "Money stored in minor units"

    def from_db_value(self, value: int | None, expression: Any, connection: Any) -> Decimal | None:
        return None if value is None else cents_to_decimal(int(value))

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value)).quantize(Decimal("0.01"))
        except Exception as error:
            raise ValidationError(f"'{value}' is not an amount") from error

    def get_prep_value(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value != 0:
            # Is 5 five yuan or five fen? Refuse rather than guess (zero is the same in both).
            raise TypeError("MoneyField takes Decimal amounts, not integers (ambiguous units)")
        try:
            return decimal_to_cents(Decimal(str(value)))
        except MoneyFormatError as error:
            raise ValidationError(str(error)) from error

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DecimalField(decimal_places=2, max_digits=17, **kwargs)


class RateField(models.IntegerField):  # type: ignore[type-arg]
    """An annual rate stored as parts per million (0.18 -> 180000), read as Decimal."""

    description = "Rate stored in parts per million"

    def from_db_value(self, value: int | None, expression: Any, connection: Any) -> Decimal | None:
        return None if value is None else ppm_to_decimal(int(value))

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(str(value))

    def get_prep_value(self, value: Any) -> int | None:
        if value is None:
            return None
        try:
            return decimal_to_ppm(Decimal(str(value)))
        except MoneyFormatError as error:
            raise ValidationError(str(error)) from error

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DecimalField(decimal_places=6, max_digits=9, **kwargs)
