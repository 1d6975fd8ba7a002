"""The carrier's webhook: `POST /api/v1/carrier/webhook/`.

The raw body must carry the carrier's signature (HMAC-SHA256, checked in constant time, with a
timestamp at most 5 minutes off): anything else is 403 and nothing is read. A signed body that cannot
be parsed is 400, which tells the carrier to stop retrying something that will never work.

Every event is stored once by `carrier_event_record` (idempotent by event id: a replayed delivery
answers 200 again and stores nothing twice), which sends `shipment_moved` to the apps that follow the
parcel. An event for a tracking number no shipment has is acknowledged (200, listed under "ignored")
rather than refused: carriers retry any non-2xx answer for days, and retrying cannot make a parcel
that is not ours known. It is logged for operations to look at.
"""

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shipping.carriers import MalformedWebhook, WebhookRejected, get_carrier
from shipping.errors import UnknownTrackingNumber
from shipping.services import carrier_event_record

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
    applied: list[str] = []
    duplicates: list[str] = []
    ignored: list[str] = []
    for event in events:
        try:
            stored = carrier_event_record(event=event)
        except UnknownTrackingNumber:
            logger.warning(
                "Carrier event %s for unknown tracking number %s", event.event_id, event.tracking_number
            )
            ignored.append(event.event_id)
            continue
        (applied if stored is not None else duplicates).append(event.event_id)
    return JsonResponse({"applied": applied, "duplicates": duplicates, "ignored": ignored})
