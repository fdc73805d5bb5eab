"""The session hash of a user, with the session salt (issue 3, item 7: "log out everywhere").

Django stores a hash of the password hash in every session and logs the session out when the
stored hash no longer matches. Mixing ``User.session_salt`` into it lets ``end_all_sessions``
end every session of a person without changing their password. With an empty salt the hash is
exactly Django's own, so existing sessions survive the switch.

``User`` uses it through this override (models.py)::

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        return session_auth_hash(self, secret=secret)
"""

from __future__ import annotations

from typing import Any

from django.utils.crypto import salted_hmac

# Django's own key salt (AbstractBaseUser._get_session_auth_hash), so an empty salt changes
# nothing.
KEY_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


def session_auth_hash(user: Any, *, secret: str | None = None) -> str:
    """HMAC of the password hash and the session salt; ``secret`` is a SECRET_KEY_FALLBACKS
    entry when Django checks the fallbacks."""
    salt = getattr(user, "session_salt", "") or ""
    value = user.password if not salt else f"{user.password}\x00{salt}"
    return salted_hmac(KEY_SALT, value, secret=secret, algorithm="sha256").hexdigest()
