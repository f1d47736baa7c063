"""Trainers' course editing and the training analytics page (under /training/)."""

from django.urls import path

from doorstep.web import training_manage_views as views

urlpatterns = [
    path("manage/", views.manage, name="training-manage"),
    path("manage/new/", views.course_new, name="training-manage-course-new"),
    path("manage/preview/", views.lesson_preview, name="training-manage-preview"),
    path("manage/<slug:code>/", views.course_edit, name="training-manage-course"),
    path("manage/<slug:code>/lessons/new/", views.lesson_edit, name="training-manage-lesson-new"),
    path("manage/<slug:code>/lessons/<int:lesson_id>/", views.lesson_edit, name="training-manage-lesson"),
    path("manage/<slug:code>/questions/new/", views.question_edit, name="training-manage-question-new"),
    path("manage/<slug:code>/questions/<int:question_id>/", views.question_edit, name="training-manage-question"),
    path("manage/<slug:code>/questions/<int:question_id>/active/", views.question_active,
         name="training-manage-question-active"),
    path("analytics/", views.analytics, name="training-analytics"),
]
