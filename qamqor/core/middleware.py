"""Input the database cannot hold is refused at the door.

PostgreSQL text cannot contain the NUL character (U+0000); a query or form value carrying one
would reach a lookup and fail there with a server error (found by the API fuzzing). No person
types it, so a request with one anywhere in its query string, form fields or JSON body is
refused before any view runs: 400 for a page, 422 in the error structure for the API.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext


def carries_nul(request: HttpRequest) -> bool:
    """NUL in the query string, an urlencoded form or a JSON body (raw or as ``\\u0000``)."""
    query = request.META.get("QUERY_STRING", "").encode()
    if b"%00" in query or b"\x00" in query:
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return b"%00" in request.body or b"\x00" in request.body
    if content_type.startswith("application/json"):
        return b"\\u0000" in request.body or b"\x00" in request.body
    return False  # multipart uploads are files: the apps check their content


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_nul(request):
            message = gettext("The request contains a character that is not allowed.")
            if request.path.startswith("/api/"):
                # The API's "a value is not valid" status, in its error structure.
                body = {
                    "errors": [{"code": "input.nul_character", "message": message, "field": None}]
                }
                return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
