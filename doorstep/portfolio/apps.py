from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "doorstep.portfolio"
    label = "portfolio"
    verbose_name = "Portfolio"
