"""E-signature verification service (R-X-2): CMS/PKCS#7 signatures of NCA RK certificates.

Public API (other apps import only these)::

    from qamqor.accounts.esign import verify, Purpose, VerifiedSignature, SignatureError, Signer

See docs/esign.md. No web code in this package.
"""

from qamqor.accounts.esign.errors import SignatureError
from qamqor.accounts.esign.result import Purpose, VerifiedSignature
from qamqor.accounts.esign.service import verify
from qamqor.accounts.esign.subject import Signer

__all__ = ["Purpose", "SignatureError", "Signer", "VerifiedSignature", "verify"]
