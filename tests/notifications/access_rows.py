"""Rows of the authorization matrix for the inbox: every logged-in person has one."""

from tests.test_access_matrix import ANON, PERSONAS

ROWS: dict[str, dict[str, int]] = {
    "/notifications/": {**dict.fromkeys(PERSONAS, 200), ANON: 302},
    "/notifications/1/open/": dict.fromkeys(PERSONAS, 405),  # POST only
    "/notifications/read-all/": dict.fromkeys(PERSONAS, 405),  # POST only
    "/api/v1/notifications": {**dict.fromkeys(PERSONAS, 200), ANON: 401},
    "/api/v1/notifications/read": dict.fromkeys(PERSONAS, 405),  # POST only
}
