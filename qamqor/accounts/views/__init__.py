"""Views of the accounts app, one module per flow (STYLE: a package once views pass ~400 lines).

* ``login``: the login choice page, logout.
* ``esign``: e-signature login (nonce, CMS, NCALayer, development signer), signed acts (R-X-2).
* ``otp``: one-time-code login by phone or e-mail (R-SPC-1).
* ``representatives``: acting on behalf of a represented person (R-QUE-5, R-SVC-1).
* ``session``: log out everywhere, rate-limit and lockout answers.
"""
