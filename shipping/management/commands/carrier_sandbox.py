"""Play the sandbox carrier: send signed tracking events to our own webhook.

    manage.py carrier_sandbox advance SBX123456789012            # the parcel's next step
    manage.py carrier_sandbox advance SBX123456789012 --to delivered
    manage.py carrier_sandbox advance RLABCD2345 --url http://127.0.0.1:8000/api/v1/carrier/webhook/

Without --url the request goes through the webhook view in this process (no server needed); with it,
over HTTP to a running site. Either way it is signed and checked like a real carrier's.
"""

from django.core.management.base import BaseCommand, CommandError
from django.test import RequestFactory

from shipping.carriers import normalise_reference
from shipping.carriers.sandbox import JOURNEY, sandbox_emit
from shipping.models import CarrierEvent, Shipment, ShipmentStatus
from shipping.webhooks import carrier_webhook

WEBHOOK_PATH = "/api/v1/carrier/webhook/"


class Command(BaseCommand):
    help = "Send the sandbox carrier's next tracking event(s) for a parcel to the webhook."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="action", required=True)
        advance = subcommands.add_parser("advance", help="Move a parcel to its next step (or up to --to).")
        advance.add_argument("reference", help="Tracking number, submission code or order number.")
        advance.add_argument("--to", choices=JOURNEY, help="Send every step up to and including this one.")
        advance.add_argument("--url", help="POST to this webhook URL instead of calling the view in-process.")

    def handle(self, *args, **options):
        shipment = self._shipment(options["reference"])
        done = set(CarrierEvent.objects.filter(shipment=shipment).values_list("kind", flat=True))
        reached = max((JOURNEY.index(kind) for kind in done if kind in JOURNEY), default=-1)
        if reached == len(JOURNEY) - 1:
            raise CommandError(f"{shipment.tracking_number} is already delivered.")
        last = JOURNEY.index(options["to"]) if options["to"] else reached + 1
        kinds = list(JOURNEY[reached + 1 : last + 1])
        if not kinds:
            raise CommandError(f"{shipment.tracking_number} is already past {options['to']}.")
        signed = sandbox_emit(shipment.tracking_number, kinds)
        if options["url"]:
            try:
                status, text = signed.post(options["url"])
            except (OSError, ValueError) as error:
                raise CommandError(f"Could not reach {options['url']}: {error}") from error
        else:
            request = RequestFactory().post(
                WEBHOOK_PATH,
                data=signed.body,
                content_type="application/json",
                headers=signed.headers,
            )
            response = carrier_webhook(request)
            status, text = response.status_code, response.content.decode()
        if status != 200:
            raise CommandError(f"The webhook answered {status}: {text}")
        self.stdout.write(f"{shipment.tracking_number}: sent {', '.join(kinds)} ({status} {text})")

    def _shipment(self, reference: str) -> Shipment:
        key = normalise_reference(reference)
        shipment = (
            Shipment.objects.filter(tracking_number=key).first()
            or Shipment.objects.filter(reference=key)
            .exclude(status=ShipmentStatus.CANCELLED)
            .exclude(tracking_number="")
            .order_by("-created_at", "-id")
            .first()
        )
        if shipment is None:
            raise CommandError(f"No shipment matches {reference!r}.")
        return shipment
