from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstep.accounts.models import Agency, Team, Territory
from doorstep.portfolio.core.rows import KINDS
from doorstep.portfolio.delinquency import bucket_scheme
from doorstep.portfolio.selectors import CASE_FLAGS, CaseFilters


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("open", _("open")), ("closed", _("closed")), ("all", _("all"))])
    bucket = forms.ChoiceField(label=_("Bucket"), required=False)
    dpd_min = forms.IntegerField(label=_("DPD from"), required=False, min_value=0)
    dpd_max = forms.IntegerField(label=_("DPD to"), required=False, min_value=0)
    amount_min = forms.DecimalField(label=_("Overdue from"), required=False, min_value=0, decimal_places=2)
    amount_max = forms.DecimalField(label=_("Overdue to"), required=False, min_value=0, decimal_places=2)
    territory = forms.ModelChoiceField(label=_("Territory"), required=False, queryset=Territory.objects.all())
    team = forms.ModelChoiceField(label=_("Team"), required=False, queryset=Team.objects.all())
    agency = forms.ModelChoiceField(label=_("Agency"), required=False, queryset=Agency.objects.all())
    flag = forms.ChoiceField(label=_("Flag"), required=False)
    borrower = forms.CharField(label=_("Borrower id"), required=False, max_length=64)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=[
        ("dpd", _("highest DPD")), ("amount", _("largest overdue")), ("newest", _("newest case"))])

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bucket_field = self.fields["bucket"]
        flag_field = self.fields["flag"]
        assert isinstance(bucket_field, forms.ChoiceField) and isinstance(flag_field, forms.ChoiceField)
        bucket_field.choices = [("", _("any")), *((name, name) for name in bucket_scheme().names)]
        flag_field.choices = [("", _("any")), *((flag, flag) for flag in CASE_FLAGS)]
        if user is not None and user.agency_id is not None:
            self.fields["team"].queryset = Team.objects.filter(agency_id=user.agency_id)  # type: ignore[attr-defined]
            self.fields["agency"].queryset = Agency.objects.filter(pk=user.agency_id)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for low, high, label in (("dpd_min", "dpd_max", _("DPD")), ("amount_min", "amount_max", _("Overdue"))):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                raise forms.ValidationError(_("%(name)s: the lower bound is above the upper one") % {"name": label})
        return data

    def filters(self) -> CaseFilters:
        data = self.cleaned_data
        return CaseFilters(
            status=data.get("status") or "open", bucket=data.get("bucket") or "",
            dpd_min=data.get("dpd_min"), dpd_max=data.get("dpd_max"),
            amount_min=data.get("amount_min"), amount_max=data.get("amount_max"),
            territory=data["territory"].pk if data.get("territory") else None,
            team=data["team"].pk if data.get("team") else None,
            agency=data["agency"].pk if data.get("agency") else None,
            flag=data.get("flag") or "", search=data.get("borrower") or "", sort=data.get("sort") or "dpd")


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("File kind"), choices=[(kind, kind) for kind in KINDS])
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(label=_("Check only (dry run)"), required=False)
    ignore_unknown = forms.BooleanField(label=_("Ignore unknown columns"), required=False)


class AssignForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), required=False, queryset=Team.objects.filter(is_active=True))
    agency = forms.ModelChoiceField(label=_("Agency"), required=False, queryset=Agency.objects.filter(is_active=True))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[("national_id", "national_id"), ("phone", "phone")])
    reason = forms.CharField(label=_("Why do you need it?"), max_length=200, min_length=4)
    contact_id = forms.CharField(required=False, max_length=64)


class RefreshForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))


class RollRateForm(forms.Form):
    from_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    to_on = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
