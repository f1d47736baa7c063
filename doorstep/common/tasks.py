"""Run background work by the configured mode: Celery, a thread (broker-free demo) or inline."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _thread_executor() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="doorstep-task")
        return _executor


def _run_in_thread(task: Any, kwargs: dict[str, Any]) -> None:
    close_old_connections()
    try:
        task.run(**kwargs)
    except Exception:
        logger.exception("background task %s failed", task.name)
    finally:
        close_old_connections()


def enqueue(task: Any, **kwargs: Any) -> None:
    """Send after the surrounding transaction commits, so the task sees what was written."""
    mode = settings.DOORSTEP_TASK_MODE

    def send() -> None:
        if mode == "celery":
            task.apply_async(kwargs=kwargs)
        elif mode == "thread":
            _thread_executor().submit(_run_in_thread, task, kwargs)
        else:
            task.run(**kwargs)

    transaction.on_commit(send)
