"""A sandbox carrier that behaves like a real one, for development, the demo and tests.

- Tracking numbers look real: "SBX", 11 random digits and a Luhn check digit ("SBX482901736254").
- Pickup slots are 2-hour windows from 09:00 to 19:00 local time, today and the next two days; a slot
  is offered until an hour before it starts (the courier needs the notice). Drop-off needs no slot.
- A booking for a slot that is not offered (any more) is refused with SlotUnavailable.
- `settings.CARRIER_SANDBOX_FAIL = True` (or `SandboxCarrier(fail=True)`) makes every call raise
  CarrierUnavailable, as a carrier that is down does.
- Webhooks are signed like the big carriers sign theirs: HMAC-SHA256 over "<timestamp>." + raw body,
  sent as `X-Carrier-Timestamp: <ts>` and `X-Carrier-Signature: t=<ts>,v1=<hex>`.

`sandbox_emit(...)` builds such a signed request for events a real carrier would send (picked_up,
in_transit, out_for_delivery, delivered); `.post(url)` delivers it to our own webhook, so the demo and
the tests go through the same path as production (`manage.py carrier_sandbox advance <tracking>`).
"""

import json
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.addresses import PostalAddress
from marketplace.webhooks import SignatureInvalid, contains_nul, post_json, signature_check, signature_header
from shipping.carriers import (
    Booking,
    CarrierUnavailable,
    MalformedWebhook,
    SlotUnavailable,
    TrackingEvent,
    WebhookRejected,
)

NAME = "sandbox"
PREFIX = "SBX"
TIMESTAMP_HEADER = "X-Carrier-Timestamp"
SIGNATURE_HEADER = "X-Carrier-Signature"
# A signature older (or newer) than this is refused, so that a captured request cannot be replayed later.
TIMESTAMP_TOLERANCE_SECONDS = 300

MAX_EVENTS_PER_REQUEST = 100

SLOT_HOURS = 2
FIRST_SLOT_HOUR = 9
LAST_SLOT_END_HOUR = 19
SLOT_DAYS = 3
SLOT_LEAD_TIME = timedelta(hours=1)
DROP_OFF_DAYS = 14

# The order in which a parcel moves; `carrier_sandbox advance` emits the next one.
JOURNEY = ("picked_up", "in_transit", "out_for_delivery", "delivered")


def luhn_digit(digits: str) -> str:
    """The Luhn check digit for a string of digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:  # doubled: the check digit will sit to the right of this one
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def new_tracking_number() -> str:
    body = "".join(secrets.choice("0123456789") for _i in range(11))
    return f"{PREFIX}{body}{luhn_digit(body)}"


def is_tracking_number(value: str) -> bool:
    digits = value[len(PREFIX) :]
    return (
        value.startswith(PREFIX)
        and len(digits) == 12
        and digits.isdigit()
        and luhn_digit(digits[:-1]) == digits[-1]
    )


class SandboxCarrier:
    name = NAME

    def __init__(self, *, secret: str, fail: bool | None = None) -> None:
        self.secret = secret
        self.fail = getattr(settings, "CARRIER_SANDBOX_FAIL", False) if fail is None else fail

    def _answer_or_fail(self) -> None:
        if self.fail:
            raise CarrierUnavailable("The sandbox carrier is set to fail.")

    def pickup_slots(self, *, now: datetime) -> list[tuple[datetime, datetime]]:
        self._answer_or_fail()
        local_now = timezone.localtime(now)
        slots = []
        for day in range(SLOT_DAYS):
            date = (local_now + timedelta(days=day)).date()
            for hour in range(FIRST_SLOT_HOUR, LAST_SLOT_END_HOUR, SLOT_HOURS):
                start = timezone.make_aware(datetime(date.year, date.month, date.day, hour))
                if start - SLOT_LEAD_TIME >= now:
                    slots.append((start, start + timedelta(hours=SLOT_HOURS)))
        return slots

    def book(
        self,
        *,
        reference: str,
        method: str,
        sender: PostalAddress,
        recipient: PostalAddress,
        pickup_start: datetime | None = None,
        now: datetime | None = None,
    ) -> Booking:
        self._answer_or_fail()
        now = now or timezone.now()
        # The routing code printed large on the label: the city's first letters and the postcode's
        # district digits. An address without them is sorted by hand ("MAN-000", as carriers mark it).
        sort_code = f"{recipient.city[:3].upper() or 'MAN'}-{recipient.postcode[:3] or '000'}"
        if method == "pickup":
            slots = dict(self.pickup_slots(now=now))
            if pickup_start is None or pickup_start not in slots:
                raise SlotUnavailable(pickup_start)
            return Booking(
                carrier=self.name,
                tracking_number=new_tracking_number(),
                method=method,
                sort_code=sort_code,
                pickup_start=pickup_start,
                pickup_end=slots[pickup_start],
            )
        if method == "drop_off":
            return Booking(
                carrier=self.name,
                tracking_number=new_tracking_number(),
                method=method,
                sort_code=sort_code,
                drop_off_note=_("Hand the parcel in at any Sandbox Express point within %(days)d days.")
                % {"days": DROP_OFF_DAYS},
            )
        raise ValueError(f"Unknown shipping method {method!r}")

    def cancel(self, tracking_number: str) -> None:
        self._answer_or_fail()
        if not is_tracking_number(tracking_number):
            raise ValueError(f"Not a sandbox tracking number: {tracking_number!r}")

    def verify_webhook(self, body: bytes, headers: Mapping[str, str], *, now: datetime | None = None) -> None:
        signature = headers.get(SIGNATURE_HEADER) or ""
        try:
            timestamp = signature_check(
                body, signature, self.secret, now=now, tolerance=TIMESTAMP_TOLERANCE_SECONDS
            )
        except SignatureInvalid as error:
            raise WebhookRejected(str(error)) from None
        # The carrier repeats the timestamp in a header of its own; the signed one must agree with it.
        stated = headers.get(TIMESTAMP_HEADER) or ""
        if stated and stated != str(timestamp):
            raise WebhookRejected(_("The webhook timestamps do not match."))

    def parse_webhook(self, body: bytes) -> list[TrackingEvent]:
        try:
            document = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            raise MalformedWebhook("The body is not JSON.") from None
        if not isinstance(document, dict) or not isinstance(document.get("events"), list):
            raise MalformedWebhook('The body must be an object with a list of "events".')
        if len(document["events"]) > MAX_EVENTS_PER_REQUEST:
            raise MalformedWebhook(f"At most {MAX_EVENTS_PER_REQUEST} events per request.")
        events = []
        for number, item in enumerate(document["events"]):
            if not isinstance(item, dict):
                raise MalformedWebhook(f"Event {number} is not an object.")
            limits = {"id": 64, "type": 30, "tracking_number": 40, "occurred_at": 40}
            values: dict[str, str] = {}
            for key, limit in limits.items():
                value = item.get(key)
                if not isinstance(value, str) or not value or len(value) > limit or "\x00" in value:
                    raise MalformedWebhook(f"Event {number}: {key} is missing or invalid.")
                values[key] = value
            try:
                occurred_at = parse_datetime(values["occurred_at"])
                if occurred_at is not None and not timezone.is_naive(occurred_at):
                    occurred_at = occurred_at.astimezone(UTC)  # year 1 or 9999 may not survive the move
            except (ValueError, OverflowError):
                occurred_at = None
            if occurred_at is None or timezone.is_naive(occurred_at):
                raise MalformedWebhook(f"Event {number}: occurred_at must be an ISO 8601 time with a zone.")
            if contains_nul(item):  # PostgreSQL's jsonb cannot store U+0000
                raise MalformedWebhook(f"Event {number} contains a NUL character.")
            events.append(
                TrackingEvent(
                    event_id=values["id"],
                    tracking_number=values["tracking_number"],
                    kind=values["type"],
                    occurred_at=occurred_at,
                    location=location[:60] if isinstance(location := item.get("location"), str) else "",
                    payload=item,
                )
            )
        return events


@dataclass(frozen=True)
class SignedRequest:
    """A webhook request as the carrier would send it."""

    body: bytes
    headers: dict[str, str]

    def post(self, url: str, *, timeout: float = 10) -> tuple[int, str]:
        """Deliver it; returns the status code and the response body."""
        return post_json(url, self.body, self.headers, timeout=timeout)


def sandbox_emit(
    tracking_number: str,
    kinds: str | Sequence[str],
    *,
    occurred_at: datetime | None = None,
    event_ids: Sequence[str] | None = None,
    timestamp: int | None = None,
    secret: str | None = None,
    location: str = "Shanghai",
) -> SignedRequest:
    """A signed webhook request carrying one event per kind, a minute apart from `occurred_at`."""
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    ids = list(event_ids) if event_ids is not None else [f"evt_{secrets.token_hex(12)}" for _k in kinds]
    if len(ids) != len(kinds):
        raise ValueError("One event id per kind.")
    start = occurred_at or timezone.now()
    events = [
        {
            "id": event_id,
            "type": kind,
            "tracking_number": tracking_number,
            "occurred_at": (start + timedelta(minutes=number)).astimezone(UTC).isoformat(),
            "location": location,
        }
        for number, (event_id, kind) in enumerate(zip(ids, kinds, strict=True))
    ]
    body = json.dumps({"events": events}, separators=(",", ":")).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = signature_header(body, timestamp, secret or settings.CARRIER_WEBHOOK_SECRET)
    return SignedRequest(body=body, headers={TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signature})
