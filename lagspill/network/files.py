"""Uploaded files in the network app (practice documents, attachments to support requests, event
material): what we accept, checked by content and not by name, and how a stored file is served.

`UploadField` is the form field; `store(instance, upload)` fills a `StoredFile`'s fields and
saves the file under our own name; `serve(stored)` answers with it (always as a download, never
rendered in our origin, with the uploader's file name).
"""

import hashlib
import zipfile
from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import SUFFIXES

MAX_BYTES = 20 * 1024 * 1024
OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF = {
    b"application/vnd.oasis.opendocument.text": "application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet": "application/vnd.oasis.opendocument.spreadsheet",
}
MACRO_ENDINGS = ("vbaproject.bin", "vbadata.xml")  # Office macros
MACRO_FOLDERS = ("basic/", "scripts/")  # OpenDocument macros
MIMETYPE_BYTES = 100
ACCEPT = ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.png,.jpg,.jpeg,.txt,.csv"


def sniff(upload: UploadedFile) -> str | None:
    """The content type the bytes show, or None for anything we do not accept."""
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return _text_kind(upload)


def _zip_kind(upload: UploadedFile) -> str | None:
    """An OpenDocument or Office Open XML file; never one with macros. Only the tiny `mimetype`
    entry is read, and only its first bytes, so a zip bomb costs nothing."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if any(n.lower().endswith(MACRO_ENDINGS) or n.lower().startswith(MACRO_FOLDERS) for n in names):
                return None
            if "mimetype" in names:
                if archive.getinfo("mimetype").file_size > MIMETYPE_BYTES:
                    return None
                with archive.open("mimetype") as entry:  # the size above may lie; read no more
                    return ODF.get(entry.read(MIMETYPE_BYTES).strip())
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None
    finally:
        upload.seek(0)
    return next((kind for prefix, kind in OOXML.items() if any(n.startswith(prefix) for n in names)), None)


def _text_kind(upload: UploadedFile) -> str | None:
    data = upload.read()
    upload.seek(0)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if b"\x00" in data:
        return None
    name = (upload.name or "").lower()
    return "text/csv" if name.endswith(".csv") else "text/plain"


class UploadField(forms.FileField):
    """A document, spreadsheet, presentation, image or text file, at most 20 MB, checked by content."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, text or CSV; at most 20 MB.")
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if not upload:
            return upload
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is 20 MB.")
                % {"size": number_format(upload.size / 1024 / 1024, 1)}
            )
        kind = sniff(upload)
        if kind is None or kind not in SUFFIXES:
            raise forms.ValidationError(_("This kind of file is not accepted (its content was checked, not its name)."))
        upload.lagspill_content_type = kind
        return upload


def checksum(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def store(instance: Any, upload: UploadedFile) -> None:
    """Fill a stored file's fields from a checked upload and save the file under our own name
    (the caller saves the row, inside its transaction)."""
    instance.content_type = getattr(upload, "lagspill_content_type", None) or sniff(upload) or ""
    instance.original_name = download_name(upload.name, instance.content_type)
    instance.size = upload.size
    instance.sha256 = checksum(upload)
    instance.file.save(instance.original_name, upload, save=False)


def download_name(name: str | None, content_type: str) -> str:
    """The uploader's name with the ending of what the content is, so a text file called
    `oppsett.bat` or `side.html` is downloaded as `oppsett.txt` and `side.txt`."""
    stem = Path(name or "").stem.strip() or "fil"
    return f"{stem[:190]}.{SUFFIXES.get(content_type, 'bin')}"


def serve(stored: Any) -> FileResponse:
    """Always a download with the uploader's name; `nosniff` so no browser renders it as a page."""
    response = FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
