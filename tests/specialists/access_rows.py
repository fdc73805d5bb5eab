"""Rows of the access matrix for the registry of specialists (R-SPC-1, R-SPC-3, R-SPC-5).

Application and document 1 do not exist or are not the persona's: 404 for everyone logged in
(the chokepoint answers "not found", never "forbidden", for someone else's application)."""

from tests.test_access_matrix import ANON, PERSONAS

ALL_OK = dict.fromkeys(PERSONAS, 200)
POST_ONLY = dict.fromkeys(PERSONAS, 405)
LOGIN_404 = {**dict.fromkeys(PERSONAS, 404), ANON: 302}
ADMIN_ONLY = {**dict.fromkeys(PERSONAS, 403), ANON: 302, "registry_admin": 200}

ROWS: dict[str, dict[str, int]] = {
    "/specialists/": ALL_OK,
    "/specialists/1/": dict.fromkeys(PERSONAS, 404),
    "/specialists/export.csv": ALL_OK,
    "/specialists/export.xlsx": ALL_OK,
    "/specialists/export.pdf": ALL_OK,
    "/specialists/apply/": {**dict.fromkeys(PERSONAS, 403), ANON: 302, "applicant_specialist": 200},
    "/specialists/applications/1/": LOGIN_404,
    "/specialists/applications/1/personal/": LOGIN_404,
    "/specialists/applications/1/profession/": LOGIN_404,
    "/specialists/applications/1/education/": LOGIN_404,
    "/specialists/applications/1/employment/": LOGIN_404,
    "/specialists/applications/1/documents/": LOGIN_404,
    "/specialists/applications/1/submit/": POST_ONLY,
    "/specialists/applications/1/update/": POST_ONLY,
    "/specialists/applications/1/consent/": POST_ONLY,
    "/specialists/files/1/": LOGIN_404,
    "/specialists/files/1/remove/": POST_ONLY,
    "/specialists/review/": ADMIN_ONLY,
    "/specialists/review/1/": {**dict.fromkeys(PERSONAS, 403), ANON: 302, "registry_admin": 404},
    "/api/v1/specialists": ALL_OK,
    "/api/v1/specialists/1": dict.fromkeys(PERSONAS, 404),
}
