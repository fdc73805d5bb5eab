"""Authentication backends of the portal (listed in settings.AUTHENTICATION_BACKENDS)."""

from qamqor.accounts.otp import OneTimeCodeBackend
from qamqor.accounts.signin import ESignatureBackend

__all__ = ["ESignatureBackend", "OneTimeCodeBackend"]
