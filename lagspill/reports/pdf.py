"""HTML templates to tagged, accessible PDF (WeasyPrint) and the download responses.

Every report is an HTML template rendered with the same figures the pages show, then laid out by
WeasyPrint as PDF/UA-1: tagged structure, the document language from `<html lang>` and the title
from `<title>`. Charts are inline SVG drawn on the server (`indicators.charts.to_svg`). The fetcher
refuses every URL except inline `data:` ones, so a report never reaches the network or the disk.

Laying out a PDF takes a second or two, so a finished PDF is kept in the cache under a hash of its
HTML (without the time it was made, with today's date): the same reader asking again, or another
reader who may see exactly the same, gets the same bytes at once, and any change to what the report
shows makes a new one. A cached PDF says when it was made; it is never older than today.
"""

import hashlib
import re
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CACHE_SECONDS = 24 * 60 * 60  # 0: no cache (`reports build` and the bench's first-render figure)
MADE = re.compile(r'<span class="made">.*?</span>', re.S)


class InlineOnly(URLFetcher):
    """Only `data:` URLs (inline SVG and images); nothing from the network or the file system."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=InlineOnly()).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def render_pdf(
    template_name: str, context: dict[str, Any], request: HttpRequest | None = None, *, cached: bool = True
) -> bytes:
    """Render `template_name` (which extends `reports/print_base.html`) to PDF bytes, from the cache
    when the same HTML was laid out today."""
    html = render_to_string(template_name, context, request=request)
    if not (cached and CACHE_SECONDS):
        return html_to_pdf(html)
    key = cache_key(html)
    body = cache.get(key)
    if body is None:
        body = html_to_pdf(html)
        cache.set(key, body, CACHE_SECONDS)
    return body


def cache_key(html: str) -> str:
    """The HTML without the time it was made, and today's date: one PDF per content per day."""
    content = MADE.sub("", html) + timezone.localdate().isoformat()
    return "pdf:" + hashlib.sha256(content.encode()).hexdigest()


def file_response(body: bytes, content_type: str, name: str, extension: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{slugify(name)[:80] or "lagspill"}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_response(body: bytes, name: str) -> HttpResponse:
    """PDFs open in the browser's viewer; the file name still says what it is."""
    return file_response(body, PDF, name, "pdf", inline=True)


def xlsx_response(body: bytes, name: str) -> HttpResponse:
    return file_response(body, XLSX, name, "xlsx")
