from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "doorstep.training"
    label = "training"
    verbose_name = "Training"
