"""`doorstep scoring train|score`: train and register the scoring models, score the open cases of a day."""

from __future__ import annotations

import calendar
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from doorstep.common.errors import InvalidInput
from doorstep.scoring.services import scoring_score, scoring_train


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from error


def _months_back(until: date, months: int) -> list[date]:
    """`months` dates one month apart ending on `until` (a day missing in a month becomes its last day)."""
    dates = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(until.year * 12 + until.month - 1 - back, 12)
        dates.append(date(year, month + 1, min(until.day, calendar.monthrange(year, month + 1)[1])))
    return dates


class Command(BaseCommand):
    help = (
        "Risk scoring. `train --until D [--months N] | --as-of D --as-of D ...` trains on monthly snapshots "
        "(the last one held out as the test window) and registers the models; "
        "`score --as-of D` scores every case open on D with the active models."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train and register the propensity and uplift models")
        train.add_argument("--as-of", action="append", default=[], help="a snapshot date; repeat for several")
        train.add_argument("--until", help="the last snapshot date (with --months: monthly snapshots up to it)")
        train.add_argument("--months", type=int, default=6, help="number of monthly snapshots (default 6)")
        train.add_argument("--test-from", help="first snapshot date of the test window (default: the last one)")
        train.add_argument("--inactive", action="store_true", help="register without making the models active")
        score = sub.add_parser("score", help="score every case open on a day")
        score.add_argument("--as-of", required=True, help="the day (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"handle_{options['action']}")(options)
        except InvalidInput as error:
            raise CommandError(str(error)) from error

    def handle_train(self, options: dict[str, Any]) -> None:
        dates = [_date(value) for value in options["as_of"]]
        if options["until"]:
            if options["months"] < 2:
                raise CommandError("--months must be at least 2")
            dates += _months_back(_date(options["until"]), options["months"])
        if not dates:
            raise CommandError("give the snapshot dates: --until D [--months N] or --as-of D several times")
        summary = scoring_train(
            as_of_dates=dates,
            activate=not options["inactive"],
            test_from=_date(options["test_from"]) if options["test_from"] else None,
        )
        metrics = summary.propensity.metrics
        self.stdout.write(
            f"model {summary.version}: {summary.rows} rows; propensity AUC "
            f"{metrics['lightgbm']['auc']:.3f} (logistic {metrics['logistic']['auc']:.3f}), "
            f"Brier {metrics['lightgbm']['brier']:.3f}"
        )
        if summary.uplift is not None:
            self.stdout.write(
                f"uplift ({summary.uplift.metrics.get('method')}): Qini "
                f"{summary.uplift.metrics.get('qini', float('nan')):.4f} on the test window"
            )
        else:
            self.stdout.write(f"no uplift model: {metrics.get('uplift', {}).get('skipped', '')}")

    def handle_score(self, options: dict[str, Any]) -> None:
        summary = scoring_score(as_of=_date(options["as_of"]))
        timing = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in summary.seconds.items())
        self.stdout.write(
            f"scored {summary.cases} open cases on {summary.as_of} with model {summary.version} "
            f"({'with' if summary.with_uplift else 'without'} uplift): {timing}"
        )
