"""Domain errors to HTTP, in one place."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from doorstep.common.errors import Conflict, DomainError, InvalidInput, NotFound, NotPermitted

_STATUS = {
    InvalidInput: status.HTTP_400_BAD_REQUEST,
    NotPermitted: status.HTTP_403_FORBIDDEN,
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        code = next((value for kind, value in _STATUS.items() if isinstance(exc, kind)), 400)
        body: dict[str, Any] = {"error": exc.code, "message": exc.message}
        if exc.details is not None:
            body["details"] = exc.details
        return Response(body, status=code)
    return drf_exception_handler(exc, context)
