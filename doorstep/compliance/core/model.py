"""What the rule engine reasons about: a contact attempt, the borrower's facts, the contact history.

Frozen dataclasses only; times are timezone-aware datetimes passed in by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Channel(StrEnum):
    VISIT = "visit"
    CALL = "call"
    SMS = "sms"
    LETTER = "letter"


class Party(StrEnum):
    DEBTOR = "debtor"
    GUARANTOR = "guarantor"
    CO_OBLIGOR = "co_obligor"
    CONTACT = "contact"  # a pre-agreed contact (预留联系人): never liable
    EMPLOYER = "employer"

    @property
    def is_obligor(self) -> bool:
        return self in (Party.DEBTOR, Party.GUARANTOR, Party.CO_OBLIGOR)


class State(StrEnum):
    DISPUTE = "dispute"
    CEASE_CONTACT = "cease_contact"
    ATTORNEY = "attorney"
    VULNERABLE = "vulnerable"
    HARDSHIP = "hardship"
    DECEASED = "deceased"
    BREATHING_SPACE = "breathing_space"
    ILLEGAL_DEBT = "illegal_debt"
    UNREACHABLE = "unreachable"  # set only with logged evidence (CN-CONTACT-TRIGGER)
    NO_WORKPLACE_CONTACT = "no_workplace_contact"


class Purpose(StrEnum):
    COLLECT = "collect"  # ask for payment
    LOCATE = "locate"  # restore contact only: no amount, no overdue status, no lender details
    NOTICE = "notice"  # a notice the law requires or allows (validation, verification, default notice)
    ENFORCE = "enforce"  # legal action or its announcement


class Place(StrEnum):
    HOME = "home"
    WORKPLACE = "workplace"
    OTHER = "other"


class NumberKind(StrEnum):
    HOME = "home"
    MOBILE = "mobile"
    WORK = "work"
    OTHER = "other"


@dataclass(frozen=True)
class Attempt:
    """One intended contact: who, how, when; what the planner or a collector asks about."""

    channel: Channel
    at: datetime
    party: Party = Party.DEBTOR
    person: str = "debtor"  # identifies the person reached: "debtor" or the contact's id
    purpose: Purpose | None = None  # None: collect from obligors, locate through anyone else
    place: Place = Place.HOME
    number: str = ""  # a digest of the number dialled or texted
    number_kind: NumberKind = NumberKind.MOBILE
    duration_minutes: int = 0  # planned time on site for a visit
    team_size: int | None = None  # collectors on a visit
    contact_source: str | None = None  # provenance of the number or address (CN-CONTACT-SOURCE)

    @property
    def effective_purpose(self) -> Purpose:
        if self.purpose is not None:
            return self.purpose
        return Purpose.COLLECT if self.party.is_obligor else Purpose.LOCATE


@dataclass(frozen=True, slots=True)  # a day's plan holds hundreds of thousands of these
class ContactEvent:
    """A past attempt from the contact log, across the lender and all agencies."""

    at: datetime
    channel: Channel
    party: Party = Party.DEBTOR
    person: str = "debtor"
    number: str = ""
    number_kind: NumberKind = NumberKind.MOBILE
    connected: bool = False  # answered, delivered in person, or a message left
    conversation: bool = False  # a telephone conversation with the person (US-7IN7)
    pending: bool = False  # started, outcome not yet recorded: counted as connected, so caps stay exact

    @property
    def reached(self) -> bool:
        return self.connected or self.pending


@dataclass(frozen=True)
class Consent:
    """An approved override: the debtor agreed to be contacted under `rule_id` within [starts_at, ends_at]."""

    rule_id: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class InconvenientTime:
    """A time of day the consumer said is inconvenient (US-HOURS, UK-TIMES), in their local time."""

    start_minute: int
    end_minute: int
    weekdays: frozenset[int] = frozenset(range(7))  # Monday is 0

    def __post_init__(self) -> None:
        if not 0 <= self.start_minute < self.end_minute <= 24 * 60:
            raise ValueError("an inconvenient time runs forward within one day; split one across midnight")


@dataclass(frozen=True)
class Agency:
    """Facts about the outside agency acting (CN-AGENCY)."""

    code: str
    contract_reference: str
    contract_ends_on: date | None
    is_published: bool
    last_reviewed_on: date | None


@dataclass(frozen=True)
class Subject:
    """The borrower as the rules see them."""

    jurisdictions: tuple[str, ...] = ("CN",)
    # Every zone the person may be in, the home zone first; a time must suit them all (US-HOURS comment).
    timezones: tuple[str, ...] = ("Asia/Shanghai",)
    states: frozenset[State] = frozenset()
    consents: tuple[Consent, ...] = ()
    inconvenient_times: tuple[InconvenientTime, ...] = ()
    refused_persons: frozenset[str] = frozenset()  # contacts who objected: never again (CN-CONTACT-TRIGGER)
    visits_paused_until: datetime | None = None  # a complaint's cooling-off period
    time_barred: bool = False  # the limitation period has run
    default_notice_served_on: date | None = None  # UK-DEFAULT
    visit_notice_sent_at: datetime | None = None  # UK-VISIT
    agency: Agency | None = None  # the agency holding the case, if any
    history: tuple[ContactEvent, ...] = field(default=(), repr=False)

    @property
    def home_timezone(self) -> str:
        return self.timezones[0]
