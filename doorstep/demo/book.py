"""The generated loan book: borrowers, contacts, loans, installments and payments as the five CSV
files of portfolio-format.md. Same settings and seed, same files, byte for byte. Pure: no Django.

Every person is generated (Faker, seeded); only the places are real (doorstep.demo.geography).
Every address says so: CN addresses end with GENERATED_ADDRESS_CN, US and UK ones with
GENERATED_ADDRESS_EN.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from faker import Faker

from doorstep.demo.behaviour import SEGMENTS, LoanWalk, Repayment, Segment, Visit, Visiting, loan_walk
from doorstep.demo.geography import (
    ForeignTown,
    Place,
    foreign_towns,
    jittered_point,
    shenzhen_districts,
    shenzhen_places,
)
from doorstep.demo.loans import Terms, add_months, due_day, dues, schedule_for, terms_generate
from doorstep.portfolio.core.buckets import BucketScheme
from doorstep.portfolio.core.identity import IdentityError, cn_id_check_character, normalise_national_id
from doorstep.portfolio.core.jurisdiction import parse_jurisdiction
from doorstep.portfolio.core.rows import KINDS, SPECS

# Flags under which the lender never visits (they forbid, pause or restrict visits): such borrowers
# have no visit history, so the generated visits pass the compliance engine as real ones would.
NO_VISIT_FLAGS = frozenset({"dispute", "vulnerable", "cease_contact", "attorney", "deceased", "hardship",
                            "breathing_space"})
ILLEGAL_COST = Decimal("0.36")  # above it a loan is illegal and its case blocked: never visited
REVIEW_MONTHS = 12
GENERATED_ADDRESS_CN = "（生成的演示地址）"
GENERATED_ADDRESS_EN = " (generated demo address)"
ID_PREFIX = "DEMO-"
# Every 50th borrower is under US rules and every 50th under UK rules: 4 % in all, and at least
# one of each even in a small book.
FOREIGN_EVERY = 50
US_SLOT, UK_SLOT = 17, 42
LOANS_PER_BORROWER = ((1, 70), (2, 22), (3, 8))
# How far past the deepest bucket's lower bound a defaulted borrower may be.
DEEPEST_SPAN_DAYS = 270
CN_FLAGS = (("dispute", 0.015), ("vulnerable", 0.015), ("no_workplace_contact", 0.02), ("cease_contact", 0.005),
            ("attorney", 0.005), ("deceased", 0.002))
HARDSHIP_SHARE = {"strained": 0.10, "defaulted": 0.10}
HARDSHIP_OTHERS = 0.01
RISK_FLAGS = (("dog", 0.04), ("aggression_history", 0.015))
# (role, share of borrowers); a borrower has at most MAX_CONTACTS of them.
CONTACT_ROLES = (("guarantor", 0.15), ("co_obligor", 0.06), ("contact", 0.45), ("employer", 0.35))
MAX_CONTACTS = 3
RELATIONSHIPS_CN = {"guarantor": ("父亲", "母亲", "兄弟", "朋友"), "co_obligor": ("配偶",),
                    "contact": ("配偶", "父亲", "母亲", "兄弟", "姐妹", "朋友", "同事"), "employer": ("用人单位",)}
RELATIONSHIPS_EN = {"guarantor": ("parent", "sibling", "friend"), "co_obligor": ("spouse",),
                    "contact": ("spouse", "parent", "sibling", "friend", "colleague"), "employer": ("employer",)}
CHANNELS_CN = (("app", 50), ("bank_transfer", 30), ("auto_debit", 20))
CHANNELS_EN = (("card", 50), ("bank_transfer", 50))

Row = dict[str, str]


@dataclass
class BorrowerHistory:
    """What the behavioural model did for one borrower: their segment, each loan's walk and visits.
    Kept so that the true effect of a visit can be computed on any day (doorstep.demo.truth)."""

    borrower_id: str
    segment: str
    loans: list[LoanWalk] = field(default_factory=list)

    @property
    def visits(self) -> list[Visit]:
        return sorted((visit for loan in self.loans for visit in loan.visits), key=lambda visit: visit.day)


@dataclass
class Book:
    as_of: date
    seed: int
    rows: dict[str, list[Row]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    segments: Counter[str] = field(default_factory=Counter)
    histories: dict[str, BorrowerHistory] = field(default_factory=dict)

    @property
    def visits(self) -> list[tuple[str, Visit]]:
        """Every generated field visit as (borrower id, visit), by day then borrower."""
        return sorted(((borrower_id, visit) for borrower_id, history in self.histories.items()
                       for visit in history.visits), key=lambda pair: (pair[1].day, pair[0]))

    def count(self, kind: str) -> int:
        return len(self.rows[kind])


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def defaulted_bands(scheme: BucketScheme) -> tuple[tuple[int, int], ...]:
    """DPD ranges to draw defaulted borrowers' stop days from, one per overdue bucket, kept 3 days
    inside the bucket because the stop day moves back onto a due day (doorstep.demo.loans.due_day)."""
    lows = [low for _, low in scheme.bounds]
    highs = [low - 1 for low in lows[1:]] + [lows[-1] + DEEPEST_SPAN_DAYS]
    return tuple((low, max(low, high - 3)) for low, high in zip(lows, highs, strict=True))


def review_days(as_of: date, months: int = REVIEW_MONTHS) -> tuple[date, ...]:
    """The lender's month-end reviews before `as_of`, oldest first (the demo refreshes on each of them)."""
    days: list[date] = []
    first_of_month = as_of.replace(day=1)
    for _ in range(months):
        first_of_month = (first_of_month - timedelta(days=1)).replace(day=1)
        days.append(add_months(first_of_month, 1) - timedelta(days=1))
    return tuple(sorted(days))


class _Generator:
    def __init__(self, *, seed: int, as_of: date, scheme: BucketScheme, visit_districts: frozenset[str]) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.book = Book(as_of=as_of, seed=seed)
        self.fakers = {"CN": Faker("zh_CN"), "US": Faker("en_US"), "UK": Faker("en_GB")}
        for offset, faker in enumerate(self.fakers.values()):
            faker.seed_instance(seed + offset)
        self.districts = shenzhen_districts()
        self.places = shenzhen_places()
        self.place_weights = [place.weight for place in self.places]
        self.towns = {code: [town for town in foreign_towns() if town.jurisdiction == code]
                      for code in ("US-MA", "UK-ENG")}
        self.bands = defaulted_bands(scheme)
        self.defaulted = 0
        self.visit_districts = visit_districts
        self.reviews = review_days(as_of)

    def borrower(self, number: int) -> None:
        slot = number % FOREIGN_EVERY
        jurisdiction = "US-MA" if slot == US_SLOT else "UK-ENG" if slot == UK_SLOT else "CN"
        country = parse_jurisdiction(jurisdiction).country
        zone = ZoneInfo(parse_jurisdiction(jurisdiction).default_timezone)
        faker = self.fakers[country]
        borrower_id = f"{ID_PREFIX}B{number:06d}"
        segment = self.rng.choices(SEGMENTS, weights=[segment.share for segment in SEGMENTS])[0]
        self.book.segments[segment.name] += 1
        history = self.book.histories[borrower_id] = BorrowerHistory(borrower_id, segment.name)
        district = ""
        row: Row = {"borrower_id": borrower_id, "name": faker.name(), "jurisdiction": jurisdiction,
                    "language": "zh-Hans" if country == "CN" else "en"}
        if country == "CN":
            place = self.rng.choices(self.places, weights=self.place_weights)[0]
            lat, lon = jittered_point(place, self.rng, self.districts)
            district = place.district.adcode
            row |= {"national_id": self.national_id(faker), "phone": faker.phone_number(),
                    "address": self.address_cn(place), "lat": f"{lat:.6f}", "lon": f"{lon:.6f}"}
        else:
            # No coordinates: the importer gives any borrower with coordinates the nearest Shenzhen
            # territory, however far away (see the demo's report), and no team of ours visits abroad.
            town = self.rng.choice(self.towns[jurisdiction])
            row |= {"phone": self.foreign_phone(country), "address": self.address_foreign(faker, town)}
        flags = self.flags(segment, country)
        row["flags"] = "|".join(flags)
        row["risk_flags"] = "|".join(name for name, share in RISK_FLAGS if self.rng.random() < share)
        self.book.rows["borrowers"].append(row)
        self.contacts(borrower_id, country, faker)
        visiting = None
        if district in self.visit_districts and not NO_VISIT_FLAGS.intersection(flags):
            visiting = Visiting(reviews=self.reviews, visited_on=[])
        self.loans(history, country, segment, zone, visiting)

    def national_id(self, faker: Faker) -> str:
        # The zh_CN provider takes ages; Faker's typed proxy only knows the generic signature.
        ssn: Callable[..., str] = faker.ssn
        value = ssn(min_age=21, max_age=60)
        try:
            return normalise_national_id(value, country="CN", today=self.as_of)
        except IdentityError:
            # Faker's ids carry a valid check character; keep the demo importable if that ever changes.
            return value[:17] + cn_id_check_character(value[:17])

    def foreign_phone(self, country: str) -> str:
        # Numbers reserved for fiction: 555-0100..0199 (NANP) and 07700 900xxx (Ofcom).
        if country == "US":
            return f"+1617555{self.rng.randint(100, 199):04d}"
        return f"+447700900{self.rng.randint(0, 999):03d}"

    def address_cn(self, place: Place) -> str:
        building = self.rng.randint(1, 40)
        floor, unit = self.rng.randint(1, 33), self.rng.randint(1, 8)
        # A romanised geonames name needs a space before the building number to stay readable.
        name = f"{place.name} " if place.name and place.name.isascii() else place.name
        return f"广东省深圳市{place.district.name}{name}{building}栋{floor}{unit:02d}室{GENERATED_ADDRESS_CN}"

    def address_foreign(self, faker: Faker, town: ForeignTown) -> str:
        region = ", MA" if town.jurisdiction == "US-MA" else ""
        return f"{faker.building_number()} {faker.street_name()}, {town.name}{region}{GENERATED_ADDRESS_EN}"

    def flags(self, segment: Segment, country: str) -> list[str]:
        chosen = [name for name, share in CN_FLAGS if self.rng.random() < share]
        if self.rng.random() < HARDSHIP_SHARE.get(segment.name, HARDSHIP_OTHERS):
            chosen.append("hardship")
        if country == "UK" and self.rng.random() < 0.2:
            chosen.append("breathing_space")
        return sorted(chosen)

    def contacts(self, borrower_id: str, country: str, faker: Faker) -> None:
        relationships = RELATIONSHIPS_CN if country == "CN" else RELATIONSHIPS_EN
        roles = [role for role, share in CONTACT_ROLES if self.rng.random() < share][:MAX_CONTACTS]
        for index, role in enumerate(roles, start=1):
            # Only what the borrower gave us (CN-CONTACT-SOURCE): never an address book.
            source = "application" if self.rng.random() < 0.8 else "borrower_update"
            name = faker.company() if role == "employer" else faker.name()
            phone = faker.phone_number() if country == "CN" else self.foreign_phone(country)
            self.book.rows["contacts"].append({
                "contact_id": f"{borrower_id}-C{index}", "borrower_id": borrower_id, "role": role,
                "name": name, "phone": phone, "relationship": self.rng.choice(relationships[role]),
                "source": source})

    def loans(self, history: BorrowerHistory, country: str, segment: Segment, zone: ZoneInfo,
              visiting: Visiting | None) -> None:
        borrower_id = history.borrower_id
        count = self.rng.choices([n for n, _ in LOANS_PER_BORROWER], weights=[w for _, w in LOANS_PER_BORROWER])[0]
        stop_on: date | None = None
        if segment.name == "defaulted":
            low, high = self.bands[self.defaulted % len(self.bands)]
            self.defaulted += 1
            stop_on = due_day(self.as_of - timedelta(days=self.rng.randint(low, high)))
        for index in range(1, count + 1):
            if stop_on is not None and index == 1:
                # The anchor loan: an installment falls due exactly on the stop day, so the
                # borrower's DPD lands in the drawn band.
                installments_paid = self.rng.randint(0, 5)
                disbursed_on = add_months(stop_on, -(installments_paid + 1))
            else:
                latest = stop_on - timedelta(days=31) if stop_on is not None else self.as_of - timedelta(days=7)
                disbursed_on = due_day(latest - timedelta(days=self.rng.randint(0, 540)))
            terms = terms_generate(rng=self.rng, country=country, disbursed_on=disbursed_on)
            if stop_on is not None and index == 1 and terms.installments <= installments_paid:
                terms = _with_installments(terms, installments_paid + 1 + self.rng.randint(0, 3))
            if terms.annual_cost > ILLEGAL_COST:
                visiting = None  # the case will be blocked; visits already drawn are refused by the engine
            history.loans.append(self.loan(f"{borrower_id.replace('-B', '-L')}-{index}", borrower_id, terms, segment,
                                           stop_on, zone, country, visiting))

    def loan(self, loan_id: str, borrower_id: str, terms: Terms, segment: Segment, stop_on: date | None,
             zone: ZoneInfo, country: str, visiting: Visiting | None) -> LoanWalk:
        self.book.rows["loans"].append({
            "loan_id": loan_id, "borrower_id": borrower_id, "product": terms.product, "currency": terms.currency,
            "principal": money(terms.principal_cents), "disbursed_on": terms.disbursed_on.isoformat(),
            "annual_rate": str(terms.annual_rate), "annual_cost": str(terms.annual_cost),
            "lender_licence": terms.licence})
        schedule = schedule_for(terms)
        self.book.rows["installments"].extend({
            "loan_id": loan_id, "seq": str(row.seq), "due_on": row.due_on.isoformat(),
            "principal_due": money(row.principal_cents), "interest_due": money(row.interest_cents),
            "fee_due": money(row.fee_cents)} for row in schedule)
        walk = loan_walk(segment=segment, schedule=dues(schedule), as_of=self.as_of, rng=self.rng, stop_on=stop_on,
                         visiting=visiting)
        paid = walk.repayments
        channels = CHANNELS_CN if country == "CN" else CHANNELS_EN
        for number, repayment in enumerate(paid, start=1):
            self.book.rows["payments"].append({
                "payment_id": f"{loan_id}-P{number:02d}", "loan_id": loan_id,
                "paid_at": self.paid_at(repayment, zone), "amount": money(repayment.amount_cents),
                "channel": self.rng.choices([c for c, _ in channels], weights=[w for _, w in channels])[0]})
        return walk

    def paid_at(self, repayment: Repayment, zone: ZoneInfo) -> str:
        moment = time(self.rng.randint(8, 21), self.rng.randint(0, 59), self.rng.randint(0, 59))
        return datetime.combine(repayment.paid_on, moment, tzinfo=zone).isoformat()


def _with_installments(terms: Terms, installments: int) -> Terms:
    return Terms(terms.currency, terms.principal_cents, terms.contract_principal_cents, terms.disbursed_on,
                 min(installments, 12), terms.annual_rate, terms.annual_cost, terms.licence, terms.product)


def book_generate(*, borrowers: int, seed: int, as_of: date, scheme: BucketScheme | None = None,
                  visit_districts: frozenset[str] = frozenset()) -> Book:
    """A whole book of `borrowers` generated people, repaying per doorstep.demo.behaviour up to `as_of`.

    Borrowers living in `visit_districts` (district adcodes with a field team) may have been visited
    after the month-end reviews of the last year; with none, nobody was visited."""
    if borrowers < 1:
        raise ValueError("the demo needs at least one borrower")
    generator = _Generator(seed=seed, as_of=as_of, scheme=scheme or BucketScheme(), visit_districts=visit_districts)
    for number in range(1, borrowers + 1):
        generator.borrower(number)
    return generator.book


def book_write(*, book: Book, directory: Path) -> dict[str, Path]:
    """The five files, named after their kind, columns in the format's order."""
    paths: dict[str, Path] = {}
    for kind in KINDS:
        path = directory / f"{kind}.csv"
        columns = SPECS[kind].names
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(book.rows[kind])
        paths[kind] = path
    return paths
