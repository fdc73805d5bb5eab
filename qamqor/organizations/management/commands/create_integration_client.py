"""`manage.py create_integration_client NAME [--scope licence_events]`: a client of the API for
an external system (the licensing system, R-ORG-1). Prints the token once; only its SHA-256 is
stored."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from qamqor.organizations.models import IntegrationClient, IntegrationScope, hash_token


class Command(BaseCommand):
    help = "Create an integration client and print its bearer token (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument(
            "--scope",
            action="append",
            choices=IntegrationScope.values,
            help="Allowed scope (repeatable); default: licence_events.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        if not name:
            raise CommandError("Give the client a name.")
        token = secrets.token_urlsafe(32)
        with transaction.atomic():
            if IntegrationClient.objects.filter(name=name).exists():
                raise CommandError(f"An integration client named {name!r} already exists.")
            IntegrationClient.objects.create(
                name=name,
                token_hash=hash_token(token),
                scopes=options["scope"] or [IntegrationScope.LICENCE_EVENTS.value],
            )
        self.stdout.write(f"Integration client {name!r} created. Its token (shown only once):")
        self.stdout.write(token)
