from django.contrib.auth import views as auth_views
from django.urls import path

from doorstep.web import board_views, compliance_views, planning_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("overview/", views.overview, name="overview"),
    path("overview/roll-rates/", views.roll_rate_table, name="roll-rates"),
    path("overview/refresh/", views.refresh, name="refresh"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("borrowers/<str:external_id>/", views.borrower, name="borrower"),
    path("borrowers/<str:external_id>/reveal/", views.reveal, name="reveal"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:job_id>/", views.import_detail, name="import"),
    path("imports/<int:job_id>/progress/", views.import_progress_fragment, name="import-progress"),
    path("compliance/", compliance_views.overview, name="compliance"),
    path("compliance/overrides/<int:override_id>/decide/", compliance_views.override_decision,
         name="compliance-override-decide"),
    path("compliance/states/<int:state_id>/clear/", compliance_views.state_clear, name="compliance-state-clear"),
    path("compliance/complaints/<int:complaint_id>/resolve/", compliance_views.complaint_resolution,
         name="compliance-complaint-resolve"),
    path("compliance/report/", compliance_views.report, name="compliance-report"),
    path("compliance/report.csv", compliance_views.report_csv, name="compliance-report-csv"),
    path("compliance/borrowers/<str:external_id>/check/", compliance_views.check, name="compliance-check"),
    path("plans/", planning_views.plans, name="plans"),
    path("plans/<int:plan_id>/", planning_views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/status/", planning_views.plan_status, name="plan-status"),
    path("plans/<int:plan_id>/revise/", planning_views.plan_revision, name="plan-revise"),
    path("plans/<int:plan_id>/publish/", planning_views.plan_publication, name="plan-publish"),
    path("plans/<int:plan_id>/teams/<str:team_code>/sheet/", planning_views.route_sheet, name="plan-sheet"),
    path("field/board/", board_views.board, name="field-board"),
    path("field/board/live/", board_views.board_live, name="field-board-live"),
    path("field/board/alerts/<int:alert_id>/<str:action>/", board_views.alert_action, name="field-board-alert"),
    path("field/board/plans/<int:plan_id>/decide/", board_views.plan_decision, name="field-board-plan"),
    path("field/board/checks/<int:check_id>/review/", board_views.check_decision, name="field-board-check"),
    path("field/board/cash/<int:receipt_id>/deposit/", board_views.cash_deposit, name="field-board-cash"),
]
