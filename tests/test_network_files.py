"""What the network app accepts as an uploaded file: checked by content, never by name; no
macros; a zip bomb is refused without being unpacked; a download carries the ending of what the
content really is."""

import io
import zipfile

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from lagspill.network.files import UploadField, download_name, sniff

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("rapport.pdf", PDF, "application/pdf"),
        ("notat.docx", zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), DOCX),
        ("notat.odt", zipped({"mimetype": ODT.encode(), "content.xml": b"<o/>"}), ODT),
        ("tall.csv", b"kommune;antall\nSortland;3\n", "text/csv"),
        ("bilde.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        ("notat.txt", "Bolig for alle – også for de vanskeligstilte.".encode(), "text/plain"),
    ],
)
def test_real_documents_are_recognised_by_their_content(name: str, data: bytes, kind: str) -> None:
    assert sniff(upload(name, data)) == kind


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03\x00binary"),
        ("gjemt.pdf", b"<html><body>%PDF-1.4</body></html>\x00"),
        ("makro.docx", zipped({"word/document.xml": b"<w/>", "word/vbaProject.bin": b"\x00\x01"})),
        ("makro.odt", zipped({"mimetype": ODT.encode(), "Basic/Standard/Module1.xml": b"<m/>"})),
        ("annet.zip", zipped({"readme.md": b"hei"})),
    ],
)
def test_other_files_and_macro_documents_are_refused(name: str, data: bytes) -> None:
    with translation.override("en"), pytest.raises(forms.ValidationError, match="not accepted"):
        UploadField().clean(upload(name, data))


def test_a_zip_bomb_is_refused_without_unpacking_it() -> None:
    # A 'mimetype' entry of 50 MB that compresses to some kilobytes: only its first bytes are read.
    bomb = zipped({"mimetype": ODT.encode() + b" " * (50 * 1024 * 1024)})
    assert len(bomb) < 200_000
    assert sniff(upload("bombe.odt", bomb)) is None


def test_a_pdf_must_start_as_a_pdf() -> None:
    # Bytes before the PDF header make it (at most) a text file, downloaded as .txt, never a PDF.
    assert sniff(upload("x.pdf", b"junk before " + PDF)) == "text/plain"


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("oppsett.bat", "text/plain", "oppsett.txt"),
        ("side.html", "text/plain", "side.txt"),
        ("Boligplan 2024.PDF", "application/pdf", "Boligplan 2024.pdf"),
        ("bilde.jpeg", "image/jpeg", "bilde.jpg"),
        ("", "text/csv", "fil.csv"),
        ("../../etc/passwd", "text/plain", "passwd.txt"),
    ],
)
def test_the_download_name_ends_as_the_content_is(name: str, kind: str, expected: str) -> None:
    assert download_name(name, kind) == expected
