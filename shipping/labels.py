"""The shipping label: an A6 PDF the sender prints (or shows at a drop-off point).

It carries the sender's and the recipient's addresses, the carrier's tracking number as text and as
a Code 128 barcode (what the carrier scans), and a QR code holding the shipment's reference, a
submission code or an order number (what the receiving desk scans), with the method and pickup
window and a "free shipping" mark. Text is drawn
in Helvetica when it is Latin-1 and in the built-in Chinese font (STSong-Light, one of the Adobe
CID fonts every PDF reader has) otherwise, so sellers' names and the Chinese interface both print.
"""

import io
from dataclasses import dataclass
from datetime import datetime

import segno
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from accounts.addresses import PostalAddress

LATIN_FONT = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
CJK_FONT = "STSong-Light"
MARGIN = 6 * mm

pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


@dataclass(frozen=True)
class LabelContent:
    carrier: str
    tracking_number: str
    sort_code: str
    reference_code: str
    sender: PostalAddress
    recipient: PostalAddress
    method: str  # a ShippingMethod value
    method_label: str
    pickup_start: datetime | None = None
    pickup_end: datetime | None = None
    drop_off_note: str = ""


def _present(lines: tuple[str, ...]) -> list[str]:
    """An address's lines without the empty ones (an address known only by name and city)."""
    return [line for line in lines if line]


def _font(text: str, *, bold: bool = False) -> str:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return CJK_FONT
    return LATIN_BOLD if bold else LATIN_FONT


def _text(canvas: Canvas, x: float, y: float, text: str, size: float, *, bold: bool = False) -> None:
    canvas.setFont(_font(text, bold=bold), size)
    canvas.drawString(x, y, text)


def _fit(text: str, size: float, width: float, *, bold: bool = False) -> str:
    """The text, shortened with an ellipsis until it fits `width`."""
    font = _font(text, bold=bold)
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """Draw a QR code as vector squares (sharp at any printer resolution), bottom-left at (x, y)."""
    qr = segno.make_qr(value, error="m")
    rows = list(qr.matrix_iter(scale=1, border=0))
    module = size / len(rows)
    canvas.setFillColorRGB(0, 0, 0)
    for row_number, row in enumerate(rows):
        top = y + size - (row_number + 1) * module
        for column, dark in enumerate(row):
            if dark:
                canvas.rect(x + column * module, top, module, module, stroke=0, fill=1)


def _window(content: LabelContent) -> str:
    if content.pickup_start is None or content.pickup_end is None:
        return content.drop_off_note
    start = timezone.localtime(content.pickup_start)
    end = timezone.localtime(content.pickup_end)
    return _("%(day)s, %(start)s to %(end)s") % {
        "day": date_format(start, "DATE_FORMAT"),
        "start": date_format(start, "H:i"),
        "end": date_format(end, "H:i"),
    }


def label_pdf(content: LabelContent, *, compress: bool = True) -> bytes:
    """The label as PDF bytes (one A6 page). `compress=False` keeps the page's text searchable."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A6, pageCompression=1 if compress else 0)
    canvas.setTitle(f"{content.carrier} {content.tracking_number}")
    canvas.setAuthor("Reloop")
    width, height = A6
    inner = width - 2 * MARGIN
    top = height - MARGIN

    # Header band: carrier, sort code, "free shipping".
    canvas.setFillColorRGB(0, 0, 0)
    canvas.rect(MARGIN, top - 12 * mm, inner, 12 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    _text(canvas, MARGIN + 2 * mm, top - 8 * mm, content.carrier.upper(), 13, bold=True)
    free = _("FREE SHIPPING")
    canvas.setFont(_font(free, bold=True), 10)
    canvas.drawRightString(width - MARGIN - 2 * mm, top - 7.5 * mm, free)
    canvas.setFillColorRGB(0, 0, 0)
    if content.sort_code:
        _text(canvas, MARGIN, top - 19 * mm, content.sort_code, 18, bold=True)

    # Addresses.
    y = top - 26 * mm
    _text(canvas, MARGIN, y, _("To"), 7)
    y -= 4.5 * mm
    for number, line in enumerate(_present(content.recipient.lines())):
        _text(canvas, MARGIN, y, _fit(line, 10, inner, bold=number == 0), 10, bold=number == 0)
        y -= 4.3 * mm
    y -= 1.5 * mm
    _text(canvas, MARGIN, y, _("From"), 7)
    y -= 4 * mm
    for line in _present(content.sender.lines()):
        _text(canvas, MARGIN, y, _fit(line, 8.5, inner), 8.5)
        y -= 3.8 * mm

    # Tracking number: barcode for the carrier, text for people.
    y -= 2 * mm
    canvas.line(MARGIN, y, width - MARGIN, y)
    barcode = code128.Code128(content.tracking_number, barHeight=13 * mm, barWidth=0.3 * mm, quiet=0)
    barcode_x = MARGIN + max(0.0, (inner - barcode.width) / 2)
    barcode.drawOn(canvas, barcode_x, y - 16 * mm)
    canvas.setFont(LATIN_BOLD, 11)
    canvas.drawCentredString(width / 2, y - 20.5 * mm, content.tracking_number)

    # Bottom: the reference's QR code and text, the method and window.
    qr_size = 26 * mm
    bottom = MARGIN
    _qr(canvas, content.reference_code, MARGIN, bottom + 4 * mm, qr_size)
    canvas.setFont(LATIN_BOLD, 9)
    canvas.drawCentredString(MARGIN + qr_size / 2, bottom, content.reference_code)
    text_x = MARGIN + qr_size + 4 * mm
    text_width = width - MARGIN - text_x
    y = bottom + qr_size
    _text(canvas, text_x, y, _fit(content.method_label, 10, text_width, bold=True), 10, bold=True)
    y -= 4.5 * mm
    window = _window(content)
    for line in _wrap(window, 8, text_width):
        _text(canvas, text_x, y, line, 8)
        y -= 3.6 * mm
    y -= 1.5 * mm
    for line in _wrap(_("Pack the item well. Keep this label visible on the parcel."), 7, text_width):
        _text(canvas, text_x, y, line, 7)
        y -= 3.2 * mm

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break text into lines that fit `width`: at spaces for Latin text, anywhere for Chinese."""
    if not text:
        return []
    words = text.split(" ") if _font(text) != CJK_FONT else list(text)
    joiner = " " if _font(text) != CJK_FONT else ""
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current}{joiner}{word}" if current else word
        if pdfmetrics.stringWidth(candidate, _font(candidate), size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines
