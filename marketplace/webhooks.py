"""Signed webhooks, as carriers and payment providers send them.

Signing: a header `t=<unix time>,v1=<hex>`
where the hex is HMAC-SHA256 of `"<t>." + raw body` with a shared secret. Several `v1` values may be
offered at once (while a secret is rotated); one must match.

`signature_check` is what a receiver runs before reading a body: it refuses a missing or malformed
header, a timestamp more than `tolerance` seconds off (replays), and a signature that does not match
(compared in constant time). Each caller turns `SignatureInvalid` into its own 403 error.
`contains_nul` finds what a signed body may still carry that PostgreSQL cannot store, and
`post_json` is how the sandboxes deliver a signed body to a URL.
"""

import hashlib
import hmac
import urllib.error
import urllib.request
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


def contains_nul(value: object) -> bool:
    """Whether a parsed JSON document holds U+0000 anywhere: PostgreSQL's text and jsonb refuse it."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


def post_json(url: str, body: bytes, headers: dict[str, str], *, timeout: float = 10) -> tuple[int, str]:
    """POST a JSON body with its headers; returns the status code and the response body. Raises
    urllib.error.URLError (or TimeoutError) when nobody answers."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"Not an HTTP URL: {url!r}")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=body, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
