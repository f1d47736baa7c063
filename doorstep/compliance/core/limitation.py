"""Limitation clocks (CN-LIMITATION, US-SOL, UK-SBD): years after which a claim is time-barred.

US states range from 3 to 10 years for written contracts; 3 is the shortest, so the safe default
until a per-state table is confirmed (compliance-rules.md §3 asks for primary texts first).
"""

from __future__ import annotations

from datetime import date

_YEARS = {"CN": 3, "US": 3, "UK": 6, "UK-SCT": 5}


def limitation_years(jurisdiction: str) -> int:
    code = jurisdiction.strip().upper()
    if code in _YEARS:
        return _YEARS[code]
    return _YEARS.get(code.split("-", 1)[0], 3)


def time_barred(*, jurisdiction: str, clock_started_on: date, on: date) -> bool:
    """True when the full limitation period has run from the last event that started the clock
    (the first missed due date, a payment, or a delivered demand, whichever is latest)."""
    years = limitation_years(jurisdiction)
    try:
        expiry = clock_started_on.replace(year=clock_started_on.year + years)
    except ValueError:  # 29 February
        expiry = clock_started_on.replace(year=clock_started_on.year + years, day=28)
    return on >= expiry
