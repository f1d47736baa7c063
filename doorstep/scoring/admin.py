"""Back-office views of scoring: read-only, since `doorstep scoring train` and `score` (the services)
are the only writers — a model file's SHA-256 is checked against its registry row when it is loaded."""

from __future__ import annotations

from django.contrib import admin

from doorstep.common.admin import ReadOnlyAdmin
from doorstep.scoring.models import CaseScore, ScoringModel


@admin.register(ScoringModel)
class ScoringModelAdmin(ReadOnlyAdmin):
    list_display = ("version", "kind", "is_active", "trained_from", "trained_until", "created_at")
    list_filter = ("kind", "is_active")


@admin.register(CaseScore)
class CaseScoreAdmin(ReadOnlyAdmin):
    list_display = ("case", "as_of", "model", "probability", "uplift", "expected_recovery")
    list_filter = ("as_of",)
    raw_id_fields = ("case", "model")
    list_select_related = ("case", "model")
    show_full_result_count = False  # a million rows a day: no COUNT(*) on every page
