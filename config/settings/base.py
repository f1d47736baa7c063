"""Settings shared by every environment; everything that differs comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("DOORSTEP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "doorstep.common",
    "doorstep.accounts",
    "doorstep.portfolio",
    "doorstep.compliance",
    "doorstep.planning",
    "doorstep.field",
    "doorstep.training",
    "doorstep.scoring",
    "doorstep.demo",
    "doorstep.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "doorstep.web.context.console",
            ],
        },
    }
]

DATABASES: dict[str, dict[str, Any]] = {
    "default": dict(
        dj_database_url.parse(
            os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'doorstep.sqlite3'}"),
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        )
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ folder; SQLite creates the file but not its folder.
    Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the console read while an import or refresh is writing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:overview"
LOGOUT_REDIRECT_URL = "web:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "doorstep" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries come from npm through package-lock.json; only their dist folders are served.
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "doorstep"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "doorstep.common.apis.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Doorstep API",
    "DESCRIPTION": "Portfolio intake, delinquency and case access for lawful field collection.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Two models have an "outcome" with different choices; name their enums apart.
    "ENUM_NAME_OVERRIDES": {
        "ContactOutcomeEnum": "doorstep.compliance.models.ContactAttempt.Outcome",
        "ComplaintOutcomeEnum": "doorstep.compliance.models.Complaint.Outcome",
    },
}

# Background work. "celery" sends to the broker; "thread" runs tasks in a worker thread of the
# web process (the broker-free demo); "eager" runs them inline (tests).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
# Periodic work (run `celery -A config beat` beside the workers). The live board also runs the
# overdue scan on every refresh, so the demo without a broker still raises overdue alerts.
CELERY_BEAT_SCHEDULE = {
    "field-overdue-scan": {"task": "field.overdue_scan", "schedule": 60.0},
    "training-certificate-notices": {"task": "training.certificate_notices", "schedule": 6 * 3600.0},
    # After the night's delinquency refresh: scores the open cases as of the new day.
    "scoring-nightly": {"task": "scoring.nightly", "schedule": crontab(hour=3, minute=0)},
}
DOORSTEP_TASK_MODE = os.environ.get("DOORSTEP_TASK_MODE", "celery" if CELERY_BROKER_URL else "thread")

# Personal data at rest: AES-256-GCM keys (base64, 32 bytes), newest first; HMAC key for lookups.
DOORSTEP_FIELD_KEYS = env_list("DOORSTEP_FIELD_KEYS", "")
DOORSTEP_LOOKUP_KEY = os.environ.get("DOORSTEP_LOOKUP_KEY", "")

# Payment allocation inside one installment (portfolio-format.md: fee, then interest, then principal).
DOORSTEP_ALLOCATION_ORDER = tuple(env_list("DOORSTEP_ALLOCATION_ORDER", "fee,interest,principal"))
# Lower DPD bound of each bucket after M0; the last one is open-ended.
DOORSTEP_BUCKETS = (("M1", 1), ("M2", 31), ("M3", 61), ("M4", 91), ("M5", 121), ("M6+", 151))

# Visit planning. Seconds of solver time per territory; travel between stops by haversine unless a
# road network (an OpenStreetMap .osm.pbf extract) or a routing server ("osrm:http://host:5000",
# "valhalla:http://host:8002") is configured. Map tiles are optional: unset, the plan map is drawn
# without them (works offline).
DOORSTEP_PLAN_TIME_LIMIT_S = float(os.environ.get("DOORSTEP_PLAN_TIME_LIMIT_S", "30"))
DOORSTEP_PLAN_TRAVEL = {
    "kind": "haversine",
    "speed_kmh": float(os.environ.get("DOORSTEP_PLAN_SPEED_KMH", "25")),
    "circuity": 1.3,
}
DOORSTEP_ROAD_PBF = os.environ.get("DOORSTEP_ROAD_PBF", "")
DOORSTEP_ROAD_CACHE_DIR = os.environ.get("DOORSTEP_ROAD_CACHE_DIR", str(VAR_DIR / "roads"))
DOORSTEP_ROUTING_SERVER = os.environ.get("DOORSTEP_ROUTING_SERVER", "")
DOORSTEP_MAP_TILE_URL = os.environ.get("DOORSTEP_MAP_TILE_URL", "")
# Training. The field certificate lasts this many days (the CN standard asks for yearly training);
# holders and their supervisors hear of its expiry this many days ahead. A collector without a
# valid certificate is never planned. "Recently certified" in the training analytics: first
# certified fewer than this many days before the visit.
DOORSTEP_CERTIFICATE_VALID_DAYS = int(os.environ.get("DOORSTEP_CERTIFICATE_VALID_DAYS", "365"))
DOORSTEP_CERTIFICATE_NOTICE_DAYS = int(os.environ.get("DOORSTEP_CERTIFICATE_NOTICE_DAYS", "30"))
DOORSTEP_TRAINING_RECENT_DAYS = int(os.environ.get("DOORSTEP_TRAINING_RECENT_DAYS", "90"))
# Scoring: model files (JSON, see doorstep.scoring.models) live here.
DOORSTEP_MODEL_DIR = Path(os.environ.get("DOORSTEP_MODEL_DIR", VAR_DIR / "models"))
# Threads LightGBM uses to score (predictions and the reasons' contributions; training keeps its own
# setting). Rows are scored independently, so the count changes speed, never a value. Default: every core.
DOORSTEP_SCORING_THREADS = int(os.environ.get("DOORSTEP_SCORING_THREADS", str(os.cpu_count() or 1)))
# The demo plans today's route for its Futian team when it seeds or starts.
DOORSTEP_DEMO_PLAN_TIME_LIMIT_S = float(os.environ.get("DOORSTEP_DEMO_PLAN_TIME_LIMIT_S", "5"))

# Field visits. A check-in farther than this from the address (beyond the fix's accuracy), faster
# than this since the collector's previous fix, or less accurate than this is flagged for review.
DOORSTEP_FIELD_MAX_DISTANCE_M = float(os.environ.get("DOORSTEP_FIELD_MAX_DISTANCE_M", "300"))
DOORSTEP_FIELD_MAX_SPEED_KMH = float(os.environ.get("DOORSTEP_FIELD_MAX_SPEED_KMH", "150"))
DOORSTEP_FIELD_MAX_ACCURACY_M = float(os.environ.get("DOORSTEP_FIELD_MAX_ACCURACY_M", "150"))
# Minutes past the planned end of a visit before a missing check-out alerts the supervisor.
DOORSTEP_FIELD_CHECKOUT_GRACE_MIN = int(os.environ.get("DOORSTEP_FIELD_CHECKOUT_GRACE_MIN", "20"))
# A repayment plan whose total is above this (in the case's currency) needs a supervisor's approval.
DOORSTEP_FIELD_PLAN_APPROVAL_ABOVE = os.environ.get("DOORSTEP_FIELD_PLAN_APPROVAL_ABOVE", "5000")
# The largest share of the stated monthly surplus a plan's installment may take.
DOORSTEP_FIELD_PLAN_MAX_SHARE = os.environ.get("DOORSTEP_FIELD_PLAN_MAX_SHARE", "0.7")
# The duty phone an SOS text goes to when the phone has signal but no data (an sms: link).
DOORSTEP_FIELD_SOS_PHONE = os.environ.get("DOORSTEP_FIELD_SOS_PHONE", "")
DOORSTEP_FIELD_LENDER_NAME = os.environ.get("DOORSTEP_FIELD_LENDER_NAME", "Doorstep demo lender (generated)")
# Payment links come from a pluggable adapter (doorstep.field.gateways); the default link goes to
# the lender's payment page with a signed amount.
DOORSTEP_PAYMENT_GATEWAY = os.environ.get("DOORSTEP_PAYMENT_GATEWAY", "doorstep.field.gateways.LenderLinkGateway")
DOORSTEP_PAYMENT_LINK_BASE = os.environ.get("DOORSTEP_PAYMENT_LINK_BASE", "https://pay.example.invalid/collect")
# Unset: a key derived from SECRET_KEY signs the links.
DOORSTEP_PAYMENT_LINK_SECRET = os.environ.get("DOORSTEP_PAYMENT_LINK_SECRET") or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DOORSTEP_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
