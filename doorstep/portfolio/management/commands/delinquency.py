"""doorstep delinquency refresh --as-of DATE | doorstep delinquency rollrate --from D1 --to D2"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from doorstep.common.errors import InvalidInput
from doorstep.portfolio.delinquency import delinquency_refresh, roll_rates


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from error


class Command(BaseCommand):
    help = "Delinquency: refresh every loan's DPD, bucket and amounts for a day; show roll rates."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="compute positions, append bucket history, open/close cases")
        refresh.add_argument("--as-of", required=True, type=iso_date)
        rolls = sub.add_parser("rollrate", help="roll-rate matrix between two refreshed days")
        rolls.add_argument("--from", dest="from_on", required=True, type=iso_date)
        rolls.add_argument("--to", dest="to_on", required=True, type=iso_date)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "refresh":
            summary = delinquency_refresh(as_of=options["as_of"])
            self.stdout.write(
                f"as of {summary.as_of}: {summary.loans} loans, {summary.overdue_loans} overdue; "
                f"{summary.history_rows} history rows appended; cases opened {summary.cases_opened}, "
                f"closed {summary.cases_closed}, open {summary.open_cases}"
                + ("" if summary.current else " (earlier day: history only, current state kept)"))
            self.stdout.write("seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in summary.seconds.items()))
            return
        try:
            rates = roll_rates(from_on=options["from_on"], to_on=options["to_on"])
        except InvalidInput as error:
            raise CommandError(error.message) from error
        self.stdout.write("from\\to\t" + "\t".join(rates.columns) + "\ttotal")
        for bucket in rates.buckets:
            cells = [f"{rates.share(bucket, target) * 100:.1f}%" for target in rates.columns]
            self.stdout.write(f"{bucket}\t" + "\t".join(cells) + f"\t{rates.row_total(bucket)}")
