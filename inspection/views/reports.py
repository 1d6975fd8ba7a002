"""The public inspection report: a page anyone can open (no sign-in) and its PDF.

A report is a snapshot that never changes once published, and holds no personal data of the seller,
so both are safe to show to anyone who has the code. The page costs one query (the report by code).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from inspection.models import Report
from inspection.report_pdf import report_pdf
from inspection.reports import report_by_code, report_display

# A published report does not change; let browsers and proxies keep the PDF for a day.
PDF_MAX_AGE = 24 * 60 * 60


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
    return render(
        request,
        "inspection/report.html",
        {"report": report_display(report), "page_url": page_url},
    )


@require_GET
def pdf(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_404(code)
    if code != report.code:
        return redirect("reports:pdf", code=report.code, permanent=True)
    page_url = request.build_absolute_uri(reverse("reports:detail", args=[report.code]))
    response = HttpResponse(
        report_pdf(report_display(report), page_url=page_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="reloop-report-{report.code}.pdf"'
    response["Cache-Control"] = f"public, max-age={PDF_MAX_AGE}"
    return response
