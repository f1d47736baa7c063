"""Users with one role, teams that visit, territories they cover, and outside agencies."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COLLECTOR = "collector", _("Field collector")
    SUPERVISOR = "supervisor", _("Supervisor")
    COMPLIANCE = "compliance", _("Compliance officer")
    ANALYST = "analyst", _("Strategy analyst")
    TRAINER = "trainer", _("Trainer")
    ADMIN = "admin", _("Administrator")


class Territory(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    center_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    center_lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")

    class Meta:
        ordering = ["code"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An outside collection firm (CN-AGENCY: contract, published list, yearly review)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    contract_reference = models.CharField(_("contract reference"), max_length=120, blank=True)
    contract_ends_on = models.DateField(_("contract ends on"), null=True, blank=True)
    is_published = models.BooleanField(_("on the published list"), default=False)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COLLECTOR)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users", help_text=_("Set for staff of an outside agency; empty for the lender's own staff."),
    )
    employee_number = models.CharField(_("employee number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_agency_staff(self) -> bool:
        return self.agency_id is not None


class Team(models.Model):
    """The unit that visits; in China a field visit needs at least two collectors (CN-VISIT-2P)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )
    members = models.ManyToManyField(User, verbose_name=_("members"), related_name="teams", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name
