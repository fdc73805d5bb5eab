"""Input the database cannot hold is refused at the door.

PostgreSQL text cannot contain the NUL character (U+0000); a query or form value carrying one
would reach a lookup and fail there with a server error (found by the API fuzzing). No person
types it, so a request with one anywhere in its query string, form fields or JSON body is
refused before any view runs: 400 for a page, 422 in the error structure for the API.

The same holds for a lone UTF-16 surrogate (``"\\ud800"`` escaped in a JSON body, found by the
input-abuse suite of issue 10): Python decodes it into a string that cannot be encoded as UTF-8,
so neither the database nor the error answer that echoes the value could take it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

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


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def all_text_encodable(data: Any) -> bool:
    """Every string (key or value) of decoded JSON is valid Unicode; walked without recursion."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return True


def carries_lone_surrogate(request: HttpRequest) -> bool:
    """A JSON body with an escaped UTF-16 surrogate that is not half of a pair."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if not request.META.get("CONTENT_TYPE", "").startswith("application/json"):
        return False
    body = request.body
    if not _SURROGATE_ESCAPE.search(body):
        return False
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return False  # malformed JSON: the API answers it itself
    return not all_text_encodable(data)


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = (
            "input.nul_character"
            if carries_nul(request)
            else "input.lone_surrogate"
            if carries_lone_surrogate(request)
            else None
        )
        if code:
            message = gettext("The request contains a character that is not allowed.")
            if request.path.startswith("/api/"):
                # The API's "a value is not valid" status, in its error structure.
                body = {"errors": [{"code": code, "message": message, "field": None}]}
                return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
