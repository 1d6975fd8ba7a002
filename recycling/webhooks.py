"""The carrier's webhook: `POST /api/v1/carrier/webhook/`.

The raw body must carry the carrier's signature (HMAC-SHA256, checked in constant time, with a
timestamp at most 5 minutes off): anything else is 403 and nothing is read. A signed body that cannot
be parsed is 400, which tells the carrier to stop retrying something that will never work.

Every event is applied by `carrier_event_apply`, idempotent by event id: a replayed delivery answers
200 again and stores nothing twice. An event for a parcel that is not a recycling shipment may be an
order's (a sale shipped to a buyer, or its return): `order_carrier_event_apply` marks a shipped order
delivered and counts it as applied (replays included: a delivered order stays delivered). An event
for a tracking number neither knows is acknowledged (200, listed under "ignored") rather than
refused: carriers retry any non-2xx answer for days, and retrying cannot make a parcel that is not
ours known. It is logged for operations to look at.
"""

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.carriers import MalformedWebhook, WebhookRejected, get_carrier
from orders.services.fulfilment import order_carrier_event_apply
from recycling.services.shipping import UnknownTrackingNumber, carrier_event_apply

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def carrier_webhook(request: HttpRequest) -> JsonResponse:
    carrier = get_carrier()
    body = request.body
    try:
        carrier.verify_webhook(body, request.headers)
    except WebhookRejected as error:
        return JsonResponse({"code": error.code, "detail": str(error)}, status=error.status_code)
    try:
        events = carrier.parse_webhook(body)
    except MalformedWebhook as error:
        return JsonResponse({"code": "malformed", "detail": str(error)}, status=400)
    applied, duplicates, ignored = [], [], []
    for event in events:
        try:
            stored = carrier_event_apply(
                event_id=event.event_id,
                tracking_number=event.tracking_number,
                kind=event.kind,
                occurred_at=event.occurred_at,
                payload=event.payload,
            )
        except UnknownTrackingNumber:
            order = order_carrier_event_apply(
                tracking_number=event.tracking_number, kind=event.kind, occurred_at=event.occurred_at
            )
            if order is not None:
                applied.append(event.event_id)
                continue
            logger.warning(
                "Carrier event %s for unknown tracking number %s", event.event_id, event.tracking_number
            )
            ignored.append(event.event_id)
            continue
        (applied if stored is not None else duplicates).append(event.event_id)
    return JsonResponse({"applied": applied, "duplicates": duplicates, "ignored": ignored})
