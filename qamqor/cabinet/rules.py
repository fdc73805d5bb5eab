"""Who may do what in the cabinet (R-POR-1, R-POR-5). Ownership (a person's own measures and
orders, a supplier's own orders) is checked by the scoped selectors; these are the role checks."""

from __future__ import annotations

from typing import Any

import rules

from qamqor.accounts.permissions import has_role, in_district, supplier_ids
from qamqor.accounts.roles import Role


@rules.predicate
def is_order_supplier(user: Any, order: Any) -> bool:
    """The order is addressed to a supplier the user acts for."""
    supplier_id = getattr(order, "supplier_id", None)
    return supplier_id is not None and supplier_id in supplier_ids(user, Role.SUPPLIER)


@rules.predicate
def is_offer_supplier(user: Any, supplier: Any) -> bool:
    return supplier is not None and supplier.pk in supplier_ids(user, Role.SUPPLIER)


rules.add_perm("cabinet.view_supplier_office", has_role(Role.SUPPLIER))
rules.add_perm("cabinet.manage_offers", is_offer_supplier)
rules.add_perm("cabinet.handle_order", is_order_supplier)
# R-POR-5: the local executive body of the person's district decides the reimbursement.
rules.add_perm("cabinet.view_reimbursements", has_role(Role.DISTRICT_OFFICER))
rules.add_perm("cabinet.decide_reimbursement", in_district(Role.DISTRICT_OFFICER))
