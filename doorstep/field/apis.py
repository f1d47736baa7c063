"""Field API: the collector's day, the operation sync (docs/field-app.md), agreements as PDF, and the
supervisor's board and actions. One view per operation; the services decide who may write what."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from doorstep.common.errors import InvalidInput, NotFound, NotPermitted
from doorstep.field.documents import AgreementData, agreement_pdf
from doorstep.field.models import CashReceipt, CheckEvent, Promise, RepaymentPlan
from doorstep.field.selectors import (
    field_board,
    field_today,
    promise_outcome,
    repayment_plan_get_for_user,
    safety_alert_get,
    user_may_see_board,
    user_may_use_field_app,
    visits_for_user,
)
from doorstep.field.services import (
    OPERATION_KINDS,
    cash_deposit_confirm,
    check_review,
    field_overdue_scan,
    operation_apply,
    operations_sync,
    repayment_plan_decide,
    safety_alert_acknowledge,
    safety_alert_escalate,
    safety_alert_resolve,
)


def _day(request: Request) -> date | None:
    raw = request.query_params.get("day")
    if not raw:
        return None
    parsed = parse_date(raw)
    if parsed is None:
        raise InvalidInput("day must be YYYY-MM-DD")
    return parsed


class OperationIn(serializers.Serializer[Any]):
    id = serializers.CharField(help_text="client-generated id, 8-64 characters [A-Za-z0-9_-]")
    kind = serializers.ChoiceField(choices=list(OPERATION_KINDS))
    at = serializers.DateTimeField(help_text="device time of the action, with an offset")
    data = serializers.DictField()  # type: ignore[assignment]  # the operation's field is named data


class OperationOut(serializers.Serializer[Any]):
    id = serializers.CharField()
    status = serializers.ChoiceField(choices=["applied", "replayed", "conflict", "rejected", "forbidden"])
    code = serializers.CharField(required=False)
    message = serializers.CharField(required=False)
    rules = serializers.ListField(child=serializers.CharField(), required=False)
    result = serializers.DictField(required=False)


class SyncIn(serializers.Serializer[Any]):
    operations = OperationIn(many=True)


class SyncOut(serializers.Serializer[Any]):
    results = OperationOut(many=True)
    server_time = serializers.DateTimeField()


def _collector(request: Request) -> None:
    if not user_may_use_field_app(request.user):
        raise NotPermitted("the field app is for collectors")


class TodayApi(APIView):
    @extend_schema(operation_id="field_today", responses={200: OpenApiTypes.OBJECT},
                   parameters=[OpenApiParameter("day", OpenApiTypes.DATE, required=False)])
    def get(self, request: Request) -> Response:
        _collector(request)
        return Response(field_today(user=request.user, day=_day(request)))


class OperationApi(APIView):
    @extend_schema(operation_id="field_operation", request=OperationIn,
                   responses={201: OperationOut, 200: OperationOut})
    def post(self, request: Request) -> Response:
        # The raw body goes to the service unchanged: it validates and fingerprints the operation
        # itself, so what is replayed is exactly what the phone sent.
        outcome = operation_apply(user=request.user, operation=request.data)
        return Response(outcome.body, status=outcome.http_status)


class SyncApi(APIView):
    @extend_schema(operation_id="field_sync", request=SyncIn, responses={200: SyncOut})
    def post(self, request: Request) -> Response:
        _collector(request)
        body = request.data if isinstance(request.data, dict) else {}
        outcomes = operations_sync(user=request.user, operations=body.get("operations"))
        return Response({"results": [outcome.body for outcome in outcomes], "server_time": timezone.now()})


class PlanOut(serializers.ModelSerializer[RepaymentPlan]):
    class Meta:
        model = RepaymentPlan
        fields = ["id", "number", "case", "visit", "currency", "total", "down_payment", "count", "interval",
                  "first_due_on", "schedule", "monthly_burden", "surplus", "affordable", "needs_approval", "status",
                  "decision_note", "signer_name", "signature_sha256", "signed_at"]


class PlanApi(APIView):
    @extend_schema(operation_id="field_plan", responses={200: PlanOut})
    def get(self, request: Request, plan_id: int) -> Response:
        return Response(PlanOut(repayment_plan_get_for_user(user=request.user, plan_id=plan_id)).data)


class DecisionIn(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PlanDecisionApi(APIView):
    @extend_schema(operation_id="field_plan_decide", request=DecisionIn, responses={200: PlanOut})
    def post(self, request: Request, plan_id: int) -> Response:
        payload = DecisionIn(data=request.data)
        payload.is_valid(raise_exception=True)
        plan = repayment_plan_get_for_user(user=request.user, plan_id=plan_id)
        plan = repayment_plan_decide(plan=plan, approve=payload.validated_data["approve"], by=request.user,
                                     note=payload.validated_data["note"])
        return Response(PlanOut(plan).data)


def agreement_for(plan: RepaymentPlan, language: str) -> AgreementData:
    visit = plan.visit
    collectors: tuple[str, ...] = ()
    if visit is not None:
        collectors = tuple(sorted({check.collector.get_full_name() or check.collector.username
                                   for check in visit.checks.select_related("collector")}))
    borrower = plan.case.borrower
    loans = tuple(borrower.loans.order_by("external_id").values_list("external_id", flat=True))
    from decimal import Decimal

    return AgreementData(
        language=language, agreement_number=plan.number, lender_name=settings.DOORSTEP_FIELD_LENDER_NAME,
        borrower_name=plan.signer_name or borrower.name, borrower_reference=borrower.external_id,
        loan_references=loans, currency=plan.currency, total=plan.total, down_payment=plan.down_payment,
        schedule=tuple((int(item["seq"]), date.fromisoformat(item["due_on"]), Decimal(item["amount"]))
                       for item in plan.schedule),
        payment_channel=f"{settings.DOORSTEP_PAYMENT_LINK_BASE} (reference {plan.number})",
        collectors=collectors, signed_at=plan.signed_at, signer_name=plan.signer_name,
        signature_png=bytes(plan.signature_png) if plan.signature_png else None,
        signature_sha256=plan.signature_sha256,
        generated_note="Generated demo data" if borrower.external_id.startswith("DEMO") else "")


class AgreementApi(APIView):
    @extend_schema(operation_id="field_plan_agreement", responses={(200, "application/pdf"): OpenApiTypes.BINARY},
                   parameters=[OpenApiParameter("lang", OpenApiTypes.STR, enum=["zh-hans", "en"], required=False)])
    def get(self, request: Request, plan_id: int) -> HttpResponse:
        plan = repayment_plan_get_for_user(user=request.user, plan_id=plan_id)
        language = request.query_params.get("lang") or plan.language or "zh-hans"
        if language not in ("zh-hans", "en"):
            raise InvalidInput("lang must be zh-hans or en")
        response = HttpResponse(agreement_pdf(agreement_for(plan, language)), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{plan.number}-{language}.pdf"'
        return response


class PromiseOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    due_on = serializers.DateField()
    status = serializers.CharField()
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    shortfall = serializers.DecimalField(max_digits=14, decimal_places=2)


class PromiseApi(APIView):
    @extend_schema(operation_id="field_promise", responses={200: PromiseOut})
    def get(self, request: Request, promise_id: int) -> Response:
        promise = Promise.objects.filter(pk=promise_id, visit__in=visits_for_user(user=request.user)).select_related(
            "case").first()
        if promise is None:
            raise NotFound(f"no promise {promise_id}")
        outcome = promise_outcome(promise=promise, today=timezone.localdate())
        return Response(PromiseOut({"id": promise.pk, "amount": promise.amount, "due_on": promise.due_on,
                                    "status": outcome.status.value, "paid": outcome.paid,
                                    "shortfall": outcome.shortfall}).data)


def _board_user(request: Request) -> None:
    if not user_may_see_board(request.user):
        raise NotPermitted("the live board is for the lender's supervisors")


class BoardApi(APIView):
    @extend_schema(operation_id="field_board", responses={200: OpenApiTypes.OBJECT},
                   parameters=[OpenApiParameter("day", OpenApiTypes.DATE, required=False)])
    def get(self, request: Request) -> Response:
        _board_user(request)
        field_overdue_scan()
        board = field_board(day=_day(request) or timezone.localdate())
        return Response({
            "day": board.day, "totals": {key: str(value) for key, value in board.totals.items()},
            "teams": [{"team": row.team.code, "stops": row.stops, "closed": row.closed, "in_progress": row.in_progress,
                       "position": None if row.position is None else {
                           "lat": row.position.lat, "lon": row.position.lon, "at": row.position.device_at}}
                      for row in board.teams],
            "visits": [{"visit": row.visit.pk, "team": row.visit.team.code, "case": row.visit.case_id,
                        "status": row.visit.status, "minutes": row.minutes, "overdue": row.overdue}
                       for row in board.visits],
            "alerts": [{"id": alert.pk, "kind": alert.kind, "status": alert.status,
                        "team": alert.team.code if alert.team else None, "lat": alert.lat, "lon": alert.lon,
                        "raised_at": alert.raised_at,
                        "raised_by": alert.raised_by.username if alert.raised_by else None}
                       for alert in board.alerts]})


class NoteIn(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AlertActionApi(APIView):
    action = ""

    @extend_schema(request=NoteIn, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, alert_id: int) -> Response:
        _board_user(request)
        payload = NoteIn(data=request.data)
        payload.is_valid(raise_exception=True)
        alert = safety_alert_get(alert_id=alert_id)
        note = payload.validated_data["note"]
        if self.action == "acknowledge":
            alert = safety_alert_acknowledge(alert=alert, by=request.user, note=note)
        elif self.action == "escalate":
            alert = safety_alert_escalate(alert=alert, by=request.user, note=note)
        else:
            alert = safety_alert_resolve(alert=alert, by=request.user, note=note)
        return Response({"id": alert.pk, "status": alert.status, "note": alert.note})


class ReviewIn(serializers.Serializer[Any]):
    accept = serializers.BooleanField()


class CheckReviewApi(APIView):
    @extend_schema(operation_id="field_check_review", request=ReviewIn, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, check_id: int) -> Response:
        _board_user(request)
        payload = ReviewIn(data=request.data)
        payload.is_valid(raise_exception=True)
        check = CheckEvent.objects.filter(pk=check_id).first()
        if check is None:
            raise NotFound(f"no check-in {check_id}")
        check = check_review(check=check, accept=payload.validated_data["accept"], by=request.user)
        return Response({"id": check.pk, "review": check.review})


class CashDepositApi(APIView):
    @extend_schema(operation_id="field_cash_deposit", request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, receipt_id: int) -> Response:
        _board_user(request)
        receipt = CashReceipt.objects.filter(pk=receipt_id).first()
        if receipt is None:
            raise NotFound(f"no receipt {receipt_id}")
        receipt = cash_deposit_confirm(receipt=receipt, by=request.user)
        return Response({"id": receipt.pk, "deposit_confirmed_at": receipt.deposit_confirmed_at})
