"""Access-matrix rows of the journal (GET of every URL × persona). Journal, stay and queue
entry 1 do not exist or are not the persona's: 404 behind the role check."""

from tests.test_access_matrix import ANON, PERSONAS

_LOGGED_IN = {**dict.fromkeys(PERSONAS, 200), ANON: 302}
_READERS = ("organization_staff", "ministry")


def _staff(code: int) -> dict[str, int]:
    return {**dict.fromkeys(PERSONAS, 403), ANON: 302, **dict.fromkeys(_READERS, code)}


ROWS: dict[str, dict[str, int]] = {
    # Staff pages (issue 7 item 5): organization staff and the ministry (read-only).
    "/journal/": _staff(200),
    "/journal/1/": _staff(404),
    "/journal/1/admit/": _staff(404),
    "/journal/1/verify/": _staff(404),
    "/journal/1/export.xlsx": _staff(404),  # R-JRN-2
    "/journal/1/export.pdf": _staff(404),
    "/journal/stays/1/move/": _staff(404),
    "/journal/1/offer/": dict.fromkeys(PERSONAS, 405),  # POST only
    "/journal/queue/1/arrival/": dict.fromkeys(PERSONAS, 405),  # POST only
    # Recipient: my position (R-QUE-1), postponement (R-QUE-5), application (R-QUE-2).
    "/journal/my/": _LOGGED_IN,
    "/journal/my/1/postpone/": {**dict.fromkeys(PERSONAS, 404), ANON: 302},
    "/journal/apply/1/": {**dict.fromkeys(PERSONAS, 404), ANON: 302},  # entry 1 not public
    # Public counts (issue 7 item 2): no login; entry 1 not public.
    "/journal/organizations/1/": dict.fromkeys(PERSONAS, 404),
    # API (issue 7 item 6)
    "/api/v1/journal/organizations/1/counts": dict.fromkeys(PERSONAS, 404),
    "/api/v1/journal/journals/1/admissions": dict.fromkeys(PERSONAS, 405),
    "/api/v1/journal/journals/1/offers": dict.fromkeys(PERSONAS, 405),
    "/api/v1/journal/stays/1/movements": dict.fromkeys(PERSONAS, 405),
    "/api/v1/journal/queue/1/arrival": dict.fromkeys(PERSONAS, 405),
    "/api/v1/journal/queue/1/postponement": dict.fromkeys(PERSONAS, 405),
    "/api/v1/journal/queue/applications": dict.fromkeys(PERSONAS, 405),
    "/api/v1/journal/queue/application-act": {**dict.fromkeys(PERSONAS, 422), ANON: 401},
    "/api/v1/journal/queue/mine": {**dict.fromkeys(PERSONAS, 200), ANON: 401},
    "/api/v1/journal/queue/1/position": {**dict.fromkeys(PERSONAS, 404), ANON: 401},
}
