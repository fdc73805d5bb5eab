"""Background work of the e-signature service (R-X-2)."""

from __future__ import annotations

from django_tasks import task

from qamqor.accounts.esign.trust import refresh_trust_store


@task()
def refresh_crls() -> dict[str, int]:
    """Reload the trusted CA certificates and CRLs from their folders now (idempotent); an
    operator's cron or a downloader drops new CRL files there first. Returns the counts."""
    return refresh_trust_store(force=True)
