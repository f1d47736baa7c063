"""The demo and development: SQLite by default, tasks in a thread, well-known demo keys."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "demo-only-secret-key-do-not-use-in-production"  # noqa: F405
# Demo-only keys: the demo data is generated, never real. Production refuses to start without its own.
DOORSTEP_FIELD_KEYS = DOORSTEP_FIELD_KEYS or ["ZGVtby1vbmx5LWtleS0zMi1ieXRlcy1sb25nISEhISE="]  # noqa: F405
DOORSTEP_LOOKUP_KEY = DOORSTEP_LOOKUP_KEY or "demo-only-lookup-key"  # noqa: F405
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "*")
