"""doorstep demo seed [--borrowers N] [--seed S] [--as-of DATE] | doorstep demo run [--host H] [--port P]"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from doorstep.demo.book import ID_PREFIX
from doorstep.demo.people import DEMO_PASSWORD
from doorstep.demo.selectors import demo_is_seeded, demo_login_lines, demo_summary
from doorstep.demo.services import DEFAULT_BORROWERS, DEFAULT_SEED, DemoError, SeedReport, demo_seed
from doorstep.portfolio.management.commands.delinquency import iso_date
from doorstep.portfolio.models import Borrower

NOTICE = "Generated demo data — not real people (生成的演示数据，并非真实人物)"


class Command(BaseCommand):
    help = "The generated demo: seed a realistic but fictional Shenzhen loan book, or seed and serve it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        seed = actions.add_parser("seed", help="import a generated book through the real importer and refresh it")
        seed.add_argument("--borrowers", type=int, default=DEFAULT_BORROWERS,
                          help=f"how many generated borrowers (default {DEFAULT_BORROWERS})")
        seed.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
        seed.add_argument("--as-of", type=iso_date, default=None, help="the demo's today (default: today)")
        run = actions.add_parser("run", help="migrate, seed an empty database, print the log-ins, serve")
        run.add_argument("--host", default="127.0.0.1")
        run.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seed":
            self._seed(borrowers=options["borrowers"], seed=options["seed"], as_of=options["as_of"])
            self._print_summary()
            self._print_logins(url="")
            return
        host, port = options["host"], options["port"]
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database migrated")
        if demo_is_seeded():
            self.stdout.write("the demo is already seeded: starting with the data as it is")
        elif Borrower.objects.exclude(external_id__startswith=ID_PREFIX).exists():
            self.stdout.write(self.style.WARNING(
                "This database holds a portfolio that is not the demo: not seeding, and the demo log-ins below "
                "may not exist."))
        else:
            # An empty database, or a demo seeding that stopped half-way (the importer completes it).
            self._seed(borrowers=DEFAULT_BORROWERS, seed=DEFAULT_SEED, as_of=None)
        self._print_summary()
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 (a wildcard is not a URL)
        self._print_logins(url=f"http://{shown_host}:{port}/login/")
        call_command("runserver", f"{host}:{port}", use_reloader=False)

    def _seed(self, *, borrowers: int, seed: int, as_of: date | None) -> SeedReport:
        self.stdout.write(self.style.WARNING(NOTICE))
        started = time.perf_counter()

        def progress(message: str) -> None:
            self.stdout.write(f"  [{time.perf_counter() - started:5.1f} s] {message}")
            self.stdout.flush()

        try:
            report = demo_seed(borrowers=borrowers, seed=seed, as_of=as_of, progress=progress)
        except DemoError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(f"this deployment's password rules refuse the demo password: {error}") from error
        verb = "checked" if report.already_seeded else "seeded"
        self.stdout.write(self.style.SUCCESS(
            f"demo {verb} as of {report.as_of.isoformat()} in {time.perf_counter() - started:.1f} s"))
        return report

    def _print_summary(self) -> None:
        summary = demo_summary()
        self.stdout.write("")
        self.stdout.write(f"Data as of {summary.as_of.isoformat() if summary.as_of else '—'}; "
                          f"{summary.history_days} refreshed days of bucket history")
        self.stdout.write("  " + ", ".join(f"{count:,} {name}" for name, count in summary.counts.items()))
        self.stdout.write("  loans by bucket:      " + "  ".join(
            f"{bucket} {count:,}" for bucket, count in summary.loans_by_bucket.items()))
        self.stdout.write("  open cases by bucket: " + "  ".join(
            f"{bucket} {count:,}" for bucket, count in summary.open_cases_by_bucket.items()))
        self.stdout.write("  loans by cap:         " + "  ".join(
            f"{flag} {count:,}" for flag, count in sorted(summary.loans_by_cap_flag.items())))

    def _print_logins(self, *, url: str) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.WARNING(NOTICE))
        if url:
            self.stdout.write(f"Open {url} and sign in with one of these (password for all: {DEMO_PASSWORD}):")
        else:
            self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for line in demo_login_lines():
            if not line.exists:
                continue
            reach = f"{line.open_cases_in_reach:,} open cases in reach"
            self.stdout.write(f"  {line.login.username:<17} {line.login.role:<11} {reach:<26} {line.login.sees}")
