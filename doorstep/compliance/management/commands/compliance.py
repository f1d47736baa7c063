"""`doorstep compliance check|intervals|report|policy`: the decision function from the shell."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from doorstep.common.errors import DomainError
from doorstep.compliance.core.engine import Decision, zone
from doorstep.compliance.core.model import Channel, NumberKind, Party, Place, Purpose
from doorstep.compliance.selectors import engine_for_lender, lender_policy_get, subject_for
from doorstep.compliance.services import AttemptRequest, attempt_from_request, contact_check
from doorstep.portfolio.models import Borrower, Case, Contact


def decision_json(decision: Decision, *, borrower: Borrower) -> dict[str, Any]:
    return {"borrower": borrower.external_id, **decision.as_dict()}


class Command(BaseCommand):
    help = ("Compliance engine. `check` judges one contact and prints the decision as JSON; `intervals` "
            "prints the allowed start times of a day; `report` writes the daily compliance report; "
            "`policy` prints the packs' parameters with the lender's tightening.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("check", "intervals"):
            command = sub.add_parser(name)
            command.add_argument("--borrower", required=True, help="the lender's borrower id")
            command.add_argument("--channel", required=True, choices=[c.value for c in Channel])
            if name == "check":
                command.add_argument("--at", required=True, help="ISO 8601 with offset, e.g. 2026-12-01T21:30:00+08:00")
            else:
                command.add_argument("--date", required=True, help="the borrower's local date, YYYY-MM-DD")
            command.add_argument("--party", default="debtor", choices=[p.value for p in Party])
            command.add_argument("--contact", default="", help="contact id (default: the first of that role)")
            command.add_argument("--purpose", choices=[p.value for p in Purpose])
            command.add_argument("--place", default="home", choices=[p.value for p in Place])
            command.add_argument("--number-kind", default="mobile", choices=[k.value for k in NumberKind])
            command.add_argument("--duration", type=int, default=0, help="planned minutes on site (visits)")
            command.add_argument("--team-size", type=int)
        report = sub.add_parser("report")
        report.add_argument("--date", required=True)
        report.add_argument("--csv", help="write CSV to this file instead of printing a summary")
        sub.add_parser("policy")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "policy":
                self._policy()
            elif options["action"] == "report":
                self._report(options)
            else:
                self._judge(options)
        except DomainError as error:
            raise CommandError(error.message) from error

    def _request(self, options: dict[str, Any], at: datetime) -> AttemptRequest:
        borrower = Borrower.objects.filter(external_id=options["borrower"]).first()
        if borrower is None:
            raise CommandError(f"no borrower with id {options['borrower']!r}")
        party = Party(options["party"])
        contact = None
        if party is not Party.DEBTOR:
            contacts = Contact.objects.filter(borrower=borrower, role=party.value).order_by("id")
            if options["contact"]:
                contacts = contacts.filter(external_id=options["contact"])
            contact = contacts.first()
            if contact is None:
                raise CommandError(f"borrower {borrower.external_id} has no {party.value}"
                                   + (f" with id {options['contact']!r}" if options["contact"] else ""))
        if options["duration"] < 0 or (options["team_size"] is not None and options["team_size"] < 1):
            raise CommandError("--duration must be 0 or more and --team-size 1 or more")
        case = Case.objects.filter(borrower=borrower, status=Case.Status.OPEN).select_related("agency").first()
        return AttemptRequest(
            borrower=borrower, case=case, channel=Channel(options["channel"]), at=at, party=party, contact=contact,
            purpose=Purpose(options["purpose"]) if options["purpose"] else None, place=Place(options["place"]),
            number_kind=NumberKind(options["number_kind"]), duration_minutes=options["duration"],
            team_size=options["team_size"])

    def _judge(self, options: dict[str, Any]) -> None:
        if options["action"] == "check":
            try:
                at = datetime.fromisoformat(options["at"])
            except ValueError as error:
                raise CommandError(f"--at {options['at']!r} is not an ISO 8601 moment") from error
            if at.tzinfo is None:
                raise CommandError("--at needs an offset or zone, e.g. 2026-12-01T21:30:00+08:00")
            request = self._request(options, at)
            decision = contact_check(request=request)
            self.stdout.write(json.dumps(decision_json(decision, borrower=request.borrower), ensure_ascii=False,
                                         indent=2))
            return
        try:
            day = date.fromisoformat(options["date"])
        except ValueError as error:
            raise CommandError(f"--date {options['date']!r} is not YYYY-MM-DD") from error
        probe = datetime.combine(day, datetime.min.time(), tzinfo=zone("UTC"))
        request = self._request(options, probe)
        subject = subject_for(borrower=request.borrower, around=probe)
        spans = engine_for_lender().allowed_intervals(subject, attempt_from_request(request), day)
        home = zone(subject.home_timezone)
        self.stdout.write(json.dumps({
            "borrower": request.borrower.external_id, "date": day.isoformat(), "timezone": subject.home_timezone,
            "channel": request.channel.value,
            "intervals": [[start.astimezone(home).isoformat(), end.astimezone(home).isoformat()]
                          for start, end in spans]}, indent=2))

    def _report(self, options: dict[str, Any]) -> None:
        from doorstep.compliance.reports import daily_report, daily_report_csv

        try:
            day = date.fromisoformat(options["date"])
        except ValueError as error:
            raise CommandError(f"--date {options['date']!r} is not YYYY-MM-DD") from error
        report = daily_report(day=day)
        if options["csv"]:
            Path(options["csv"]).write_text(daily_report_csv(report), encoding="utf-8")
            self.stdout.write(f"wrote {options['csv']}")
        else:
            self.stdout.write(daily_report_csv(report))

    def _policy(self) -> None:
        engine = engine_for_lender()
        self.stdout.write(json.dumps({
            "tightening": lender_policy_get().tightening,
            "packs": {pack_id: {name: param.value for name, param in pack.params.items()}
                      for pack_id, pack in engine.packs.items()}}, indent=2))
