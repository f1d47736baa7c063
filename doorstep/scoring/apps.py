from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "doorstep.scoring"
    label = "scoring"
    verbose_name = "Scoring"
