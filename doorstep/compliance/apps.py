from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "doorstep.compliance"
    label = "compliance"
    verbose_name = "Compliance"
