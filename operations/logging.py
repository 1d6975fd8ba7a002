import logging


class DropForbiddenTraceback(logging.Filter):
    """Django logs every 403 with the PermissionDenied's traceback. A refusal is an answer, not a
    fault: operations.views.errors logs it in one line, so Django's record is left out."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 403
