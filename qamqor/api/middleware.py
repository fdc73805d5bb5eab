"""Every error under /api/ speaks the API's error structure, also the ones no handler wrote.

django-ninja answers an unsupported method with a plain-text 405 and Django an unknown path with
the HTML 404 page; a CSRF refusal or a rate limit may also come from outside the API's handlers.
A client must be able to read every error the same way (STYLE: ``{"errors": [{"code",
"message", "field"}]}``), so this middleware rewrites such responses, keeping the status and
headers like ``Allow``.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _message(status: int) -> str:
    messages = {
        400: _("The request is not valid."),
        401: _("Log in first."),
        403: _("You may not do this."),
        404: _("Nothing here: check the address."),
        405: _("This address does not accept this method."),
        413: _("The request is too large."),
        429: _("Too many requests: wait a little and try again."),
    }
    if status in messages:
        return messages[status]
    if status >= 500:
        return _("Something went wrong on our side. Please try again later.")
    return _("The request could not be served.")


class ApiErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
            or getattr(response, "streaming", False)
        ):
            return response
        status = response.status_code
        body = {"errors": [{"code": f"http.{status}", "message": _message(status), "field": None}]}
        response.content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        response["Content-Type"] = "application/json; charset=utf-8"
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
