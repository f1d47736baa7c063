"""The training API under /api/v1/training/."""

from django.urls import path

from doorstep.training import apis

app_name = "training-api"
urlpatterns = [
    path("courses/", apis.CourseListApi.as_view(), name="courses"),
    path("courses/<slug:code>/", apis.CourseApi.as_view(), name="course"),
    path("courses/<slug:code>/attempts/", apis.AttemptStartApi.as_view(), name="attempt-start"),
    path("attempts/<int:attempt_id>/", apis.AttemptApi.as_view(), name="attempt"),
    path("attempts/<int:attempt_id>/submit/", apis.AttemptSubmitApi.as_view(), name="attempt-submit"),
    path("certificates/me/", apis.MyCertificatesApi.as_view(), name="my-certificates"),
    path("certificates/<int:certificate_id>/revoke/", apis.CertificateRevokeApi.as_view(), name="certificate-revoke"),
    path("standing/", apis.StandingApi.as_view(), name="standing"),
    path("notices/", apis.NoticeListApi.as_view(), name="notices"),
    path("notices/<int:notice_id>/read/", apis.NoticeReadApi.as_view(), name="notice-read"),
    path("cases/", apis.CaseListApi.as_view(), name="cases"),
    path("cases/from-visit/<int:visit_id>/", apis.CaseFromVisitApi.as_view(), name="case-from-visit"),
    path("cases/<int:case_id>/", apis.CaseApi.as_view(), name="case"),
    path("cases/<int:case_id>/publish/", apis.CasePublishApi.as_view(), name="case-publish"),
]
