"""``manage.py verify_queue ORG [--condition C]``: replay the hash-chained queue history of an
organization (pk or BIN) and report every broken link or rule (issue 7 item 4)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qamqor.journal.models import Journal
from qamqor.journal.verification import verify_journal
from qamqor.organizations.models import Organization


class Command(BaseCommand):
    help = "Verify the hash chain and the rules (R-QUE-1…6) of an organization's queues."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organization", help="organization id or BIN")
        parser.add_argument("--condition", default="", help="only this service condition")

    def handle(self, *args: Any, **options: Any) -> None:
        ref = options["organization"]
        org = Organization.objects.filter(bin=ref).first() if len(ref) == 12 else None
        if org is None and ref.isdigit():
            org = Organization.objects.filter(pk=int(ref)).first()
        if org is None:
            raise CommandError(f"no organization {ref!r}")
        journals = Journal.objects.filter(organization=org)
        if options["condition"]:
            journals = journals.filter(condition=options["condition"])
        failed = 0
        for journal in journals.order_by("condition"):
            report = verify_journal(journal)
            self.stdout.write(f"{org.bin} {journal.condition}: {report.events} events")
            for p in report.problems:
                failed += 1
                where = f"#{p.seq}" if p.seq else "-"
                self.stdout.write(f"  {where} {p.rule}: {p.message}")
        if failed:
            raise CommandError(f"{failed} problem(s) found")
        self.stdout.write(
            self.style.SUCCESS("OK: the chain is intact and every step followed R-QUE-1…6")
        )
