from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "doorstep.common"
    label = "common"
    verbose_name = "Common"
