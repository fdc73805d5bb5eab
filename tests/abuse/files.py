"""Uploads with a lying extension or size (issue 10 item 3)."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def zip_bomb() -> bytes:
    """A small .xlsx-named zip whose one member inflates to 50 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    return buffer.getvalue()


def cases() -> list[tuple[str, str, bytes, str]]:
    """``(label, file name, content, declared content type)``."""
    return [
        ("xlsx_zip_bomb", "list.xlsx", zip_bomb(), "application/vnd.ms-excel"),
        ("xlsx_plain_text", "list.xlsx", b"IIN;name\n800101300001;x\n", "text/plain"),
        (
            "pdf_is_html",
            "diploma.pdf",
            b"<html><script>alert(1)</script></html>",
            "application/pdf",
        ),
        ("png_is_exe", "photo.png", b"MZ\x90\x00\x03" + b"\0" * 100, "image/png"),
        ("jpg_truncated", "photo.jpg", b"\xff\xd8\xff\xe0garbage", "image/jpeg"),
        ("empty", "empty.pdf", b"", "application/pdf"),
        ("oversize", "big.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "application/pdf"),
        ("script_name", "<script>alert(1)</script>.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"),
        ("rtl_name", "\u202efdp.exe", b"MZ", "application/pdf"),
    ]


def upload(label: str, name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
