"""The compliance console: blocked attempts by rule, pending overrides, borrower states, complaints,
the printable daily report, and the "check a contact" panel of the borrower page.

Every write goes through doorstep.compliance.services; a refused or invalid action answers with the
service's reason and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from doorstep.common.errors import DomainError, NotFound
from doorstep.compliance.core.catalogue import rule_title
from doorstep.compliance.core.model import Channel, Party, State
from doorstep.compliance.models import Complaint
from doorstep.compliance.queries import (
    blocked_by_rule,
    borrower_state_get_for_user,
    borrower_states_active,
    complaint_get_for_user,
    complaints_for_console,
    override_get_for_user,
    overrides_pending,
    user_may_oversee_compliance,
)
from doorstep.compliance.reports import daily_report, daily_report_csv
from doorstep.compliance.services import (
    AttemptRequest,
    borrower_state_clear,
    complaint_resolve,
    contact_check,
    override_decide,
)
from doorstep.portfolio.models import Case, Contact
from doorstep.portfolio.selectors import borrower_get_for_user
from doorstep.web.compliance_forms import (
    ComplaintResolveForm,
    ContactCheckForm,
    OverrideDecideForm,
    ReportDayForm,
    StateClearForm,
)
from doorstep.web.views import allowed, reaches_cases

BLOCKED_WINDOW_DAYS = 7
REPORT_ZONE = "Asia/Shanghai"
STATUS_FOR_CODE = {"forbidden": 403, "not_found": 404, "conflict": 409}


def _status(error: DomainError) -> int:
    return STATUS_FOR_CODE.get(error.code, 400)


def _complaint_rows(complaints: Iterable[Complaint]) -> list[Complaint]:
    now = timezone.now()
    rows = list(complaints)
    for complaint in rows:
        complaint.sla_breached = (  # type: ignore[attr-defined]
            complaint.status == Complaint.Status.OPEN and complaint.answer_due_at < now)
    return rows


@require_GET
@allowed(user_may_oversee_compliance)
def overview(request: HttpRequest) -> HttpResponse:
    until = timezone.now()
    since = until - timedelta(days=BLOCKED_WINDOW_DAYS)
    rules = blocked_by_rule(since=since, until=until)
    top = max((count for _, count in rules), default=0) or 1
    language = get_language() or "en"
    return render(request, "web/compliance/overview.html", {
        "rules": [{"rule": rule, "title": rule_title(rule, language), "count": count,
                   "share": round(100 * count / top)} for rule, count in rules],
        "blocked_total": sum(count for _, count in rules), "since": since, "until": until,
        "overrides": list(overrides_pending()[:200]), "states": list(borrower_states_active()[:200]),
        "complaints": _complaint_rows(complaints_for_console()),
        "decide_form": OverrideDecideForm(), "clear_form": StateClearForm(), "resolve_form": ComplaintResolveForm(),
    })


@require_POST
@allowed(user_may_oversee_compliance)
def override_decision(request: HttpRequest, override_id: int) -> HttpResponse:
    try:
        override = override_get_for_user(user=request.user, override_id=override_id)
    except NotFound as problem:
        raise Http404(problem.message) from problem
    form = OverrideDecideForm(request.POST)
    context: dict[str, Any] = {"override": override, "decide_form": form}
    if not form.is_valid():
        context["error"] = _("Choose approve or reject.")
        return render(request, "web/compliance/_override.html", context, status=400)
    try:
        context["override"] = override_decide(override=override, approve=form.cleaned_data["decision"] == "approve",
                                              by=request.user, note=form.cleaned_data["note"])
    except DomainError as problem:
        context["error"] = _error_text(problem)
        return render(request, "web/compliance/_override.html", context, status=_status(problem))
    return render(request, "web/compliance/_override.html", context)


def _error_text(problem: DomainError) -> str:
    """The services speak English; the few refusals a console user meets are translated here."""
    known = {
        "a second person must approve an override": _("A second person must approve an override: you asked for "
                                                      "this one, so someone else has to decide it."),
    }
    return known.get(problem.message, problem.message)


@require_POST
@allowed(user_may_oversee_compliance)
def state_clear(request: HttpRequest, state_id: int) -> HttpResponse:
    try:
        record = borrower_state_get_for_user(user=request.user, state_id=state_id)
    except NotFound as problem:
        raise Http404(problem.message) from problem
    form = StateClearForm(request.POST)
    context: dict[str, Any] = {"state": record, "clear_form": form}
    if not form.is_valid():
        context["error"] = _("Say why the state is cleared.")
        return render(request, "web/compliance/_state.html", context, status=400)
    if record.cleared_at is None:
        try:
            context["state"] = borrower_state_clear(borrower=record.borrower, state=State(record.state),
                                                    reason=form.cleaned_data["reason"], by=request.user)
        except DomainError as problem:
            context["error"] = problem.message
            return render(request, "web/compliance/_state.html", context, status=_status(problem))
    return render(request, "web/compliance/_state.html", context)


@require_POST
@allowed(user_may_oversee_compliance)
def complaint_resolution(request: HttpRequest, complaint_id: int) -> HttpResponse:
    try:
        complaint = complaint_get_for_user(user=request.user, complaint_id=complaint_id)
    except NotFound as problem:
        raise Http404(problem.message) from problem
    form = ComplaintResolveForm(request.POST)
    context: dict[str, Any] = {"resolve_form": form}
    if not form.is_valid():
        context.update(complaint=_complaint_rows([complaint])[0], error=_("Choose an outcome and write the answer."))
        return render(request, "web/compliance/_complaint.html", context, status=400)
    try:
        complaint = complaint_resolve(complaint=complaint, outcome=form.cleaned_data["outcome"],
                                      note=form.cleaned_data["note"], by=request.user)
    except DomainError as problem:
        context.update(complaint=_complaint_rows([complaint])[0], error=problem.message)
        return render(request, "web/compliance/_complaint.html", context, status=_status(problem))
    context["complaint"] = _complaint_rows([complaint])[0]
    return render(request, "web/compliance/_complaint.html", context)


def _report_day(request: HttpRequest) -> tuple[date, str]:
    if not request.GET.get("date"):
        return timezone.localdate(), ""
    form = ReportDayForm(request.GET)
    if not form.is_valid():
        return timezone.localdate(), _("“%(value)s” is not a date; showing today. Use YYYY-MM-DD.") % {
            "value": request.GET["date"][:40]}
    day: date = form.cleaned_data["date"]
    return day, ""


@require_GET
@allowed(user_may_oversee_compliance)
def report(request: HttpRequest) -> HttpResponse:
    day, error = _report_day(request)
    data = daily_report(day=day, timezone=REPORT_ZONE)
    return render(request, "web/compliance/report.html", {
        "report": data, "day": day, "error": error, "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1), "form": ReportDayForm(initial={"date": day}),
    }, status=400 if error else 200)


@require_GET
@allowed(user_may_oversee_compliance)
def report_csv(request: HttpRequest) -> HttpResponse:
    day, error = _report_day(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(daily_report_csv(daily_report(day=day, timezone=REPORT_ZONE)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="compliance-{day.isoformat()}.csv"'
    return response


# --- the borrower page's compliance panel ------------------------------------------------------------

@require_POST
@allowed(reaches_cases)
def check(request: HttpRequest, external_id: str) -> HttpResponse:
    try:
        person = borrower_get_for_user(user=request.user, external_id=external_id)
    except NotFound as problem:
        raise Http404(problem.message) from problem
    form = ContactCheckForm(request.POST)
    if not form.is_valid():
        return render(request, "web/compliance/_decision.html",
                      {"error": " ".join(str(message) for errors in form.errors.values() for message in errors)},
                      status=400)
    party = Party(form.cleaned_data["party"])
    contact = None
    if party is not Party.DEBTOR:
        contact = Contact.objects.filter(borrower=person, role=party.value).order_by("id").first()
        if contact is None:
            return render(request, "web/compliance/_decision.html",
                          {"error": _("This borrower has no contact in that role.")}, status=400)
    home = ZoneInfo(person.timezone or REPORT_ZONE)
    case = person.cases.filter(status=Case.Status.OPEN).select_related("agency").first()
    try:
        decision = contact_check(request=AttemptRequest(
            borrower=person, case=case, channel=Channel(form.cleaned_data["channel"]), at=form.local_moment(home),
            party=party, contact=contact))
    except DomainError as problem:
        return render(request, "web/compliance/_decision.html", {"error": problem.message}, status=_status(problem))
    language = get_language() or "zh-hans"
    chinese = language.lower().startswith("zh")
    return render(request, "web/compliance/_decision.html", {
        "decision": decision, "reason": decision.reason(language),
        "blocks": [(block.rule_id, block.reason_zh if chinese else block.reason_en) for block in decision.blocks],
        "requirements": [(item.rule_id, item.text_zh if chinese else item.text_en) for item in decision.requirements],
        "next_allowed_at": decision.next_allowed_at.astimezone(home) if decision.next_allowed_at else None,
        "at": decision.at.astimezone(home), "zone": str(home),
    })

