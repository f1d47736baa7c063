"""Seeded, deterministic portfolio files for the import and delinquency benchmark.

Writes borrowers.csv, loans.csv, installments.csv and payments.csv (portfolio-format.md) into a
directory. Every row is valid. At scale 1: 600 000 borrowers, 1 000 000 loans with 12 monthly
installments each (12 000 000 rows) and exactly 5 000 000 payments. The book is laid out so that
on AS_OF every bucket M0 .. M6+ is populated, some loans are paid off, and some overdue loans are
cured by payments made in the week after AS_OF (so the refresh on SECOND_AS_OF closes cases).

    .venv/bin/python bench/portfolio_data.py --scale 0.01 --out bench/data/s0.01

Plain Python writing lines directly (no csv module in the hot loop): ~1 M lines/s per core.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from array import array
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from doorstep.portfolio.core.identity import cn_id_check_character  # pure: no Django

FULL_BORROWERS = 600_000
FULL_LOANS = 1_000_000
FULL_PAYMENTS = 5_000_000
INSTALLMENTS_PER_LOAN = 12
AS_OF = date(2025, 6, 30)  # first refresh day
SECOND_AS_OF = AS_OF + timedelta(days=7)  # the later refresh day
DEFAULT_SEED = 20251129
FORMAT_VERSION = 1  # bump when the generated content changes, so cached data is regenerated

# Installments in arrears on AS_OF -> roughly M1, M2, ... M6+ (a loan's arrears are capped by how
# many of its installments are due).
ARREARS_WEIGHTS = ((0, 70.0), (1, 9.0), (2, 5.0), (3, 4.0), (4, 3.0), (5, 2.5), (6, 2.0), (8, 2.5), (12, 2.0))
CURE_SHARE = 0.15  # of loans in arrears: pay everything overdue in the week after AS_OF
LICENCES = ("bank", "consumer_finance", "microloan", "private")
LICENCE_WEIGHTS = (30, 30, 25, 15)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
         "霞", "平")
DISTRICTS = ("上海市浦东新区", "上海市徐汇区", "北京市朝阳区", "广州市天河区", "深圳市南山区", "杭州市西湖区",
             "成都市武侯区", "武汉市洪山区")
STREETS = ("人民路", "中山路", "解放路", "建设路", "和平路", "新华路", "胜利路", "长江路")
REGION_CODES = ("110101", "110105", "310101", "310115", "440103", "440305", "330106", "510107", "420111")
CHANNELS = ("bank_transfer", "app", "field_qr", "")
BLOCK_LINES = 20_000


def sizes(scale: float) -> dict[str, int]:
    loans = max(round(FULL_LOANS * scale), 10)
    return {
        "borrowers": max(round(FULL_BORROWERS * scale), 6),
        "loans": loans,
        "installments": loans * INSTALLMENTS_PER_LOAN,
        "payments": max(round(FULL_PAYMENTS * scale), 50),
    }


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def add_months(day: date, months: int) -> date:
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month0 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class Writer:
    """Buffered line writer: joins blocks of lines, one write per block."""

    def __init__(self, path: Path, header: str) -> None:
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.lines: list[str] = [header]
        self.count = 0

    def add(self, line: str) -> None:
        self.lines.append(line)
        if len(self.lines) >= BLOCK_LINES:
            self.flush()

    def flush(self) -> None:
        self.handle.write("\n".join(self.lines) + "\n")
        self.count += len(self.lines)
        self.lines = []

    def close(self) -> int:
        if self.lines:
            self.flush()
        self.handle.close()
        return self.count - 1  # without the header


def _national_id(rng: random.Random) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(14_600))
    first17 = f"{rng.choice(REGION_CODES)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + cn_id_check_character(first17)


def write_borrowers(path: Path, count: int, rng: random.Random) -> int:
    out = Writer(path, "borrower_id,name,national_id,phone,address,lat,lon,jurisdiction,timezone,language,flags,"
                       "risk_flags")
    for index in range(count):
        r = rng.random()
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        national_id = _national_id(rng) if r < 0.10 else ""
        # 20 % with a mobile, in national format (normalised to +86 and sealed by the importer).
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" if r < 0.20 else ""
        address = f"{rng.choice(DISTRICTS)}{rng.choice(STREETS)}{rng.randrange(1, 999)}号" if r < 0.30 else ""
        if r < 0.05:
            lat, lon = f"{31.0 + rng.random() * 0.5:.6f}", f"{121.2 + rng.random() * 0.5:.6f}"
        else:
            lat = lon = ""
        timezone = "Asia/Shanghai" if r < 0.02 else ""
        language = "zh-Hans" if r < 0.9 else "en"
        flags = "hardship|vulnerable" if index % 97 == 0 else ("dispute" if index % 131 == 0 else "")
        risk_flags = "dog" if index % 211 == 0 else ""
        out.add(f"B{index + 1:08d},{name},{national_id},{phone},{address},{lat},{lon},CN,{timezone},{language},"
                f"{flags},{risk_flags}")
    return out.close()


def n_due_of(dues: tuple[int, ...]) -> int:
    as_of = AS_OF.toordinal()
    return sum(1 for due in dues if due < as_of)


def _pick(weights: tuple[tuple[int, float], ...]) -> tuple[list[int], list[float]]:
    values = [value for value, _ in weights]
    total = sum(weight for _, weight in weights)
    cumulative, running = [], 0.0
    for _, weight in weights:
        running += weight / total
        cumulative.append(running)
    return values, cumulative


def generate(out: Path, *, scale: float, seed: int) -> dict[str, object]:
    """Write the four files into `out`; returns the manifest (also written as manifest.json)."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    size = sizes(scale)
    rng = random.Random(seed)
    counts = {"borrowers": write_borrowers(out / "borrowers.csv", size["borrowers"], random.Random(seed + 1))}

    n_loans, n_borrowers = size["loans"], size["borrowers"]
    # Pass 1: each loan's terms and how many of its installments get paid, kept in compact arrays.
    disbursed = array("i")  # ordinal
    principal = array("q")  # cents
    rate = array("i")  # ppm
    fee = array("i")  # cents per installment
    licence = array("b")
    paid_count = array("b")  # installments paid by AS_OF
    cured_count = array("b")  # further installments paid after AS_OF (cures, or the next one due)
    arrears_values, arrears_cumulative = _pick(ARREARS_WEIGHTS)
    licence_cumulative = [sum(LICENCE_WEIGHTS[: i + 1]) / sum(LICENCE_WEIGHTS) for i in range(len(LICENCES))]
    schedules: dict[int, tuple[int, ...]] = {}  # disbursement ordinal -> due ordinals
    as_of, second_as_of = AS_OF.toordinal(), SECOND_AS_OF.toordinal()
    slots = 0
    for _ in range(n_loans):
        # Disbursed 20 .. 420 days before AS_OF: from nothing due yet to the whole schedule due.
        day = as_of - 20 - int(rng.random() ** 1.6 * 400)
        dues = schedules.get(day)
        if dues is None:
            start = date.fromordinal(day)
            dues = schedules[day] = tuple(add_months(start, i).toordinal()
                                          for i in range(1, INSTALLMENTS_PER_LOAN + 1))
        n_due = sum(1 for due in dues if due < as_of)
        draw = rng.random()
        arrears = next(v for v, c in zip(arrears_values, arrears_cumulative, strict=True) if draw <= c)
        arrears = min(arrears, n_due)
        if arrears:
            cured = arrears if rng.random() < CURE_SHARE else 0
        else:
            # A current loan keeps paying: also what falls due before SECOND_AS_OF.
            cured = sum(1 for due in dues if as_of <= due < second_as_of)
        which = rng.random()
        licence_index = next(i for i, c in enumerate(licence_cumulative) if which <= c)
        disbursed.append(day)
        principal.append(rng.randrange(20, 500) * 10_000)  # 2 000 .. 49 900 CNY
        rate.append(rng.choice((72_000, 120_000, 180_000, 240_000, 300_000, 380_000)))
        fee.append(1500 if rng.random() < 0.1 else 0)
        licence.append(licence_index)
        paid_count.append(n_due - arrears)
        cured_count.append(cured)
        slots += n_due - arrears + cured
    target = size["payments"]
    extra = target - slots  # this many installment payments are split into two partial payments
    if not 0 <= extra <= slots:
        raise SystemExit(f"cannot lay out {target} payments over {slots} paid installments at this scale")

    loans = Writer(out / "loans.csv", "loan_id,borrower_id,product,currency,principal,disbursed_on,annual_rate,"
                                      "annual_cost,lender_licence")
    installments = Writer(out / "installments.csv", "loan_id,seq,due_on,principal_due,interest_due,fee_due")
    payments = Writer(out / "payments.csv", "payment_id,loan_id,paid_at,amount,channel")
    iso = {}  # ordinal -> ISO text
    clock = [f"T{h:02d}:{m:02d}:{s:02d}+08:00" for h in range(8, 22) for m in range(0, 60, 7) for s in (5, 37)]
    slot = 0
    payment_no = 0
    for index in range(n_loans):
        loan_id = f"L{index + 1:08d}"
        borrower_no = index * n_borrowers // n_loans + 1
        day = disbursed[index]
        dues = schedules[day]
        cents = principal[index]
        ppm = rate[index]
        fee_cents = fee[index]
        # All-in cost: the fee adds about 1.5 % a year on top of the rate.
        cost = ppm + (15_000 if fee_cents else 0) + (20_000 if index % 9 == 0 else 0)
        cost_text = "" if cost == ppm else f"0.{cost:06d}"
        if day not in iso:
            iso[day] = date.fromordinal(day).isoformat()
        loans.add(f"{loan_id},B{borrower_no:08d},{'cash' if index % 3 else 'instalment'},CNY,{money(cents)},"
                  f"{iso[day]},0.{ppm:06d},{cost_text},{LICENCES[licence[index]]}")
        part = cents // INSTALLMENTS_PER_LOAN
        interest = cents * ppm // 12 // 1_000_000
        fee_text = money(fee_cents) if fee_cents else ("0" if index % 5 == 0 else "")
        totals = []
        for seq, due in enumerate(dues, start=1):
            if due not in iso:
                iso[due] = date.fromordinal(due).isoformat()
            principal_due = part if seq < INSTALLMENTS_PER_LOAN else cents - part * (INSTALLMENTS_PER_LOAN - 1)
            installments.add(f"{loan_id},{seq},{iso[due]},{money(principal_due)},{money(interest)},{fee_text}")
            totals.append(principal_due + interest + fee_cents)
        paid = paid_count[index]
        n_due = n_due_of(dues)
        for seq in range(paid + cured_count[index]):
            if seq < paid:
                # Mostly on time (up to 5 days early), sometimes a few days late.
                shift = -((index + seq) % 6) if (index + seq) % 11 else 3
                paid_on = max(dues[seq] + shift, day)
            elif seq < n_due:
                paid_on = as_of + 1 + (index + seq) % 7  # a cure, in the week after AS_OF
            else:
                paid_on = max(dues[seq] - (index + seq) % 6, day)
            if paid_on not in iso:
                iso[paid_on] = date.fromordinal(paid_on).isoformat()
            amount = totals[seq]
            channel = CHANNELS[(index + seq) % 4]
            at = iso[paid_on] + clock[(index * 7 + seq) % len(clock)]
            # Bresenham: split exactly `extra` of the `slots` installment payments, evenly spread.
            split = (slot + 1) * extra // slots > slot * extra // slots
            slot += 1
            if split:
                first = amount // 2
                payment_no += 1
                payments.add(f"P{payment_no:09d},{loan_id},{at},{money(first)},{channel}")
                amount -= first
                later = paid_on + 1
                if later not in iso:
                    iso[later] = date.fromordinal(later).isoformat()
                at = iso[later] + clock[(index * 13 + seq) % len(clock)]
            payment_no += 1
            payments.add(f"P{payment_no:09d},{loan_id},{at},{money(amount)},{channel}")
    counts["loans"] = loans.close()
    counts["installments"] = installments.close()
    counts["payments"] = payments.close()
    manifest: dict[str, object] = {
        "version": FORMAT_VERSION, "scale": scale, "seed": seed, "rows": counts,
        "paid_installments": slots, "split_payments": extra,
        "as_of": AS_OF.isoformat(), "second_as_of": SECOND_AS_OF.isoformat(),
        "bytes": {kind: (out / f"{kind}.csv").stat().st_size for kind in counts},
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def ensure(out: Path, *, scale: float, seed: int) -> dict[str, object]:
    """Generate unless `out` already holds the files for this scale, seed and format version."""
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if (manifest.get("version"), manifest.get("scale"), manifest.get("seed")) == (FORMAT_VERSION, scale, seed) \
                and all((out / f"{kind}.csv").exists() for kind in manifest["rows"]):
            manifest["reused"] = True
            return dict(manifest)
    return generate(out, scale=scale, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=None, help="default: bench/data/scale-<scale>")
    arguments = parser.parse_args()
    out = arguments.out or Path(__file__).parent / "data" / f"scale-{arguments.scale:g}"
    print(json.dumps(generate(out, scale=arguments.scale, seed=arguments.seed), indent=2))


if __name__ == "__main__":
    main()
