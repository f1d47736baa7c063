from django.urls import path

from doorstep.portfolio import apis

app_name = "portfolio-api"
urlpatterns = [
    path("imports/", apis.ImportCreateApi.as_view(), name="import-create"),
    path("imports/<int:job_id>/", apis.ImportDetailApi.as_view(), name="import-detail"),
    path("imports/<int:job_id>/issues/", apis.ImportIssuesApi.as_view(), name="import-issues"),
    path("cases/", apis.CaseListApi.as_view(), name="case-list"),
    path("cases/<int:case_id>/", apis.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<int:case_id>/assign/", apis.CaseAssignApi.as_view(), name="case-assign"),
    path("borrowers/<str:external_id>/", apis.BorrowerDetailApi.as_view(), name="borrower-detail"),
    path("borrowers/<str:external_id>/reveal/", apis.BorrowerRevealApi.as_view(), name="borrower-reveal"),
    path("portfolio/overview/", apis.OverviewApi.as_view(), name="overview"),
    path("portfolio/roll-rates/", apis.RollRatesApi.as_view(), name="roll-rates"),
    path("delinquency/refresh/", apis.RefreshApi.as_view(), name="refresh"),
]
