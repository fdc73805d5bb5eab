"""The one domain error type (STYLE: errors and input).

A ``DomainError`` carries a stable machine ``code``, a translatable ``message`` and optionally the
``field`` it concerns. Views turn it into a form error; the API into ``{"code", "message",
"field"}`` with a 4xx status. It is never a 500.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    status_code = 400

    def __init__(
        self,
        code: str,
        message: str | Promise,
        *,
        field: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.field = field
        self.params = params or {}
        super().__init__(f"{code}: {message}")

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "field": self.field}


class PermissionDeniedError(DomainError):
    status_code = 403


class NotFoundError(DomainError):
    status_code = 404


class ConflictError(DomainError):
    status_code = 409
