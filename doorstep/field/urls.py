from django.urls import path

from doorstep.field import apis

app_name = "field-api"
urlpatterns = [
    path("today/", apis.TodayApi.as_view(), name="today"),
    path("operations/", apis.OperationApi.as_view(), name="operation"),
    path("sync/", apis.SyncApi.as_view(), name="sync"),
    path("plans/<int:plan_id>/", apis.PlanApi.as_view(), name="plan"),
    path("plans/<int:plan_id>/decide/", apis.PlanDecisionApi.as_view(), name="plan-decide"),
    path("plans/<int:plan_id>/agreement.pdf", apis.AgreementApi.as_view(), name="plan-agreement"),
    path("promises/<int:promise_id>/", apis.PromiseApi.as_view(), name="promise"),
    path("board/", apis.BoardApi.as_view(), name="board"),
    path("alerts/<int:alert_id>/acknowledge/", apis.AlertActionApi.as_view(action="acknowledge"),
         name="alert-acknowledge"),
    path("alerts/<int:alert_id>/escalate/", apis.AlertActionApi.as_view(action="escalate"), name="alert-escalate"),
    path("alerts/<int:alert_id>/resolve/", apis.AlertActionApi.as_view(action="resolve"), name="alert-resolve"),
    path("checks/<int:check_id>/review/", apis.CheckReviewApi.as_view(), name="check-review"),
    path("cash/<int:receipt_id>/deposit/", apis.CashDepositApi.as_view(), name="cash-deposit"),
]
