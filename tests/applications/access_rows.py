"""Rows of the access matrix for the state service (R-SVC-1…14; R-X-5: cases only to their
district officer, the ministry, the assigned social worker and the recipient). Application 1
does not exist in the matrix's world, so its pages are 404 for everyone logged in."""

from __future__ import annotations

from tests.test_access_matrix import ANON, PERSONAS

LOGIN = {**dict.fromkeys(PERSONAS, 200), ANON: 302}
MISSING = {**dict.fromkeys(PERSONAS, 404), ANON: 302}
POST_ONLY = {**dict.fromkeys(PERSONAS, 405), ANON: 302}
API_POST_ONLY = dict.fromkeys(PERSONAS, 405)
MONITORS = {"district_officer": 200, "ministry": 200}
API_MISSING = {**dict.fromkeys(PERSONAS, 404), ANON: 401}


def only(allowed: dict[str, int], *, anon: int = 302, other: int = 403) -> dict[str, int]:
    return {**dict.fromkeys(PERSONAS, other), ANON: anon, **allowed}


ROWS: dict[str, dict[str, int]] = {
    # The recipient on the portal (R-SVC-1, R-SVC-9).
    "/applications/": LOGIN,
    "/applications/apply/": LOGIN,  # no recipient file for the persona: a page saying so
    "/applications/apply/sign/": {**dict.fromkeys(PERSONAS, 302), ANON: 302},  # no draft
    "/applications/my/1/": MISSING,
    "/applications/my/1/choose/": MISSING,
    "/applications/my/1/receipt.pdf": MISSING,
    "/applications/my/1/result.pdf": MISSING,
    # Staff (R-SVC-1, R-SVC-4…14).
    "/applications/cases/": only(MONITORS),
    "/applications/cases/new/": only({"district_officer": 200, "intake_operator": 200}),
    "/applications/cases/1/": MISSING,
    "/applications/cases/1/approve/": MISSING,
    "/applications/cases/1/refuse/": MISSING,
    **{
        f"/applications/cases/1/{action}/": POST_ONLY
        for action in (
            "assign",
            "intend-refusal",
            "hearing-notice",
            "notify-choice",
            "complaint",
            "complaint-outcome",
            "result-collected",
            "result-request",
            "result-resent",
        )
    },
    "/applications/assessments/": only({"social_worker": 200}),
    "/applications/assessments/1/": MISSING,
    "/applications/dashboard/": only(MONITORS),
    # API (R-SVC-1…14, R-SVC-12).
    "/api/v1/applications": {**dict.fromkeys(PERSONAS, 200), ANON: 401},
    "/api/v1/applications/1": API_MISSING,
    "/api/v1/applications/1/decision-act": API_MISSING,
    "/api/v1/applications/events": only(MONITORS, anon=401),
    "/api/v1/applications/dashboard": only(MONITORS, anon=401),
    "/api/v1/applications/portal-act": API_POST_ONLY,
    "/api/v1/applications/recipients": API_POST_ONLY,
    **{
        f"/api/v1/applications/1/{step}": API_POST_ONLY
        for step in (
            "approve",
            "assign",
            "choose",
            "complaints",
            "conclusion",
            "hearing-notice",
            "intend-refusal",
            "notify-choice",
            "refuse",
            "result/<step>",
        )
    },
    # The literal "<int:complaint_id>" does not match the int converter: no route.
    "/api/v1/applications/1/complaints/<int:complaint_id>/outcome": dict.fromkeys(PERSONAS, 404),
}
