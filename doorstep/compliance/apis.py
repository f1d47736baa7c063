"""Compliance API: judge and record contacts, scan text, borrower states, consent overrides,
complaints and the daily report. One view per operation, an input and an output serializer each.

Cases and borrowers are reached only through the access selectors; the services enforce who may
write what (NotPermitted becomes 403 in doorstep.common.apis.exception_handler).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from doorstep.accounts.models import User
from doorstep.common.errors import InvalidInput, NotFound, NotPermitted
from doorstep.compliance.core.model import Channel, NumberKind, Party, Place, Purpose, State
from doorstep.compliance.core.text import Audience, text_scan
from doorstep.compliance.models import (
    CHANNEL_CHOICES,
    NUMBER_KIND_CHOICES,
    PARTY_CHOICES,
    PLACE_CHOICES,
    PURPOSE_CHOICES,
    STATE_CHOICES,
    BorrowerState,
    Complaint,
    ContactAttempt,
    InconvenientTime,
    Override,
)
from doorstep.compliance.queries import (
    borrower_states,
    complaint_get_for_user,
    contact_attempt_get_for_user,
    override_get_for_user,
    user_may_act_on_cases,
    user_may_oversee_compliance,
)
from doorstep.compliance.reports import daily_report, daily_report_csv
from doorstep.compliance.services import (
    AttemptRequest,
    borrower_state_clear,
    borrower_state_set,
    complaint_record,
    complaint_resolve,
    contact_attempt_finish,
    contact_attempt_start,
    contact_check,
    inconvenient_time_record,
    override_decide,
    override_request,
)
from doorstep.portfolio.models import Borrower, Case, Contact
from doorstep.portfolio.selectors import borrower_get_for_user, case_get_for_user

AUDIENCES = [audience.value for audience in Audience]


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise InvalidInput("invalid request", details=serializer.errors)
    return dict(serializer.validated_data)


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 moment that must carry its offset: the rules depend on the borrower's local time."""

    def enforce_timezone(self, value: datetime) -> datetime:
        if timezone.is_naive(value):
            raise serializers.ValidationError("give the offset, e.g. 2026-12-01T21:30:00+08:00")
        return super().enforce_timezone(value)


def _require_actor(user: Any) -> None:
    if not user_may_act_on_cases(user):
        raise NotPermitted("your role reads cases but does not act on them")


def _require_oversight(user: Any) -> None:
    if not user_may_oversee_compliance(user):
        raise NotPermitted("for the lender's supervisors, compliance officers and administrators")


# --- decisions -----------------------------------------------------------------------------------

class BlockOutput(serializers.Serializer):  # type: ignore[type-arg]
    rule = serializers.CharField()
    reason = serializers.CharField()
    reason_zh = serializers.CharField()
    temporal = serializers.BooleanField(help_text="waiting alone lifts it (hours, counters, pauses)")


class RequirementOutput(serializers.Serializer):  # type: ignore[type-arg]
    rule = serializers.CharField()
    text = serializers.CharField()
    text_zh = serializers.CharField()


class DecisionOutput(serializers.Serializer):  # type: ignore[type-arg]
    allowed = serializers.BooleanField()
    rules = serializers.ListField(child=serializers.CharField(), help_text="ids of the rules that block")
    reason = serializers.CharField()
    reason_zh = serializers.CharField()
    next_allowed_at = serializers.DateTimeField(allow_null=True, help_text="null: allowed now, or waiting won't help")
    blocks = BlockOutput(many=True)
    requirements = RequirementOutput(many=True)


class ContactInput(serializers.Serializer):  # type: ignore[type-arg]
    case = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES)
    at = AwareDateTimeField(help_text="ISO 8601 with offset")
    party = serializers.ChoiceField(choices=PARTY_CHOICES, default=Party.DEBTOR.value)
    contact = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="the contact's id (default: the first of that role)")
    purpose = serializers.ChoiceField(choices=PURPOSE_CHOICES, required=False, allow_null=True,
                                      default=None, help_text="default: collect from obligors, locate otherwise")
    place = serializers.ChoiceField(choices=PLACE_CHOICES, default=Place.HOME.value)
    number_kind = serializers.ChoiceField(choices=NUMBER_KIND_CHOICES, default=NumberKind.MOBILE.value)
    duration_minutes = serializers.IntegerField(min_value=0, max_value=24 * 60, default=0)
    team_size = serializers.IntegerField(min_value=1, max_value=20, required=False, allow_null=True, default=None)


def _contact_for(borrower: Borrower, party: Party, contact_id: str) -> Contact | None:
    if party is Party.DEBTOR:
        if contact_id:
            raise InvalidInput("a contact cannot be given for the debtor")
        return None
    contacts = Contact.objects.filter(borrower=borrower, role=party.value).order_by("id")
    if contact_id:
        contacts = contacts.filter(external_id=contact_id)
    contact = contacts.first()
    if contact is None:
        raise InvalidInput(f"this borrower has no {party.value}" + (f" with id {contact_id!r}" if contact_id else ""))
    return contact


def attempt_request_for(user: Any, data: dict[str, Any]) -> AttemptRequest:
    case: Case = case_get_for_user(user=user, case_id=data["case"])
    party = Party(data["party"])
    return AttemptRequest(
        borrower=case.borrower, case=case, channel=Channel(data["channel"]), at=data["at"], party=party,
        contact=_contact_for(case.borrower, party, data["contact"]),
        purpose=Purpose(data["purpose"]) if data["purpose"] else None, place=Place(data["place"]),
        number_kind=NumberKind(data["number_kind"]), duration_minutes=data["duration_minutes"],
        team_size=data["team_size"])


class ContactCheckApi(APIView):
    @extend_schema(request=ContactInput, responses=DecisionOutput, operation_id="compliance_check")
    def post(self, request: Request) -> Response:
        """Judge a contact without recording it: allowed or blocked, by which rules, and when it next may happen."""
        attempt_request = attempt_request_for(request.user, _validated(ContactInput, request.data))
        return Response(DecisionOutput(contact_check(request=attempt_request).as_dict()).data)


# --- attempts ------------------------------------------------------------------------------------

class AttemptStartInput(ContactInput):
    idempotency_key = serializers.CharField(required=False, allow_blank=True, default="", max_length=80,
                                            help_text="or the Idempotency-Key header")


class AttemptOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    case = serializers.IntegerField(source="case_id")
    borrower = serializers.CharField(source="borrower.external_id")
    rules = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = ContactAttempt
        fields = ("id", "case", "borrower", "channel", "party", "purpose", "place", "at", "duration_minutes",
                  "team_size", "status", "rules", "reason", "outcome", "connected", "conversation", "note",
                  "completed_at")


class AttemptStartOutput(DecisionOutput):
    attempt = AttemptOutput()
    created = serializers.BooleanField(help_text="false when a retried key returned the first result")


def _recorded_decision(attempt: ContactAttempt) -> dict[str, Any]:
    """The decision as judged when the attempt started; a retry is answered from the record."""
    return dict(attempt.decision)


class AttemptStartApi(APIView):
    @extend_schema(request=AttemptStartInput, parameters=[OpenApiParameter(
        "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
        description="required unless idempotency_key is in the body; a retry with the same key returns the "
                    "first result")],
        responses={201: AttemptStartOutput, 200: AttemptStartOutput}, operation_id="compliance_attempt_start")
    def post(self, request: Request) -> Response:
        """Judge and record a contact attempt. A blocked attempt is recorded too, with its rules."""
        _require_actor(request.user)
        data = _validated(AttemptStartInput, request.data)
        key = (request.headers.get("Idempotency-Key") or data["idempotency_key"]).strip()
        if not key:
            raise InvalidInput("send an Idempotency-Key header (or idempotency_key) so a retry is not recorded twice")
        attempt_request = attempt_request_for(request.user, data)
        attempt, created = contact_attempt_start(request=attempt_request, by=request.user, idempotency_key=key)
        body = {**_recorded_decision(attempt), "attempt": attempt, "created": created}
        return Response(AttemptStartOutput(body).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class AttemptFinishInput(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.ChoiceField(choices=ContactAttempt.Outcome.choices)
    conversation = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class AttemptFinishApi(APIView):
    @extend_schema(request=AttemptFinishInput, responses=AttemptOutput, operation_id="compliance_attempt_finish")
    def post(self, request: Request, attempt_id: int) -> Response:
        """Record how an attempt ended; a note that breaks the conduct rules is refused with its findings."""
        attempt = contact_attempt_get_for_user(user=request.user, attempt_id=attempt_id)
        data = _validated(AttemptFinishInput, request.data)
        attempt = contact_attempt_finish(attempt=attempt, outcome=data["outcome"], by=request.user,
                                         conversation=data["conversation"], note=data["note"])
        return Response(AttemptOutput(attempt).data)


# --- text ------------------------------------------------------------------------------------------

class TextCheckInput(serializers.Serializer):  # type: ignore[type-arg]
    text = serializers.CharField(max_length=20000, allow_blank=True)
    jurisdictions = serializers.ListField(child=serializers.CharField(max_length=8), default=["CN"],
                                          min_length=1, max_length=5)
    audience = serializers.ChoiceField(choices=AUDIENCES, default="obligor",
                                       help_text="third_party: locate-only rules apply")
    time_barred = serializers.BooleanField(default=False)


class FindingOutput(serializers.Serializer):  # type: ignore[type-arg]
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    category = serializers.CharField()
    rules = serializers.ListField(child=serializers.CharField())
    excerpt = serializers.CharField()


class TextCheckOutput(serializers.Serializer):  # type: ignore[type-arg]
    allowed = serializers.BooleanField(help_text="true when nothing was found")
    findings = FindingOutput(many=True)


def text_findings(*, text: str, jurisdictions: tuple[str, ...], audience: str,
                  time_barred: bool) -> list[dict[str, Any]]:
    findings = text_scan(text, jurisdictions=jurisdictions, audience=Audience(audience), time_barred=time_barred)
    return [{"start": finding.start, "end": finding.end, "category": finding.category.value,
             "rules": list(finding.rule_ids), "excerpt": finding.excerpt} for finding in findings]


class TextCheckApi(APIView):
    @extend_schema(request=TextCheckInput, responses=TextCheckOutput, operation_id="compliance_text_check")
    def post(self, request: Request) -> Response:
        """Scan a script, message or note for impersonation, threats, disclosure and other conduct breaches."""
        data = _validated(TextCheckInput, request.data)
        findings = text_findings(text=data["text"], jurisdictions=tuple(data["jurisdictions"]),
                                 audience=data["audience"], time_barred=data["time_barred"])
        return Response(TextCheckOutput({"allowed": not findings, "findings": findings}).data)


# --- borrower states -------------------------------------------------------------------------------

class BorrowerStateOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    borrower = serializers.CharField(source="borrower.external_id")
    set_by = serializers.CharField(source="set_by.username", default=None)
    cleared_by = serializers.CharField(source="cleared_by.username", default=None)

    class Meta:
        model = BorrowerState
        fields = ("id", "borrower", "state", "reason", "evidence", "set_by", "set_at", "cleared_by", "cleared_at",
                  "clear_reason")


class BorrowerStatesOutput(serializers.Serializer):  # type: ignore[type-arg]
    active = BorrowerStateOutput(many=True)
    history = BorrowerStateOutput(many=True, help_text="cleared states, newest first")


class BorrowerStateSetInput(serializers.Serializer):  # type: ignore[type-arg]
    state = serializers.ChoiceField(choices=STATE_CHOICES)
    reason = serializers.CharField(max_length=500)
    evidence = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BorrowerStatesApi(APIView):
    @extend_schema(responses=BorrowerStatesOutput, operation_id="compliance_borrower_states")
    def get(self, request: Request, external_id: str) -> Response:
        """A borrower's active states (dispute, attorney, breathing space...) and their history."""
        borrower = borrower_get_for_user(user=request.user, external_id=external_id)
        states = borrower_states(borrower=borrower)
        return Response(BorrowerStatesOutput({"active": states.active, "history": states.history}).data)

    @extend_schema(request=BorrowerStateSetInput, responses={201: BorrowerStateOutput},
                   operation_id="compliance_borrower_state_set")
    def post(self, request: Request, external_id: str) -> Response:
        """Set a state with legal effect; setting one already active returns it."""
        borrower = borrower_get_for_user(user=request.user, external_id=external_id)
        data = _validated(BorrowerStateSetInput, request.data)
        record = borrower_state_set(borrower=borrower, state=State(data["state"]), reason=data["reason"],
                                    by=request.user, evidence=data["evidence"])
        return Response(BorrowerStateOutput(record).data, status=status.HTTP_201_CREATED)


class InconvenientTimeInput(serializers.Serializer):  # type: ignore[type-arg]
    start_minute = serializers.IntegerField(min_value=0, max_value=24 * 60, help_text="minutes after midnight, local")
    end_minute = serializers.IntegerField(min_value=0, max_value=24 * 60,
                                          help_text="may be earlier than the start: the span crosses midnight")
    weekdays = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6), required=False,
                                     default=list, help_text="0 = Monday; empty means every day")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class InconvenientTimeOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    borrower = serializers.CharField(source="borrower.external_id")
    weekdays = serializers.ListField(child=serializers.IntegerField())

    class Meta:
        model = InconvenientTime
        fields = ("id", "borrower", "start_minute", "end_minute", "weekdays", "note", "recorded_at")


class InconvenientTimeApi(APIView):
    @extend_schema(request=InconvenientTimeInput, responses={201: InconvenientTimeOutput},
                   operation_id="compliance_inconvenient_time_record")
    def post(self, request: Request, external_id: str) -> Response:
        """Record a time the borrower said is inconvenient; calls, texts and visits then avoid it
        (US-HOURS, UK-TIMES)."""
        borrower = borrower_get_for_user(user=request.user, external_id=external_id)
        data = _validated(InconvenientTimeInput, request.data)
        record = inconvenient_time_record(borrower=borrower, start_minute=data["start_minute"],
                                          end_minute=data["end_minute"], weekdays=data["weekdays"], note=data["note"],
                                          by=request.user)
        return Response(InconvenientTimeOutput(record).data, status=status.HTTP_201_CREATED)


class BorrowerStateClearInput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=500)


class BorrowerStateClearApi(APIView):
    @extend_schema(request=BorrowerStateClearInput, responses=BorrowerStateOutput,
                   operation_id="compliance_borrower_state_clear")
    def post(self, request: Request, external_id: str, state: str) -> Response:
        borrower = borrower_get_for_user(user=request.user, external_id=external_id)
        if state not in State._value2member_map_:
            raise NotFound(f"no borrower state {state!r}")
        data = _validated(BorrowerStateClearInput, request.data)
        record = borrower_state_clear(borrower=borrower, state=State(state), reason=data["reason"], by=request.user)
        return Response(BorrowerStateOutput(record).data)


# --- overrides -------------------------------------------------------------------------------------

class OverrideRequestInput(serializers.Serializer):  # type: ignore[type-arg]
    borrower = serializers.CharField(max_length=64, help_text="the borrower's id")
    rule = serializers.CharField(max_length=24, help_text="a rule that allows consent, e.g. CN-HOURS")
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    evidence = serializers.CharField(max_length=500, help_text="what the debtor agreed to, when and how")
    recording_reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class OverrideOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    borrower = serializers.CharField(source="borrower.external_id")
    rule = serializers.CharField(source="rule_id")
    requested_by = serializers.CharField(source="requested_by.username")
    decided_by = serializers.CharField(source="decided_by.username", default=None)

    class Meta:
        model = Override
        fields = ("id", "borrower", "case", "rule", "starts_at", "ends_at", "evidence", "recording_reference",
                  "status", "requested_by", "requested_at", "decided_by", "decided_at", "decision_note")


class OverrideRequestApi(APIView):
    @extend_schema(request=OverrideRequestInput, responses={201: OverrideOutput},
                   operation_id="compliance_override_request")
    def post(self, request: Request) -> Response:
        """Ask for a consent override; it takes effect when a second person approves it."""
        _require_actor(request.user)
        data = _validated(OverrideRequestInput, request.data)
        borrower = borrower_get_for_user(user=request.user, external_id=data["borrower"])
        case = borrower.cases.filter(status=Case.Status.OPEN).first()
        override = override_request(borrower=borrower, rule_id=data["rule"], starts_at=data["starts_at"],
                                    ends_at=data["ends_at"], evidence=data["evidence"], by=request.user,
                                    recording_reference=data["recording_reference"], case=case)
        return Response(OverrideOutput(override).data, status=status.HTTP_201_CREATED)


class OverrideDecideInput(serializers.Serializer):  # type: ignore[type-arg]
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class OverrideDecideApi(APIView):
    @extend_schema(request=OverrideDecideInput, responses=OverrideOutput, operation_id="compliance_override_decide")
    def post(self, request: Request, override_id: int) -> Response:
        """Approve or reject a pending override; never by the person who asked for it."""
        override = override_get_for_user(user=request.user, override_id=override_id)
        data = _validated(OverrideDecideInput, request.data)
        override = override_decide(override=override, approve=data["approve"], by=request.user, note=data["note"])
        return Response(OverrideOutput(override).data)


# --- complaints ------------------------------------------------------------------------------------

class ComplaintInput(serializers.Serializer):  # type: ignore[type-arg]
    case = serializers.IntegerField()
    summary = serializers.CharField(max_length=5000)
    received_at = AwareDateTimeField()
    received_via = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    contact_attempt = serializers.IntegerField(required=False, allow_null=True, default=None)
    collector = serializers.CharField(required=False, allow_blank=True, default="", help_text="username")


class ComplaintOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    borrower = serializers.CharField(source="borrower.external_id")
    collector = serializers.CharField(source="collector.username", default=None)
    sla_breached = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = ("id", "case", "borrower", "contact_attempt", "collector", "received_at", "received_via", "summary",
                  "visits_paused_until", "answer_due_at", "status", "outcome", "outcome_note", "resolved_at",
                  "sla_breached")

    def get_sla_breached(self, complaint: Complaint) -> bool:
        return complaint.status == Complaint.Status.OPEN and complaint.answer_due_at < timezone.now()


class ComplaintRecordApi(APIView):
    @extend_schema(request=ComplaintInput, responses={201: ComplaintOutput}, operation_id="compliance_complaint_record")
    def post(self, request: Request) -> Response:
        """Record a complaint: field visits to the borrower pause, and an answer falls due."""
        _require_oversight(request.user)
        data = _validated(ComplaintInput, request.data)
        case = case_get_for_user(user=request.user, case_id=data["case"])
        attempt = None
        if data["contact_attempt"] is not None:
            attempt = contact_attempt_get_for_user(user=request.user, attempt_id=data["contact_attempt"])
        collector = None
        if data["collector"]:
            collector = User.objects.filter(username=data["collector"]).first()
            if collector is None:
                raise InvalidInput(f"no user {data['collector']!r}")
        complaint = complaint_record(case=case, summary=data["summary"], received_at=data["received_at"],
                                     by=request.user, received_via=data["received_via"], contact_attempt=attempt,
                                     collector=collector)
        return Response(ComplaintOutput(complaint).data, status=status.HTTP_201_CREATED)


class ComplaintResolveInput(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.ChoiceField(choices=Complaint.Outcome.choices)
    note = serializers.CharField(max_length=5000)


class ComplaintResolveApi(APIView):
    @extend_schema(request=ComplaintResolveInput, responses=ComplaintOutput,
                   operation_id="compliance_complaint_resolve")
    def post(self, request: Request, complaint_id: int) -> Response:
        complaint = complaint_get_for_user(user=request.user, complaint_id=complaint_id)
        data = _validated(ComplaintResolveInput, request.data)
        complaint = complaint_resolve(complaint=complaint, outcome=data["outcome"], note=data["note"], by=request.user)
        return Response(ComplaintOutput(complaint).data)


# --- report ----------------------------------------------------------------------------------------

class ChannelCountsOutput(serializers.Serializer):  # type: ignore[type-arg]
    channel = serializers.CharField()
    allowed = serializers.IntegerField()
    pending = serializers.IntegerField()
    completed = serializers.IntegerField()
    blocked = serializers.IntegerField()


class RuleCountOutput(serializers.Serializer):  # type: ignore[type-arg]
    rule_id = serializers.CharField()
    count = serializers.IntegerField()


class AgencyCountsOutput(serializers.Serializer):  # type: ignore[type-arg]
    agency = serializers.CharField(help_text='agency code; "" for the lender\'s own staff')
    allowed = serializers.IntegerField()
    blocked = serializers.IntegerField()


class OverrideCountsOutput(serializers.Serializer):  # type: ignore[type-arg]
    requested = serializers.IntegerField()
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()
    in_force = serializers.IntegerField()


class StateCountsOutput(serializers.Serializer):  # type: ignore[type-arg]
    state = serializers.CharField()
    set = serializers.IntegerField()
    cleared = serializers.IntegerField()
    active = serializers.IntegerField()


class ComplaintCountsOutput(serializers.Serializer):  # type: ignore[type-arg]
    received = serializers.IntegerField()
    resolved = serializers.IntegerField()
    open = serializers.IntegerField()
    sla_breached = serializers.IntegerField()
    visits_paused = serializers.IntegerField()


class AuditStatusOutput(serializers.Serializer):  # type: ignore[type-arg]
    intact = serializers.BooleanField()
    entries = serializers.IntegerField()
    broken_sequence = serializers.IntegerField(allow_null=True)
    problem = serializers.CharField(allow_blank=True)


class DailyReportOutput(serializers.Serializer):  # type: ignore[type-arg]
    day = serializers.DateField()
    timezone = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    as_of = serializers.DateTimeField()
    attempts_total = serializers.IntegerField()
    blocked_total = serializers.IntegerField()
    attempts_by_channel = ChannelCountsOutput(many=True)
    blocked_by_rule = RuleCountOutput(many=True)
    attempts_by_agency = AgencyCountsOutput(many=True)
    overrides = OverrideCountsOutput()
    states = StateCountsOutput(many=True)
    complaints = ComplaintCountsOutput()
    audit = AuditStatusOutput()


def _report_day(request: Request) -> date:
    raw = request.query_params.get("date", "")
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise InvalidInput("date is not a date (YYYY-MM-DD)") from error


REPORT_PARAMETERS = [OpenApiParameter("date", date, required=False, description="local day; default today")]


class ReportApi(APIView):
    @extend_schema(parameters=REPORT_PARAMETERS, responses=DailyReportOutput, operation_id="compliance_report")
    def get(self, request: Request) -> Response:
        """The daily compliance report (Asia/Shanghai day)."""
        _require_oversight(request.user)
        report = daily_report(day=_report_day(request))
        body = asdict(report)
        body["attempts_total"], body["blocked_total"] = report.attempts_total, report.blocked_total
        body["attempts_by_channel"] = [{**asdict(row), "allowed": row.allowed} for row in report.attempts_by_channel]
        return Response(DailyReportOutput(body).data)


class ReportCsvApi(APIView):
    @extend_schema(parameters=REPORT_PARAMETERS, responses={(200, "text/csv"): OpenApiTypes.STR},
                   operation_id="compliance_report_csv")
    def get(self, request: Request) -> HttpResponse:
        """The daily report as CSV rows (section, key, measure, value)."""
        _require_oversight(request.user)
        day = _report_day(request)
        response = HttpResponse(daily_report_csv(daily_report(day=day)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="compliance-{day.isoformat()}.csv"'
        return response
