"""Shipment codes in the reader's language: `{{ code|shipment_status }}`, `{{ code|carrier_name }}`."""

from django import template

from shipping import carriers
from shipping.models import ShipmentStatus

register = template.Library()


@register.filter
def shipment_status(value: str) -> str:
    try:
        return str(ShipmentStatus(value).label)
    except ValueError:
        return value


@register.filter
def carrier_name(value: str) -> str:
    return carriers.carrier_name(value)
