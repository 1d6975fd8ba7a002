from django.urls import path

from shipping.webhooks import carrier_webhook

urlpatterns = [
    path("webhook/", carrier_webhook, name="carrier_webhook"),
]
