"""The staff console: overview, cases, borrower page, imports. Server-rendered, HTMX for updates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from doorstep.accounts.models import Role
from doorstep.accounts.selectors import (
    CASE_ROLES,
    user_has_role,
    user_may_assign,
    user_may_import,
    user_may_refresh,
    user_may_reveal,
    user_may_see_portfolio_analytics,
)
from doorstep.common.errors import DomainError, InvalidInput, NotFound
from doorstep.common.tasks import enqueue
from doorstep.compliance.core.model import Party
from doorstep.compliance.queries import borrower_states
from doorstep.field.selectors import borrower_field_record
from doorstep.portfolio.delinquency import bucket_scheme, roll_rates
from doorstep.portfolio.models import Borrower, Case, ImportJob
from doorstep.portfolio.presenters import borrower_address_for, borrower_name_for
from doorstep.portfolio.selectors import (
    borrower_contacts_by_role,
    borrower_get_for_user,
    borrower_loans,
    case_get_for_user,
    case_page_for_user,
    import_jobs_recent,
    latest_refresh_on,
    portfolio_overview,
)
from doorstep.portfolio.services import case_assign, import_job_create, import_progress, pii_reveal
from doorstep.portfolio.tasks import delinquency_refresh_task
from doorstep.training.selectors import user_may_curate_cases
from doorstep.web.charts import bar_chart, dpd_history_chart
from doorstep.web.compliance_forms import ContactCheckForm
from doorstep.web.forms import (
    AssignForm,
    CaseFilterForm,
    ImportUploadForm,
    RefreshForm,
    RevealForm,
    RollRateForm,
)
from doorstep.web.scores import case_score_panel

View = Callable[..., HttpResponse]


def allowed(check: Callable[[Any], bool]) -> Callable[[View], View]:
    """Login required, then a role check; a refused page says so (403) rather than hiding it."""

    def decorate(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                return HttpResponseForbidden(render(request, "web/forbidden.html").content)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def reaches_cases(user: Any) -> bool:
    return user_has_role(user, CASE_ROLES) or (getattr(user, "agency_id", None) is not None
                                               and user_has_role(user, {Role.SUPERVISOR}))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if user_may_see_portfolio_analytics(request.user):
        return redirect("web:overview")
    if reaches_cases(request.user):
        return redirect("web:cases")
    if user_has_role(request.user, {Role.TRAINER}):
        return redirect("web:training")
    return render(request, "web/welcome.html")


@require_GET
@allowed(user_may_see_portfolio_analytics)
def overview(request: HttpRequest) -> HttpResponse:
    data = portfolio_overview()
    chart = bar_chart([row.bucket for row in data.buckets], [row.loans for row in data.buckets],
                      title=_("Loans by bucket"))
    amount_chart = bar_chart([row.bucket for row in data.buckets][1:],
                             [float(row.overdue_amount) for row in data.buckets][1:],
                             title=_("Overdue amount by bucket"))
    days = data.history_days
    default_to = days[-1] if days else None
    default_from = _closest_before(days, default_to - timedelta(days=30)) if default_to else None
    return render(request, "web/overview.html", {
        "data": data, "chart": chart, "amount_chart": amount_chart,
        "refresh_form": RefreshForm(initial={"as_of": timezone.localdate()}),
        "may_refresh": user_may_refresh(request.user),
        "roll_form": RollRateForm(initial={"from_on": default_from, "to_on": default_to}),
        "rates": _roll_rates_or_none(default_from, default_to),
    })


def _closest_before(days: list[date], target: date) -> date | None:
    earlier = [day for day in days if day <= target]
    return earlier[-1] if earlier else (days[0] if days else None)


def _roll_rates_or_none(from_on: date | None, to_on: date | None) -> Any:
    if from_on is None or to_on is None or from_on >= to_on:
        return None
    try:
        return roll_rates(from_on=from_on, to_on=to_on)
    except InvalidInput:
        return None


@require_GET
@allowed(user_may_see_portfolio_analytics)
def roll_rate_table(request: HttpRequest) -> HttpResponse:
    form = RollRateForm(request.GET)
    rates, error = None, ""
    if form.is_valid():
        try:
            rates = roll_rates(from_on=form.cleaned_data["from_on"], to_on=form.cleaned_data["to_on"])
        except InvalidInput as problem:
            error = problem.message
    else:
        error = _("Choose two dates.")
    return render(request, "web/_roll_rates.html", {"rates": rates, "error": error})


@require_POST
@allowed(user_may_refresh)
def refresh(request: HttpRequest) -> HttpResponse:
    form = RefreshForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day to refresh as YYYY-MM-DD."))
        return redirect("web:overview")
    with transaction.atomic():
        enqueue(delinquency_refresh_task, as_of=form.cleaned_data["as_of"].isoformat())
    messages.success(request, _("Delinquency refresh for %(day)s started; reload in a moment.")
                     % {"day": form.cleaned_data["as_of"].isoformat()})
    return redirect("web:overview")


@require_GET
@allowed(reaches_cases)
def cases(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or {"status": "open"}, user=request.user)
    page, error = None, ""
    if form.is_valid():
        try:
            page = case_page_for_user(user=request.user, filters=form.filters(), cursor=request.GET.get("cursor", ""))
        except InvalidInput as problem:
            error = problem.message
    for case in page.cases if page else []:
        case.shown_name = borrower_name_for(request.user, case.borrower)  # type: ignore[attr-defined]
    active = any(value for key, value in request.GET.items() if key not in ("cursor", "status", "sort"))
    context = {"form": form, "page": page, "error": error, "query": _query_without(request, "cursor"),
               "filters_active": active or bool(form.errors)}
    template = "web/_case_rows.html" if request.headers.get("HX-Request") else "web/cases.html"
    return render(request, template, context)


def _query_without(request: HttpRequest, key: str) -> str:
    query = request.GET.copy()
    query.pop(key, None)
    return query.urlencode()


@require_http_methods(["GET", "POST"])
@allowed(reaches_cases)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = case_get_for_user(user=request.user, case_id=case_id)
    except NotFound as error:
        raise Http404(error.message) from error
    form = AssignForm(initial={"team": case.team, "agency": case.agency})
    if request.method == "POST":
        if not user_may_assign(request.user):
            return HttpResponseForbidden(render(request, "web/forbidden.html").content)
        form = AssignForm(request.POST)
        if form.is_valid():
            try:
                case_assign(case=case, by=request.user, team=form.cleaned_data["team"],
                            agency=form.cleaned_data["agency"], note=form.cleaned_data["note"])
                messages.success(request, _("Case assigned."))
                return redirect("web:case", case_id=case.pk)
            except DomainError as error:
                form.add_error(None, error.message)
    return _borrower_page(request, case.borrower.external_id, case=case, assign_form=form)


@require_GET
@allowed(reaches_cases)
def borrower(request: HttpRequest, external_id: str) -> HttpResponse:
    return _borrower_page(request, external_id)


def _borrower_or_404(request: HttpRequest, external_id: str) -> Borrower:
    try:
        return borrower_get_for_user(user=request.user, external_id=external_id)
    except NotFound as error:
        raise Http404(error.message) from error


def _borrower_page(request: HttpRequest, external_id: str, *, case: Case | None = None,
                   assign_form: AssignForm | None = None) -> HttpResponse:
    person = _borrower_or_404(request, external_id)
    # Positions as of the latest refresh, so the page agrees with the case list and overview.
    as_of = latest_refresh_on() or timezone.localdate()
    loans = borrower_loans(borrower=person, as_of=as_of)
    scheme = bucket_scheme()
    history = dpd_history_chart([(view.loan.external_id, [(row.as_of, row.dpd) for row in view.history])
                                 for view in loans], title=_("DPD history"), bucket_bounds=scheme.bounds)
    if case is None:
        case = person.cases.filter(status=Case.Status.OPEN).select_related("team", "agency").first()
    return render(request, "web/borrower.html", {
        "borrower": person, "name": borrower_name_for(request.user, person),
        "address": borrower_address_for(request.user, person), "loans": loans, "as_of": as_of,
        "contacts": borrower_contacts_by_role(borrower=person), "history_chart": history, "case": case,
        "assign_form": assign_form if user_may_assign(request.user) else None,
        "may_reveal_id": user_may_reveal(request.user, "national_id"),
        "may_reveal_phone": user_may_reveal(request.user, "phone"),
        "compliance_states": borrower_states(borrower=person).active,
        "check_form": ContactCheckForm(initial={"channel": "visit", "party": Party.DEBTOR.value}),
        "field_record": borrower_field_record(borrower_id=person.pk, today=timezone.localdate()),
        "curates_cases": user_may_curate_cases(request.user),
        "risk_score": case_score_panel(case=case, day=timezone.localdate()),
    })


@require_POST
@allowed(reaches_cases)
def reveal(request: HttpRequest, external_id: str) -> HttpResponse:
    person = _borrower_or_404(request, external_id)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "web/_revealed.html", {"error": _("Say why you need to see it.")}, status=400)
    contact = None
    if form.cleaned_data["contact_id"]:
        contact = person.contacts.filter(external_id=form.cleaned_data["contact_id"]).first()
        if contact is None:
            raise Http404("no such contact")
    try:
        value = pii_reveal(user=request.user, borrower=person, field=form.cleaned_data["field"],
                           reason=form.cleaned_data["reason"], contact=contact)
    except DomainError as error:
        status = 403 if error.code == "forbidden" else 400
        return render(request, "web/_revealed.html", {"error": error.message}, status=status)
    return render(request, "web/_revealed.html", {"value": value})


@require_http_methods(["GET", "POST"])
@allowed(user_may_import)
def imports(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm()
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = import_job_create(kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
                                        by=request.user, dry_run=form.cleaned_data["dry_run"],
                                        ignore_unknown=form.cleaned_data["ignore_unknown"])
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                return redirect("web:import", job_id=job.pk)
    return render(request, "web/imports.html", {"form": form, "jobs": import_jobs_recent()})


def _job(job_id: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404("no such import")
    return job


@require_GET
@allowed(user_may_import)
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(job_id)
    return render(request, "web/import_detail.html", {
        "job": job, "progress": import_progress(job_id=job.pk), "issues": job.issues.all()[:1000],
        "issue_count": job.issues.count()})


@require_GET
@allowed(user_may_import)
def import_progress_fragment(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(job_id)
    response = render(request, "web/_import_progress.html", {"job": job, "progress": import_progress(job_id=job.pk)})
    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        response["HX-Refresh"] = "true"  # the finished job's report replaces the progress bar
    return response
