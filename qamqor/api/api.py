"""The JSON API (django-ninja), versioned under /api/v1/. Router assembly only: each app owns
its ``api.py`` and is added here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from qamqor.applications.api import router as applications_router
from qamqor.core.api import router as core_router
from qamqor.core.errors import DomainError
from qamqor.notifications.api import router as notifications_router
from qamqor.organizations.api import router as organizations_router

api = NinjaAPI(
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


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"errors": [{"code": "auth.required", "message": _("Log in first."), "field": None}]},
        status=401,
    )


api.add_router("/core/", core_router)
api.add_router("/organizations", organizations_router)
api.add_router("/notifications", notifications_router)
api.add_router("/applications", applications_router)
