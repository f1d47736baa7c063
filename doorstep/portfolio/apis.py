"""Portfolio API: one view per operation, an input and an output serializer each.

Cases and borrowers are reached only through the access selectors; domain errors become HTTP
statuses in doorstep.common.apis.exception_handler.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from doorstep.accounts.models import Agency, Team
from doorstep.accounts.selectors import user_may_import, user_may_refresh, user_may_see_portfolio_analytics
from doorstep.common.errors import InvalidInput, NotFound, NotPermitted
from doorstep.common.tasks import enqueue
from doorstep.portfolio.core.rows import KINDS
from doorstep.portfolio.delinquency import roll_rates
from doorstep.portfolio.models import Case, ImportIssue, ImportJob
from doorstep.portfolio.presenters import borrower_name_for, borrower_payload
from doorstep.portfolio.selectors import (
    CaseFilters,
    borrower_contacts_by_role,
    borrower_get_for_user,
    borrower_loans,
    case_get_for_user,
    case_page_for_user,
    latest_refresh_on,
    portfolio_overview,
)
from doorstep.portfolio.services import case_assign, import_job_create, import_progress, pii_reveal
from doorstep.portfolio.tasks import delinquency_refresh_task

ISSUES_PAGE = 500


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise InvalidInput("invalid request", details=serializer.errors)
    return dict(serializer.validated_data)


# --- imports -------------------------------------------------------------------------------------

class ImportJobOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ("id", "kind", "original_name", "status", "dry_run", "rows_total", "rows_invalid", "created_count",
                  "updated_count", "unchanged_count", "message", "created_at", "started_at", "finished_at",
                  "file_sha256", "progress")

    def get_progress(self, job: ImportJob) -> dict[str, Any]:
        if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
            return import_progress(job_id=job.pk)
        return {"phase": "done", "fraction": 1.0}


class ImportIssueOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ImportIssue
        fields = ("row", "column", "value", "reason")


class ImportCreateInput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=KINDS)
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)
    ignore_unknown = serializers.BooleanField(default=False)


def _import_job_for_user(user: Any, job_id: int) -> ImportJob:
    if not user_may_import(user):
        raise NotPermitted("only the lender's administrators and supervisors see imports")
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound("no such import")
    return job


class ImportCreateApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request=ImportCreateInput, responses={202: ImportJobOutput}, operation_id="import_create")
    def post(self, request: Request) -> Response:
        """Upload one portfolio file; it is checked and applied in the background (all or nothing)."""
        data = _validated(ImportCreateInput, request.data)
        job = import_job_create(kind=data["kind"], upload=data["file"], by=request.user, dry_run=data["dry_run"],
                                ignore_unknown=data["ignore_unknown"])
        job.refresh_from_db()
        return Response(ImportJobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailApi(APIView):
    @extend_schema(responses=ImportJobOutput, operation_id="import_detail")
    def get(self, request: Request, job_id: int) -> Response:
        return Response(ImportJobOutput(_import_job_for_user(request.user, job_id)).data)


class ImportIssuesApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("after_row", int, required=False)],
                   responses=ImportIssueOutput(many=True), operation_id="import_issues")
    def get(self, request: Request, job_id: int) -> Response:
        """Every invalid row of an import, 500 at a time (pass the last row seen as after_row)."""
        job = _import_job_for_user(request.user, job_id)
        after = request.query_params.get("after_row", "0")
        if not after.isdigit():
            raise InvalidInput("after_row is a row number")
        issues: QuerySet[ImportIssue] = job.issues.filter(row__gt=int(after)).order_by("row", "id")[:ISSUES_PAGE]
        return Response(ImportIssueOutput(issues, many=True).data)


# --- cases ---------------------------------------------------------------------------------------

class CaseListInput(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=["open", "closed", "all"], default="open")
    bucket = serializers.CharField(required=False, default="")
    dpd_min = serializers.IntegerField(required=False, min_value=0)
    dpd_max = serializers.IntegerField(required=False, min_value=0)
    amount_min = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    amount_max = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    territory = serializers.IntegerField(required=False)
    team = serializers.IntegerField(required=False)
    agency = serializers.IntegerField(required=False)
    flag = serializers.CharField(required=False, default="")
    borrower = serializers.CharField(required=False, default="")
    sort = serializers.ChoiceField(choices=["dpd", "amount", "newest"], default="dpd")
    cursor = serializers.CharField(required=False, default="")


class CaseOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    borrower_id = serializers.CharField(source="borrower.external_id")
    borrower_name = serializers.SerializerMethodField()
    team = serializers.CharField(source="team.code", default=None)
    agency = serializers.CharField(source="agency.code", default=None)
    territory = serializers.CharField(source="territory.code", default=None)

    class Meta:
        model = Case
        fields = ("id", "borrower_id", "borrower_name", "status", "opened_on", "closed_on", "as_of", "currency",
                  "max_dpd", "bucket", "overdue_amount", "collectible_amount", "outstanding_principal", "cap_flag",
                  "is_collection_blocked", "team", "agency", "territory")

    def get_borrower_name(self, case: Case) -> str:
        return borrower_name_for(self.context.get("user"), case.borrower)


class CasePageOutput(serializers.Serializer):  # type: ignore[type-arg]
    results = CaseOutput(many=True)
    next_cursor = serializers.CharField(allow_null=True)
    count = serializers.IntegerField(help_text="-1 on later pages (counted on the first page only)")
    count_is_capped = serializers.BooleanField()


class CaseListApi(APIView):
    @extend_schema(parameters=[CaseListInput], responses=CasePageOutput, operation_id="case_list")
    def get(self, request: Request) -> Response:
        """The cases you may reach, filtered, 50 a page by keyset (follow next_cursor)."""
        data = _validated(CaseListInput, request.query_params)
        filters = CaseFilters(
            status=data["status"], bucket=data["bucket"], dpd_min=data.get("dpd_min"), dpd_max=data.get("dpd_max"),
            amount_min=data.get("amount_min"), amount_max=data.get("amount_max"), territory=data.get("territory"),
            team=data.get("team"), agency=data.get("agency"), flag=data["flag"], search=data["borrower"],
            sort=data["sort"])
        page = case_page_for_user(user=request.user, filters=filters, cursor=data["cursor"])
        return Response({
            "results": CaseOutput(page.cases, many=True, context={"user": request.user}).data,
            "next_cursor": page.next_cursor, "count": page.count, "count_is_capped": page.count_is_capped,
        })


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseOutput, operation_id="case_detail")
    def get(self, request: Request, case_id: int) -> Response:
        case = case_get_for_user(user=request.user, case_id=case_id)
        return Response(CaseOutput(case, context={"user": request.user}).data)


class CaseAssignInput(serializers.Serializer):  # type: ignore[type-arg]
    team = serializers.CharField(required=False, allow_blank=True, default="", help_text="team code")
    agency = serializers.CharField(required=False, allow_blank=True, default="", help_text="agency code")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class CaseAssignApi(APIView):
    @extend_schema(request=CaseAssignInput, responses=CaseOutput, operation_id="case_assign")
    def post(self, request: Request, case_id: int) -> Response:
        """Assign a case to a team or an agency (both empty: take it back to the pool)."""
        case = case_get_for_user(user=request.user, case_id=case_id)
        data = _validated(CaseAssignInput, request.data)
        team = Team.objects.filter(code=data["team"]).first() if data["team"] else None
        agency = Agency.objects.filter(code=data["agency"]).first() if data["agency"] else None
        if data["team"] and team is None:
            raise InvalidInput(f"no team with code {data['team']!r}")
        if data["agency"] and agency is None:
            raise InvalidInput(f"no agency with code {data['agency']!r}")
        case = case_assign(case=case, by=request.user, team=team, agency=agency, note=data["note"])
        return Response(CaseOutput(case, context={"user": request.user}).data)


# --- borrowers -----------------------------------------------------------------------------------

class CapOutput(serializers.Serializer):  # type: ignore[type-arg]
    rate = serializers.CharField(allow_null=True, help_text="annual cap as a fraction; null: no cap applies")
    basis = serializers.CharField(help_text="licensed_24, private_4x_lpr, private_before_2020_24, contractual, ...")
    flag = serializers.ChoiceField(choices=["ok", "over_cap", "illegal"])
    charge_share = serializers.FloatField(help_text="collectible share of interest and fees")
    principal_share = serializers.FloatField(help_text="collectible share of scheduled principal (砍头息)")


class PositionOutput(serializers.Serializer):  # type: ignore[type-arg]
    as_of = serializers.DateField()
    dpd = serializers.IntegerField()
    bucket = serializers.CharField()
    total_paid = serializers.CharField()
    overdue_amount = serializers.CharField()
    outstanding_principal = serializers.CharField()
    collectible_amount = serializers.CharField()


class InstallmentStateOutput(serializers.Serializer):  # type: ignore[type-arg]
    seq = serializers.IntegerField()
    due_on = serializers.DateField()
    total = serializers.CharField()
    paid = serializers.CharField()
    unpaid = serializers.CharField()
    status = serializers.ChoiceField(choices=["paid", "overdue", "partly_paid", "upcoming"])


class PaymentOutput(serializers.Serializer):  # type: ignore[type-arg]
    payment_id = serializers.CharField()
    paid_at = serializers.DateTimeField()
    paid_on = serializers.DateField()
    amount = serializers.CharField()
    channel = serializers.CharField()


class HistoryOutput(serializers.Serializer):  # type: ignore[type-arg]
    as_of = serializers.DateField()
    dpd = serializers.IntegerField()
    bucket = serializers.CharField()


class LoanOutput(serializers.Serializer):  # type: ignore[type-arg]
    loan_id = serializers.CharField()
    product = serializers.CharField()
    currency = serializers.CharField()
    principal = serializers.CharField()
    disbursed_on = serializers.DateField()
    annual_rate = serializers.CharField()
    annual_cost = serializers.CharField()
    lender_licence = serializers.CharField()
    cap = CapOutput()
    position = PositionOutput()
    installments = InstallmentStateOutput(many=True)
    payments = PaymentOutput(many=True)
    history = HistoryOutput(many=True)


class ContactOutput(serializers.Serializer):  # type: ignore[type-arg]
    contact_id = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField(help_text="masked")
    relationship = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # the field is named as in the file format
    liable = serializers.BooleanField(help_text="guarantors and co-obligors only (CN-TARGET)")


class BorrowerDetailOutput(serializers.Serializer):  # type: ignore[type-arg]
    borrower_id = serializers.CharField()
    name = serializers.CharField(help_text="masked for analysts and trainers")
    national_id = serializers.CharField(help_text="masked")
    phone = serializers.CharField(help_text="masked")
    may_reveal = serializers.ListField(child=serializers.CharField())
    address = serializers.CharField()
    jurisdiction = serializers.CharField()
    timezone = serializers.CharField()
    language = serializers.CharField()
    flags = serializers.ListField(child=serializers.CharField())
    risk_flags = serializers.ListField(child=serializers.CharField())
    territory = serializers.CharField(allow_null=True)
    as_of = serializers.DateField()
    loans = LoanOutput(many=True)
    contacts = serializers.DictField(child=ContactOutput(many=True), help_text="by role")


class BorrowerDetailApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("as_of", date, required=False)], responses=BorrowerDetailOutput,
                   operation_id="borrower_detail")
    def get(self, request: Request, external_id: str) -> Response:
        """A borrower's loans, schedules (paid/overdue), payments, contacts by role and bucket history.
        Personal data is masked; reveal a field with the reveal operation (logged)."""
        borrower = borrower_get_for_user(user=request.user, external_id=external_id)
        as_of = _date_param(request, "as_of") if request.query_params.get("as_of") else (
            latest_refresh_on() or _date_param(request, "as_of"))
        payload = borrower_payload(user=request.user, borrower=borrower, as_of=as_of,
                                   loans=borrower_loans(borrower=borrower, as_of=as_of),
                                   contacts=borrower_contacts_by_role(borrower=borrower))
        return Response(BorrowerDetailOutput(payload).data)


class RevealInput(serializers.Serializer):  # type: ignore[type-arg]
    field = serializers.ChoiceField(choices=["national_id", "phone"])
    reason = serializers.CharField(max_length=200)
    contact_id = serializers.CharField(required=False, allow_blank=True, default="")


class RevealOutput(serializers.Serializer):  # type: ignore[type-arg]
    field = serializers.CharField()
    value = serializers.CharField()


class BorrowerRevealApi(APIView):
    @extend_schema(request=RevealInput, responses=RevealOutput, operation_id="borrower_reveal")
    def post(self, request: Request, external_id: str) -> Response:
        """Show a national id or phone in full, if your role allows; the view is logged with your reason."""
        borrower = borrower_get_for_user(user=request.user, external_id=external_id)
        data = _validated(RevealInput, request.data)
        contact = None
        if data["contact_id"]:
            contact = borrower.contacts.filter(external_id=data["contact_id"]).first()
            if contact is None:
                raise NotFound("no such contact for this borrower")
        value = pii_reveal(user=request.user, borrower=borrower, field=data["field"], reason=data["reason"],
                           contact=contact)
        return Response({"field": data["field"], "value": value})


# --- portfolio analytics -------------------------------------------------------------------------

def _date_param(request: Request, name: str, *, required: bool = False) -> date:
    raw = request.query_params.get(name, "")
    if not raw:
        if required:
            raise InvalidInput(f"{name} is required (YYYY-MM-DD)")
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise InvalidInput(f"{name} is not a date (YYYY-MM-DD)") from error


def _require_analytics(user: Any) -> None:
    if not user_may_see_portfolio_analytics(user):
        raise NotPermitted("portfolio figures are for the lender's supervisors, analysts, compliance and admins")


class BucketRowOutput(serializers.Serializer):  # type: ignore[type-arg]
    bucket = serializers.CharField()
    loans = serializers.IntegerField()
    overdue_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    collectible_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    outstanding_principal = serializers.DecimalField(max_digits=16, decimal_places=2)


class OverviewOutput(serializers.Serializer):  # type: ignore[type-arg]
    as_of = serializers.DateField(allow_null=True)
    loans = serializers.IntegerField()
    overdue_loans = serializers.IntegerField()
    open_cases = serializers.IntegerField()
    blocked_cases = serializers.IntegerField()
    overdue_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    collectible_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    outstanding_principal = serializers.DecimalField(max_digits=18, decimal_places=2)
    buckets = BucketRowOutput(many=True)


class OverviewApi(APIView):
    @extend_schema(responses=OverviewOutput, operation_id="portfolio_overview")
    def get(self, request: Request) -> Response:
        """Bucket distribution and totals at the latest refresh."""
        _require_analytics(request.user)
        return Response(OverviewOutput(portfolio_overview()).data)


class RollRateRowOutput(serializers.Serializer):  # type: ignore[type-arg]
    bucket = serializers.CharField()
    total = serializers.IntegerField(help_text="loans in this bucket on the first day")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="by bucket on the second day")
    shares = serializers.DictField(child=serializers.FloatField(), help_text="counts / total")


class RollRatesOutput(serializers.Serializer):  # type: ignore[type-arg]
    from_on = serializers.DateField()
    to_on = serializers.DateField()
    columns = serializers.ListField(child=serializers.CharField(), help_text='buckets, then "closed"')
    rows = RollRateRowOutput(many=True)


class RollRatesApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("from", date, required=True), OpenApiParameter("to", date,
                                                                                                required=True)],
                   responses=RollRatesOutput, operation_id="portfolio_roll_rates")
    def get(self, request: Request) -> Response:
        """Share of loans in each bucket on one refreshed day by their bucket on a later one."""
        _require_analytics(request.user)
        rates = roll_rates(from_on=_date_param(request, "from", required=True),
                           to_on=_date_param(request, "to", required=True))
        return Response(RollRatesOutput({
            "from_on": rates.from_on, "to_on": rates.to_on, "columns": list(rates.columns),
            "rows": [{"bucket": bucket, "total": rates.row_total(bucket), "counts": rates.counts[bucket],
                      "shares": {target: round(rates.share(bucket, target), 6) for target in rates.columns}}
                     for bucket in rates.buckets],
        }).data)


class RefreshInput(serializers.Serializer):  # type: ignore[type-arg]
    as_of = serializers.DateField()


class RefreshOutput(serializers.Serializer):  # type: ignore[type-arg]
    queued = serializers.BooleanField()
    as_of = serializers.DateField()


class RefreshApi(APIView):
    @extend_schema(request=RefreshInput, responses={202: RefreshOutput}, operation_id="delinquency_refresh")
    def post(self, request: Request) -> Response:
        """Queue a delinquency refresh for a day (idempotent: a recorded day is never rewritten)."""
        if not user_may_refresh(request.user):
            raise NotPermitted("only the lender's supervisors and administrators refresh delinquency")
        data = _validated(RefreshInput, request.data)
        with transaction.atomic():
            enqueue(delinquency_refresh_task, as_of=data["as_of"].isoformat())
        return Response(RefreshOutput({"queued": True, "as_of": data["as_of"]}).data,
                        status=status.HTTP_202_ACCEPTED)
