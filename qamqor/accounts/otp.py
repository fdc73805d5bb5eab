"""Placeholder: filled by the issue-3 work on this flow."""

from django.contrib.auth.backends import BaseBackend


class OneTimeCodeBackend(BaseBackend):
    pass
