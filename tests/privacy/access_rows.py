"""The privacy app's rows of the authorization matrix (R-X-5): every logged-in person has their
own consents, access report and export; nobody reaches another person's."""

from tests.test_access_matrix import ANON, PERSONAS

ROWS: dict[str, dict[str, int]] = {
    "/privacy/": {**dict.fromkeys(PERSONAS, 200), ANON: 302},
    "/privacy/my-data.json": {**dict.fromkeys(PERSONAS, 200), ANON: 302},
    # The literal "<slug:kind>" does not match the slug converter: no route.
    "/privacy/consents/<slug:kind>/withdraw/": dict.fromkeys(PERSONAS, 404),
    "/privacy/consents/<slug:kind>/give/": dict.fromkeys(PERSONAS, 404),
    "/api/v1/privacy/access-log": {**dict.fromkeys(PERSONAS, 200), ANON: 401},
    "/api/v1/privacy/consents": {**dict.fromkeys(PERSONAS, 200), ANON: 401},
    "/api/v1/privacy/export": {**dict.fromkeys(PERSONAS, 200), ANON: 401},
}
