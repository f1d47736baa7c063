"""`doorstep plan solve|check|build`: the planner core on scenario and plan files (no database), and
the day's plans built from the database."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser, _SubParsersAction
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from doorstep.planning.cli_build import add_build_arguments, run_build
from doorstep.planning.core.check import check
from doorstep.planning.core.scenario import (
    Plan,
    Scenario,
    ScenarioError,
    plan_from_json,
    plan_to_json,
    scenario_from_json,
)
from doorstep.planning.core.solver import InfeasibleScenario, solve


def _read_json(path: str, what: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot read the {what} file {path}: {error.strerror or error}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(f"the {what} file {path} is not JSON: {error}") from error


def _scenario(path: str) -> Scenario:
    try:
        return scenario_from_json(_read_json(path, "scenario"))
    except ScenarioError as error:
        raise CommandError(f"invalid scenario {path}: {error}") from error


def _plan(path: str) -> Plan:
    try:
        return plan_from_json(_read_json(path, "plan"))
    except ScenarioError as error:
        raise CommandError(f"invalid plan {path}: {error}") from error


def add_solve_parser(sub: _SubParsersAction[ArgumentParser]) -> None:
    command = sub.add_parser("solve", help="solve a scenario file and print or write the plan")
    command.add_argument("scenario", help="scenario JSON file")
    command.add_argument("--time-limit", type=float, required=True, help="seconds of search")
    command.add_argument("--seed", type=int, default=1)
    command.add_argument("-o", "--output", help="write the plan here instead of printing it")


def add_check_parser(sub: _SubParsersAction[ArgumentParser]) -> None:
    command = sub.add_parser("check", help="check a plan against its scenario; exit 1 when it is infeasible")
    command.add_argument("scenario", help="scenario JSON file")
    command.add_argument("plan", help="plan JSON file")


def add_build_parser(sub: _SubParsersAction[ArgumentParser]) -> None:
    command = sub.add_parser("build", help="build the day's plans from the database and solve them")
    add_build_arguments(command)


class Command(BaseCommand):
    help = ("Visit planner. `solve SCENARIO --time-limit S [--seed N] [-o PLAN]` prints or writes the plan; "
            "`check SCENARIO PLAN` prints each violation and exits 1, or prints the totals; "
            "`build --date D [--territory T] [--scenario-out F] [--plan-out F]` plans a day from the database.")

    # One function per subcommand: a parser and a handler.
    parsers = (add_solve_parser, add_check_parser, add_build_parser)

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for add in self.parsers:
            add(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"handle_{options['action']}")
        handler(options)

    def handle_solve(self, options: dict[str, Any]) -> None:
        if options["time_limit"] <= 0:
            raise CommandError("--time-limit must be a positive number of seconds")
        scenario = self._scenario_or_fail(options["scenario"])
        self.stderr.write(f"solving {scenario.name or options['scenario']}: {len(scenario.visits)} visits, "
                          f"{len(scenario.teams)} teams, {options['time_limit']:g} s, seed {options['seed']}")
        try:
            plan = solve(scenario, time_limit_s=options["time_limit"], seed=options["seed"])
        except InfeasibleScenario as error:
            raise CommandError(f"infeasible: {error}") from error
        text = json.dumps(plan_to_json(plan), ensure_ascii=False, indent=2)
        if options["output"]:
            try:
                Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            except OSError as error:
                raise CommandError(f"cannot write {options['output']}: {error.strerror or error}") from error
        else:
            self.stdout.write(text)
        totals = plan.totals
        self.stderr.write(f"served {totals.served}, unassigned {len(plan.unassigned)}, prize {totals.prize:g}, "
                          f"travel {totals.travel:.1f} min, objective {totals.objective:g}")

    def handle_check(self, options: dict[str, Any]) -> None:
        scenario = self._scenario_or_fail(options["scenario"])
        plan = _plan(options["plan"])
        violations = check(scenario, plan)
        if violations:
            for violation in violations:
                self.stdout.write(f"{violation.kind}: {violation.message}")
            self.stderr.write(f"{len(violations)} violation(s)")
            sys.exit(1)
        totals = plan.totals
        self.stdout.write(f"feasible: served {totals.served}, prize {totals.prize:g}, travel {totals.travel:g}, "
                          f"objective {totals.objective:g}")

    def handle_build(self, options: dict[str, Any]) -> None:
        run_build(options, out=self.stdout, err=self.stderr)

    def _scenario_or_fail(self, path: str) -> Scenario:
        return _scenario(path)
