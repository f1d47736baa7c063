"""Celery application. Redis is the broker in production and CI; the demo runs without a broker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("doorstep")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
