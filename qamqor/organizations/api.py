"""The organizations API: the public registry and licence events (R-ORG-1, R-ORG-4)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import HttpBearer

from qamqor.api.pagination import Pages
from qamqor.core.errors import PermissionDeniedError
from qamqor.organizations import selectors, services
from qamqor.organizations.models import (
    IntegrationClient,
    IntegrationScope,
    LicenceEventSource,
    Organization,
)
from qamqor.organizations.schemas import (
    ErrorsOut,
    LicenceEventsIn,
    LicenceEventsOut,
    OrganizationOut,
)

router = Router(tags=["registry of organizations"])


class IntegrationBearer(HttpBearer):
    """``Authorization: Bearer <token>`` of an active integration client (not a user session)."""

    def authenticate(self, request: HttpRequest, token: str) -> IntegrationClient | None:
        return selectors.integration_client_for_token(token)


class RegistryFilters(Schema):
    q: str = ""
    region: str = ""
    district: str = ""
    condition: str = ""
    category: str = ""
    has_vacancy: bool = False


@router.get("", response=list[OrganizationOut], auth=None)
@paginate(Pages, page_size=20, max_page_size=100)
def list_organizations(
    request: HttpRequest, filters: Query[RegistryFilters]
) -> QuerySet[Organization]:
    """The public registry: consented entries that are not excluded (R-ORG-4)."""
    return selectors.public_organizations(**filters.dict())


@router.get("/{int:pk}", response=OrganizationOut, auth=None)
def get_organization(request: HttpRequest, pk: int) -> Organization:
    return selectors.get_public_organization(pk)


@router.post(
    "/licence-events",
    response={200: LicenceEventsOut, 400: ErrorsOut},
    auth=IntegrationBearer(),
)
def post_licence_events(request: HttpRequest, body: LicenceEventsIn) -> Any:
    """Licence events from the licensing system (R-ORG-1, R-ORG-3): all or nothing, idempotent
    by event id. 400 lists every bad event as ``events[i].field``."""
    client: IntegrationClient = request.auth  # type: ignore[attr-defined]
    if not client.has_scope(IntegrationScope.LICENCE_EVENTS):
        raise PermissionDeniedError(
            "integration.scope", _("This client may not send licence events.")
        )
    events = [services.LicenceEventInput(**e.dict()) for e in body.events]
    result = services.apply_licence_events(events, source=LicenceEventSource.API)
    if not result.ok:
        return Status(
            400,
            {
                "errors": [
                    {
                        "code": e.code,
                        "message": e.message,
                        "field": f"events[{e.index}]" + (f".{e.field}" if e.field else ""),
                    }
                    for e in result.errors
                ]
            },
        )
    return Status(
        200,
        {
            "batch_id": str(result.batch_id),
            "applied": result.count("applied"),
            "already_applied": result.count("already_applied"),
            "results": [r.__dict__ for r in result.rows],
        },
    )
