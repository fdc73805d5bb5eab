"""The cabinet's rows of the authorization matrix (R-POR-1, R-POR-2, R-POR-5). Object 1 is
nobody's in the matrix's world, so the scoped pages answer 404 to those who may open the kind of
page at all."""

from tests.test_access_matrix import ANON, PERSONAS

LOGGED_IN = {**dict.fromkeys(PERSONAS, 200), ANON: 302}
LOGGED_IN_404 = {**dict.fromkeys(PERSONAS, 404), ANON: 302}
POST_ONLY = {**dict.fromkeys(PERSONAS, 405), ANON: 302}


def _only(role: str, status: int) -> dict[str, int]:
    return {**dict.fromkeys(PERSONAS, 403), ANON: 302, role: status}


ROWS: dict[str, dict[str, int]] = {
    "/cabinet/": LOGGED_IN,
    "/cabinet/switch/": POST_ONLY,
    "/cabinet/catalogue/": LOGGED_IN,
    "/cabinet/measures/1/": LOGGED_IN_404,
    "/cabinet/measures/1/order/": LOGGED_IN_404,
    "/cabinet/orders/1/": LOGGED_IN_404,
    "/cabinet/orders/1/confirm/": POST_ONLY,
    # Supplier back office: the supplier role only; order 1 is not addressed to it.
    "/cabinet/supplier/": _only("supplier", 200),
    "/cabinet/supplier/offers/new/": _only("supplier", 200),
    "/cabinet/supplier/offers/1/withdraw/": POST_ONLY,
    "/cabinet/supplier/orders/1/": _only("supplier", 404),
    "/cabinet/supplier/orders/1/accept/": POST_ONLY,
    "/cabinet/supplier/orders/1/hand-over/": POST_ONLY,
    # The local executive body's reimbursement queue (R-POR-5).
    "/cabinet/reimbursements/": _only("district_officer", 200),
    "/cabinet/reimbursements/1/": _only("district_officer", 404),
    # API (R-POR-2…5): session for the person and the supplier, bearer token for E-Sobes.
    "/api/v1/cabinet": {**dict.fromkeys(PERSONAS, 200), ANON: 401},
    "/api/v1/cabinet/measures/1/offers": {**dict.fromkeys(PERSONAS, 404), ANON: 401},
    "/api/v1/cabinet/measures/1/act": {**dict.fromkeys(PERSONAS, 422), ANON: 401},
    "/api/v1/cabinet/measures/1/orders": dict.fromkeys(PERSONAS, 405),  # POST only
    "/api/v1/cabinet/orders/1": {**dict.fromkeys(PERSONAS, 404), ANON: 401},
    "/api/v1/cabinet/orders/1/confirm": dict.fromkeys(PERSONAS, 405),  # POST only
    "/api/v1/suppliers/offers": dict.fromkeys(PERSONAS, 200),
    "/api/v1/suppliers/orders": {**dict.fromkeys(PERSONAS, 200), ANON: 401},
    "/api/v1/suppliers/orders/1/accept": dict.fromkeys(PERSONAS, 405),  # POST only
    "/api/v1/suppliers/orders/1/hand-over": dict.fromkeys(PERSONAS, 405),  # POST only
    "/api/v1/ipr/records": dict.fromkeys(PERSONAS, 405),  # POST only
}
