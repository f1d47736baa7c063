"""Case list paging at scale: the console's and the API's query (keyset paging) on a large book.

Runs against a database that already holds a refreshed book, e.g. the one portfolio_import.py
leaves with --keep-database (1 M loans). It adds ten territories and two teams (assigning cases
round-robin, set-based), then times `case_page_for_user` — the selector behind /cases/ and
/api/v1/cases/ — for a supervisor (whole book) and a collector (own team), for the first page,
pages reached by following the cursor, and each filter. Median of --repeats runs per query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/doorstep_bench \\
        .venv/bin/python bench/case_list.py --pages 200 --repeats 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.db import connection  # noqa: E402

from doorstep.accounts.models import Role, Team, Territory, User  # noqa: E402
from doorstep.portfolio.models import Case  # noqa: E402
from doorstep.portfolio.selectors import CaseFilters, case_page_for_user  # noqa: E402


def prepare() -> tuple[User, User, list[Territory], Team]:
    territories = [Territory.objects.get_or_create(code=f"BENCH-T{n}", defaults={"name": f"Bench {n}"})[0]
                   for n in range(10)]
    supervisor, _ = User.objects.get_or_create(username="bench-supervisor", defaults={"role": Role.SUPERVISOR})
    collector, _ = User.objects.get_or_create(username="bench-collector", defaults={"role": Role.COLLECTOR})
    team_a, _ = Team.objects.get_or_create(code="BENCH-A", defaults={"name": "Bench A", "territory": territories[0]})
    team_b, _ = Team.objects.get_or_create(code="BENCH-B", defaults={"name": "Bench B", "territory": territories[1]})
    team_a.members.add(collector)
    low = min(t.pk for t in territories)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE portfolio_case SET territory_id = %s + (id %% 10), "
                       "team_id = CASE WHEN id %% 20 = 0 THEN %s WHEN id %% 20 = 1 THEN %s ELSE NULL END",
                       [low, team_a.pk, team_b.pk])
        cursor.execute("ANALYZE portfolio_case")
    return supervisor, collector, territories, team_a


def timed(user: User, filters: CaseFilters, repeats: int, cursor: str = "") -> tuple[float, int]:
    runs = []
    rows = 0
    for _ in range(repeats):
        started = time.perf_counter()
        page = case_page_for_user(user=user, filters=filters, cursor=cursor)
        runs.append(time.perf_counter() - started)
        rows = len(page.cases)
    return statistics.median(runs) * 1000, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200, help="follow the cursor this many pages deep")
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    supervisor, collector, territories, team = prepare()
    open_cases = Case.objects.filter(status="open").count()
    print(f"{Case.objects.count():,} cases, {open_cases:,} open; database {connection.settings_dict['NAME']}")
    print("query\tmedian ms\trows")
    cases = [
        ("supervisor, first page (highest DPD)", supervisor, CaseFilters()),
        ("supervisor, largest overdue first", supervisor, CaseFilters(sort="amount")),
        ("supervisor, bucket M3", supervisor, CaseFilters(bucket="M3")),
        ("supervisor, DPD 45-75", supervisor, CaseFilters(dpd_min=45, dpd_max=75)),
        ("supervisor, overdue 1000-2000", supervisor,
         CaseFilters(amount_min=Decimal("1000"), amount_max=Decimal("2000"), sort="amount")),
        ("supervisor, one territory", supervisor, CaseFilters(territory=territories[3].pk)),
        ("supervisor, one team", supervisor, CaseFilters(team=team.pk)),
        ("supervisor, flag illegal", supervisor, CaseFilters(flag="illegal")),
        ("supervisor, borrower flag hardship", supervisor, CaseFilters(flag="hardship")),
        ("collector, own team, first page", collector, CaseFilters()),
    ]
    for label, user, filters in cases:
        ms, rows = timed(user, filters, options.repeats)
        print(f"{label}\t{ms:.1f}\t{rows}")
    # Deep paging: follow the cursor; time every page once, then the last one repeatedly.
    cursor = ""
    per_page = []
    for _ in range(options.pages):
        started = time.perf_counter()
        page = case_page_for_user(user=supervisor, filters=CaseFilters(), cursor=cursor)
        per_page.append(time.perf_counter() - started)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    deep_ms, rows = timed(supervisor, CaseFilters(), options.repeats, cursor=cursor)
    print(f"supervisor, following the cursor: median page {statistics.median(per_page) * 1000:.1f} ms over "
          f"{len(per_page)} pages; page {len(per_page) + 1}: {deep_ms:.1f} ms ({rows} rows)")


if __name__ == "__main__":
    main()
