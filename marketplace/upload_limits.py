"""Upload limits that hold before anything is stored.

`DATA_UPLOAD_MAX_MEMORY_SIZE` covers form fields, not files: without more, Django writes every file
of a request to a temporary file in full, and only then may a view look at its size. Two checks stop
an oversized body as it arrives:

- `UploadLimitMiddleware` answers 413 at once when the declared `Content-Length` is past
  `UPLOAD_REQUEST_MAX_BYTES`, without reading the body.
- `UploadBudgetHandler`, the first of `FILE_UPLOAD_HANDLERS`, counts the bytes of each file as they
  are read: past `LISTING_PHOTO_MAX_BYTES` for one file, or `UPLOAD_REQUEST_MAX_BYTES` for all of a
  request's files, it stops the upload (what was written so far is deleted) and the request is
  answered 413. This covers bodies sent without a length (chunked) and lengths that lie.

Pages get the 413 page (templates/413.html), the API `{"code", "detail"}` JSON, in the request's
language either way.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


class UploadTooLarge(Exception):
    """A request whose files pass a limit. `field` names the file field at fault, when one is."""

    def __init__(self, message: str, *, code: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


def _request_too_large() -> UploadTooLarge:
    return UploadTooLarge(
        _(
            "This upload is too large: one request may carry at most %(limit)s of files. "
            "Send fewer or smaller photos at a time."
        )
        % {"limit": filesizeformat(settings.UPLOAD_REQUEST_MAX_BYTES)},
        code="request_too_large",
    )


def _file_too_large(name: str, field: str) -> UploadTooLarge:
    return UploadTooLarge(
        _("%(name)s is larger than %(limit)s; please send a smaller photo.")
        % {"name": name or _("This file"), "limit": filesizeformat(settings.LISTING_PHOTO_MAX_BYTES)},
        code="too_large",
        field=field,
    )


def too_large_response(request: HttpRequest, error: UploadTooLarge) -> HttpResponse:
    """413: the API's JSON error, or the page that says what to do."""
    if request.path.startswith(API_PREFIX):
        body: dict = {"code": error.code, "detail": error.message}
        if error.field:
            body.update({"field": error.field, error.field: [error.message]})
        return JsonResponse(body, status=413)
    return render(request, "413.html", {"message": error.message}, status=413)


class UploadBudgetHandler(FileUploadHandler):
    """Counts the bytes of a request's files as they stream in, and stops the upload past a limit.

    Stopping is a StopUpload, after which Django closes (and so deletes) the files it had begun;
    `upload_complete` then raises UploadTooLarge, which UploadLimitMiddleware turns into the 413.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None) -> None:
        # A declared length past the limit never gets here: UploadLimitMiddleware answered already.
        self.total = 0
        self.refusal: UploadTooLarge | None = None
        return None

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.file_bytes = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.file_bytes += len(raw_data)
        self.total += len(raw_data)
        if self.file_bytes > settings.LISTING_PHOTO_MAX_BYTES:
            self.refusal = _file_too_large(str(self.file_name or ""), str(self.field_name or ""))
        elif self.total > settings.UPLOAD_REQUEST_MAX_BYTES:
            self.refusal = _request_too_large()
        if self.refusal is not None:
            # connection_reset: the rest of the body is not read, let alone stored.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file

    def upload_complete(self) -> None:
        if getattr(self, "refusal", None) is not None:
            raise self.refusal  # type: ignore[misc]


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


class UploadLimitMiddleware:
    """Refuses oversized request bodies with 413 (see the module's docstring). Sits after
    LocaleMiddleware, so that the answer is in the request's language, and before CsrfViewMiddleware,
    whose check is the first to read a form."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _declared_length(request) > settings.UPLOAD_REQUEST_MAX_BYTES:
            return too_large_response(request, _request_too_large())
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        # Read the form here, as the CSRF check is about to, so that an upload stopped on its way in
        # is answered 413. Views exempt from CSRF (the API) read it themselves: process_exception.
        if request.method != "POST" or getattr(view_func, "csrf_exempt", False):
            return None
        try:
            request.POST  # noqa: B018  # parses the body through FILE_UPLOAD_HANDLERS
        except UploadTooLarge as error:
            return too_large_response(request, error)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UploadTooLarge):
            return too_large_response(request, exception)
        return None
