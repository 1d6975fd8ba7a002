"""The public inspection report: a page anyone can open (no sign-in) and its PDF.

A report is a snapshot that never changes once published, and holds no personal data of the seller,
so both are safe to show to anyone who has the code. IMEI and serial numbers show only their last 4
characters; staff (any staff role) who open the page see them whole, on a page no cache keeps. The
PDF is always the public one, rendered once per report version (inspection.report_pdf). The page costs
one query (the report by code) for a visitor who is not signed in, and one more for the item's
explanation clips from live shows once the item is a listing.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from accounts.roles import roles_of
from inspection.models import Report
from inspection.report_pdf import report_pdf_file
from inspection.reports import report_by_code, report_display
from listings.explanations import explanation_clips

# A published report does not change; let browsers and proxies keep the PDF for a day.
PDF_MAX_AGE = 24 * 60 * 60
# How many of the item's explanation clips the page shows, newest first.
REPORT_CLIPS = 3


def _report_or_404(code: str) -> Report:
    report = report_by_code(code)
    if report is None:
        raise Http404
    return report


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_404(code)
    if code != report.code:
        # A code typed in lower case: send the reader to the one URL the QR codes and links use.
        return redirect("reports:detail", code=report.code, permanent=True)
    page_url = request.build_absolute_uri(reverse("reports:detail", args=[report.code]))
    staff = bool(roles_of(request.user))
    # The host's explanations of the item in live shows, once it is a listing (listings.explanations).
    listing_id = report.inspection.listing_id
    clips = explanation_clips(listing_id=listing_id, limit=REPORT_CLIPS) if listing_id else []
    response = render(
        request,
        "inspection/report.html",
        {"report": report_display(report, identifiers_in_full=staff), "page_url": page_url, "clips": clips},
    )
    if staff:
        add_never_cache_headers(response)  # the full identifiers stay out of shared caches
    return response


@require_GET
def pdf(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_404(code)
    if code != report.code:
        return redirect("reports:pdf", code=report.code, permanent=True)
    page_url = request.build_absolute_uri(reverse("reports:detail", args=[report.code]))
    response = HttpResponse(report_pdf_file(report, page_url=page_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="reloop-report-{report.code}.pdf"'
    response["Cache-Control"] = f"public, max-age={PDF_MAX_AGE}"
    return response
