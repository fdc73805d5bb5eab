"""`manage.py seed_national --scale N [--seed S]`: the synthetic country of issue 9.

Scale 1 = 3,000 organizations, 100,000 specialists, 1,000,000 applications, 200,000 journal
records, 100,000 queue entries and 700,000 persons with IPRs over the reference territories
(20 regions, 228 districts). Refuses a database that is not on this machine unless --force.
A rerun completes what is missing (each domain skips what it already wrote; a larger scale
extends most domains). To start again, use a new database (`make bench-national ARGS=--fresh`
drops its own). See docs/benchmarks.md.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "::1"}


class Command(BaseCommand):
    help = "Generate the synthetic country (issue 9) at a scale (1 = national)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, required=True, help="1 = national size")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--force", action="store_true", help="also on a database that is not on localhost"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from qamqor.demo import national

        host = str(connection.settings_dict.get("HOST") or "")
        if connection.vendor != "sqlite" and host not in LOCAL_HOSTS and not options["force"]:
            raise CommandError(
                f"refusing to fill the database on {host!r}: only a local one (or --force)"
            )
        scale = options["scale"]
        if not scale > 0:
            raise CommandError("--scale must be positive")
        counts = national.counts_for(scale)
        self.stdout.write(
            f"synthetic country at scale {scale:g} (seed {options['seed']}): {counts}"
        )
        results = national.build(scale, seed=options["seed"], log=self.stdout.write)
        self.stdout.write(f"{'domain':<14}{'seconds':>9}  rows written")
        for r in results:
            rows = ", ".join(f"{k} {v}" for k, v in r.rows.items())
            self.stdout.write(f"{r.name:<14}{r.seconds:>9.1f}  {rows}")
        self.stdout.write(f"{'total':<14}{sum(r.seconds for r in results):>9.1f}")
