from django.urls import path

from doorstep.compliance import apis

app_name = "compliance-api"
urlpatterns = [
    path("check/", apis.ContactCheckApi.as_view(), name="check"),
    path("attempts/", apis.AttemptStartApi.as_view(), name="attempt-start"),
    path("attempts/<int:attempt_id>/finish/", apis.AttemptFinishApi.as_view(), name="attempt-finish"),
    path("text-check/", apis.TextCheckApi.as_view(), name="text-check"),
    path("borrowers/<str:external_id>/states/", apis.BorrowerStatesApi.as_view(), name="borrower-states"),
    path("borrowers/<str:external_id>/states/<str:state>/clear/", apis.BorrowerStateClearApi.as_view(),
         name="borrower-state-clear"),
    path("borrowers/<str:external_id>/inconvenient-times/", apis.InconvenientTimeApi.as_view(),
         name="inconvenient-time-record"),
    path("overrides/", apis.OverrideRequestApi.as_view(), name="override-request"),
    path("overrides/<int:override_id>/decide/", apis.OverrideDecideApi.as_view(), name="override-decide"),
    path("complaints/", apis.ComplaintRecordApi.as_view(), name="complaint-record"),
    path("complaints/<int:complaint_id>/resolve/", apis.ComplaintResolveApi.as_view(), name="complaint-resolve"),
    path("report/", apis.ReportApi.as_view(), name="report"),
    path("report.csv", apis.ReportCsvApi.as_view(), name="report-csv"),
]
