"""Daily visit plans: plan -> routes -> stops, the cases left out and why, and what the planner
needs to know about teams (base, shift, skills) and borrowers' booked or preferred times.

Plans are written only by `doorstep.planning.services`; a published plan is never changed (a new
version is made instead), so what the teams were given stays on record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doorstep.accounts.models import Team, Territory
from doorstep.portfolio.models import Case


class TeamSchedule(models.Model):
    """Where a team starts and ends its day, its usual shift and what it is trained for."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="schedule")
    base_lat = models.FloatField(_("base latitude"), null=True, blank=True)
    base_lon = models.FloatField(_("base longitude"), null=True, blank=True)
    shift_start_minute = models.PositiveIntegerField(_("shift starts (minutes after midnight)"), default=9 * 60)
    shift_end_minute = models.PositiveIntegerField(_("shift ends (minutes after midnight)"), default=18 * 60)
    max_visits = models.PositiveIntegerField(_("most visits a day"), null=True, blank=True, default=8)
    skills = models.JSONField(_("skills"), default=list, blank=True)

    class Meta:
        verbose_name = _("team schedule")
        verbose_name_plural = _("team schedules")
        constraints = [models.CheckConstraint(condition=Q(shift_end_minute__gt=models.F("shift_start_minute")),
                                              name="team_schedule_shift_forward")]

    def __str__(self) -> str:
        return f"{self.team} {self.shift_start_minute}-{self.shift_end_minute}"


class TeamDayOff(models.Model):
    """A day a team does not go out (leave, training, holiday)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="days_off")
    day = models.DateField(_("day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("team day off")
        verbose_name_plural = _("team days off")
        constraints = [models.UniqueConstraint(fields=["team", "day"], name="team_day_off_once")]

    def __str__(self) -> str:
        return f"{self.team} off on {self.day}"


class VisitAppointment(models.Model):
    """A time the borrower booked or prefers for a visit on a day; the planner keeps to it."""

    class Source(models.TextChoices):
        BOOKED = "booked", _("booked with the borrower")
        PREFERRED = "preferred", _("borrower's preference")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visit_appointments")
    day = models.DateField(_("day"))
    start_minute = models.PositiveIntegerField(_("from (minutes after midnight)"))
    end_minute = models.PositiveIntegerField(_("until (minutes after midnight)"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.PREFERRED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit appointment")
        verbose_name_plural = _("visit appointments")
        indexes = [models.Index(fields=["day", "case"], name="appointment_day_case")]
        constraints = [models.CheckConstraint(condition=Q(end_minute__gt=models.F("start_minute")),
                                              name="appointment_forward")]

    def __str__(self) -> str:
        return f"case {self.case_id} on {self.day} {self.start_minute}-{self.end_minute}"


class Plan(models.Model):
    class Status(models.TextChoices):
        SOLVING = "solving", _("solving")
        READY = "ready", _("ready for review")
        PUBLISHED = "published", _("published to the teams")
        SUPERSEDED = "superseded", _("superseded by a newer version")
        FAILED = "failed", _("failed")

    day = models.DateField(_("day"))
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SOLVING)
    timezone = models.CharField(_("time zone"), max_length=64)
    scenario = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)
    time_limit_s = models.FloatField(default=30)
    seed = models.PositiveIntegerField(default=1)
    served = models.PositiveIntegerField(default=0)
    prize = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    travel_minutes = models.FloatField(default=0)
    message = models.TextField(blank=True)
    # Collectors of the territory's teams not planned that day and why: [{username, team, reason, expires_on}].
    collectors_left_out = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "territory__code", "-version"]
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        constraints = [models.UniqueConstraint(fields=["day", "territory", "version"], name="plan_version_once")]

    def __str__(self) -> str:
        return f"plan {self.day} {self.territory_id} v{self.version}"


class Route(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="routes")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    depart_at = models.DateTimeField()
    return_at = models.DateTimeField()
    travel_minutes = models.FloatField()

    class Meta:
        ordering = ["plan", "team__code"]

    def __str__(self) -> str:
        return f"{self.plan} {self.team}"


class Stop(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plan_stops")
    sequence = models.PositiveIntegerField()
    arrival_at = models.DateTimeField()
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    prize = models.DecimalField(max_digits=14, decimal_places=2)
    is_locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["route", "sequence"]
        constraints = [models.UniqueConstraint(fields=["route", "sequence"], name="stop_sequence_once")]

    def __str__(self) -> str:
        return f"{self.route} #{self.sequence} case {self.case_id}"


class Exclusion(models.Model):
    """A case the plan left out, and why: a rule, no window, no location, or not worth the travel."""

    class Reason(models.TextChoices):
        BLOCKED = "blocked", _("blocked by a rule")
        NO_WINDOW = "no_window", _("no allowed time that day")
        NO_LOCATION = "no_location", _("no location")
        NO_TEAM = "no_team", _("no team on shift")
        NOT_WORTH_TRAVEL = "not_worth_travel", _("not worth the travel")
        NO_FEASIBLE_WINDOW = "no_feasible_window", _("no team can reach it in time")
        SKILL_MISMATCH = "skill_mismatch", _("no team with the skills")
        TEAM_TOO_SMALL = "team_too_small", _("no team large enough")
        CAPACITY = "capacity", _("above every team's capacity")
        REMOVED = "removed", _("removed by the supervisor")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="exclusions")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    rules = models.JSONField(_("rules"), default=list, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # Left out by the solver (rather than before solving): such a case may be added back by hand.
    by_solver = models.BooleanField(default=False)

    class Meta:
        ordering = ["plan", "reason", "case"]

    def __str__(self) -> str:
        return f"{self.plan}: case {self.case_id} {self.reason}"
