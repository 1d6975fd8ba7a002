"""The inspection report as an A4 PDF: the same content as the page, to travel in the parcel.

It carries a QR code back to the report's page (anyone can check the print against the original),
the content hash in full, and "page X of Y" on every page. Text is set in Helvetica; any run of
characters outside Latin-1 (Chinese check labels, 成新 terms, a Chinese title) is set in STSong-Light,
one of the Adobe CID fonts every PDF reader has, and such paragraphs may break between any two
characters as Chinese text does.

A report never changes once published, so its PDF is rendered once per version and kept in private
storage (`report_pdf_file`): one file per code, content hash, language and page address. Private
storage rather than the cache: it is shared by every web process (S3-compatible storage when there are
several machines), survives a cache flush or a Redis outage, and a PDF with photos is too big to keep
in memory.
"""

import hashlib
import io
import logging
from datetime import timedelta
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

import segno
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from inspection.crosswalk import Equivalent
from inspection.models import Report
from inspection.reports import ReportDisplay, report_display
from inspection.services.workbench import check_photo_name
from listings import photos
from marketplace.masking import MASK

LATIN_FONT = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
CJK_FONT = "STSong-Light"
MONO_FONT = "Courier"
MARGIN = 16 * mm
QR_SIZE = 30 * mm
PHOTO_WIDTH = 22 * mm  # a check's photo, next to its note
PHOTO_PIXELS = 360  # enough for PHOTO_WIDTH at about 400 dpi

INK = colors.HexColor("#1d2329")
MUTED = colors.HexColor("#5d6770")
LINE = colors.HexColor("#d9dee3")
DEFECT_WASH = colors.HexColor("#fff4e5")
PASS_INK = colors.HexColor("#0b5b3e")
FAIL_INK = colors.HexColor("#8c1d1d")

pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))

logger = logging.getLogger(__name__)


# Beyond Latin-1, Helvetica (WinAnsiEncoding) also sets the bullet that masks IMEI and serial numbers.
HELVETICA_EXTRA = frozenset(MASK)


def _is_latin(text: str) -> bool:
    return all(ord(character) < 256 or character in HELVETICA_EXTRA for character in text)


def _markup(text: str) -> str:
    """Escape `text` for a Paragraph and set each run of non-Latin-1 characters in the CJK font."""
    if _is_latin(text):
        return escape(text)
    parts: list[str] = []
    run = ""
    run_latin = True
    for character in text:
        latin = _is_latin(character)
        if run and latin != run_latin:
            parts.append(escape(run) if run_latin else f'<font name="{CJK_FONT}">{escape(run)}</font>')
            run = ""
        run += character
        run_latin = latin
    if run:
        parts.append(escape(run) if run_latin else f'<font name="{CJK_FONT}">{escape(run)}</font>')
    return "".join(parts)


class _Styles:
    def __init__(self) -> None:
        base = ParagraphStyle("body", fontName=LATIN_FONT, fontSize=9.5, leading=13, textColor=INK)
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=LATIN_BOLD)
        self.title = ParagraphStyle("title", parent=base, fontName=LATIN_BOLD, fontSize=18, leading=23)
        self.kicker = ParagraphStyle("kicker", parent=base, fontName=LATIN_BOLD, fontSize=9, textColor=MUTED)
        self.heading = ParagraphStyle(
            "heading", parent=base, fontName=LATIN_BOLD, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4
        )
        self.grade = ParagraphStyle("grade", parent=base, fontName=LATIN_BOLD, fontSize=14, leading=18)
        self.group = ParagraphStyle(
            "group", parent=self.cell_bold, spaceBefore=2, spaceAfter=3, keepWithNext=True
        )
        self.mono = ParagraphStyle("mono", parent=base, fontName=MONO_FONT, fontSize=8.5, leading=11)

    def paragraph(self, text: str, style: ParagraphStyle) -> Paragraph:
        if not _is_latin(text):
            # Chinese breaks between characters; the default breaks only at spaces.
            style = ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")
        return Paragraph(_markup(text), style)


class _QrCode(Flowable):
    """A QR code drawn as vector squares, so it stays sharp at any printer resolution."""

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.rows = list(segno.make_qr(value, error="m").matrix_iter(scale=1, border=0))
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        module = self.size / len(self.rows)
        self.canv.setFillColor(colors.black)
        for row_number, row in enumerate(self.rows):
            top = self.size - (row_number + 1) * module
            for column, dark in enumerate(row):
                if dark:
                    self.canv.rect(column * module, top, module, module, stroke=0, fill=1)


class _NumberedCanvas(Canvas):
    """Holds every page until the end, so that each footer can say "page X of Y"."""

    def __init__(self, *args, footer: str, page_of: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._page_of = page_of
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # Canvas's own page reset, not in its stubs

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        width, _height = self._pagesize  # type: ignore[attr-defined]  # Canvas's page size, not in its stubs
        self.setStrokeColor(LINE)
        self.line(MARGIN, MARGIN - 4 * mm, width - MARGIN, MARGIN - 4 * mm)
        self.setFillColor(MUTED)
        self.setFont(LATIN_FONT if _is_latin(self._footer) else CJK_FONT, 7.5)
        self.drawString(MARGIN, MARGIN - 8 * mm, self._footer)
        page_of = self._page_of % {"page": number, "total": total}
        self.setFont(LATIN_FONT if _is_latin(page_of) else CJK_FONT, 7.5)
        self.drawRightString(width - MARGIN, MARGIN - 8 * mm, page_of)


def _photo(key: str, storage: Storage) -> Image | None:
    """The check's photo, scaled down and re-encoded as JPEG; a missing or unreadable photo is left
    out, not an error."""
    try:
        with storage.open(check_photo_name(key)) as file, PILImage.open(file) as source:
            source.draft("RGB", (PHOTO_PIXELS, PHOTO_PIXELS))  # decode JPEGs at a reduced size
            picture = source.convert("RGB")
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return None
    picture.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS))
    jpeg = io.BytesIO()
    picture.save(jpeg, format="JPEG", quality=85)
    jpeg.seek(0)
    return Image(jpeg, width=PHOTO_WIDTH, height=PHOTO_WIDTH * picture.height / picture.width)


def _header(report: ReportDisplay, styles: _Styles, page_url: str) -> Table:
    left: list[Flowable] = [
        styles.paragraph(_("Reloop inspection report"), styles.kicker),
        styles.paragraph(report.heading, styles.title),
    ]
    if report.catalog_model and report.title:
        left.append(styles.paragraph(report.title, styles.body))
    left.append(styles.paragraph(report.category, styles.small))
    left.append(Spacer(1, 2 * mm))
    left.append(styles.paragraph(_("Report %(code)s") % {"code": report.code}, styles.cell_bold))
    right = [
        _QrCode(page_url, QR_SIZE),
        Spacer(1, 1 * mm),
        styles.paragraph(_("Scan to check this report online."), styles.small),
    ]
    table = Table([[left, right]], colWidths=[None, QR_SIZE + 2 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _summary(report: ReportDisplay, styles: _Styles) -> list[Flowable]:
    flowables: list[Flowable] = []
    if report.grade:
        grade = _("Grade %(grade)s · %(label)s") % {"grade": report.grade, "label": report.grade_label}
        flowables.append(styles.paragraph(grade, styles.grade))
        flowables.append(styles.paragraph(report.grade_meaning, styles.body))
    result = report.result_label
    if report.fail_reason_label:
        result = _("%(result)s: %(reason)s") % {"result": result, "reason": report.fail_reason_label}
    result_style = ParagraphStyle(
        "result", parent=styles.cell_bold, textColor=PASS_INK if report.passed else FAIL_INK, spaceBefore=4
    )
    flowables.append(styles.paragraph(_("Result: %(result)s") % {"result": result}, result_style))
    if report.authenticity_text:
        flowables.append(styles.paragraph(report.authenticity_text, styles.body))
    facts = [
        (_("Inspected by"), report.inspector or "—"),
        (_("Date"), date_format(report.completed_at, "DATE_FORMAT") if report.completed_at else "—"),
        (
            _("Checklist"),
            _("%(category)s, version %(version)s")
            % {"category": report.category, "version": report.checklist_version}
            if report.checklist_version is not None
            else "—",
        ),
        (
            _("Checks"),
            _("%(total)s checked, %(defects)s with a defect")
            % {"total": report.checks_total, "defects": report.defects_total},
        ),
    ]
    table = Table(
        [
            [styles.paragraph(label, styles.small), styles.paragraph(str(value), styles.cell)]
            for label, value in facts
        ],
        colWidths=[35 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    flowables += [Spacer(1, 3 * mm), table]
    return flowables


def _checks(report: ReportDisplay, styles: _Styles, storage: Storage) -> list[Flowable]:
    heading = ParagraphStyle("checks-heading", parent=styles.heading, keepWithNext=True)
    flowables: list[Flowable] = [styles.paragraph(_("Checks"), heading)]
    header = [
        styles.paragraph(text, styles.small) for text in (_("Check"), _("Outcome"), _("Measured"), _("Note"))
    ]
    for group in report.groups:
        rows: list[list[Any]] = [header]
        defect_rows = []
        for check in group.checks:
            note: list[Flowable] = [styles.paragraph(check.note, styles.cell)] if check.note else []
            if check.photo_key:
                photo = _photo(check.photo_key, storage)
                if photo is not None:
                    note.append(photo)
            rows.append(
                [
                    styles.paragraph(check.label, styles.cell),
                    styles.paragraph(
                        check.outcome_label, styles.cell_bold if check.is_defect else styles.cell
                    ),
                    styles.paragraph(check.measured, styles.cell),
                    note,
                ]
            )
            if check.is_defect:
                defect_rows.append(len(rows) - 1)
        table = Table(rows, colWidths=[62 * mm, 22 * mm, 24 * mm, None], repeatRows=1)
        style: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ]
        style += [("BACKGROUND", (0, row), (-1, row), DEFECT_WASH) for row in defect_rows]
        table.setStyle(TableStyle(style))
        # The heading stays with the start of its table; a long table splits, repeating its header row.
        flowables.append(styles.paragraph(group.label, styles.group))
        flowables.append(table)
        flowables.append(Spacer(1, 3 * mm))
    return flowables


def _crosswalk(report: ReportDisplay, styles: _Styles) -> list[Flowable]:
    def term(equivalent: Equivalent) -> list[Flowable]:
        if equivalent.term is None:
            text = _("No equivalent")
        else:
            text = f"≈ {equivalent.term}" if equivalent.approximate else equivalent.term
        cell: list[Flowable] = [styles.paragraph(text, styles.cell)]
        if equivalent.note:
            cell.append(styles.paragraph(str(equivalent.note), styles.small))
        return cell

    rows: list[list[Any]] = [
        [
            styles.paragraph(text, styles.small)
            for text in (_("Reloop grade"), "Back Market", "The RealReal", _("Xianyu (成新)"))
        ]
    ]
    current = None
    for row in report.crosswalk:
        rows.append(
            [
                styles.paragraph(f"{row.grade} · {row.grade_label}", styles.cell_bold),
                *(term(equivalent) for equivalent in row.equivalents),
            ]
        )
        if row.current:
            current = len(rows) - 1
    table = Table(rows, colWidths=[45 * mm, None, None, None])
    style: list[tuple[Any, ...]] = [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if current is not None:
        style.append(("BACKGROUND", (0, current), (-1, current), DEFECT_WASH))
    table.setStyle(TableStyle(style))
    return [
        KeepTogether(
            [
                styles.paragraph(_("How our grades compare"), styles.heading),
                table,
                Spacer(1, 1 * mm),
                styles.paragraph(
                    _("A guide to similar descriptions on other platforms, not their grading of this item."),
                    styles.small,
                ),
            ]
        )
    ]


def _verification(report: ReportDisplay, styles: _Styles, page_url: str) -> list[Flowable]:
    return [
        KeepTogether(
            [
                styles.paragraph(_("Check this report"), styles.heading),
                styles.paragraph(_("Content hash (SHA-256)"), styles.small),
                Paragraph(report.content_hash, styles.mono),
                Spacer(1, 2 * mm),
                styles.paragraph(
                    _("The page at %(url)s shows the same hash. If they differ, this copy has been changed.")
                    % {"url": page_url},
                    styles.small,
                ),
            ]
        )
    ]


def report_pdf(report: ReportDisplay, *, page_url: str, compress: bool = True) -> bytes:
    """The report as A4 PDF bytes in the active language. `page_url` is the absolute URL of the report's
    page, which the QR code holds. `compress=False` keeps the text searchable (for tests)."""
    buffer = io.BytesIO()
    styles = _Styles()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=_("Inspection report %(code)s") % {"code": report.code},
        author="Reloop",
        pageCompression=1 if compress else 0,
    )
    flowables: list[Flowable] = [_header(report, styles, page_url), Spacer(1, 4 * mm)]
    flowables += _summary(report, styles)
    flowables += _checks(report, styles, photos.public_storage())
    flowables += _crosswalk(report, styles)
    flowables += _verification(report, styles, page_url)
    canvas = partial(
        _NumberedCanvas,
        footer=_("Reloop · inspection report %(code)s") % {"code": report.code},
        page_of=_("Page %(page)s of %(total)s"),
    )
    document.build(flowables, canvasmaker=canvas)
    return buffer.getvalue()


# Bumped when the layout, or what the public PDF hides, changes: files rendered before are not served.
PDF_LAYOUT_VERSION = 1
PDF_FOLDER = "inspection/reports"
# A file still not a whole PDF after this long was left by a writer that died; it is replaced.
PDF_WRITE_GRACE = timedelta(minutes=2)


def report_pdf_name(report: Report, *, page_url: str, language: str) -> str:
    """Where the PDF of this version of the report, in `language`, with a QR code for `page_url`, is
    kept in private storage."""
    address = hashlib.sha256(page_url.encode()).hexdigest()[:12]
    version = f"v{PDF_LAYOUT_VERSION}-{report.content_hash[:16]}"
    return f"{PDF_FOLDER}/{report.code}/{version}-{language}-{address}.pdf"


def _whole(pdf: bytes) -> bool:
    return pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def report_pdf_file(report: Report, *, page_url: str) -> bytes:
    """The report's public PDF (identifiers masked) in the active language: read from private storage,
    or rendered and stored on the first request for this version. A file another request is still
    writing is not served half-written: this request renders its own copy."""
    storage = photos.private_storage()
    name = report_pdf_name(report, page_url=page_url, language=get_language() or "en")
    try:
        with storage.open(name) as file:
            stored = file.read()
    except OSError:  # not rendered yet (or unreadable: rendered again below)
        stored = None
    if stored is not None and _whole(stored):
        return stored
    pdf = report_pdf(report_display(report), page_url=page_url)
    try:
        if stored is None:
            saved = storage.save(name, ContentFile(pdf))
            if saved != name:
                storage.delete(saved)  # another request stored the same file first
        elif timezone.now() - storage.get_modified_time(name) > PDF_WRITE_GRACE:
            storage.delete(name)  # the next request stores a whole one
    except OSError:
        # The reader gets the PDF all the same; only the next request pays for rendering again.
        logger.warning(
            "Report %s: the rendered PDF could not be stored as %s", report.code, name, exc_info=True
        )
    return pdf
