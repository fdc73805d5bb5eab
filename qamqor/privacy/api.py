"""``/api/v1/privacy``: the logged-in person's consents, access report and data export
(R-X-5). The person is the account itself (a representative uses the cabinet pages)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from qamqor.api.pagination import Pages
from qamqor.privacy import exports, selectors
from qamqor.privacy.access import export_allowed, log_export

router = Router(tags=["privacy"], auth=django_auth)


class AccessOut(Schema):
    accessed_at: dt.datetime
    who: str
    unit: str
    purpose: str


class ConsentOut(Schema):
    kind: str
    label: str
    action: str | None
    recorded_at: dt.datetime | None
    text_version: str | None


@router.get("/access-log", response=list[AccessOut])
@paginate(Pages, page_size=20, max_page_size=100)
def access_log(request: HttpRequest) -> object:
    """Who read my data: role and organization, time and purpose (never staff names)."""
    return _Described(selectors.access_log_of(request.user), request.user)


@router.get("/consents", response=list[ConsentOut])
def consents(request: HttpRequest) -> object:
    return [
        {
            "kind": kind,
            "label": label,
            "action": latest.action if latest else None,
            "recorded_at": latest.recorded_at if latest else None,
            "text_version": latest.text_version if latest else None,
        }
        for kind, label, latest in selectors.consent_states(request.user)
    ]


@router.get("/export", response={200: None})
def export(request: HttpRequest) -> object:
    """My data as one JSON document (the same as the cabinet's "Download my data"), streamed."""
    if not export_allowed(request):
        raise HttpError(429, _("Too many downloads. Try again in an hour."))
    log_export(request, request.user)
    response = StreamingHttpResponse(
        exports.stream_json(request.user), content_type="application/json; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response


class _Described:
    """A lazily described queryset: the paginator slices it, then only the page is described."""

    def __init__(self, qs: object, person: object) -> None:
        self.qs, self.person = qs, person

    def count(self) -> int:
        return self.qs.count()  # type: ignore[attr-defined,no-any-return]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[selectors.AccessRow]:
        return selectors.describe(list(self.qs[item]), self.person)  # type: ignore[index]
