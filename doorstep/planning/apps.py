from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "doorstep.planning"
    label = "planning"
    verbose_name = "Planning"
