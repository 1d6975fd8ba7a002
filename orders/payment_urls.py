from django.urls import path

from orders.webhooks import payment_webhook

app_name = "payments"

urlpatterns = [
    path("webhook/", payment_webhook, name="webhook"),
]
