from django.urls import re_path

from inspection.views import reports

app_name = "reports"

# Codes are short and made of REPORT_CODE_ALPHABET; lower case is accepted and redirected to capitals.
urlpatterns = [
    re_path(r"^(?P<code>[0-9A-Za-z]{4,12})/$", reports.detail, name="detail"),
    re_path(r"^(?P<code>[0-9A-Za-z]{4,12})\.pdf$", reports.pdf, name="pdf"),
]
