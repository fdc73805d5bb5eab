"""The idle timeout of a session without a session write on every request (issue 9).

With ``SESSION_SAVE_EVERY_REQUEST`` every page, even a pure read, ended with an ``UPDATE`` of
its session row (and, with ``cached_db``, a Redis write) only to push the expiry 30 minutes on.
This middleware renews the expiry at most once a minute instead: a session whose stored
``_touched`` time is ``SESSION_TOUCH_SECONDS`` old or more is marked modified, and
``SessionMiddleware`` saves it with a new expiry. A session therefore ends between
``SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS`` and ``SESSION_COOKIE_AGE`` seconds after the last
request (29 to 30 minutes by default) — docs/decisions.md, "Session touch".

Listed right after ``SessionMiddleware``, so its response part runs before the session is saved.
A session that the request changed anyway is saved as before; an empty session (an anonymous
visitor without a cookie) is never created here.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

TOUCHED_KEY = "_touched"


class SessionTouchMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response
        now = int(time.time())
        touched = session.get(TOUCHED_KEY)
        every = int(getattr(settings, "SESSION_TOUCH_SECONDS", 60))
        if not isinstance(touched, int) or not 0 <= now - touched < every:
            session[TOUCHED_KEY] = now  # marks the session modified: saved with a new expiry
        return response
