"""The JSON API (django-ninja), versioned under /api/v1/. Router assembly only: each app owns
its ``api.py`` and is added here."""

from __future__ import annotations

from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from qamqor.applications.api import router as applications_router
from qamqor.cabinet.api import cabinet_router, ipr_router, suppliers_router
from qamqor.core.api import router as core_router
from qamqor.core.errors import DomainError
from qamqor.core.views import database_away_response
from qamqor.journal.api import router as journal_router
from qamqor.notifications.api import router as notifications_router
from qamqor.organizations.api import router as organizations_router
from qamqor.privacy.api import router as privacy_router
from qamqor.specialists.api import router as specialists_router

#: The statuses any operation may answer with the error structure (issue 10: every error in
#: the documented structure). Each operation's own successes stay as its router declares them.
ERROR_STATUSES = {
    "400": "The request is not valid.",
    "401": "Not logged in, or the integration client's token is missing or wrong.",
    "403": "Logged in, but not allowed (also a failed CSRF check).",
    "404": "No such object, or not yours to see.",
    "405": "The method is not accepted at this address.",
    "409": "A conflicting or concurrent duplicate request.",
    "422": "A parameter or field is not valid.",
    "429": "Too many requests.",
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "message", "field"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "field": {"type": ["string", "null"]},
                },
            },
        }
    },
}


class QamqorAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema documents the error structure on every operation."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Errors"] = ERROR_SCHEMA
        ref = {"$ref": "#/components/schemas/Errors"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": ref}},
                        },
                    )
        return schema


api = QamqorAPI(
    title="Qamqor API",
    version="1",
    description="The API of Qamqor, the portal of special social services of Kazakhstan.",
    docs_url="/docs",
    urls_namespace="api-v1",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"errors": [exc.as_dict()]}, status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload")]
        errors.append(
            {
                "code": str(err.get("type", "invalid")),
                "message": str(err.get("msg", _("This value is not valid."))),
                "field": ".".join(loc) or None,
            }
        )
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Raised by django-ninja itself (a failed CSRF check: 403) and by handlers that abort early.
    code, message = f"http.{exc.status_code}", str(exc.message)
    if exc.status_code == 403 and message == "CSRF check Failed":  # django-ninja's own words
        code = "auth.csrf_failed"
        message = _("The form expired or came from elsewhere: reload the page and try again.")
    return api.create_response(
        request,
        {"errors": [{"code": code, "message": message, "field": None}]},
        status=exc.status_code,
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"errors": [{"code": "auth.required", "message": _("Log in first."), "field": None}]},
        status=401,
    )


api.add_router("/core/", core_router)
api.add_router("/organizations", organizations_router)
api.add_router("/specialists", specialists_router)
api.add_router("/notifications", notifications_router)
api.add_router("/cabinet", cabinet_router)
api.add_router("/suppliers", suppliers_router)
api.add_router("/ipr", ipr_router)
api.add_router("/journal", journal_router)
api.add_router("/applications", applications_router)
api.add_router("/privacy", privacy_router)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_away(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Issue 10 item 7: the database restarted under a request; the client retries (same key).
    import logging

    logging.getLogger("django.request").error("database away: %s", exc, exc_info=exc)
    return database_away_response(request)
