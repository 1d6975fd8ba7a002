"""/api/v1/: a buyer's orders, a seller's sales, and the operations queues."""

from django.urls import path

from orders.api import offers, orders, staff

app_name = "orders_api"

ORDER = "orders/<str:number>/"

urlpatterns = [
    path("orders/", orders.OrderListView.as_view(), name="orders"),
    path("sales/", orders.SaleListView.as_view(), name="sales"),
    path(ORDER, orders.OrderDetailView.as_view(), name="order"),
    path(f"{ORDER}address/", orders.OrderAddressView.as_view(), name="order-address"),
    path(f"{ORDER}pay/", orders.OrderPayView.as_view(), name="order-pay"),
    path(f"{ORDER}cancel/", orders.OrderCancelView.as_view(), name="order-cancel"),
    path(
        f"{ORDER}inspected-delivery/",
        orders.OrderInspectedDeliveryView.as_view(),
        name="order-inspected-delivery",
    ),
    path(f"{ORDER}ship/", orders.OrderShipView.as_view(), name="order-ship"),
    path(f"{ORDER}label/", orders.OrderLabelView.as_view(), name="order-label"),
    path(f"{ORDER}delivered/", orders.OrderDeliveredView.as_view(), name="order-delivered"),
    path(f"{ORDER}confirm/", orders.OrderConfirmView.as_view(), name="order-confirm"),
    path(f"{ORDER}return/", orders.ReturnRequestView.as_view(), name="order-return"),
    path(f"{ORDER}return/tracking/", orders.ReturnTrackingView.as_view(), name="order-return-tracking"),
    path(f"{ORDER}return/withdraw/", orders.ReturnWithdrawView.as_view(), name="order-return-withdraw"),
    path(f"{ORDER}return/received/", orders.ReturnReceivedView.as_view(), name="order-return-received"),
    path(f"{ORDER}dispute/", orders.DisputeOpenView.as_view(), name="order-dispute"),
    path(f"{ORDER}rating/", orders.RatingView.as_view(), name="order-rating"),
    path("offers/", offers.OfferListView.as_view(), name="offers"),
    path("offers/<int:offer_id>/", offers.OfferDetailView.as_view(), name="offer"),
    path("offers/<int:offer_id>/accept/", offers.OfferAcceptView.as_view(), name="offer-accept"),
    path("offers/<int:offer_id>/decline/", offers.OfferDeclineView.as_view(), name="offer-decline"),
    path("offers/<int:offer_id>/counter/", offers.OfferCounterView.as_view(), name="offer-counter"),
    path("offers/<int:offer_id>/withdraw/", offers.OfferWithdrawView.as_view(), name="offer-withdraw"),
    path("staff/disputes/", staff.DisputeQueueView.as_view(), name="staff-disputes"),
    path(
        "staff/disputes/<str:number>/resolve/",
        staff.DisputeResolveView.as_view(),
        name="staff-dispute-resolve",
    ),
    path("staff/orders/to-ship/", staff.ToShipQueueView.as_view(), name="staff-to-ship"),
    path("staff/orders/returns/", staff.ReturnQueueView.as_view(), name="staff-returns"),
]
