"""Tests: PostgreSQL when DATABASE_URL says so (CI), SQLite otherwise; tasks run inline."""

from config.settings.base import *  # noqa: F403

SECRET_KEY = "test-secret-key"
DEBUG = False
DOORSTEP_FIELD_KEYS = ["dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMzJiISE=", "b2xkLXRlc3Qta2V5LW9sZC10ZXN0LWtleS0zMmIhIT0="]
DOORSTEP_LOOKUP_KEY = "test-lookup-key"
DOORSTEP_TASK_MODE = "eager"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No persistent connections: a live-server or worker thread must not keep the test database open
# when pytest-django drops it at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DOORSTEP_DEMO_PLAN_TIME_LIMIT_S = 1.0
