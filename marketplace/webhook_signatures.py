"""Signed webhooks, as carriers and payment providers sign them: a header `t=<unix time>,v1=<hex>`
where the hex is HMAC-SHA256 of `"<t>." + raw body` with a shared secret. Several `v1` values may be
offered at once (while a secret is rotated); one must match.

`signature_check` is what a receiver runs before reading a body: it refuses a missing or malformed
header, a timestamp more than `tolerance` seconds off (replays), and a signature that does not match
(compared in constant time). Each caller turns `SignatureInvalid` into its own 403 error.
"""

import hashlib
import hmac
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

TOLERANCE_SECONDS = 300


class SignatureInvalid(Exception):
    """The header is missing, malformed, stale or does not match; the message says which."""


def signature_for(body: bytes, timestamp: int, secret: str) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(body: bytes, timestamp: int, secret: str) -> str:
    return f"t={timestamp},v1={signature_for(body, timestamp, secret)}"


def signature_check(
    body: bytes, header: str, secret: str, *, now: datetime | None = None, tolerance: int = TOLERANCE_SECONDS
) -> int:
    """Return the signed timestamp, or raise SignatureInvalid."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _sep, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    timestamps = parts.get("t", [])
    if not header or len(timestamps) != 1 or not parts.get("v1"):
        raise SignatureInvalid(_("The webhook signature is missing or malformed."))
    try:
        timestamp = int(timestamps[0])
    except ValueError:
        raise SignatureInvalid(_("The webhook signature is missing or malformed.")) from None
    current = int((now or timezone.now()).timestamp())
    # Integer arithmetic: a timestamp with hundreds of digits must not overflow a float.
    if abs(current - timestamp) > tolerance:
        raise SignatureInvalid(_("The webhook timestamp is too old or in the future."))
    expected = signature_for(body, timestamp, secret).encode()
    # Compared as bytes: compare_digest refuses non-ASCII str, and a header may carry anything.
    if not any(
        hmac.compare_digest(expected, offered.encode("utf-8", "surrogateescape")) for offered in parts["v1"]
    ):
        raise SignatureInvalid(_("The webhook signature does not match."))
    return timestamp
