from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from doorstep.common.audit import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` reports the first broken link of the hash chain."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        broken = audit_verify()
        if broken is not None:
            raise CommandError(f"audit chain broken at entry {broken.sequence}: {broken.problem}")
        self.stdout.write("audit chain intact")
