"""The `doorstep` console script: `doorstep CMD ...` is `manage.py CMD ...`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    arguments = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["doorstep", *arguments])
    return 0
