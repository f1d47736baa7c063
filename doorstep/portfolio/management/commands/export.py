"""doorstep export delinquency --as-of DATE -o FILE.csv"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from doorstep.portfolio.delinquency import delinquency_export
from doorstep.portfolio.management.commands.delinquency import iso_date


class Command(BaseCommand):
    help = "Export every loan's delinquency position on a day as CSV."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("what", choices=["delinquency"])
        parser.add_argument("--as-of", required=True, type=iso_date)
        parser.add_argument("-o", "--output", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        count = delinquency_export(as_of=options["as_of"], path=options["output"])
        self.stdout.write(f"{count} loans written to {options['output']}")
