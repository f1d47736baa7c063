"""Jurisdiction codes of portfolio-format.md: CN, US-<state>, UK-<nation>."""

from __future__ import annotations

from dataclasses import dataclass

US_STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
    "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
    "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
    "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
})
UK_NATIONS = frozenset({"ENG", "WLS", "SCT", "NIR"})

# Default IANA zone per jurisdiction; US states that span zones default to the most populous one.
_US_ZONES = {
    "AK": "America/Anchorage", "HI": "Pacific/Honolulu", "AZ": "America/Phoenix",
    **dict.fromkeys(("CA", "NV", "OR", "WA"), "America/Los_Angeles"),
    **dict.fromkeys(("CO", "ID", "MT", "NM", "UT", "WY"), "America/Denver"),
    **dict.fromkeys(("AL", "AR", "IL", "IA", "KS", "LA", "MN", "MS", "MO", "NE", "ND", "OK", "SD", "TN", "TX",
                     "WI"), "America/Chicago"),
    "PR": "America/Puerto_Rico", "VI": "America/St_Thomas", "GU": "Pacific/Guam", "AS": "Pacific/Pago_Pago",
    "MP": "Pacific/Saipan",
}


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    country: str  # CN, US or UK
    region: str  # state or nation; empty for CN

    @property
    def default_timezone(self) -> str:
        if self.country == "CN":
            return "Asia/Shanghai"
        if self.country == "UK":
            return "Europe/London"
        return _US_ZONES.get(self.region, "America/New_York")


class JurisdictionError(ValueError):
    pass


def parse_jurisdiction(text: str) -> Jurisdiction:
    code = text.strip().upper()
    if code == "CN":
        return Jurisdiction("CN", "CN", "")
    country, _, region = code.partition("-")
    if country == "US" and region in US_STATES:
        return Jurisdiction(code, "US", region)
    if country == "UK" and region in UK_NATIONS:
        return Jurisdiction(code, "UK", region)
    raise JurisdictionError(
        f"unknown jurisdiction {text!r}: use CN, US-<state> (e.g. US-MA) or UK-<ENG|WLS|SCT|NIR>")
