"""The county report's figures as XLSX (the generic writer `reports.xlsx`): an opening sheet saying what
the reader's version holds, then one row per municipality with the same rounded values and words as the
PDF (`county.table`), the map classes below it, and the sources and notes at the bottom."""

from django.utils.translation import gettext as _

from . import xlsx
from .county import Map, Report, table


def legend(caption: str, found: Map) -> xlsx.Block:
    rows = [[entry.label, entry.note or None, entry.count] for entry in found.legend]
    return xlsx.Block(caption, [_("Class"), _("Range"), _("Municipalities")], rows)


def sheets(report: Report) -> list[xlsx.Sheet]:
    figures = table(report)
    about = xlsx.Sheet(
        _("Report"),
        [report.title, ""],
        [
            [_("County"), f"{report.county.name} ({report.county.number})"],
            [_("Municipalities"), len(report.rows)],
            [_("Made"), report.generated_at],
        ],
        [figures.notes[0]],
    )
    blocks = [legend(_("Maturity classes on the map"), report.maturity_map)]
    if report.priority_map:
        blocks.insert(0, legend(_("Priority classes on the map"), report.priority_map))
    notes = [*figures.notes, *(_("Source: %(source)s") % {"source": s} for s in figures.sources)]
    return [about, xlsx.Sheet(_("Municipalities"), figures.columns, figures.rows, notes, blocks)]


def workbook(report: Report) -> bytes:
    return xlsx.workbook(sheets(report))
