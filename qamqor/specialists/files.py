"""Attached documents: what is accepted and how it is checked (issue 5 item 1, R-SPC-2).

The type comes from the file's first bytes, never from its name or the browser's
``Content-Type``: a renamed executable is refused whatever it is called. Images are also opened
with Pillow, so a file that merely starts like a JPEG/PNG is refused too.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from qamqor.core.errors import DomainError

#: Sniffed type → (signature, extension).
SIGNATURES: dict[str, tuple[bytes, str]] = {
    "application/pdf": (b"%PDF-", "pdf"),
    "image/jpeg": (b"\xff\xd8\xff", "jpg"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "SPECIALISTS_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    for content_type, (signature, _ext) in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def check_upload(stream: IO[bytes], size: int) -> CheckedFile:
    """Check one uploaded document; raise ``DomainError`` (field ``file``) when it is empty,
    larger than the limit, or not really a PDF, JPEG or PNG."""
    limit = max_bytes()
    if size <= 0:
        raise DomainError("specialists.file_empty", _("The file is empty."), field="file")
    if size > limit:
        raise DomainError(
            "specialists.file_too_big",
            _("The file is too big: at most %(limit)s.") % {"limit": filesizeformat(limit)},
            field="file",
        )
    stream.seek(0)
    head = stream.read(16)
    content_type = sniff(head)
    if content_type is None:
        raise DomainError(
            "specialists.file_type",
            _("Attach a PDF, JPEG or PNG file. This file is of another type."),
            field="file",
        )
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(64 * 1024), b""):
        digest.update(chunk)
    if content_type != "application/pdf":
        _verify_image(stream)
    stream.seek(0)
    return CheckedFile(content_type, SIGNATURES[content_type][1], size, digest.hexdigest())


def _verify_image(stream: IO[bytes]) -> None:
    from PIL import Image, UnidentifiedImageError

    stream.seek(0)
    try:
        with Image.open(io.BytesIO(stream.read())) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DomainError(
            "specialists.file_damaged",
            _("The image cannot be read. Attach the document again or as a PDF."),
            field="file",
        ) from exc
