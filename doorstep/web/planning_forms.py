"""Forms of the plan pages: build a day's plans, and the changes a supervisor asks for before re-optimising."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.accounts.models import Territory
from doorstep.planning.services import Revision


class PlanBuildForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    territory = forms.ModelChoiceField(
        label=gettext_lazy("Territory"), required=False, empty_label=gettext_lazy("Every territory"),
        queryset=Territory.objects.filter(teams__is_active=True).distinct().order_by("code"))


class RevisionError(ValueError):
    pass


def _case_ids(data: QueryDict, key: str) -> tuple[int, ...]:
    ids = []
    for value in data.getlist(key):
        try:
            ids.append(int(value))
        except ValueError as error:
            raise RevisionError(_("“%(value)s” is not a case of this plan.") % {"value": value[:40]}) from error
    return tuple(dict.fromkeys(ids))


def revision_from_post(data: QueryDict) -> Revision:
    """`lock`, `remove` and `add` list case ids; `move-<case id>` names the team a stop goes to."""
    moves: list[tuple[int, str]] = []
    for key in data:
        if not key.startswith("move-"):
            continue
        team = data.get(key, "")
        if not isinstance(team, str) or not team:
            continue
        try:
            moves.append((int(key.removeprefix("move-")), team))
        except ValueError as error:
            raise RevisionError(_("“%(value)s” is not a case of this plan.") % {
                "value": key.removeprefix("move-")[:40]}) from error
    moved = {case_id for case_id, _team in moves}
    # Moving a stop also locks it (to the new team), so a lock of the same stop is redundant.
    lock = tuple(case_id for case_id in _case_ids(data, "lock") if case_id not in moved)
    return Revision(lock=lock, remove=_case_ids(data, "remove"), add=_case_ids(data, "add"), move=tuple(moves))
