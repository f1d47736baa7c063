"""Forms of the trainers' course editor and the training analytics page.

The forms check types and sizes only; what makes a course, lesson or question valid is decided by
`doorstep.training.services`, whose message the page then shows (so the rules live in one place).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstep.training.analytics import LONGEST_PERIOD_DAYS, Period

SMALL_INT = 32767  # PositiveSmallIntegerField
INT = 2_147_483_647
LONG_TEXT = 50_000
CHOICE_ROWS = 5
MOST_CHOICE_ROWS = 12
RESERVED_CODES = frozenset({"new", "preview"})


def _text(label: Any, *, rows: int = 8, max_length: int = LONG_TEXT) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _line(label: Any, max_length: int = 200) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length)


def _count(label: Any, top: int = SMALL_INT, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=top, help_text=help_text,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class _IdentifiedForm(forms.Form):
    """A form whose identifying field (`identity`: a course's code, a lesson's or question's key) is
    asked only when the row is new, and is passed to the service apart from the other fields."""

    identity = "key"

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not new:
            del self.fields[self.identity]

    def service_data(self) -> dict[str, Any]:
        """The fields the save service takes besides the identity."""
        return {name: value for name, value in self.cleaned_data.items() if name != self.identity}


class CourseForm(_IdentifiedForm):
    identity = "code"

    code = forms.SlugField(label=_("Code"), max_length=40, required=False,
                           help_text=_("Letters, digits and hyphens; it cannot change later."))
    title_en = _line(_("Title (English)"))
    title_zh = _line(_("Title (Chinese)"))
    summary_en = _text(_("Summary (English)"), rows=3)
    summary_zh = _text(_("Summary (Chinese)"), rows=3)
    order = _count(_("Order in the list"))
    is_required = forms.BooleanField(label=_("Required for the field certificate"), required=False)
    is_published = forms.BooleanField(label=_("Published"), required=False)
    pass_mark = _count(_("Pass mark (%)"))
    questions_per_attempt = _count(_("Questions per attempt"))
    max_attempts = _count(_("Failed attempts in a row before a lock-out"))
    retry_wait_minutes = _count(_("Wait after a failed attempt (minutes)"), INT)
    lockout_hours = _count(_("Lock-out after the last allowed attempt (hours)"), INT)
    time_limit_minutes = _count(_("Time limit per attempt (minutes, 0 for none)"), INT)

    def clean_code(self) -> str:
        code: str = self.cleaned_data.get("code", "")
        if code in RESERVED_CODES:  # these words are pages of the editor (training_manage_urls)
            raise forms.ValidationError(_("This code is reserved; choose another."))
        return code


class LessonForm(_IdentifiedForm):
    key = forms.SlugField(label=_("Key"), max_length=60, required=False,
                          help_text=_("Letters, digits and hyphens, unique in the course; it cannot change later."))
    order = _count(_("Order in the course"))
    title_en = _line(_("Title (English)"))
    title_zh = _line(_("Title (Chinese)"))
    body_en = _text(_("Text (English)"), rows=14)
    body_zh = _text(_("Text (Chinese)"), rows=14)


class PreviewForm(forms.Form):
    body_en = _text(_("Text (English)"))
    body_zh = _text(_("Text (Chinese)"))


class QuestionForm(_IdentifiedForm):
    key = forms.SlugField(label=_("Key"), max_length=60, required=False,
                          help_text=_("Letters, digits and hyphens, unique in the course; it cannot change later."))
    text_en = _text(_("Question (English)"), rows=3)
    text_zh = _text(_("Question (Chinese)"), rows=3)
    is_multiple = forms.BooleanField(label=_("Several answers are right"), required=False)
    explanation_en = _text(_("Explanation shown after the attempt (English)"), rows=3)
    explanation_zh = _text(_("Explanation shown after the attempt (Chinese)"), rows=3)
    is_active = forms.BooleanField(label=_("In the question bank"), required=False)


class ChoiceForm(forms.Form):
    text_en = _line(_("Answer (English)"), max_length=500)
    text_zh = _line(_("Answer (Chinese)"), max_length=500)
    is_correct = forms.BooleanField(label=_("Right"), required=False)


def choice_formset(*, data: Any = None, initial: list[dict[str, Any]] | None = None) -> Any:
    """At least five answer rows; a row left empty is ignored by `question_save`."""
    initial = initial or []
    formset = forms.formset_factory(ChoiceForm, extra=max(0, CHOICE_ROWS - len(initial)), max_num=MOST_CHOICE_ROWS,
                                    absolute_max=MOST_CHOICE_ROWS, validate_max=True)
    return formset(data=data, initial=initial, prefix="choice")


class ActiveForm(forms.Form):
    is_active = forms.TypedChoiceField(choices=[("1", _("Put back in the bank")), ("0", _("Retire"))],
                                       coerce=lambda value: value == "1")


class PeriodForm(forms.Form):
    from_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    to_on = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        from_on: date | None = cleaned.get("from_on")
        to_on: date | None = cleaned.get("to_on")
        if from_on and to_on:
            if from_on > to_on:
                raise forms.ValidationError(_("The period starts after it ends."))
            if to_on - from_on >= timedelta(days=LONGEST_PERIOD_DAYS):
                raise forms.ValidationError(_("Choose at most two years."))
        return cleaned

    def period(self) -> Period:
        return Period(self.cleaned_data["from_on"], self.cleaned_data["to_on"])
