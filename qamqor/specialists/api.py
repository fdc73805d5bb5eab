"""The specialists API: the public registry (R-SPC-5), under /api/v1/specialists."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from qamqor.api.pagination import Pages
from qamqor.specialists import selectors
from qamqor.specialists.models import Specialist
from qamqor.specialists.schemas import SpecialistOut

router = Router(tags=["registry of specialists"])


class RegistryFilters(Schema):
    q: str = ""
    region: str = ""
    profession: str = ""
    category: str = ""


@router.get("", response=list[SpecialistOut], auth=None)
@paginate(Pages, page_size=20, max_page_size=100)
def list_specialists(request: HttpRequest, filters: Query[RegistryFilters]) -> QuerySet[Specialist]:
    """R-SPC-5: registered specialists who consent to publication, searched and filtered."""
    return selectors.public_specialists(**filters.dict())


@router.get("/{int:pk}", response=SpecialistOut, auth=None)
def get_specialist(request: HttpRequest, pk: int) -> Specialist:
    return selectors.get_public_specialist(pk)
