"""`manage.py reports build`: every municipality status report of a county written to a folder, as the
public (or one user) gets the download, with progress, a summary, and a non-zero exit on failure."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from lagspill.reports import batch

from .builders import World


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("reports", "build", "--jobs", "1", "--language", "en", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def pdf_text(body: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return re.sub(r"Made [^\n]*", "", text)  # the time it was made differs


def test_it_writes_the_first_reports_of_the_county_as_the_public_gets_them(world: World, tmp_path: Path) -> None:
    out, _err = run("--county", "18", "--out", str(tmp_path), "--format", "pdf,xlsx", "--limit", "2")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "1804-bodo.pdf",
        "1804-bodo.xlsx",
        "1806-narvik.pdf",
        "1806-narvik.xlsx",
    ]
    lines = out.splitlines()
    assert re.fullmatch(r"1/2 Bodø … \d+\.\d s", lines[0])
    assert re.fullmatch(r"2/2 Narvik … \d+\.\d s", lines[1])
    assert re.fullmatch(r"2 reports in \d+\.\d s; slowest (Bodø|Narvik) \(\d+\.\d s\)", lines[2])
    client = Client()
    client.cookies["lagspill_language"] = "en"
    download = client.get(reverse("reports:municipality_pdf", args=["1804"]))
    assert pdf_text((tmp_path / "1804-bodo.pdf").read_bytes()) == pdf_text(download.content)
    assert PdfReader(tmp_path / "1804-bodo.pdf").metadata.title == download_title(download.content)
    assert load_workbook(tmp_path / "1806-narvik.xlsx").sheetnames


def download_title(body: bytes) -> str:
    return PdfReader(io.BytesIO(body)).metadata.title


def test_it_builds_as_a_user_sees_it(world: World, tmp_path: Path) -> None:
    assert [m.number for m in batch.municipalities(world.sortland.municipality.county, 2)] == ["1804", "1806"]
    out, _err = run(
        "--county", "18", "--out", str(tmp_path), "--format", "xlsx", "--limit", "1", "--as", "SF@example.org"
    )
    assert "1 reports in" in out
    as_governor = load_workbook(tmp_path / "1804-bodo.xlsx")
    run("--county", "18", "--out", str(tmp_path / "public"), "--format", "xlsx", "--limit", "1")
    public = load_workbook(tmp_path / "public" / "1804-bodo.xlsx")
    assert as_governor.sheetnames == public.sheetnames
    # The County Governor sees Bodø's working material; the public is told it is left out.
    left_out = "Left out: roles, turnover and continuity risks"
    assert left_out in sheet_text(public)
    assert left_out not in sheet_text(as_governor)


def sheet_text(book: object) -> str:
    return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)


def test_a_failing_report_is_reported_and_the_exit_is_non_zero(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = batch.build_one

    def broken(user: object, municipality: object, out: Path, formats: list[str]) -> batch.Built:
        if municipality.number == "1804":
            raise RuntimeError("no ink")
        return real(user, municipality, out, formats)

    monkeypatch.setattr(batch, "build_one", broken)
    with pytest.raises(CommandError, match="1 reports failed: Bodø"):
        run("--county", "18", "--out", str(tmp_path), "--format", "xlsx", "--limit", "2")
    assert [p.name for p in tmp_path.iterdir()] == ["1806-narvik.xlsx"]  # the other one is still written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--county", "99"], "Unknown county"),
        (["--county", "18", "--format", "docx"], "--format"),
        (["--county", "18", "--as", "nobody@example.org"], "No active user"),
        (["--county", "18", "--limit", "0"], "--limit"),
    ],
)
def test_it_refuses_bad_options(world: World, tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("--out", str(tmp_path), *args)
    assert not list(tmp_path.iterdir())
