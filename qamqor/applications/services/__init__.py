"""Commands of the state service (STYLE: every write here, each a transaction that checks the
rule and records its transition/event). One module per aggregate: ``recipients`` (the recipient
file import), ``intake`` (filing and the intake check), ``cases`` (the workflow transitions),
``results`` (uncollected results), ``complaints``, ``monitoring`` (the overdue sweep)."""
