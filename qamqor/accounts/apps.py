from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qamqor.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        # The development-only login must be impossible to enable in production.
        if getattr(settings, "DEV_LOGIN_ENABLED", False) and not settings.DEBUG:
            raise ImproperlyConfigured(
                "DEV_LOGIN is set while DEBUG is off: the development login is never allowed "
                "in production."
            )
