"""The model registry and the scores it gives each open case.

Model files live under settings.DOORSTEP_MODEL_DIR as JSON (doorstep.scoring.core.serialise, never
pickle); a registry row names the file, its SHA-256 (a file that changed is refused at load time),
the training window, the features and the metrics. Rows here are written only by
`doorstep.scoring.services`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doorstep.common.fields import MoneyField
from doorstep.portfolio.models import Case


class ScoringModel(models.Model):
    class Kind(models.TextChoices):
        PROPENSITY = "propensity", _("propensity to pay")
        UPLIFT = "uplift", _("visit uplift")

    version = models.CharField(_("version"), max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    path = models.CharField(_("file"), max_length=300, help_text="relative to DOORSTEP_MODEL_DIR")
    sha256 = models.CharField(max_length=64)
    trained_from = models.DateField(_("training window from"))
    trained_until = models.DateField(_("training window until"))
    feature_names = models.JSONField(default=list)
    metrics = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scoring model")
        verbose_name_plural = _("scoring models")
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="scoring_model_version_once"),
            models.UniqueConstraint(fields=["kind"], condition=Q(is_active=True), name="scoring_model_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.version}"


class CaseScore(models.Model):
    """A case's scores on a day by one model version; the planner's prize is `expected_recovery`."""

    # No database foreign-key constraints: PostgreSQL checks one with a trigger per row, a million
    # deferred checks (and row locks on the cases) at the commit of a night's scores. scoring_score,
    # the only writer, checks its references set-based before it commits; on_delete still cascades
    # and protects in Django.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="scores", db_index=False, db_constraint=False)
    as_of = models.DateField(_("as of"))
    model = models.ForeignKey(ScoringModel, on_delete=models.PROTECT, related_name="scores", db_constraint=False)
    probability = models.FloatField(_("probability of payment"))
    uplift = models.FloatField(_("visit uplift"), null=True, blank=True)  # null: no uplift model was active
    expected_amount = MoneyField(_("expected amount"), default=0)  # collectible on as_of: paid in full
    expected_recovery = MoneyField(_("expected recovery of a visit"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)

    class Meta:
        verbose_name = _("case score")
        verbose_name_plural = _("case scores")
        # Leads with case: the planner's lookup (latest as_of on or before the day) and the uniqueness in one index.
        constraints = [models.UniqueConstraint(fields=["case", "as_of", "model"], name="case_score_once")]

    def __str__(self) -> str:
        return f"case {self.case_id} on {self.as_of}: {self.expected_recovery}"
