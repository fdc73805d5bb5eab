"""Commands of the cabinet app, one module per aggregate (STYLE: a package once it grows)."""
