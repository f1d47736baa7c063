from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "doorstep.field"
    label = "field"
    verbose_name = "Field visits"
