from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/compliance/", include("doorstep.compliance.urls")),
    path("api/v1/field/", include("doorstep.field.urls")),
    path("api/v1/training/", include("doorstep.training.urls")),
    path("api/v1/", include("doorstep.portfolio.urls")),
    path("", include("doorstep.web.urls")),
]
