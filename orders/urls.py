from django.urls import path, re_path

from orders.views import checkout, pages

app_name = "orders"

# Order numbers are capitals and digits ("O7KQ2MX4PA"): anything else is a 404 before any query.
NUMBER = r"(?P<number>[A-Z0-9]{1,12})"

urlpatterns = [
    path("", pages.purchases, name="list"),
    path("sales/", pages.sales, name="sales"),
    path("buy/<int:listing_id>/", checkout.buy, name="buy"),
    re_path(rf"^{NUMBER}/$", pages.detail, name="detail"),
    re_path(rf"^{NUMBER}/pay/$", checkout.pay, name="pay"),
    re_path(rf"^{NUMBER}/cancel/$", checkout.cancel, name="cancel"),
    re_path(rf"^{NUMBER}/payment-status/$", pages.payment_status, name="payment_status"),
    re_path(rf"^{NUMBER}/confirm-receipt/$", pages.confirm_receipt, name="confirm_receipt"),
    re_path(rf"^{NUMBER}/return/$", pages.return_create, name="return_request"),
    re_path(rf"^{NUMBER}/return/tracking/$", pages.return_tracking, name="return_tracking"),
    re_path(rf"^{NUMBER}/return/withdraw/$", pages.return_cancel, name="return_withdraw"),
    re_path(rf"^{NUMBER}/return/received/$", pages.return_received, name="return_received"),
    re_path(rf"^{NUMBER}/return-label\.pdf$", pages.return_label, name="return_label"),
    re_path(rf"^{NUMBER}/dispute/$", pages.dispute_create, name="dispute"),
    re_path(rf"^{NUMBER}/rate/$", pages.rate, name="rate"),
    re_path(rf"^{NUMBER}/ship/$", pages.ship, name="ship"),
    re_path(rf"^{NUMBER}/label/$", pages.label_book, name="label_book"),
    re_path(rf"^{NUMBER}/label\.pdf$", pages.shipping_label, name="shipping_label"),
]
