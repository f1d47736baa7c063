"""Forms of the compliance console."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstep.compliance.models import CHANNEL_CHOICES, PARTY_CHOICES, Complaint


class OverrideDecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class StateClearForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cleared?"), max_length=500, min_length=3)


class ComplaintResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Complaint.Outcome.choices)
    note = forms.CharField(label=_("Answer given"), max_length=5000, min_length=3,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ContactCheckForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNEL_CHOICES)
    at = forms.CharField(label=_("When (the borrower's local time)"), max_length=20,
                         widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    party = forms.ChoiceField(label=_("Whom"), choices=PARTY_CHOICES)

    def clean_at(self) -> datetime:
        raw = str(self.cleaned_data["at"]).strip()
        for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"):
            try:
                return datetime.strptime(raw, pattern)  # noqa: DTZ007 - the borrower's zone is attached by the view
            except ValueError:
                continue
        raise forms.ValidationError(_("Give a date and time, e.g. 2026-12-01T21:30."))

    def local_moment(self, timezone: Any) -> datetime:
        moment: datetime = self.cleaned_data["at"]
        return moment.replace(tzinfo=timezone)


class ReportDayForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
