from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qamqor.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        # The development signer (R-X-2) must be impossible to enable in production.
        if getattr(settings, "ESIGN_DEV_SIGNER", False) and not settings.DEBUG:
            raise ImproperlyConfigured(
                "ESIGN_DEV_SIGNER is set while DEBUG is off: the development signer is never "
                "allowed in production."
            )
        # Audit of logins, logouts, failed logins and lockouts (issue 3, item 7).
        from qamqor.accounts import signals

        signals.connect()
