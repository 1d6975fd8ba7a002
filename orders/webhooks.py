"""The payment provider's webhook: `POST /api/v1/payments/webhook/`.

The raw body must carry the provider's signature (HMAC-SHA256, checked in constant time, with a
timestamp at most 5 minutes off): anything else is 403 and nothing is read. A signed body that cannot
be parsed is 400, which tells the provider to stop retrying something that will never work.

The event is applied by `payment_event_apply`, idempotent by event id: a replayed delivery answers 200
again and changes nothing. A success for another amount or currency than the payment's is held for
review ("held_for_review") and pays for nothing. An event for a payment we do not know is stored and
acknowledged (200, "ignored") rather than refused: providers retry any non-2xx answer for days, and
retrying cannot make a payment that is not ours known. It is logged for operations to look at.
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from orders.errors import WebhookRejected
from orders.payments import MalformedWebhook, get_payment_provider
from orders.services.payments import payment_event_apply


@csrf_exempt
@require_POST
def payment_webhook(request: HttpRequest) -> JsonResponse:
    provider = get_payment_provider()
    body = request.body
    try:
        provider.verify_webhook(body, request.headers)
    except WebhookRejected as error:
        return JsonResponse({"code": error.code, "detail": str(error)}, status=error.status_code)
    try:
        event = provider.parse_webhook(body)
    except MalformedWebhook as error:
        return JsonResponse({"code": "malformed", "detail": str(error)}, status=400)
    stored = payment_event_apply(event=event)
    if stored is None:
        outcome = "duplicate"
    elif stored.held_for_review:
        outcome = "held_for_review"
    elif stored.applied:
        outcome = "applied"
    else:
        outcome = "ignored"
    return JsonResponse({"event": event.event_id, "outcome": outcome})
